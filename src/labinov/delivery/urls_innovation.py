"""Monitoring of one innovation (relative to /pemda/<pemda>/innovations/<innovation>/)."""

from django.urls import path

from . import monitoring_views as m

urlpatterns = [
    path("monitoring/", m.monitoring_detail, name="monitoring_detail"),
    path("monitoring/report/", m.progress_report, name="progress_report"),
    path("monitoring/note/", m.coach_note, name="coach_note"),
    path("monitoring/evidence/<id:evidence>/", m.evidence_download, name="evidence_download"),
]
