"""API tokens expire (default 90 days), and the account's "API tokens" page makes (shown once),
lists and revokes them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from labinov.api.models import ApiToken
from labinov.api.services import api_token_create

from .conftest import BASE


def test_a_new_token_expires_after_the_configured_days(world, settings):
    settings.LABINOV_API_TOKEN_DAYS = 90
    token, _ = api_token_create(actor=world.users["organiser"], name="SIPD")
    left = token.expires_at - timezone.now()
    assert datetime.timedelta(days=89, hours=23) < left <= datetime.timedelta(days=90)


def test_an_expired_token_is_refused(world, call):
    token, plaintext = api_token_create(actor=world.users["organiser"], name="SIPD", days=30)
    assert call("get", f"{BASE}/me", token=plaintext).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert call("get", f"{BASE}/me", token=plaintext).status_code == 401


@pytest.mark.parametrize("days", [0, -1, 367, "90"])
def test_a_lifetime_outside_one_day_to_a_year_is_refused(world, days):
    with pytest.raises(ValidationError):
        api_token_create(actor=world.users["organiser"], name="SIPD", days=days)
    assert not ApiToken.objects.exists()


def test_the_command_takes_days_and_lists_the_expiry(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", world.users["coach"].email, "Skrip", "--days", "7", stdout=out, stderr=err)
    token = ApiToken.objects.get(user=world.users["coach"])
    assert (token.expires_at - timezone.now()).days == 6
    listing = io.StringIO()
    call_command("api_token", world.users["coach"].email, "--list", stdout=listing)
    assert f"expires {token.expires_at:%Y-%m-%d}" in listing.getvalue() and "active" in listing.getvalue()


def test_the_page_makes_a_token_shown_once_that_works(world, client, call):
    client.force_login(world.users["unit_head"])
    page = client.get(reverse("api_token_list"))
    token_field = page.context["form"]["submission_token"].value()
    r = client.post(reverse("api_token_list"), {"name": "Sinkron SIPD", "days": "30", "submission_token": token_field})
    assert r.status_code == 200
    plaintext = r.context["new"]["plaintext"]
    assert plaintext in r.content.decode() and "Salin sekarang" in r.content.decode()
    token = ApiToken.objects.get(user=world.users["unit_head"])
    assert (token.expires_at - timezone.now()).days == 29
    # listed afterwards without the secret
    listed = client.get(reverse("api_token_list")).content.decode()
    assert "Sinkron SIPD" in listed and token.prefix in listed and plaintext not in listed
    assert call("get", f"{BASE}/me", token=plaintext).status_code == 200


def test_the_page_revokes_only_ones_own_tokens(world, client, call):
    mine, my_plain = api_token_create(actor=world.users["unit_head"], name="punyaku")
    theirs, their_plain = api_token_create(actor=world.users["organiser"], name="punya orang")
    client.force_login(world.users["unit_head"])
    r = client.post(reverse("api_token_revoke"), {"token": theirs.pk})
    assert r.status_code == 302
    theirs.refresh_from_db()
    assert not theirs.revoked
    client.post(reverse("api_token_revoke"), {"token": mine.pk})
    mine.refresh_from_db()
    assert mine.revoked
    assert call("get", f"{BASE}/me", token=my_plain).status_code == 401
    assert call("get", f"{BASE}/me", token=their_plain).status_code == 200


def test_the_page_lists_only_ones_own_tokens(world, client):
    api_token_create(actor=world.users["organiser"], name="rahasia organiser")
    client.force_login(world.users["unit_head"])
    assert "rahasia organiser" not in client.get(reverse("api_token_list")).content.decode()


def test_the_token_page_costs_the_same_queries_for_5_and_40_tokens(world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = world.users["unit_head"]
    client.force_login(user)
    for i in range(5):
        api_token_create(actor=user, name=f"token {i}")
    client.get(reverse("api_token_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api_token_list"))
    for i in range(5, 40):
        api_token_create(actor=user, name=f"token {i}")
    with CaptureQueriesContext(connection) as many:
        assert "token 39" in client.get(reverse("api_token_list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
