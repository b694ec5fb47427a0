"""Program, event and attendance services, and the stage registry they ask."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from labinov.core import stages
from labinov.core.models import AuditRecord
from labinov.core.stages import ORDER, STAGES, Capability, EventStage, StageKey, next_stage, previous_stage, stage_allows
from labinov.people.models import Person
from labinov.programs.forms import ProgramForm
from labinov.programs.models import Attendance, CoachAssignment, Event, Participation, Program, StageTransition
from labinov.programs.services import (
    attendance_record,
    event_create,
    event_update,
    program_advance,
    program_assign_coach,
    program_create,
    program_set_units,
    program_update,
)
from labinov.regions.models import Unit

D = datetime.date


def _errors(info) -> dict:
    return info.value.message_dict


def _set_stage(program, stage):
    Program.objects.filter(pk=program.pk).update(stage=stage)
    program.stage = stage


# --- the stage registry --------------------------------------------------------------------------


def test_order_is_the_documented_5d_order():
    assert ORDER == ["planned", "drum_up", "diagnose", "design", "deliver_monitoring", "deliver_launching", "display", "closed"]


def test_every_stage_key_has_a_stage_and_nothing_else():
    assert set(STAGES) == set(StageKey.values)
    for key, stage in STAGES.items():
        assert stage.key == key
        assert stage.order == ORDER.index(key)
        assert stage.allows <= set(Capability.values), key


def test_next_and_previous_walk_the_order():
    assert next_stage("planned") == "drum_up"
    assert next_stage("display") == "closed"
    assert next_stage("closed") is None
    assert previous_stage("planned") is None
    assert previous_stage("design") == "diagnose"


def test_idea_creation_is_a_diagnose_capability():
    assert stage_allows("diagnose", "idea.create") is True
    assert stage_allows("design", "idea.create") is False
    assert [k for k in ORDER if stage_allows(k, "idea.create")] == ["diagnose"]


def test_program_edit_stops_after_diagnose():
    assert [k for k in ORDER if stage_allows(k, Capability.PROGRAM_EDIT)] == ["planned", "drum_up", "diagnose"]


def test_closed_program_only_allows_documentation():
    assert STAGES["closed"].allows == frozenset({"documentation.write"})


def test_next_steps_are_for_known_roles():
    from labinov.core.roles import Role

    for stage in STAGES.values():
        assert set(stage.next_steps) <= set(Role.values), stage.key


def test_stage_label_follows_the_language():
    with translation.override("en"):
        assert str(stages.get_stage("drum_up").label) == "Drum-up"


def test_organiser_gets_403_on_program_edit_in_design(world, login):
    client = login(world.users["organiser"])
    url = f"/pemda/3373/programs/{world.program.pk}/edit/"
    _set_stage(world.program, "diagnose")
    assert client.get(url).status_code == 200
    _set_stage(world.program, "design")
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Diubah", "year": 2019, "partner": "lan"})
    assert response.status_code == 403
    world.program.refresh_from_db()
    assert world.program.name == "Lab INAGARA 2019"


# --- program_advance -----------------------------------------------------------------------------


def test_advance_one_step_writes_a_transition_and_an_audit_record(world):
    organiser = world.users["organiser"]
    # Planned is complete (every unit has a coach, the Drum-up is scheduled): no confirmation needed.
    CoachAssignment.objects.create(program=world.program, unit=world.sd, coach=world.users["national_coach"])
    program = program_advance(actor=organiser, program=world.program, to_stage="drum_up", note="Dibuka Walikota")
    assert program.stage == "drum_up"
    world.program.refresh_from_db()
    assert world.program.stage == "drum_up"
    t = StageTransition.objects.get(program=world.program)
    assert (t.from_stage, t.to_stage, t.actor_id, t.note) == ("planned", "drum_up", organiser.pk, "Dibuka Walikota")
    record = AuditRecord.objects.get(action="program.advance")
    assert (record.actor_id, record.pemda_id, record.object_id) == (organiser.pk, world.own.pk, str(world.program.pk))
    assert record.changes == {"stage": ["planned", "drum_up"]}


def test_advancing_through_every_stage_leaves_one_transition_each(world):
    for stage in ORDER[1:]:
        program_advance(actor=world.users["organiser"], program=world.program, to_stage=stage, confirmed=True)
    transitions = list(StageTransition.objects.filter(program=world.program).values_list("from_stage", "to_stage"))
    assert transitions == list(zip(ORDER, ORDER[1:]))
    assert AuditRecord.objects.filter(action="program.advance", object_id=str(world.program.pk)).count() == len(ORDER) - 1


def _refused(world, to_stage):
    before = (StageTransition.objects.count(), AuditRecord.objects.filter(action="program.advance").count())
    stage = Program.objects.get(pk=world.program.pk).stage
    with translation.override("en"), pytest.raises(ValidationError) as info:
        program_advance(actor=world.users["organiser"], program=world.program, to_stage=to_stage)
    assert Program.objects.get(pk=world.program.pk).stage == stage
    assert (StageTransition.objects.count(), AuditRecord.objects.filter(action="program.advance").count()) == before
    return " ".join(_errors(info)["to_stage"])


def test_skipping_a_stage_is_refused_and_the_message_names_the_stages(world):
    message = _refused(world, "diagnose")
    assert "Planned" in message and "Drum-up" in message and "Diagnose" in message


def test_going_back_is_refused(world):
    _set_stage(world.program, "design")
    message = _refused(world, "diagnose")
    assert "Design" in message and "Deliver: monitoring" in message


def test_staying_in_the_same_stage_is_refused(world):
    _set_stage(world.program, "diagnose")
    _refused(world, "diagnose")


def test_closed_program_has_no_next_stage(world):
    _set_stage(world.program, "closed")
    for stage in ORDER:
        assert "closed" in _refused(world, stage)


def test_unknown_stage_is_refused(world):
    assert _refused(world, "launching")


def test_two_stale_copies_cannot_both_advance(world):
    first, second = Program.objects.get(pk=world.program.pk), Program.objects.get(pk=world.program.pk)
    program_advance(actor=None, program=first, to_stage="drum_up", confirmed=True)
    with pytest.raises(ValidationError):
        program_advance(actor=None, program=second, to_stage="drum_up", confirmed=True)
    assert StageTransition.objects.filter(program=world.program).count() == 1


# --- program create / update ---------------------------------------------------------------------


def _program(world, **fields):
    data = {"name": "Lab Inovasi 2020", "year": 2020, "partner": "lan"}
    data.update(fields)
    return program_create(actor=world.users["organiser"], pemda=world.own, **data)


def test_program_create_audits_and_may_set_units(world):
    program = _program(world, units=[world.kel, world.sd])
    assert set(program.units.values_list("pk", flat=True)) == {world.kel.pk, world.sd.pk}
    assert program.stage == "planned"
    actions = set(AuditRecord.objects.filter(object_id=str(program.pk), object_type="programs.program").values_list("action", flat=True))
    assert actions == {"program.create", "program.set_units"}


def test_program_dates_out_of_order_are_refused_by_the_service(world):
    count = Program.objects.count()
    with pytest.raises(ValidationError) as info:
        _program(world, starts_on=D(2020, 5, 1), ends_on=D(2020, 4, 30))
    assert "ends_on" in _errors(info)
    assert Program.objects.count() == count


def test_program_update_with_dates_out_of_order_is_refused(world):
    with pytest.raises(ValidationError) as info:
        program_update(actor=None, program=world.program, ends_on=D(2019, 2, 1))
    assert "ends_on" in _errors(info)
    world.program.refresh_from_db()
    assert world.program.ends_on == D(2019, 12, 31)


def test_program_same_day_start_and_end_is_fine(world):
    assert _program(world, starts_on=D(2020, 5, 1), ends_on=D(2020, 5, 1)).pk


def test_program_dates_out_of_order_are_refused_by_the_form():
    form = ProgramForm({"name": "X", "year": 2020, "partner": "lan", "starts_on": "2020-05-01", "ends_on": "2020-04-30"})
    assert not form.is_valid()
    assert list(form.errors) == ["ends_on"]
    ok = ProgramForm({"name": "X", "year": 2020, "partner": "lan", "starts_on": "2020-05-01", "ends_on": "2020-05-02"})
    assert ok.is_valid(), ok.errors


@pytest.mark.parametrize("name", ["lab inagara 2019", "LAB INAGARA 2019", "  Lab INAGARA 2019  "])
def test_duplicate_program_name_in_a_pemda_is_refused_case_insensitively(world, name):
    with pytest.raises(ValidationError) as info:
        _program(world, name=name, year=2019)
    assert "name" in _errors(info)
    assert Program.objects.filter(pemda=world.own).count() == 1


def test_same_program_name_in_another_pemda_is_allowed(world):
    program = program_create(actor=None, pemda=world.other, name="Lab INAGARA 2019", year=2019, partner="lan")
    assert program.pemda_id == world.other.pk


def test_renaming_a_program_to_its_own_name_in_other_case_is_allowed(world):
    program_update(actor=None, program=world.program, name="LAB INAGARA 2019")
    world.program.refresh_from_db()
    assert world.program.name == "LAB INAGARA 2019"


def test_unknown_target_unit_kind_is_refused(world):
    with pytest.raises(ValidationError) as info:
        _program(world, target_unit_kinds=["kelurahan", "kraton"])
    assert "target_unit_kinds" in _errors(info)


# --- units and coaches ---------------------------------------------------------------------------


def test_program_set_units_refuses_units_of_another_pemda(world):
    with pytest.raises(ValidationError) as info:
        program_set_units(actor=None, program=world.program, units=[world.kel, world.other_unit])
    assert "units" in _errors(info)
    assert set(Participation.objects.filter(program=world.program).values_list("unit_id", flat=True)) == {world.kel.pk, world.sd.pk}


def test_program_set_units_replaces_the_set(world):
    new = Unit.objects.create(pemda=world.own, name="Puskesmas Sidorejo Lor", kind="puskesmas")
    result = program_set_units(actor=None, program=world.program, units=[world.kel, new])
    assert result == {"added": 1, "removed": 1}
    assert set(world.program.units.values_list("pk", flat=True)) == {world.kel.pk, new.pk}
    assert program_set_units(actor=None, program=world.program, units=[world.kel, new]) == {"added": 0, "removed": 0}


def test_assign_coach_refuses_someone_who_is_not_a_coach(world):
    for user in (world.users["innovator"], world.users["organiser"], world.users["no_role"]):
        with pytest.raises(ValidationError) as info:
            program_assign_coach(actor=None, program=world.program, coach=user, units=[world.kel])
        assert "coach" in _errors(info)
    assert CoachAssignment.objects.filter(program=world.program).count() == 1


def test_assign_coach_refuses_a_coach_of_another_pemda(world, make_user):
    from labinov.core.roles import Role

    foreign = make_user("coach@cilegon.test", Role.COACH, world.other)
    with pytest.raises(ValidationError) as info:
        program_assign_coach(actor=None, program=world.program, coach=foreign, units=[world.kel])
    assert "coach" in _errors(info)


def test_assign_coach_refuses_units_not_in_the_program(world):
    outside = Unit.objects.create(pemda=world.own, name="Dinas Pendidikan", kind="dinas")
    with pytest.raises(ValidationError) as info:
        program_assign_coach(actor=None, program=world.program, coach=world.users["coach"], units=[world.kel, outside])
    assert "units" in _errors(info)
    assert "Dinas Pendidikan" in " ".join(_errors(info)["units"])
    assert not CoachAssignment.objects.filter(coach=world.users["coach"]).exists()


def test_assign_coach_is_idempotent(world):
    coach = world.users["coach"]
    assert program_assign_coach(actor=None, program=world.program, coach=coach, units=[world.kel, world.sd]) == 2
    assert program_assign_coach(actor=None, program=world.program, coach=coach, units=[world.kel, world.sd]) == 0
    assert CoachAssignment.objects.filter(program=world.program, coach=coach).count() == 2
    # A national (LAN) coach may coach in any pemda.
    assert program_assign_coach(actor=None, program=world.program, coach=world.users["national_coach"], units=[world.sd]) == 1


# --- events --------------------------------------------------------------------------------------


def _event(world, **fields):
    data = {"title": "Design Workshop", "kind": "stage", "program": world.program, "stages": ["design"],
            "starts_on": D(2019, 5, 6), "ends_on": D(2019, 5, 8), "mode": "luring"}
    data.update(fields)
    return event_create(actor=world.users["organiser"], pemda=world.own, **data)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"starts_on": D(2019, 5, 8), "ends_on": D(2019, 5, 6)}, "ends_on", id="last-day-before-first"),
        pytest.param({"stages": []}, "stages", id="stage-event-without-stages"),
        pytest.param({"stages": ["design", "deliver"]}, "stages", id="unknown-stage"),
        pytest.param({"program": None}, "program", id="stage-event-without-program"),
        pytest.param({"mode": "luring", "online_viewers": 120}, "online_viewers", id="viewers-on-luring"),
    ],
)
def test_event_create_refusals(world, fields, field):
    count = Event.objects.count()
    with pytest.raises(ValidationError) as info:
        _event(world, **fields)
    assert field in _errors(info)
    assert Event.objects.count() == count


def test_event_of_a_program_of_another_pemda_is_refused(world):
    with pytest.raises(ValidationError) as info:
        _event(world, program=world.other_program)
    assert "program" in _errors(info)


def test_event_with_organiser_unit_of_another_pemda_is_refused(world):
    with pytest.raises(ValidationError) as info:
        _event(world, organiser_unit=world.other_unit)
    assert "organiser_unit" in _errors(info)


def test_online_viewers_allowed_on_daring_and_hybrid(world):
    assert _event(world, title="Daring", mode="daring", online_viewers=300).online_viewers == 300
    assert _event(world, title="Hybrid", mode="hybrid", online_viewers=30).online_viewers == 30


def test_training_needs_no_program_nor_stages(world):
    event = _event(world, title="Diklat Inovasi", kind="training", program=None, stages=[])
    assert event.program_id is None


def test_event_stages_are_stored_in_5d_order(world):
    event = _event(world, stages=["documentation", "display", "drum_up", "diagnose", "drum_up"])
    event.refresh_from_db()
    assert event.stages == ["drum_up", "diagnose", "display", "documentation"]
    event_update(actor=None, event=event, stages=["deliver_launching", "design", "deliver_monitoring"])
    event.refresh_from_db()
    assert event.stages == ["design", "deliver_monitoring", "deliver_launching"]
    assert event.stages == [s for s in EventStage.values if s in event.stages]


def test_event_create_audits(world):
    event = _event(world)
    record = AuditRecord.objects.get(action="event.create", object_id=str(event.pk))
    assert (record.actor_id, record.pemda_id) == (world.users["organiser"].pk, world.own.pk)


# --- attendance ----------------------------------------------------------------------------------


@pytest.fixture
def attendees(world):
    return [world.person] + [Person.objects.create(pemda=world.own, name=f"Peserta {i}", unit=world.sd) for i in range(3)]


def test_attendance_record_is_idempotent(world, attendees):
    entries = [{"person": p, "present": True, "mode": "luring"} for p in attendees]
    assert attendance_record(actor=None, event=world.event, entries=entries) == {"created": 4, "updated": 0}
    assert attendance_record(actor=None, event=world.event, entries=entries) == {"created": 0, "updated": 0}
    assert Attendance.objects.filter(event=world.event).count() == 4
    rows = {a.person_id: a for a in Attendance.objects.filter(event=world.event)}
    assert rows[world.person.pk].unit_id == world.kel.pk


def test_attendance_record_updates_a_changed_row(world, attendees):
    entries = [{"person": p, "present": True, "mode": "luring"} for p in attendees]
    attendance_record(actor=None, event=world.event, entries=entries)
    entries[0]["present"] = False
    assert attendance_record(actor=None, event=world.event, entries=entries) == {"created": 0, "updated": 1}
    assert Attendance.objects.get(event=world.event, person=attendees[0]).present is False
    assert Attendance.objects.filter(event=world.event).count() == 4


def test_attendance_refuses_people_of_another_pemda(world, attendees):
    entries = [{"person": attendees[0], "present": True}, {"person": world.other_person, "present": True}]
    with pytest.raises(ValidationError) as info:
        attendance_record(actor=None, event=world.event, entries=entries)
    assert any("Agus Santoso" in m for m in info.value.messages)
    assert not Attendance.objects.exists()


def test_attendance_refuses_daring_on_a_luring_event(world, attendees):
    assert world.event.mode == "luring"
    with pytest.raises(ValidationError):
        attendance_record(actor=None, event=world.event, entries=[{"person": attendees[0], "present": True, "mode": "daring"}])
    assert not Attendance.objects.exists()


def test_attendance_daring_is_fine_on_a_hybrid_event(world, attendees):
    event = _event(world, title="Hybrid", mode="hybrid")
    result = attendance_record(actor=None, event=event, entries=[{"person": attendees[0], "present": True, "mode": "daring"}],
                               online_viewers=25)
    assert result == {"created": 1, "updated": 0}
    event.refresh_from_db()
    assert event.online_viewers == 25


def test_attendance_refuses_negative_viewers(world, attendees):
    event = _event(world, title="Daring", mode="daring")
    with pytest.raises(ValidationError):
        attendance_record(actor=None, event=event, entries=[], online_viewers=-1)


def test_attendance_record_audits(world, attendees):
    attendance_record(actor=world.users["coach"], event=world.event, entries=[{"person": attendees[0]}])
    record = AuditRecord.objects.get(action="event.record_attendance")
    assert (record.actor_id, record.pemda_id, record.changes) == (world.users["coach"].pk, world.own.pk, {"created": 1, "updated": 0})


def test_attendance_with_the_same_person_twice_records_once(world, attendees):
    entries = [{"person": attendees[0], "present": True}, {"person": attendees[0], "present": True}]
    try:
        attendance_record(actor=None, event=world.event, entries=entries)
    except ValidationError:
        pass
    assert Attendance.objects.filter(event=world.event).count() <= 1
