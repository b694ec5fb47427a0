"""Every API operation × every role, in the own pemda and in another pemda (see test_permission_matrix.py).

Writes are sent with valid bodies, so that what is checked is the permission, not the input:
allowed roles get 2xx, roles that see the pemda but may not act get 403, roles that do not see
it get 404, anonymous clients get 401. An operation without a row here fails the guard test.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from django.db import transaction

from labinov.api.operations import all_operations

from .test_permission_matrix import ADMIN, ATTENDANCE, EVERYONE, PEOPLE_VIEW, ROLES, VIEW, expected_outcome


def _code(w, t):
    return (w.own if t == "own" else w.other).slug


def _obj(w, t, attr):
    return getattr(w, attr if t == "own" else "other_" + attr)


def _event_body(w, t):
    return {"title": "Kegiatan Uji", "kind": "stage", "program_id": _obj(w, t, "program").pk, "stages": ["drum_up"],
            "starts_on": "2019-04-01", "ends_on": "2019-04-02", "mode": "luring"}


# (method, path template): (path params(w, t), body(w, t) or None, allowed roles, scope)
EXPECTATIONS = {
    ("GET", "/api/v1/me"): (None, None, EVERYONE, "global"),
    ("GET", "/api/v1/regions"): (None, None, EVERYONE, "global"),
    ("GET", "/api/v1/pemda"): (None, None, EVERYONE, "global"),
    ("GET", "/api/v1/pemda/{code}"): (None, None, VIEW, "pemda"),
    ("GET", "/api/v1/pemda/{code}/units"): (None, None, VIEW, "pemda"),
    ("POST", "/api/v1/pemda/{code}/units"): (None, lambda w, t: {"name": "Dinas Uji Coba", "kind": "dinas"}, ADMIN, "pemda"),
    ("GET", "/api/v1/pemda/{code}/units/{id}"): (lambda w, t: {"id": (w.kel if t == "own" else w.other_unit).pk}, None, VIEW, "pemda"),
    ("PATCH", "/api/v1/pemda/{code}/units/{id}"): (lambda w, t: {"id": (w.kel if t == "own" else w.other_unit).pk},
                                                   lambda w, t: {"code": "U-01"}, ADMIN, "pemda"),
    ("GET", "/api/v1/pemda/{code}/people"): (None, None, PEOPLE_VIEW, "pemda"),
    ("POST", "/api/v1/pemda/{code}/people"): (None, lambda w, t: {"name": "Peserta Baru"}, ADMIN, "pemda"),
    ("GET", "/api/v1/pemda/{code}/programs"): (None, None, VIEW, "pemda"),
    ("POST", "/api/v1/pemda/{code}/programs"): (None, lambda w, t: {"name": "Program Uji", "year": 2026}, ADMIN, "pemda"),
    ("GET", "/api/v1/pemda/{code}/programs/{id}"): (lambda w, t: {"id": _obj(w, t, "program").pk}, None, VIEW, "pemda"),
    ("POST", "/api/v1/pemda/{code}/programs/{id}/advance"): (lambda w, t: {"id": _obj(w, t, "program").pk},
                                                             lambda w, t: {"to_stage": "drum_up", "confirm": True}, ADMIN, "pemda", "planned"),
    ("GET", "/api/v1/pemda/{code}/events"): (None, None, VIEW, "pemda"),
    ("POST", "/api/v1/pemda/{code}/events"): (None, _event_body, ADMIN, "pemda"),
    ("GET", "/api/v1/pemda/{code}/events/{id}"): (lambda w, t: {"id": _obj(w, t, "event").pk}, None, VIEW, "pemda"),
    ("POST", "/api/v1/pemda/{code}/events/{id}/attendance"): (
        lambda w, t: {"id": _obj(w, t, "event").pk},
        lambda w, t: {"entries": [{"person_id": _obj(w, t, "person").pk, "present": True, "mode": "luring"}]},
        ATTENDANCE, "pemda"),
    ("GET", "/api/v1/pemda/{code}/audit"): (None, None, ADMIN, "pemda"),
}


# Feature rows: api_rows_*.py beside this file, each an API_ROWS dict in the same format, optionally
# with a fifth element: the stage both programs are put in first.
for _module in sorted(Path(__file__).parent.glob("api_rows_*.py")):
    EXPECTATIONS.update(importlib.import_module(f"{__package__}.{_module.stem}").API_ROWS)


def test_every_api_operation_has_expectations():
    ops = set(all_operations())
    missing = sorted(ops - set(EXPECTATIONS))
    stale = sorted(set(EXPECTATIONS) - ops)
    assert not missing, f"API operations without a permission-matrix row: {missing}"
    assert not stale, f"rows for API operations that no longer exist: {stale}"


def expected(op, role, tenant):
    _p, _b, allowed, scope, *_stage = EXPECTATIONS[op]
    return expected_outcome(allowed, scope, role, tenant, anonymous="401")


@pytest.fixture
def api_world(ideas_world):
    return ideas_world


@pytest.mark.parametrize("op", sorted(EXPECTATIONS), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_permissions(op, api_world, client):
    method, template = op
    params_fn, body_fn, _allowed, scope, *stage = EXPECTATIONS[op]
    if stage:
        from labinov.programs.models import Program

        Program.objects.filter(pk__in=[api_world.program.pk, api_world.other_program.pk]).update(stage=stage[0])
        api_world.program.stage = api_world.other_program.stage = stage[0]
    mismatches = []
    for tenant in (["own", "other"] if scope == "pemda" else ["own"]):
        params = {"code": _code(api_world, tenant), **(params_fn(api_world, tenant) if params_fn else {})}
        path = template.format(**params)
        for role in ROLES:
            with transaction.atomic():
                client.logout()
                if role != "anonymous":
                    client.force_login(api_world.users[role])
                kwargs = {}
                if body_fn:
                    kwargs = {"data": json.dumps(body_fn(api_world, tenant)), "content_type": "application/json"}
                response = getattr(client, method.lower())(path, **kwargs)
                got = "ok" if response.status_code < 300 else str(response.status_code)
                want = expected(op, role, tenant)
                if got != want:
                    mismatches.append(f"{method} {path} as {role} ({tenant} pemda): expected {want}, got {got} {response.content[:200]!r}")
                transaction.set_rollback(True)
    assert not mismatches, "\n".join(mismatches)
