"""List pages cost the same number of queries for 5 rows as for 40 (no query per row), and writes are audited."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from labinov.core.models import AuditRecord
from labinov.core.roles import Role
from labinov.people.models import Invitation, Membership, Person, User
from labinov.programs.models import Attendance, CoachAssignment, Event, Participation, Program, StageTransition
from labinov.regions.models import Pemda, Unit

D = datetime.date
SMALL, LARGE = 5, 40


class Rows:
    """Adds rows in bulk; `add(n)` is called with 5, then with 35 more."""

    def __init__(self, world):
        self.w = world
        self.n = 0

    def add(self, n: int) -> str:
        """Adds n rows; returns a text that only the last row shows."""
        start, self.n = self.n, self.n + n
        return self.make(range(start, self.n))

    def make(self, numbers) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


def _users(prefix, numbers):
    return User.objects.bulk_create(
        [User(email=f"{prefix}{i}@salatiga.test", full_name=f"{prefix.title()} Nomor {i:02d}", password="!") for i in numbers]
    )


class UnitRows(Rows):
    def make(self, numbers):
        Unit.objects.bulk_create([Unit(pemda=self.w.own, name=f"Unit Uji {i:02d}", kind="dinas", parent=self.w.kel) for i in numbers])
        return f"Unit Uji {self.n - 1:02d}"


class PersonRows(Rows):
    def make(self, numbers):
        units = Unit.objects.bulk_create([Unit(pemda=self.w.own, name=f"Unit Orang {i:02d}", kind="dinas") for i in numbers])
        Person.objects.bulk_create([Person(pemda=self.w.own, name=f"Orang Uji {i:02d}", unit=u) for i, u in zip(numbers, units)])
        return f"Orang Uji {self.n - 1:02d}"


class ProgramRows(Rows):
    def make(self, numbers):
        programs = Program.objects.bulk_create(
            [Program(pemda=self.w.own, name=f"Program Uji {i:02d}", year=2024, stage="diagnose") for i in numbers])
        Participation.objects.bulk_create([Participation(program=p, unit=self.w.kel) for p in programs])
        Event.objects.bulk_create([Event(pemda=self.w.own, program=p, title=f"Acara {p.name}", stages=["drum_up"],
                                         starts_on=D(2024, 3, 1), ends_on=D(2024, 3, 2)) for p in programs])
        return f"Program Uji {self.n - 1:02d}"


class EventRows(Rows):
    def make(self, numbers):
        events = Event.objects.bulk_create([
            Event(pemda=self.w.own, program=self.w.program, title=f"Acara Uji {i:02d}", stages=["drum_up", "diagnose"],
                  starts_on=D(2019, 4, 1), ends_on=D(2019, 4, 2), organiser_unit=self.w.kel, mode="hybrid", online_viewers=i)
            for i in numbers])
        Attendance.objects.bulk_create([Attendance(event=e, person=self.w.person, unit=self.w.kel) for e in events])
        return f"Acara Uji {self.n - 1:02d}"


class MemberRows(Rows):
    def make(self, numbers):
        users = _users("anggota", numbers)
        Membership.objects.bulk_create([Membership(user=u, role=Role.INNOVATOR, pemda=self.w.own, unit=self.w.kel) for u in users])
        Invitation.objects.bulk_create([
            Invitation(pemda=self.w.own, email=f"undangan{i}@salatiga.test", full_name=f"Undangan {i:02d}", role="unit_head",
                       unit=self.w.sd, token_hash=f"tok-{i}", invited_by=self.w.users["organiser"]) for i in numbers])
        return f"Anggota Nomor {self.n - 1:02d}"


class AuditRows(Rows):
    def make(self, numbers):
        AuditRecord.objects.bulk_create([
            AuditRecord(actor=self.w.users["organiser"], pemda=self.w.own, action="unit.update", object_type="regions.unit",
                        object_id=str(i), object_repr=f"Catatan Uji {i:02d}", changes={"name": ["a", "b"]}) for i in numbers])
        return f"Catatan Uji {self.n - 1:02d}"


class PemdaRows(Rows):
    def make(self, numbers):
        pemdas = Pemda.objects.bulk_create([
            Pemda(region_code=f"80.{i:02d}", name=f"Pemda Uji {i:02d}", head_title="Bupati") for i in numbers])
        Unit.objects.bulk_create([Unit(pemda=p, name="Inspektorat", kind="inspektorat") for p in pemdas])
        return f"Pemda Uji {self.n - 1:02d}"


class HomeRows(Rows):
    """Running programs and upcoming events of the own pemda (the home page shows up to 50 and 10)."""

    def make(self, numbers):
        programs = Program.objects.bulk_create(
            [Program(pemda=self.w.own, name=f"Program Rumah {i:02d}", year=2025, stage=["drum_up", "design"][i % 2]) for i in numbers])
        soon = timezone.localdate() + datetime.timedelta(days=7)
        Event.objects.bulk_create([Event(pemda=self.w.own, program=p, title=f"Acara Rumah {p.name}", stages=["drum_up"],
                                         starts_on=soon, ends_on=soon) for p in programs])
        return f"Program Rumah {self.n - 1:02d}"


class ProgramDetailRows(Rows):
    """Participating units, each with its own coach, plus events and transitions of the program."""

    with_events = True

    def make(self, numbers):
        units = Unit.objects.bulk_create([Unit(pemda=self.w.own, name=f"SD Uji {i:02d}", kind="sd", ownership="negeri") for i in numbers])
        coaches = _users("fasilitator", numbers)
        Membership.objects.bulk_create([Membership(user=c, role=Role.COACH, pemda=self.w.own) for c in coaches])
        Participation.objects.bulk_create([Participation(program=self.w.program, unit=u) for u in units])
        CoachAssignment.objects.bulk_create([CoachAssignment(program=self.w.program, unit=u, coach=c) for u, c in zip(units, coaches)])
        if self.with_events:
            Event.objects.bulk_create([Event(pemda=self.w.own, program=self.w.program, title=f"Klinik {i:02d}", stages=["design"],
                                             starts_on=D(2019, 6, 1), ends_on=D(2019, 6, 1)) for i in numbers])
        StageTransition.objects.bulk_create([StageTransition(program=self.w.program, from_stage="planned", to_stage="drum_up",
                                                             actor=c, note=f"catatan {c.pk}") for c in coaches])
        return f"Fasilitator Nomor {self.n - 1:02d}"


class ProgramUnitRows(ProgramDetailRows):
    """Only units, coaches and transitions: the participant table itself must not cost a query per unit."""

    with_events = False


class AttendeeRows(Rows):
    """People of a participating unit, each present at the world's event."""

    def make(self, numbers):
        units = Unit.objects.bulk_create([Unit(pemda=self.w.own, name=f"Puskesmas Uji {i:02d}", kind="puskesmas") for i in numbers])
        Participation.objects.bulk_create([Participation(program=self.w.program, unit=u) for u in units])
        people = Person.objects.bulk_create([Person(pemda=self.w.own, name=f"Peserta Uji {i:02d}", unit=u) for i, u in zip(numbers, units)])
        Attendance.objects.bulk_create([Attendance(event=self.w.event, person=p, unit=p.unit, mode="luring") for p in people])
        return f"Peserta Uji {self.n - 1:02d}"


