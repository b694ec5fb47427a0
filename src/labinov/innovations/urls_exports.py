"""Exports of the program's action plans (relative to /pemda/<pemda>/programs/<program>/)."""

from django.urls import path

from . import program_views as views

urlpatterns = [
    path("plans/export.xlsx", views.plans_export_xlsx, name="plans_export_xlsx"),
    path("plans/booklet.pdf", views.plans_export_pdf, name="plans_export_pdf"),
]
