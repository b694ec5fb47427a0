"""Writing and reading ideas, the per-unit sheet and the funnel (relative to /pemda/<pemda>/programs/<program>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/similar/", views.idea_similar, name="idea_similar"),
    path("ideas/<id:idea>/", views.idea_detail, name="idea_detail"),
    path("ideas/<id:idea>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<id:idea>/submit/", views.idea_submit, name="idea_submit"),
    path("ideas/unit/<id:unit>/print/", views.idea_unit_sheet, name="idea_unit_sheet"),
    path("funnel/", views.funnel, name="funnel"),
]