PAGES = {
    "units": ("organiser", lambda w: "/pemda/3373/units/", UnitRows),
    "people": ("organiser", lambda w: "/pemda/3373/people/", PersonRows),
    "programs": ("organiser", lambda w: "/pemda/3373/programs/", ProgramRows),
    "events": ("organiser", lambda w: "/pemda/3373/events/", EventRows),
    "members": ("organiser", lambda w: "/pemda/3373/members/", MemberRows),
    "audit": ("organiser", lambda w: "/pemda/3373/audit/", AuditRows),
    "pemda": ("national_admin", lambda w: "/pemda/", PemdaRows),
    "home": ("organiser", lambda w: "/", HomeRows),
    "program_detail": ("organiser", lambda w: f"/pemda/3373/programs/{w.program.pk}/", ProgramDetailRows),
    "program_detail_units_only": ("organiser", lambda w: f"/pemda/3373/programs/{w.program.pk}/", ProgramUnitRows),
    "event_detail": ("organiser", lambda w: f"/pemda/3373/events/{w.event.pk}/", AttendeeRows),
    "event_attendance": ("organiser", lambda w: f"/pemda/3373/events/{w.event.pk}/attendance/", AttendeeRows),
}

def _count(client, url) -> tuple[int, str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response.content.decode(), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_does_not_grow_with_rows(world, client, page):
    role, url_of, rows_class = PAGES[page]
    client.force_login(world.users[role])
    url = url_of(world)
    rows = rows_class(world)

    last = rows.add(SMALL)
    client.get(url)  # warm up (session, content types, ...)
    small, html, _ = _count(client, url)
    assert last in html, f"{page}: the {SMALL}th row is not on the page"

    last = rows.add(LARGE - SMALL)
    large, html, sql = _count(client, url)
    assert last in html, f"{page}: the {LARGE}th row is not on the page"
    assert large == small, f"{page}: {small} queries with {SMALL} rows, {large} with {LARGE}:\n" + "\n".join(sql)


def test_query_counts_are_checked_for_every_list_page():
    assert set(PAGES) >= {"units", "people", "programs", "events", "members", "audit", "pemda", "home",
                          "program_detail", "event_detail", "event_attendance"}


# --- the audit trail -----------------------------------------------------------------------------


def test_every_service_write_leaves_an_audit_record(world, client, django_capture_on_commit_callbacks):
    from labinov.people import services as people
    from labinov.programs import services as programs
    from labinov.regions import services as regions

    organiser, admin = world.users["organiser"], world.users["national_admin"]
    own = world.own

    def audited(action, call, actor=organiser, pemda=own):
        before = set(AuditRecord.objects.values_list("pk", flat=True))
        result = call()
        new = list(AuditRecord.objects.exclude(pk__in=before))
        assert [r.action for r in new] == [action], (action, [r.action for r in new])
        record = new[0]
        assert record.actor_id == actor.pk, action
        assert record.pemda_id == pemda.pk, action
        assert record.object_type and record.object_id, action
        return result

    # Enabling a pemda is recorded in the new pemda.
    before = AuditRecord.objects.count()
    new_pemda = regions.pemda_enable(actor=admin, region_code="33.72")
    record = AuditRecord.objects.get(action="pemda.enable")
    assert AuditRecord.objects.count() == before + 1
    assert (record.actor_id, record.pemda_id, record.object_id) == (admin.pk, new_pemda.pk, str(new_pemda.pk))

    audited("pemda.update", lambda: regions.pemda_update(actor=organiser, pemda=own, head_name="Robby Hernawan"))
    unit = audited("unit.create", lambda: regions.unit_create(actor=organiser, pemda=own, name="Dinas Pendidikan", kind="dinas"))
    audited("unit.update", lambda: regions.unit_update(actor=organiser, unit=unit, code="1.01"))
    person = audited("person.create", lambda: people.person_create(actor=organiser, pemda=own, name="Dewi", unit=unit))
    audited("person.update", lambda: people.person_update(actor=organiser, person=person, jabatan="Kepala Bidang"))
    program = audited("program.create", lambda: programs.program_create(actor=organiser, pemda=own, name="Lab 2026", year=2026))
    audited("program.update", lambda: programs.program_update(actor=organiser, program=program, partner_name="LAN RI"))
    audited("program.set_units", lambda: programs.program_set_units(actor=organiser, program=program, units=[unit, world.kel]))
    audited("program.assign_coach", lambda: programs.program_assign_coach(
        actor=organiser, program=program, coach=world.users["coach"], units=[unit]))
    audited("program.advance", lambda: programs.program_advance(actor=organiser, program=program, to_stage="drum_up", confirmed=True))
    event = audited("event.create", lambda: programs.event_create(
        actor=organiser, pemda=own, title="Drum-up 2026", kind="stage", program=program, stages=["drum_up"],
        starts_on=D(2026, 2, 2), ends_on=D(2026, 2, 2)))
    audited("event.update", lambda: programs.event_update(actor=organiser, event=event, venue="Aula Setda"))
    audited("event.record_attendance", lambda: programs.attendance_record(
        actor=organiser, event=event, entries=[{"person": person, "present": True}]))
    membership = audited("membership.grant", lambda: people.membership_grant(
        actor=organiser, user=world.users["no_role"], role=Role.VERIFIER, pemda=own))
    audited("membership.revoke", lambda: people.membership_revoke(actor=organiser, membership=membership))
    with django_capture_on_commit_callbacks(execute=True):
        invitation = audited("invitation.create", lambda: people.invitation_create(
            actor=organiser, pemda=own, email="baru@salatiga.test", full_name="Baru", role=Role.COACH,
            accept_url_builder=lambda token: f"http://testserver/invitation/{token}/"))
    # Accepting grants the role and records the acceptance, both by the new account.
    before = set(AuditRecord.objects.values_list("pk", flat=True))
    user = people.invitation_accept(invitation=invitation, password="Kalicacing-Sidomukti-77")
    new = AuditRecord.objects.exclude(pk__in=before)
    assert sorted(new.values_list("action", flat=True)) == ["invitation.accept", "membership.grant"]
    assert set(new.values_list("actor_id", "pemda_id")) == {(user.pk, own.pk)}

    # The audit page of the pemda lists them, and nothing of another pemda.
    client.force_login(organiser)
    listed = {r.action for r in client.get("/pemda/3373/audit/").context["page"]}
    assert {"unit.create", "person.update", "program.advance", "event.record_attendance", "invitation.accept"} <= listed
    assert "pemda.enable" not in listed


def test_pemda_update_is_recorded_in_the_pemda(world, client):
    from labinov.regions.services import pemda_update

    organiser = world.users["organiser"]
    pemda_update(actor=organiser, pemda=world.own, head_name="Robby Hernawan")
    record = AuditRecord.objects.get(action="pemda.update")
    assert record.actor_id == organiser.pk
    assert record.changes == {"head_name": ["Yuliyanto", "Robby Hernawan"]}
    client.force_login(organiser)
    assert record.pemda_id == world.own.pk
    assert "pemda.update" in {r.action for r in client.get("/pemda/3373/audit/").context["page"]}
