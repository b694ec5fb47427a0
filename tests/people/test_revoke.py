"""Revoking a role (issue 9.2): confirmation first, never the last organiser of a pemda nor the last
national admin, whichever path asks (the service refuses, so page, API and commands obey)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from labinov.core.models import AuditRecord
from labinov.core.roles import Role
from labinov.people.models import Membership
from labinov.people.services import membership_revoke


def _organiser_membership(world):
    return Membership.objects.get(user=world.users["organiser"], role=Role.ORGANISER, pemda=world.own)


def test_the_service_refuses_the_last_organiser_of_a_pemda(world):
    membership = _organiser_membership(world)
    with pytest.raises(ValidationError, match="penyelenggara terakhir|last organiser"):
        membership_revoke(actor=world.users["organiser"], membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditRecord.objects.filter(action="membership.revoke").exists()


def test_an_organiser_may_go_once_another_organiser_exists(world, make_user):
    make_user("organiser2@salatiga.test", Role.ORGANISER, world.own)
    membership = _organiser_membership(world)
    membership_revoke(actor=world.users["organiser"], membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_another_pemdas_organiser_or_an_inactive_one_does_not_count(world, make_user):
    spare = make_user("organiser2@salatiga.test", Role.ORGANISER, world.own)
    spare.is_active = False
    spare.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        membership_revoke(actor=world.users["national_admin"], membership=_organiser_membership(world))  # other_organiser is Cilegon's


def test_the_service_refuses_the_last_national_admin(world):
    membership = Membership.objects.get(user=world.users["national_admin"], role=Role.NATIONAL_ADMIN)
    with pytest.raises(ValidationError, match="admin nasional terakhir|last national admin"):
        membership_revoke(actor=None, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_second_national_admin_may_revoke_the_first(world, make_user):
    second = make_user("admin2@lan.test", Role.NATIONAL_ADMIN)
    membership = Membership.objects.get(user=world.users["national_admin"], role=Role.NATIONAL_ADMIN)
    membership_revoke(actor=second, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_page_asks_first_and_a_post_without_confirmation_changes_nothing(world, client):
    membership = Membership.objects.get(user=world.users["innovator"])
    client.force_login(world.users["organiser"])
    url = reverse("member_revoke", args=[world.own.slug, membership.pk])
    page = client.get(url).content.decode()
    assert "Kelurahan Kalicacing" in page and 'name="confirm"' in page and "inovator@salatiga.test" in page
    response = client.post(url, {"submission_token": "t-1"})
    assert response.status_code == 200
    assert "Centang kotak untuk mengonfirmasi" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url, {"submission_token": "t-2", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("member_list", args=[world.own.slug])
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_member_list_links_to_the_confirmation_instead_of_revoking(world, client):
    client.force_login(world.users["organiser"])
    page = client.get(reverse("member_list", args=[world.own.slug])).content.decode()
    membership = Membership.objects.get(user=world.users["innovator"])
    assert f'href="{reverse("member_revoke", args=[world.own.slug, membership.pk])}"' in page
    assert f'action="{reverse("member_revoke", args=[world.own.slug, membership.pk])}"' not in page


def test_the_last_organiser_sees_why_on_the_page_and_a_confirmed_post_changes_nothing(world, client):
    membership = _organiser_membership(world)
    client.force_login(world.users["organiser"])
    url = reverse("member_revoke", args=[world.own.slug, membership.pk])
    page = client.get(url).content.decode()
    assert 'id="revoke-refused"' in page and 'name="confirm"' not in page
    response = client.post(url, {"submission_token": "t-3", "confirm": "on"})
    assert response.status_code == 200 and "penyelenggara terakhir" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_revoking_ones_own_role_warns_more_strongly_and_lands_on_home(world, client, make_user):
    make_user("organiser2@salatiga.test", Role.ORGANISER, world.own)
    membership = _organiser_membership(world)
    client.force_login(world.users["organiser"])
    url = reverse("member_revoke", args=[world.own.slug, membership.pk])
    page = client.get(url).content.decode()
    assert 'id="revoke-own"' in page and "Cabut peran saya sendiri" in page
    response = client.post(url, {"submission_token": "t-4", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_national_revoke_asks_first_too(world, client):
    membership = Membership.objects.get(user=world.users["national_coach"])
    client.force_login(world.users["national_admin"])
    url = reverse("national_member_revoke", args=[membership.pk])
    page = client.get(url).content.decode()
    assert 'name="confirm"' in page and "1 penugasan coach" in page
    client.post(url, {"submission_token": "t-5"})
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(url, {"submission_token": "t-6", "confirm": "on"})
    assert not Membership.objects.filter(pk=membership.pk).exists()

