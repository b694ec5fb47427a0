"""Issue 9.4: the head of region's title is the pemda's data (Gubernur / Bupati / Wali Kota, with Pj, Plt
or Plh), kept as a choice and written the same way on every page and document."""

import pytest
from django.urls import reverse

from labinov.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _post(client, world, **extra):
    data = {"name": world.own.name, "head_title": "wali_kota", "head_name": "Sumadi", **extra}
    return client.post(reverse("pemda_edit", args=[world.own.slug]), data)


def test_the_edit_page_records_an_acting_head_and_the_profile_names_him_in_full(world, client):
    client.force_login(world.users["organiser"])
    r = _post(client, world, head_acting="pj", head_nip="196802151990031004")
    assert r.status_code == 302, r.content.decode()[:2000]
    world.own.refresh_from_db()
    assert (world.own.head_title, world.own.head_acting, world.own.head_nip) == ("wali_kota", "pj", "196802151990031004")
    page = client.get(reverse("pemda_detail", args=[world.own.slug])).content.decode()
    assert "Pj Wali Kota Salatiga" in page and "Walikota" not in page
    assert AuditRecord.objects.filter(action="pemda.update").exists()


def test_an_elected_head_with_a_nip_is_refused_and_nothing_changes(world, client):
    client.force_login(world.users["organiser"])
    r = _post(client, world, head_acting="", head_nip="196802151990031004")
    assert r.status_code == 200 and 'id="id_head_nip_error"' in r.content.decode()
    world.own.refresh_from_db()
    assert (world.own.head_name, world.own.head_nip) == ("Yuliyanto", "")


def test_an_old_client_sending_the_free_word_still_saves_the_choice(world, client):
    client.force_login(world.users["organiser"])
    assert _post(client, world, head_title="Walikota").status_code == 302
    world.own.refresh_from_db()
    assert world.own.head_title == "wali_kota" and world.own.head_full_title == "Wali Kota Salatiga"


def test_an_unknown_title_is_refused(world, client):
    client.force_login(world.users["organiser"])
    r = _post(client, world, head_title="Raja")
    assert r.status_code == 200 and 'id="id_head_title_error"' in r.content.decode()
