"""The program's action plans as a whole: the overview, the reminders and the timeline."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from labinov.core.models import AuditRecord
from labinov.innovations import overview
from labinov.innovations.models import ActionPlan, Indicator, Innovation, Milestone, PlanStatus

D = datetime.date


def make_innovation(world, unit, name, status=None, milestones=(), version=1):
    """An innovation of the own program with (unless status is None) a plan version in `status`."""
    innovation = Innovation.objects.create(pemda=world.own, program=world.program, unit=unit, name=name)
    if status is None:
        return innovation
    for v in range(1, version + 1):
        plan = ActionPlan.objects.create(innovation=innovation, version=v, objective=f"Tujuan {name}",
                                         status=PlanStatus.APPROVED if v < version else status)
        if v < version:
            Milestone.objects.create(plan=plan, activity="Kegiatan versi lama", starts_on=D(2019, 4, 1), ends_on=D(2019, 4, 2), pic="Lurah")
    for i, (activity, start, end, quick_win) in enumerate(milestones):
        Milestone.objects.create(plan=plan, order=i, activity=activity, starts_on=start, ends_on=end, pic="Lurah", quick_win=quick_win)
    Indicator.objects.create(plan=plan, name="Waktu layanan", unit_of_measure="hari", baseline="3", target="1")
    return innovation


@pytest.fixture
def login(client, settings):
    """Pages in English: the messages are asserted by their msgids, whatever the catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def plans_world(world):
    """The own program in Design with three innovations:
    kel: "Surat pengantar online" (approved, v2), "Posyandu digital" (no plan);
    sd: "Perpustakaan keliling" (draft)."""
    w = world
    w.program.stage = "design"
    w.program.save(update_fields=["stage"])
    w.other_program.stage = "design"
    w.other_program.save(update_fields=["stage"])
    w.surat = make_innovation(w, w.kel, "Surat pengantar online", PlanStatus.APPROVED, version=2, milestones=[
        ("Sosialisasi ke RT", D(2019, 7, 1), D(2019, 7, 15), True),
        ("Uji coba layanan WhatsApp", D(2019, 7, 16), D(2019, 8, 31), False),
    ])
    w.posyandu = make_innovation(w, w.kel, "Posyandu digital", None)
    w.perpus = make_innovation(w, w.sd, "Perpustakaan keliling", PlanStatus.DRAFT, milestones=[
        ("Rak buku bergilir", D(2019, 8, 1), D(2019, 9, 30), False),
    ])
    w.other_innovation = Innovation.objects.create(pemda=w.other, program=w.other_program, unit=w.other_unit, name="Antrean daring")
    return w


