"""Each pemda sees only its own rows; another pemda, or another pemda's object, is a 404."""

import pytest

from labinov.core.audit import audit_record

from .conftest import BASE, purl


def _ids(r):
    assert r.status_code == 200, r.content
    return {item["id"] for item in r.json()["items"]}


def test_lists_hold_only_own_rows(world, call):
    org = world.users["organiser"]
    audit_record(actor=org, action="unit.update", obj=world.kel)
    audit_record(actor=world.users["other_organiser"], action="unit.update", obj=world.other_unit)

    units = _ids(call("GET", purl(world.own, "/units"), user=org))
    assert units == {world.kel.pk, world.sd.pk}
    assert _ids(call("GET", purl(world.own, "/people"), user=org)) == {world.person.pk}
    assert _ids(call("GET", purl(world.own, "/programs"), user=org)) == {world.program.pk}
    assert _ids(call("GET", purl(world.own, "/events"), user=org)) == {world.event.pk}
    audit = call("GET", purl(world.own, "/audit"), user=org).json()["items"]
    assert audit and all(a["object_repr"] != "Dinas Kesehatan" for a in audit)
    assert all(a["changes"].get("user") != "organiser@cilegon.test" for a in audit)
    [unit_audit] = call("GET", purl(world.own, "/audit?action=unit."), user=org).json()["items"]
    assert unit_audit["object_id"] == str(world.kel.pk) and unit_audit["actor_id"] == org.pk

    pemda = call("GET", f"{BASE}/pemda", user=org).json()
    assert pemda["count"] == 1 and pemda["items"][0]["slug"] == "3373"
    assert pemda["items"][0]["unit_count"] == 2


def test_list_shape_and_pagination(world, call):
    r = call("GET", purl(world.own, "/units") + "?limit=1&offset=1", user=world.users["organiser"])
    data = r.json()
    assert data["count"] == 2 and len(data["items"]) == 1
    assert data["items"][0]["name"] == "SD Negeri Salatiga 01"  # ordered by name
    assert call("GET", purl(world.own, "/units") + "?limit=201", user=world.users["organiser"]).status_code == 422
    assert call("GET", purl(world.own, "/units") + "?limit=200", user=world.users["organiser"]).status_code == 200


def test_national_roles_see_every_pemda(world, call):
    for role in ("national_admin", "national_coach"):
        data = call("GET", f"{BASE}/pemda", user=world.users[role]).json()
        assert {p["slug"] for p in data["items"]} == {"3373", "3672"}
        assert call("GET", purl(world.other, "/units"), user=world.users[role]).status_code == 200


def test_code_with_or_without_dots(world, call):
    org = world.users["organiser"]
    for code in ("3373", "33.73"):
        r = call("GET", purl(code), user=org)
        assert r.status_code == 200
        assert r.json()["code"] == "33.73" and r.json()["head_name"] == "Yuliyanto"


OTHER_PEMDA_GETS = ["", "/units", "/people", "/programs", "/events", "/audit"]


@pytest.mark.parametrize("path", OTHER_PEMDA_GETS)
def test_another_pemda_is_404(world, call, path):
    r = call("GET", purl(world.other, path), user=world.users["organiser"])
    assert r.status_code == 404
    assert r.json() == {"detail": r.json()["detail"]}


def test_another_pemda_detail_and_writes_are_404(world, call):
    org = world.users["organiser"]
    o = world.other
    assert call("GET", purl(o, f"/units/{world.other_unit.pk}"), user=org).status_code == 404
    assert call("PATCH", purl(o, f"/units/{world.other_unit.pk}"), {"name": "X"}, user=org).status_code == 404
    assert call("POST", purl(o, "/units"), {"name": "X", "kind": "dinas"}, user=org).status_code == 404
    assert call("POST", purl(o, "/people"), {"name": "X"}, user=org).status_code == 404
    assert call("POST", purl(o, "/programs"), {"name": "X", "year": 2024}, user=org).status_code == 404
    assert call("GET", purl(o, f"/programs/{world.other_program.pk}"), user=org).status_code == 404
    r = call("POST", purl(o, f"/programs/{world.other_program.pk}/advance"), {"to_stage": "drum_up"}, user=org)
    assert r.status_code == 404
    assert call("GET", purl(o, f"/events/{world.other_event.pk}"), user=org).status_code == 404
    r = call("POST", purl(o, f"/events/{world.other_event.pk}/attendance"), {"entries": []}, user=org)
    assert r.status_code == 404
    world.other_program.refresh_from_db()
    assert world.other_program.stage == "planned"


def test_unknown_pemda_is_404(world, call):
    assert call("GET", purl("9999"), user=world.users["national_admin"]).status_code == 404


def test_another_pemdas_object_inside_own_url_is_404(world, call):
    org, own = world.users["organiser"], world.own
    assert call("GET", purl(own, f"/units/{world.other_unit.pk}"), user=org).status_code == 404
    assert call("PATCH", purl(own, f"/units/{world.other_unit.pk}"), {"name": "X"}, user=org).status_code == 404
    assert call("GET", purl(own, f"/programs/{world.other_program.pk}"), user=org).status_code == 404
    r = call("POST", purl(own, f"/programs/{world.other_program.pk}/advance"), {"to_stage": "drum_up"}, user=org)
    assert r.status_code == 404
    assert call("GET", purl(own, f"/events/{world.other_event.pk}"), user=org).status_code == 404
    r = call("POST", purl(own, f"/events/{world.other_event.pk}/attendance"),
             {"entries": [{"person_id": world.other_person.pk}]}, user=org)
    assert r.status_code == 404
    assert call("GET", purl(own, f"/events?program={world.other_program.pk}"), user=org).status_code == 404
    world.other_unit.refresh_from_db()
    assert world.other_unit.name == "Dinas Kesehatan"


def test_user_without_roles_sees_nothing(world, call):
    u = world.users["no_role"]
    assert call("GET", f"{BASE}/pemda", user=u).json() == {"count": 0, "items": []}
    assert call("GET", purl(world.own), user=u).status_code == 404
    assert call("GET", purl(world.own, "/units"), user=u).status_code == 404


def test_events_filtered_by_program(world, call):
    org = world.users["organiser"]
    r = call("GET", purl(world.own, f"/events?program={world.program.pk}"), user=org)
    assert _ids(r) == {world.event.pk}
    assert call("GET", purl(world.own, "/events?kind=training"), user=org).json()["count"] == 0


def test_body_references_to_another_pemda_are_422(world, call):
    org = world.users["organiser"]
    r = call("POST", purl(world.own, "/units"), {"name": "UPTD X", "kind": "uptd", "parent_id": world.other_unit.pk},
             user=org)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "parent_id"
    r = call("POST", purl(world.own, "/people"), {"name": "X", "unit_id": world.other_unit.pk}, user=org)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "unit_id"
    r = call("POST", purl(world.own, "/programs"), {"name": "X", "year": 2024, "unit_ids": [world.other_unit.pk]},
             user=org)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "unit_ids"
    r = call("POST", purl(world.own, "/events"), {"title": "X", "program_id": world.other_program.pk,
             "stages": ["drum_up"], "starts_on": "2024-01-01", "ends_on": "2024-01-02"}, user=org)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "program_id"
    r = call("POST", purl(world.own, f"/events/{world.event.pk}/attendance"),
             {"entries": [{"person_id": world.other_person.pk}]}, user=org)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "entries"
    from labinov.programs.models import Attendance
    from labinov.regions.models import Unit

    assert not Attendance.objects.exists()
    assert not Unit.objects.filter(name="UPTD X").exists()
