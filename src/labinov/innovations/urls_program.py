"""A program's innovations and plans, under /pemda/<pemda>/programs/<program>/: overview, timelines and
reminders (urls_timeline), exports (urls_exports)."""

from django.urls import include, path

urlpatterns = [
    path("", include("labinov.innovations.urls_timeline")),
    path("", include("labinov.innovations.urls_exports")),
]
