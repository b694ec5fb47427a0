"""Issue 9.11: a stage move shows what the current stage leaves incomplete and needs an explicit
confirmation; event dates outside the program's period need an explicit, recorded override."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from labinov.core.models import AuditRecord
from labinov.ideas.models import Idea
from labinov.innovations.models import ActionPlan, Innovation
from labinov.programs.models import CoachAssignment, Event, Program, StageTransition
from labinov.programs.selectors import stage_incomplete
from labinov.programs.services import event_create, event_update, program_advance

D = datetime.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _stage(world, stage):
    Program.objects.filter(pk=world.program.pk).update(stage=stage)
    world.program.refresh_from_db()
    return world.program


def _idea(world, unit, status="submitted", title="Surat pengantar daring"):
    return Idea.objects.create(pemda=world.own, program=world.program, unit=unit, title=title, problem="Antre lama",
                               proposed_change="Layanan daring", status=status)


# --- what is incomplete, per stage ---------------------------------------------------------------

def test_planned_lists_units_without_a_coach(world):
    assert stage_incomplete(program=world.program) == ["1 of 2 participating units have no coach."]
    CoachAssignment.objects.create(program=world.program, unit=world.sd, coach=world.users["national_coach"])
    assert stage_incomplete(program=world.program) == []
    Event.objects.filter(pk=world.event.pk).update(stages=["diagnose"])
    assert stage_incomplete(program=world.program) == ["No Drum-up event is scheduled."]


def test_drum_up_lists_events_without_attendance(world):
    _stage(world, "drum_up")
    assert stage_incomplete(program=world.program) == ["1 of 1 Drum-up event has no attendance recorded."]


def test_diagnose_lists_units_without_a_submitted_idea_and_drafts(world):
    _stage(world, "diagnose")
    _idea(world, world.kel)
    _idea(world, world.sd, status="draft", title="Rapor digital")
    assert stage_incomplete(program=world.program) == [
        "1 of 2 participating units have no submitted idea.", "1 idea is still a draft (not submitted)."]


def test_design_lists_undecided_ideas_unpublished_screening_and_plans(world):
    _stage(world, "design")
    _idea(world, world.kel)
    innovations = [Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel, name=f"Inovasi {i}")
                   for i in range(15)]
    ActionPlan.objects.create(innovation=innovations[0], status="approved")
    ActionPlan.objects.create(innovation=innovations[1], status="draft")
    assert stage_incomplete(program=world.program) == [
        "1 of 1 submitted idea is not decided yet.",
        "The screening decisions are not published yet.",
        "14 of 15 innovations have no approved action plan.",
    ]


def test_launching_and_display(world):
    _stage(world, "deliver_launching")
    Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel, name="A")
    assert stage_incomplete(program=world.program) == [
        "No commitment document is prepared.", "1 of 1 innovation is not launched."]
    _stage(world, "display")
    assert stage_incomplete(program=world.program) == ["1 of 1 innovation is not published in the catalogue."]


@pytest.mark.parametrize("stage", ["planned", "drum_up", "diagnose", "design", "deliver_monitoring", "deliver_launching", "display"])
def test_the_check_does_not_grow_with_rows(world, django_assert_max_num_queries, stage):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _stage(world, stage)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            stage_incomplete(program=world.program)
        return len(ctx.captured_queries)

    small = count()
    for i in range(12):
        inn = Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel, name=f"Inovasi {i}")
        ActionPlan.objects.create(innovation=inn, status="approved" if i % 2 else "draft")
        _idea(world, world.sd if i % 2 else world.kel, title=f"Ide {i}")
        Event.objects.create(pemda=world.own, program=world.program, title=f"Event {i}", stages=["drum_up"],
                             starts_on=D(2019, 4, 1), ends_on=D(2019, 4, 1))
    assert count() == small


# --- the service ---------------------------------------------------------------------------------

def test_service_refuses_an_incomplete_stage_without_confirmation(world):
    with pytest.raises(ValidationError) as info:
        program_advance(actor=world.users["organiser"], program=world.program, to_stage="drum_up")
    assert "1 of 2 participating units have no coach." in " ".join(info.value.message_dict["confirm"])
    world.program.refresh_from_db()
    assert world.program.stage == "planned" and not StageTransition.objects.exists()
    assert not AuditRecord.objects.filter(action="program.advance").exists()


def test_service_moves_on_when_confirmed_and_records_what_was_incomplete(world):
    program_advance(actor=world.users["organiser"], program=world.program, to_stage="drum_up", confirmed=True)
    world.program.refresh_from_db()
    assert world.program.stage == "drum_up"
    record = AuditRecord.objects.get(action="program.advance")
    assert record.changes == {"stage": ["planned", "drum_up"], "confirmed_incomplete": ["1 of 2 participating units have no coach."]}


# --- the confirmation page -----------------------------------------------------------------------

def test_program_page_leads_to_the_confirmation_not_a_direct_move(world, login):
    client = login(world.users["organiser"])
    html = client.get(reverse("program_detail", args=[world.own.slug, world.program.pk])).content.decode()
    link = f'id="advance-link" href="{reverse("program_advance", args=[world.own.slug, world.program.pk])}"'
    assert link in html and 'name="to_stage"' not in html  # a link to the confirmation, not a form that moves


def test_confirmation_page_lists_what_is_incomplete(world, login):
    client = login(world.users["organiser"])
    client.cookies["django_language"] = "id"
    r = client.get(reverse("program_advance", args=[world.own.slug, world.program.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="advance-incomplete"' in html
    assert "1 dari 2 unit peserta belum memiliki coach." in html
    assert 'name="confirm"' in html
    world.program.refresh_from_db()
    assert world.program.stage == "planned"  # looking changes nothing


def test_posting_without_the_tick_changes_nothing(world, login):
    client = login(world.users["organiser"])
    url = reverse("program_advance", args=[world.own.slug, world.program.pk])
    r = client.post(url, {"to_stage": "drum_up", "submission_token": "adv-x"})
    assert r.status_code == 200
    assert "Tick the confirmation" in r.content.decode() or "Centang konfirmasi" in r.content.decode()
    world.program.refresh_from_db()
    assert world.program.stage == "planned" and not StageTransition.objects.exists()


def test_posting_with_the_tick_moves_on(world, login):
    client = login(world.users["organiser"])
    url = reverse("program_advance", args=[world.own.slug, world.program.pk])
    r = client.post(url, {"to_stage": "drum_up", "confirm": "on", "submission_token": "adv-y", "note": "SK Walikota"})
    assert r.status_code == 302
    world.program.refresh_from_db()
    assert world.program.stage == "drum_up"
    assert StageTransition.objects.get().note == "SK Walikota"


def test_a_closed_program_has_no_confirmation_page(world, login):
    _stage(world, "closed")
    client = login(world.users["organiser"])
    r = client.get(reverse("program_advance", args=[world.own.slug, world.program.pk]))
    assert r.status_code == 302


# --- event dates ---------------------------------------------------------------------------------

def _event(world, **kw):
    fields = dict(title="Klinik Design", kind="stage", program=world.program, stages=["design"],
                  starts_on=D(2020, 1, 6), ends_on=D(2020, 1, 7))
    fields.update(kw)
    return event_create(actor=world.users["organiser"], pemda=world.own, **fields)


def test_event_outside_the_program_period_is_refused(world):
    before = Event.objects.count()
    with pytest.raises(ValidationError) as info:
        _event(world)
    assert "outside the program's period" in info.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError):
        _event(world, starts_on=D(2019, 2, 27), ends_on=D(2019, 3, 2))  # starts before the period
    assert Event.objects.count() == before


def test_event_outside_the_period_with_the_override_is_recorded(world):
    event = _event(world, allow_outside_period=True)
    record = AuditRecord.objects.get(action="event.create", object_id=str(event.pk))
    assert record.changes["allowed_outside_period"] is True
    # editing it again needs the override again
    with pytest.raises(ValidationError):
        event_update(actor=world.users["organiser"], event=event, venue="Aula")
    event_update(actor=world.users["organiser"], event=Event.objects.get(pk=event.pk), venue="Aula", allow_outside_period=True)


def test_event_inside_the_period_needs_no_override_and_a_training_has_no_period(world):
    event = _event(world, starts_on=D(2019, 12, 30), ends_on=D(2019, 12, 31))
    assert "allowed_outside_period" not in AuditRecord.objects.get(action="event.create", object_id=str(event.pk)).changes
    event_create(actor=world.users["organiser"], pemda=world.own, title="Diklat", kind="training", program=None,
                 stages=[], starts_on=D(2030, 1, 1), ends_on=D(2030, 1, 1))


def test_event_form_shows_the_period_error_and_saves_with_the_tick(world, login):
    client = login(world.users["organiser"])
    url = reverse("event_create", args=[world.own.slug])
    data = {"title": "Klinik Design", "kind": "stage", "program": world.program.pk, "stages": ["design"],
            "starts_on": "2020-01-06", "ends_on": "2020-01-07", "mode": "luring", "submission_token": "ev-1"}
    r = client.post(url, data)
    assert r.status_code == 200
    assert "31 Desember 2019" in r.content.decode() or "31 December 2019" in r.content.decode()
    assert not Event.objects.filter(title="Klinik Design").exists()
    r = client.post(url, {**data, "allow_outside_period": "on", "submission_token": "ev-2"})
    assert r.status_code == 302
    assert Event.objects.filter(title="Klinik Design").exists()
