"""The action plan (rencana aksi), its review loop and versions, under /pemda/<pemda>/innovations/<innovation>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("plan/start/", views.plan_start, name="plan_start"),
    path("plan/new-version/", views.plan_new_version, name="plan_new_version"),
    path("plan/<int:version>/", views.plan_detail, name="plan_detail"),
    path("plan/<int:version>/edit/", views.plan_edit, name="plan_edit"),
    path("plan/<int:version>/submit/", views.plan_submit, name="plan_submit"),
    path("plan/<int:version>/comment/", views.plan_comment, name="plan_comment"),
    path("plan/<int:version>/coach-approve/", views.plan_coach_approve, name="plan_coach_approve"),
    path("plan/<int:version>/approve/", views.plan_unit_approve, name="plan_unit_approve"),
    path("plan/<int:version>/allow-outside/", views.plan_allow_outside, name="plan_allow_outside"),
    path("plan/<int:version>/diff/<int:other>/", views.plan_diff, name="plan_diff"),
]
