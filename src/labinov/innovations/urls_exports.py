"""Exports of the program's action plans (relative to /pemda/<pemda>/programs/<program>/)."""

from django.urls import path

from . import program_views as views

urlpatterns = [
    path("plans/export.xlsx", views.plans_export_xlsx, name="plans_export_xlsx"),
    path("plans/booklet/", views.plans_export_pdf, name="plans_export_pdf"),
    path("plans/booklet/<id:job>/", views.booklet_status, name="booklet_status"),
    path("plans/booklet/<id:job>/booklet.pdf", views.booklet_download, name="booklet_download"),
]
