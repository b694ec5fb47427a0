"""Bulk import and export of a program's ideas, under /pemda/<pemda>/programs/<program>/."""

from django.urls import path

from . import transfer_views as views

urlpatterns = [
    path("ideas/import/", views.import_upload, name="idea_import"),
    path("ideas/import/template.xlsx", views.import_template, name="idea_import_template"),
    path("ideas/import/<id:job>/", views.import_status, name="idea_import_status"),
    path("ideas/export.xlsx", views.export, name="idea_export"),
]