def _url(name, w, **query):
    url = reverse(name, args=[w.own.slug, w.program.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _names(response):
    return [i.name for i in response.context["rows"]]


# --------------------------------------------------------------------------- overview


def test_overview_lists_every_innovation_with_its_latest_plan_status(plans_world, login):
    w = plans_world
    response = login(w.users["organiser"]).get(_url("plan_overview", w))
    assert response.status_code == 200
    rows = {i.name: i for i in response.context["rows"]}
    assert set(rows) == {"Surat pengantar online", "Posyandu digital", "Perpustakaan keliling"}  # not the other pemda's
    assert (rows["Surat pengantar online"].plan_status, rows["Surat pengantar online"].plan_version) == ("approved", 2)
    assert rows["Posyandu digital"].plan_status == "none" and rows["Posyandu digital"].plan_version is None
    assert rows["Perpustakaan keliling"].plan_status == "draft"
    assert [c.email for c in rows["Surat pengantar online"].coaches] == ["coach@lan.test"]  # assigned to Kelurahan Kalicacing
    assert rows["Perpustakaan keliling"].coaches == []
    counts = {c["status"]: c["n"] for c in response.context["counts"]}
    assert counts == {"none": 1, "draft": 1, "in_review": 0, "changes_requested": 0, "coach_approved": 0, "approved": 1}
    html = response.content.decode()
    assert 'class="badge plan-approved"' in html and 'class="badge plan-none"' in html


def test_overview_filters_by_unit_type_coach_and_status(plans_world, login):
    w = plans_world
    client = login(w.users["coach"])
    assert _names(client.get(_url("plan_overview", w, unit_kind="sd"))) == ["Perpustakaan keliling"]
    coach = w.users["national_coach"].pk
    assert _names(client.get(_url("plan_overview", w, coach=coach))) == ["Posyandu digital", "Surat pengantar online"]
    assert _names(client.get(_url("plan_overview", w, coach="none"))) == ["Perpustakaan keliling"]
    assert _names(client.get(_url("plan_overview", w, status="none"))) == ["Posyandu digital"]
    response = client.get(_url("plan_overview", w, status="approved", unit_kind="kelurahan"))
    assert _names(response) == ["Surat pengantar online"]
    # the counts follow the unit type and coach filters, not the status one
    assert {c["status"]: c["n"] for c in response.context["counts"]}["none"] == 1
    # an unknown value is ignored, not an error
    assert len(_names(client.get(_url("plan_overview", w, status="bogus", coach="999999")))) == 3


def test_overview_shows_the_last_change_from_the_audit_trail(plans_world, login):
    from labinov.core.audit import audit_record

    w = plans_world
    plan = ActionPlan.objects.get(innovation=w.perpus)
    audit_record(actor=w.users["innovator"], action="plan.save", obj=plan, pemda=w.own)
    rows = {i.name: i for i in login(w.users["organiser"]).get(_url("plan_overview", w)).context["rows"]}
    assert rows["Perpustakaan keliling"].last_change is not None
    assert rows["Posyandu digital"].last_change is None


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_overview_and_timeline_query_counts_do_not_grow(plans_world, login):
    from labinov.programs.models import CoachAssignment, Participation
    from labinov.regions.models import Unit

    w = plans_world
    client = login(w.users["organiser"])

    def grow(to):
        n = Innovation.objects.filter(program=w.program).count()
        for i in range(n, to):
            unit = Unit.objects.create(pemda=w.own, name=f"Kelurahan {i:02d}", kind="kelurahan")
            Participation.objects.create(program=w.program, unit=unit)
            CoachAssignment.objects.create(program=w.program, unit=unit, coach=w.users["coach"])
            make_innovation(w, unit, f"Inovasi {i:02d}", [None, PlanStatus.DRAFT, PlanStatus.IN_REVIEW, PlanStatus.APPROVED][i % 4],
                            milestones=[("Kegiatan", D(2019, 5, 1), D(2019, 6, 1), i % 2 == 0)])

    grow(5)
    small = (_queries(client, _url("plan_overview", w)), _queries(client, _url("plan_timeline", w)))
    grow(30)
    large = (_queries(client, _url("plan_overview", w)), _queries(client, _url("plan_timeline", w)))
    assert len(client.get(_url("plan_overview", w)).context["rows"]) == 30
    assert small == large


def test_overview_is_paginated(plans_world, login, monkeypatch):
    w = plans_world
    monkeypatch.setattr(overview.plan_overview, "__kwdefaults__", {**overview.plan_overview.__kwdefaults__, "per_page": 2})
    client = login(w.users["organiser"])
    first, second = client.get(_url("plan_overview", w)), client.get(_url("plan_overview", w, page=2))
    assert len(first.context["rows"]) == 2 and len(second.context["rows"]) == 1
    assert first.context["total"] == 3


@pytest.mark.parametrize("role", ["organiser", "national_admin", "coach", "national_coach", "leader", "verifier"])
def test_who_sees_the_overview_and_timeline(plans_world, login, role):
    w = plans_world
    client = login(w.users[role])
    assert client.get(_url("plan_overview", w)).status_code == 200
    assert client.get(_url("plan_timeline", w)).status_code == 200


@pytest.mark.parametrize("role", ["innovator", "unit_head"])
def test_units_do_not_see_the_program_overview(plans_world, login, role):
    w = plans_world
    client = login(w.users[role])
    for name in ("plan_overview", "plan_timeline"):
        assert client.get(_url(name, w)).status_code == 403
    assert client.post(_url("plan_reminders", w)).status_code == 403


def test_another_pemda_gets_404(plans_world, login):
    w = plans_world
    client = login(w.users["other_organiser"])
    for name in ("plan_overview", "plan_timeline"):
        assert client.get(_url(name, w)).status_code == 404
    assert client.post(_url("plan_reminders", w)).status_code == 404
    # and the program of another pemda under the own pemda's URL does not exist
    url = reverse("plan_overview", args=[w.own.slug, w.other_program.pk])
    assert login(w.users["organiser"]).get(url).status_code == 404


def test_an_assigned_coach_without_a_pemda_role_is_not_let_in_by_the_assignment_alone(plans_world, login, make_user):
    """Memberships decide which pemda a user sees; the assignment adds nothing outside it."""
    from labinov.programs.models import CoachAssignment

    w = plans_world
    stranger = make_user("fasilitator@example.test")
    CoachAssignment.objects.create(program=w.program, unit=w.sd, coach=stranger)
    assert login(stranger).get(_url("plan_overview", w)).status_code == 404


# --------------------------------------------------------------------------- reminders


def _remind(client, w):
    return client.post(_url("plan_reminders", w), follow=True)


def test_reminders_go_only_to_units_with_missing_plans_without_a_design_event(plans_world, login, django_capture_on_commit_callbacks):
    w = plans_world
    with django_capture_on_commit_callbacks(execute=True):
        response = _remind(login(w.users["organiser"]), w)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lurah@salatiga.test"]  # the unit head of Kelurahan Kalicacing
    assert "Posyandu digital" in message.body and "Surat pengantar online" not in message.body
    assert "Lab INAGARA 2019" in message.subject
    assert "rencana aksi" in message.body.lower()  # written in Indonesian, the pemda's language
    assert [str(m) for m in response.context["messages"]] == ["A reminder was sent to 1 unit."]
    record = AuditRecord.objects.get(action="plan.remind")
    assert record.changes["units"] == 1 and record.changes["missing"] == 1 and record.changes["late"] == 0
    assert record.pemda == w.own and record.actor == w.users["organiser"]


def test_after_the_design_workshop_late_plans_are_reminded_too(plans_world, login, django_capture_on_commit_callbacks):
    from labinov.people.models import Person
    from labinov.programs.models import Event

    w = plans_world
    Event.objects.create(pemda=w.own, program=w.program, title="Design", stages=["design"],
                         starts_on=D(2019, 6, 10), ends_on=D(2019, 6, 12))
    Event.objects.create(pemda=w.own, program=w.program, title="Design lanjutan", stages=["design", "deliver_monitoring"],
                         starts_on=D(2019, 7, 1), ends_on=D(2019, 7, 3))
    # SD Negeri Salatiga 01 has no unit head account: its people's e-mails are used
    Person.objects.create(pemda=w.own, name="Kepala SD", unit=w.sd, email="kepsek@sd01.test")
    Person.objects.create(pemda=w.own, name="Guru", unit=w.sd)
    assert overview.plan_due_date(program=w.program) == D(2019, 7, 3)
    with django_capture_on_commit_callbacks(execute=True):
        response = _remind(login(w.users["national_admin"]), w)
    by_to = {tuple(m.to): m for m in mail.outbox}
    assert set(by_to) == {("lurah@salatiga.test",), ("kepsek@sd01.test",)}
    sd_mail = by_to[("kepsek@sd01.test",)]
    assert "Perpustakaan keliling" in sd_mail.body and "3 Juli 2019" in sd_mail.body
    assert "Surat pengantar online" not in by_to[("lurah@salatiga.test",)].body  # approved
    assert [str(m) for m in response.context["messages"]] == ["Reminders were sent to 2 units."]
    record = AuditRecord.objects.get(action="plan.remind")
    assert (record.changes["units"], record.changes["missing"], record.changes["late"]) == (2, 1, 1)
    assert record.changes["due"] == "2019-07-03"


def test_no_reminder_when_every_plan_is_approved(plans_world, login, django_capture_on_commit_callbacks):
    from labinov.programs.models import Event

    w = plans_world
    Event.objects.create(pemda=w.own, program=w.program, title="Design", stages=["design"], starts_on=D(2019, 6, 10), ends_on=D(2019, 6, 12))
    ActionPlan.objects.filter(innovation__program=w.program).update(status=PlanStatus.APPROVED)
    ActionPlan.objects.create(innovation=w.posyandu, status=PlanStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        response = _remind(login(w.users["organiser"]), w)
    assert mail.outbox == []
    assert [str(m) for m in response.context["messages"]] == ["No unit needs a reminder: every innovation has a plan on time."]


def test_a_unit_without_any_address_is_named(plans_world, login, django_capture_on_commit_callbacks):
    w = plans_world
    make_innovation(w, w.sd, "Kantin sehat", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = _remind(login(w.users["organiser"]), w)
    assert len(mail.outbox) == 1
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "A reminder was sent to 1 unit."
    assert "SD Negeri Salatiga 01" in messages[1]
    assert AuditRecord.objects.get(action="plan.remind").changes["units_without_address"] == ["SD Negeri Salatiga 01"]


def test_only_organisers_send_reminders(plans_world, login):
    w = plans_world
    for role in ("coach", "national_coach", "leader", "verifier"):
        assert login(w.users[role]).post(_url("plan_reminders", w)).status_code == 403
    assert login(w.users["organiser"]).get(_url("plan_reminders", w)).status_code == 405
    assert not AuditRecord.objects.filter(action="plan.remind").exists()


# --------------------------------------------------------------------------- timeline


def test_timeline_places_bars_in_the_program_period_with_quick_wins_and_today(plans_world, login):
    w = plans_world
    today = timezone.localdate()
    w.program.starts_on, w.program.ends_on = today - datetime.timedelta(days=100), today + datetime.timedelta(days=99)
    w.program.save(update_fields=["starts_on", "ends_on"])
    plan = ActionPlan.objects.get(innovation=w.perpus)
    Milestone.objects.filter(plan=plan).update(starts_on=w.program.starts_on, ends_on=w.program.starts_on + datetime.timedelta(days=49),
                                               quick_win=True)
    response = login(w.users["organiser"]).get(_url("plan_timeline", w))
    assert response.status_code == 200
    html = response.content.decode()
    # 200 days: the first 50 days start at 0% and take a quarter
    assert re.search(r'class="gantt-bar quick-win" style="left:0%;width:25%"', html), html
    assert 'class="qw-label">★ Quick win' in html  # a label, not only a colour
    assert 'class="gantt-today" style="left:50.25%"' in html
    # the dates as text for screen readers
    start = w.program.starts_on
    assert f"from {start.day} " in html and '<span class="sr-only">' in html
    # grouped by unit, in name order, with the innovation's status
    units = [g["unit"].name for g in response.context["units"]]
    assert units == ["Kelurahan Kalicacing", "SD Negeri Salatiga 01"]
    assert "No action plan yet." in html  # Posyandu digital
    assert response.context["ticks"]


def test_timeline_without_program_dates_spans_the_milestones_and_hides_the_past_today(plans_world, login):
    w = plans_world
    w.program.starts_on = w.program.ends_on = None
    w.program.save(update_fields=["starts_on", "ends_on"])
    response = login(w.users["coach"]).get(_url("plan_timeline", w))
    assert response.context["range"] == (D(2019, 7, 1), D(2019, 9, 30))
    assert response.context["today"] is None  # 2019 is past
    assert 'class="gantt-today"' not in response.content.decode()
    labels = [t["date"] for t in response.context["ticks"]]
    assert labels == [D(2019, 7, 1), D(2019, 8, 1), D(2019, 9, 1)]


def test_timeline_marks_milestones_outside_the_period(plans_world, login):
    w = plans_world
    Milestone.objects.create(plan=ActionPlan.objects.get(innovation=w.perpus), order=5, activity="Evaluasi", pic="Kepala sekolah",
                             starts_on=D(2019, 12, 1), ends_on=D(2020, 2, 28))
    html = login(w.users["organiser"]).get(_url("plan_timeline", w)).content.decode()
    assert "cut-after" in html and "ends after the period shown" in html


def test_timeline_of_one_innovation(plans_world, login):
    w = plans_world
    client = login(w.users["organiser"])
    response = client.get(_url("plan_timeline", w, innovation=w.surat.pk))
    assert response.context["innovation"].pk == w.surat.pk
    assert [e.innovation.name for g in response.context["units"] for e in g["innovations"]] == ["Surat pengantar online"]
    html = response.content.decode()
    assert "Sosialisasi ke RT" in html and "Rak buku bergilir" not in html and "Kegiatan versi lama" not in html
    # only the latest version's milestones
    assert html.count('<li class="gantt-row') == 2
    assert client.get(_url("plan_timeline", w, innovation=w.other_innovation.pk)).status_code == 404
    assert client.get(_url("plan_timeline", w, innovation="x")).status_code == 404


def test_timeline_pages_by_unit(plans_world, login, monkeypatch):
    w = plans_world
    monkeypatch.setattr(overview.plan_timeline, "__kwdefaults__", {**overview.plan_timeline.__kwdefaults__, "per_page": 1})
    client = login(w.users["organiser"])
    first = client.get(_url("plan_timeline", w))
    second = client.get(_url("plan_timeline", w, page=2))
    assert [g["unit"].name for g in first.context["units"]] == ["Kelurahan Kalicacing"]
    assert [g["unit"].name for g in second.context["units"]] == ["SD Negeri Salatiga 01"]
    assert first.context["page"].paginator.num_pages == 2


def test_timeline_is_printable(plans_world, login):
    html = login(plans_world.users["organiser"]).get(_url("plan_timeline", plans_world)).content.decode()
    print_style = re.search(r'<style media="print" nonce="[^"]+">(.*?)</style>', html, re.S)
    assert print_style and "size: A4 landscape" in print_style.group(1)
    assert ".topbar" in print_style.group(1)
