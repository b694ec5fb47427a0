"""Every URL × every role, in the own pemda and in another pemda.

The table below is the contract (docs/permissions.md says the same in words). A URL pattern
without a row here fails `test_every_url_has_expectations`, so a new page cannot ship unchecked.

Outcomes: "ok" (status < 400 and not a redirect to the login page), 403, 404, "login" (anonymous
redirected to log in). A pemda role looking at another pemda always gets 404: its objects do not
exist for them.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "national_admin", "national_coach", "organiser", "coach", "unit_head", "innovator",
         "verifier", "leader", "other_organiser", "no_role"]
PEMDA_ROLES = {"organiser", "coach", "unit_head", "innovator", "verifier", "leader"}
NATIONAL = {"national_admin", "national_coach"}

EVERYONE = set(ROLES) - {"anonymous"}
VIEW = NATIONAL | PEMDA_ROLES
ADMIN = {"national_admin", "organiser"}
PEOPLE_VIEW = {"national_admin", "national_coach", "organiser", "coach", "leader"}
# A national coach records attendance only where assigned as a coach (the own pemda's program in the fixture).
ATTENDANCE = {"own": {"national_admin", "organiser", "coach", "national_coach"}, "other": {"national_admin", "organiser"}}

# name: (method, kwargs(world, pemda, tenant) -> dict, allowed roles, scope)
#   scope "pemda": checked in the own and in another pemda; "global": not tied to a pemda;
#   "public": anonymous users get "ok" too.
P = "pemda"


def _pk(attr):
    return lambda w, t: {"pemda": (w.own if t == "own" else w.other).slug, "pk": getattr(w, attr if t == "own" else "other_" + attr).pk}


def _slug(w, t):
    return {"pemda": (w.own if t == "own" else w.other).slug}


EXPECTATIONS = {
    "home": ("get", None, EVERYONE, "global"),
    "login": ("get", None, EVERYONE | {"anonymous"}, "public"),
    "logout": ("post", None, EVERYONE | {"anonymous"}, "public"),
    "password_reset": ("get", None, EVERYONE | {"anonymous"}, "public"),
    "password_reset_done": ("get", None, EVERYONE | {"anonymous"}, "public"),
    "password_reset_confirm": ("get", lambda w, t: {"uidb64": "MQ", "token": "x-y"}, EVERYONE | {"anonymous"}, "public"),
    "password_reset_complete": ("get", None, EVERYONE | {"anonymous"}, "public"),
    "invitation_accept": ("get", lambda w, t: {"token": w.invitation.token}, EVERYONE | {"anonymous"}, "public"),
    "set_language": ("post", None, EVERYONE | {"anonymous"}, "public"),
    "region_search": ("get", None, EVERYONE, "global"),
    "pemda_list": ("get", None, EVERYONE, "global"),
    "pemda_enable": ("get", None, {"national_admin"}, "global"),
    "national_members": ("get", None, {"national_admin"}, "global"),
    "national_member_revoke": ("post", lambda w, t: {"pk": w.national_membership.pk}, {"national_admin"}, "global"),
    "pemda_detail": ("get", _slug, VIEW, P),
    "pemda_edit": ("get", _slug, ADMIN, P),
    "pemda_logo": ("get", _slug, VIEW, P),
    "audit_list": ("get", _slug, ADMIN, P),
    "unit_list": ("get", _slug, VIEW, P),
    "unit_create": ("get", _slug, ADMIN, P),
    "unit_edit": ("get", lambda w, t: {"pemda": (w.own if t == "own" else w.other).slug, "pk": (w.kel if t == "own" else w.other_unit).pk}, ADMIN, P),
    "unit_generate": ("post", _slug, ADMIN, P),
    "unit_import": ("get", _slug, ADMIN, P),
    "unit_import_template": ("get", _slug, ADMIN, P),
    "unit_import_preview": ("get", lambda w, t: {**_slug(w, t), "batch": 1}, ADMIN, P),
    "person_list": ("get", _slug, PEOPLE_VIEW, P),
    "person_create": ("get", _slug, ADMIN, P),
    "person_edit": ("get", _pk("person"), ADMIN, P),
    "member_list": ("get", _slug, ADMIN, P),
    "member_invite": ("get", _slug, ADMIN, P),
    "invitation_resend": ("post", lambda w, t: {**_slug(w, t), "pk": (w.invitation if t == "own" else w.other_invitation).pk}, ADMIN, P),
    "invitation_cancel": ("post", lambda w, t: {**_slug(w, t), "pk": (w.invitation if t == "own" else w.other_invitation).pk}, ADMIN, P),
    "member_revoke": ("post", lambda w, t: {**_slug(w, t), "pk": (w.membership if t == "own" else w.other_membership).pk}, ADMIN, P),
    "program_list": ("get", _slug, VIEW, P),
    "program_create": ("get", _slug, ADMIN, P),
    "program_detail": ("get", _pk("program"), VIEW, P),
    "program_edit": ("get", _pk("program"), ADMIN, P),
    "program_advance": ("post", _pk("program"), ADMIN, P),
    "program_units": ("get", _pk("program"), ADMIN, P),
    "event_list": ("get", _slug, VIEW, P),
    "event_create": ("get", _slug, ADMIN, P),
    "event_detail": ("get", _pk("event"), VIEW, P),
    "event_edit": ("get", _pk("event"), ADMIN, P),
    "event_attendance": ("get", _pk("event"), ATTENDANCE, P),
}


# Feature rows live next to this file, one module per feature (rows_*.py, each a ROWS dict in the
# same format, optionally with a fifth element: the stage both programs are put in first).
for _module in sorted(Path(__file__).parent.glob("rows_*.py")):
    EXPECTATIONS.update(importlib.import_module(f"{__package__}.{_module.stem}").ROWS)


def _url_names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "api":
                continue
            yield from _url_names(p.url_patterns, prefix + (p.namespace + ":" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            if p.name is None:
                raise AssertionError(f"URL pattern without a name: {p.pattern}")
            yield prefix + p.name


def test_every_url_has_expectations():
    names = set(_url_names(get_resolver().url_patterns))
    missing = sorted(names - set(EXPECTATIONS))
    stale = sorted(set(EXPECTATIONS) - names)
    assert not missing, f"URL patterns without a permission-matrix row: {missing}"
    assert not stale, f"permission-matrix rows for URLs that no longer exist: {stale}"


def expected_outcome(allowed, scope: str, role: str, tenant: str, *, anonymous: str = "login") -> str:
    """What `role` should get from a URL or operation allowed to `allowed`, in the own or another pemda."""
    if isinstance(allowed, dict):
        allowed = allowed[tenant]
    if scope == "public":
        return "ok"
    if role == "anonymous":
        return anonymous
    if scope == "global":
        return "ok" if role in allowed else "403"
    # pemda-scoped
    sees_pemda = role in NATIONAL or (tenant == "own" and role in PEMDA_ROLES) or (tenant == "other" and role == "other_organiser")
    if not sees_pemda:
        return "404"
    if tenant == "other" and role == "other_organiser":
        role = "organiser"  # in their own pemda
    return "ok" if role in allowed else "403"


def expected(name: str, role: str, tenant: str) -> str:
    _method, _kw, allowed, scope, *_stage = EXPECTATIONS[name]
    return expected_outcome(allowed, scope, role, tenant)


def outcome(response) -> str:
    if response.status_code in (301, 302) and "/login/" in response.get("Location", ""):
        return "login"
    if response.status_code < 400:
        return "ok"
    return str(response.status_code)


@pytest.fixture
def matrix_world(ideas_world, make_user, tmp_path, settings):
    from django.core.files.base import ContentFile

    from labinov.people.models import Invitation, Membership

    world = ideas_world
    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    for pemda in (world.own, world.other):
        pemda.logo.save("logo.png", ContentFile(png), save=True)
    world.invitation = Invitation.objects.create(pemda=world.own, email="new@salatiga.test", full_name="Baru", role="coach",
                                                 token_hash=hashlib.sha256(b"tok-123").hexdigest())
    world.invitation.token = "tok-123"
    world.other_invitation = Invitation.objects.create(pemda=world.other, email="new@cilegon.test", full_name="Baru", role="coach",
                                                       token_hash=hashlib.sha256(b"tok-456").hexdigest())
    world.membership = Membership.objects.get(user=world.users["innovator"])
    world.other_membership = Membership.objects.get(user=world.users["other_organiser"])
    world.national_membership = Membership.objects.get(user=world.users["national_coach"])
    return world


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_url_permissions(name, matrix_world, client):
    method, kwargs_fn, _allowed, scope, *stage = EXPECTATIONS[name]
    if stage:
        from labinov.programs.models import Program

        Program.objects.filter(pk__in=[matrix_world.program.pk, matrix_world.other_program.pk]).update(stage=stage[0])
        matrix_world.program.stage = matrix_world.other_program.stage = stage[0]
    tenants = ["own", "other"] if scope == P else ["own"]
    mismatches = []
    for tenant in tenants:
        url = reverse(name, kwargs=kwargs_fn(matrix_world, tenant) if kwargs_fn else None)
        for role in ROLES:
            with transaction.atomic():
                client.logout()
                if role != "anonymous":
                    client.force_login(matrix_world.users[role])
                response = getattr(client, method)(url)
                got, want = outcome(response), expected(name, role, tenant)
                if scope == "public" and got == "login":
                    got = "ok"  # e.g. logging out lands on the login page
                if got != want:
                    mismatches.append(f"{method.upper()} {url} as {role} ({tenant} pemda): expected {want}, got {got}")
                transaction.set_rollback(True)
    assert not mismatches, "\n".join(mismatches)
