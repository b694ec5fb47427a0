"""The error pages: 400, 403 (with its reason), 404, 500 and the CSRF failure, each in Indonesian and
in English, inside the layout, with a way out."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from labinov.core import error_views

LAYOUT = 'class="topbar"'


def _get(client, url, lang, **kw):
    client.cookies["django_language"] = lang
    return client.get(url, **kw)


@pytest.mark.parametrize("lang, heading", [("id", "Halaman tidak ditemukan"), ("en", "Page not found")])
def test_404_is_translated_inside_the_layout(world, login, lang, heading):
    client = login(world.users["organiser"])
    r = _get(client, f"/pemda/{world.own.slug}/programs/999999/", lang)
    assert r.status_code == 404
    html = r.content.decode()
    assert heading in html and LAYOUT in html
    assert f'href="{reverse("pemda_detail", args=[world.own.slug])}"' in html  # the pemda of the URL
    assert 'href="/"' in html


def test_404_of_another_pemda_offers_no_link_into_it(world, login):
    r = _get(login(world.users["organiser"]), f"/pemda/{world.other.slug}/", "id")
    assert r.status_code == 404
    assert world.other.name not in r.content.decode()


@pytest.mark.parametrize("lang, reason", [
    ("id", "kini berada di tahap Selesai"),
    ("en", "is now in the Closed stage"),
])
def test_403_after_the_stage_closed_says_why_and_links_back(world, login, lang, reason):
    world.program.stage = "closed"
    world.program.save()
    client = login(world.users["organiser"])
    r = _get(client, reverse("program_units", args=[world.own.slug, world.program.pk]), lang)
    assert r.status_code == 403
    html = r.content.decode()
    assert reason in html, html
    assert LAYOUT in html
    assert f'href="{reverse("program_detail", args=[world.own.slug, world.program.pk])}"' in html
    assert "403 Forbidden" not in html


def test_403_by_role_says_the_role_not_the_stage(world, login):
    client = login(world.users["innovator"])
    r = _get(client, reverse("program_units", args=[world.own.slug, world.program.pk]), "id")
    assert r.status_code == 403
    html = r.content.decode()
    assert "Peran Anda tidak mengizinkan tindakan ini di sini." in html
    assert "tahap" not in html.split('id="error-reason"')[1].split("</p>")[0]


@pytest.mark.parametrize("lang, heading", [("id", "Permintaan tidak dapat dipahami"), ("en", "The request could not be understood")])
def test_400_is_translated(rf, lang, heading, db):
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override(lang):
        r = error_views.bad_request(request, Exception("Invalid HTTP_HOST header"))
    assert r.status_code == 400
    html = r.content.decode()
    assert heading in html and LAYOUT in html
    assert "HTTP_HOST" not in html  # Django's technical message is not shown


@pytest.mark.parametrize("lang, heading", [("id", "Terjadi kesalahan di sisi kami"), ("en", "Something went wrong on our side")])
def test_500_renders_without_the_database_or_the_session(lang, heading):
    """No `db` fixture: any database query here would fail the test."""
    request = RequestFactory().get("/pemda/3373/")
    with translation.override(lang):
        r = error_views.server_error(request)
    assert r.status_code == 500
    html = r.content.decode()
    assert heading in html and LAYOUT in html and 'href="/"' in html


@pytest.mark.parametrize("lang, heading", [("id", "Formulir sudah kedaluwarsa"), ("en", "The form has expired")])
def test_csrf_failure_is_translated_inside_the_layout(world, lang, heading):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["organiser"])
    client.cookies["django_language"] = lang
    url = reverse("program_edit", args=[world.own.slug, world.program.pk])
    r = client.post(url, {"name": "x"}, HTTP_REFERER="http://testserver" + url)
    assert r.status_code == 403
    html = r.content.decode()
    assert heading in html and LAYOUT in html
    assert 'id="error-reload"' in html and url in html
    world.program.refresh_from_db()
    assert world.program.name == "Lab INAGARA 2019"


def test_csrf_failure_does_not_link_to_a_foreign_referer(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["organiser"])
    r = client.post(reverse("program_edit", args=[world.own.slug, world.program.pk]), {}, HTTP_REFERER="https://evil.example/")
    assert r.status_code == 403
    assert "evil.example" not in r.content.decode()


def test_import_page_left_open_after_the_program_moved_on_says_why(ideas_world, login):
    """The idea import belongs to Diagnose: once the program is in Design the page answers 403 with
    the stage named, in Indonesian, and a link back to the program."""
    w = ideas_world
    w.program.stage = "design"
    w.program.save()
    r = _get(login(w.users["organiser"]), reverse("idea_import", args=[w.own.slug, w.program.pk]), "id")
    assert r.status_code == 403
    html = r.content.decode()
    assert "kini berada di tahap Design" in html and "Diagnose" in html.split('id="error-reason"')[1]
    assert f'href="{reverse("program_detail", args=[w.own.slug, w.program.pk])}"' in html
