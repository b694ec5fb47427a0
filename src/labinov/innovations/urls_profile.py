"""The innovation and its profile, under /pemda/<pemda>/innovations/<innovation>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.innovation_detail, name="innovation_detail"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/decree.pdf", views.profile_decree, name="profile_decree"),
]
