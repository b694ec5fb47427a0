"""The same permissions as the pages: a role that may not do something gets a 403."""

import pytest

from .conftest import purl


@pytest.mark.parametrize("role", ["innovator", "unit_head", "coach", "verifier", "leader", "national_coach"])
def test_only_administrators_add_units(world, call, role):
    r = call("POST", purl(world.own, "/units"), {"name": "Dinas Kominfo", "kind": "dinas"}, user=world.users[role])
    assert r.status_code == 403
    assert r.json()["detail"]


@pytest.mark.parametrize("role,status", [("organiser", 201), ("national_admin", 201)])
def test_administrators_add_units(world, call, role, status):
    r = call("POST", purl(world.own, "/units"), {"name": "Dinas Kominfo", "kind": "dinas"}, user=world.users[role])
    assert r.status_code == status, r.content


def test_innovator_forbidden_operations(world, call):
    u, own = world.users["innovator"], world.own
    assert call("PATCH", purl(own, f"/units/{world.kel.pk}"), {"name": "X"}, user=u).status_code == 403
    assert call("GET", purl(own, "/people"), user=u).status_code == 403
    assert call("POST", purl(own, "/people"), {"name": "X"}, user=u).status_code == 403
    assert call("POST", purl(own, "/programs"), {"name": "X", "year": 2024}, user=u).status_code == 403
    r = call("POST", purl(own, f"/programs/{world.program.pk}/advance"), {"to_stage": "drum_up"}, user=u)
    assert r.status_code == 403
    r = call("POST", purl(own, "/events"), {"title": "X", "kind": "training", "starts_on": "2024-01-01",
                                             "ends_on": "2024-01-01"}, user=u)
    assert r.status_code == 403
    r = call("POST", purl(own, f"/events/{world.event.pk}/attendance"), {"entries": []}, user=u)
    assert r.status_code == 403
    assert call("GET", purl(own, "/audit"), user=u).status_code == 403
    world.program.refresh_from_db()
    assert world.program.stage == "planned"


def test_innovator_may_read_units_programs_events(world, call):
    u, own = world.users["innovator"], world.own
    for path in ["", "/units", f"/units/{world.kel.pk}", "/programs", f"/programs/{world.program.pk}", "/events",
                 f"/events/{world.event.pk}"]:
        assert call("GET", purl(own, path), user=u).status_code == 200, path


def test_people_readers(world, call):
    for role in ("organiser", "coach", "leader", "national_coach", "national_admin"):
        assert call("GET", purl(world.own, "/people"), user=world.users[role]).status_code == 200, role
    for role in ("unit_head", "verifier"):
        assert call("GET", purl(world.own, "/people"), user=world.users[role]).status_code == 403, role


def test_coaches_record_attendance(world, call):
    body = {"entries": [{"person_id": world.person.pk, "present": True, "mode": "luring"}]}
    for role in ("coach", "national_coach"):  # a pemda coach; the LAN coach assigned to the program
        r = call("POST", purl(world.own, f"/events/{world.event.pk}/attendance"), body, user=world.users[role])
        assert r.status_code == 200, (role, r.content)
    r = call("POST", purl(world.own, f"/events/{world.event.pk}/attendance"), body, user=world.users["leader"])
    assert r.status_code == 403


def test_no_event_scheduled_in_a_closed_program(world, call):
    world.program.stage = "closed"
    world.program.save()
    r = call("POST", purl(world.own, "/events"), {"title": "Late", "program_id": world.program.pk,
             "stages": ["display"], "starts_on": "2024-01-01", "ends_on": "2024-01-01"}, user=world.users["organiser"])
    assert r.status_code == 403
