"""Innovation pages, under /pemda/<pemda>/innovations/<innovation>/: the profile (urls_profile) and the
action plan with its review loop and versions (urls_plans)."""

from django.urls import include, path

urlpatterns = [
    path("", include("labinov.innovations.urls_profile")),
    path("", include("labinov.innovations.urls_plans")),
]
