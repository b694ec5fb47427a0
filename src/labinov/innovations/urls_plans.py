"""The action plan (rencana aksi), its review loop and versions, under /pemda/<pemda>/innovations/<innovation>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("plan/start/", views.plan_start, name="plan_start"),
    path("plan/new-version/", views.plan_new_version, name="plan_new_version"),
    path("plan/<id:version>/", views.plan_detail, name="plan_detail"),
    path("plan/<id:version>/edit/", views.plan_edit, name="plan_edit"),
    path("plan/<id:version>/submit/", views.plan_submit, name="plan_submit"),
    path("plan/<id:version>/comment/", views.plan_comment, name="plan_comment"),
    path("plan/<id:version>/coach-approve/", views.plan_coach_approve, name="plan_coach_approve"),
    path("plan/<id:version>/approve/", views.plan_unit_approve, name="plan_unit_approve"),
    path("plan/<id:version>/allow-outside/", views.plan_allow_outside, name="plan_allow_outside"),
    path("plan/<id:version>/diff/<id:other>/", views.plan_diff, name="plan_diff"),
]
