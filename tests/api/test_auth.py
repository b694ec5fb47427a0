"""Session and token authentication, CSRF, the token service and the management command."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from labinov.api.models import ApiToken
from labinov.api.services import api_token_create, api_token_revoke

from .conftest import BASE, purl


@pytest.mark.django_db
def test_anonymous_gets_401(client):
    r = client.get(f"{BASE}/me")
    assert r.status_code == 401
    assert r.json()["detail"]
    assert r["WWW-Authenticate"].startswith("Bearer")
    assert client.get(purl("3373", "/units")).status_code == 401


def test_session_me_lists_memberships(world, call):
    r = call("GET", f"{BASE}/me", user=world.users["unit_head"])
    assert r.status_code == 200
    data = r.json()
    assert data["email"] == "lurah@salatiga.test"
    assert data["national_roles"] == []
    [m] = data["memberships"]
    assert m["role"] == "unit_head"
    assert m["pemda"] == {"code": "33.73", "slug": "3373", "name": "Kota Salatiga"}
    assert m["unit_id"] == world.kel.pk and m["unit_name"] == "Kelurahan Kalicacing"


def test_national_me(world, call):
    data = call("GET", f"{BASE}/me", user=world.users["national_admin"]).json()
    assert data["national_roles"] == ["national_admin"]
    assert data["memberships"][0]["pemda"] is None


def test_token_authenticates_as_its_user(world, call, token_for):
    user = world.users["organiser"]
    token = token_for(user)
    r = call("GET", f"{BASE}/me", token=token)
    assert r.status_code == 200
    assert r.json()["email"] == user.email
    assert ApiToken.objects.get(user=user).last_used_at is not None
    # has_perm sees the token's user: an organiser may add units.
    r = call("POST", purl(world.own, "/units"), {"name": "Dinas Kominfo", "kind": "dinas"}, token=token)
    assert r.status_code == 201, r.content


def test_token_of_a_role_without_the_permission_is_403(world, call, token_for):
    token = token_for(world.users["innovator"])
    r = call("POST", purl(world.own, "/units"), {"name": "Dinas Kominfo", "kind": "dinas"}, token=token)
    assert r.status_code == 403


def test_token_stored_as_hash_only(world):
    token, plaintext = api_token_create(actor=world.users["organiser"], name="SIPD sync")
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert token.prefix == plaintext[:8]
    assert len(plaintext) >= 40
    assert not ApiToken.objects.filter(key_hash=plaintext).exists()
    assert str(token).startswith("SIPD sync")


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer ", "bearer x"])
def test_unknown_token_is_401(world, client, header):
    r = client.get(f"{BASE}/me", headers={"Authorization": header})
    assert r.status_code == 401


def test_revoked_token_is_401(world, call, token_for):
    user = world.users["organiser"]
    plaintext = token_for(user)
    api_token_revoke(actor=user, token=ApiToken.objects.get(user=user))
    assert call("GET", f"{BASE}/me", token=plaintext).status_code == 401


def test_bad_token_is_401_even_with_a_session(world, call):
    r = call("GET", f"{BASE}/me", user=world.users["organiser"], token="wrong")
    assert r.status_code == 401


def test_token_of_inactive_user_is_401(world, call, token_for):
    user = world.users["organiser"]
    plaintext = token_for(user)
    user.is_active = False
    user.save()
    assert call("GET", f"{BASE}/me", token=plaintext).status_code == 401


def test_token_name_is_required(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        api_token_create(actor=world.users["organiser"], name="  ")
    assert "name" in e.value.error_dict


def test_csrf_applies_to_session_writes_not_to_tokens(world, token_for):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["organiser"])
    url = purl(world.own, "/units")
    body = {"name": "Dinas Kominfo", "kind": "dinas"}
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 403  # session without the CSRF token
    client.get(f"{BASE}/docs")  # the docs page sets the CSRF cookie, as any page with a form
    csrf = client.cookies["csrftoken"].value
    r = client.post(url, body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert r.status_code == 201, r.content

    token_client = Client(enforce_csrf_checks=True)
    r = token_client.post(url, {"name": "Dinas Pariwisata", "kind": "dinas"}, content_type="application/json",
                          headers={"Authorization": f"Bearer {token_for(world.users['organiser'])}"})
    assert r.status_code == 201, r.content


def test_management_command_prints_a_working_token(world, call):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "ORGANISER@salatiga.test", "SIPD sync", stdout=out, stderr=err)
    plaintext = out.getvalue().strip()
    assert "\n" not in plaintext
    token = ApiToken.objects.get(user=world.users["organiser"])
    assert token.name == "SIPD sync" and plaintext.startswith(token.prefix)
    assert token.prefix in err.getvalue()
    assert call("GET", f"{BASE}/me", token=plaintext).json()["email"] == "organiser@salatiga.test"


def test_management_command_unknown_email(db):
    with pytest.raises(CommandError):
        call_command("api_token", "nobody@nowhere.test", "x", stdout=io.StringIO(), stderr=io.StringIO())


def test_token_creation_is_audited(world):
    from labinov.core.models import AuditRecord

    api_token_create(actor=world.users["organiser"], name="x")
    record = AuditRecord.objects.get(action="api_token.create")
    assert record.actor == world.users["organiser"]
    assert "key_hash" not in record.changes


def test_tokens_can_be_listed_and_revoked_from_the_command_line(world, client):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("api_token", world.users["organiser"].email, "SIPD sync", stdout=out, stderr=io.StringIO())
    plaintext = out.getvalue().strip()
    listing = io.StringIO()
    call_command("api_token", world.users["organiser"].email, list=True, stdout=listing)
    assert "SIPD sync" in listing.getvalue() and "active" in listing.getvalue()
    call_command("api_token", world.users["organiser"].email, revoke=plaintext[:8], stdout=io.StringIO())
    r = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert r.status_code == 401
