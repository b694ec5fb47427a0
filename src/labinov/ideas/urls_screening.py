"""Screening and consolidation, under /pemda/<pemda>/programs/<program>/ (the `program` kwarg comes from the include)."""

from django.urls import path

from . import screening_views as views

urlpatterns = [
    path("screening/", views.screening_list, name="screening_list"),
    path("screening/rubric/", views.rubric_edit, name="rubric_edit"),
    path("screening/publish/", views.decisions_publish, name="decisions_publish"),
    path("ideas/<id:idea>/review/", views.idea_review, name="idea_review"),
    path("ideas/<id:idea>/decide/", views.idea_decide, name="idea_decide"),
    path("consolidation/", views.consolidation, name="consolidation"),
    path("consolidation/scan/", views.consolidation_scan_status, name="consolidation_scan_status"),
    path("consolidation/<id:consolidation>/undo/", views.consolidation_undo, name="consolidation_undo"),
]
