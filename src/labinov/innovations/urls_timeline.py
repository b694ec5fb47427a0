"""The program's plans as a whole (relative to /pemda/<pemda>/programs/<program>/): the overview with
plan statuses, the reminders to units whose plan is missing or late, and the timeline."""

from django.urls import path

from . import program_views as views

urlpatterns = [
    path("plans/", views.plan_overview, name="plan_overview"),
    path("plans/remind/", views.plan_reminders, name="plan_reminders"),
    path("plans/timeline/", views.plan_timeline, name="plan_timeline"),
]
