"""The list endpoints cost the same number of queries for 10 rows as for 60."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labinov.core.models import AuditRecord
from labinov.people.models import Person
from labinov.programs.models import Attendance, Event, Participation, Program
from labinov.regions.models import Pemda, Unit

from .conftest import BASE, purl


def _add_rows(world, n: int, start: int) -> None:
    own, org = world.own, world.users["organiser"]
    for i in range(start, start + n):
        unit = Unit.objects.create(pemda=own, name=f"Unit {i:03d}", kind="dinas", parent=world.kel)
        Person.objects.create(pemda=own, name=f"Person {i:03d}", unit=unit)
        program = Program.objects.create(pemda=own, name=f"Program {i:03d}", year=2024)
        Participation.objects.create(program=program, unit=unit)
        event = Event.objects.create(pemda=own, program=program, title=f"Event {i:03d}", stages=["drum_up"],
                                     organiser_unit=unit, starts_on=datetime.date(2024, 1, 1),
                                     ends_on=datetime.date(2024, 1, 2))
        Attendance.objects.create(event=event, person=world.person, unit=world.kel)
        AuditRecord.objects.create(actor=org, pemda=own, action="unit.update", object_type="regions.unit",
                                   object_id=str(unit.pk), object_repr=unit.name)
        Pemda.objects.create(region_code=f"99.{i:02d}" if i < 100 else f"98.{i - 100:02d}", name=f"Pemda {i:03d}",
                             head_title="Bupati")


def _count(client, url, headers) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url + "?limit=200", headers=headers)
    assert r.status_code == 200, r.content
    return len(ctx.captured_queries), len(r.json().get("items", []))


LISTS = ["/units", "/people", "/programs", "/events", "/audit"]


@pytest.mark.parametrize("path", LISTS + ["PEMDA", "ME"])
@pytest.mark.parametrize("auth", ["session", "token"])
def test_list_queries_do_not_grow_with_rows(world, client, token_for, path, auth):
    user = world.users["national_admin"] if path == "PEMDA" else world.users["organiser"]
    headers = {}
    if auth == "session":
        client.force_login(user)
    else:
        headers["Authorization"] = f"Bearer {token_for(user)}"
    url = {"PEMDA": f"{BASE}/pemda", "ME": f"{BASE}/me"}.get(path) or purl(world.own, path)
    client.get(url, headers=headers)  # the first token use records last_used_at; measure the steady state

    _add_rows(world, 10, 0)
    queries_10, items_10 = _count(client, url, headers)
    _add_rows(world, 50, 10)
    queries_60, items_60 = _count(client, url, headers)

    if path not in ("ME",):
        assert items_60 >= items_10 + 50
    assert queries_60 == queries_10, (queries_10, queries_60)
