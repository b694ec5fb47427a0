from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from labinov.core.errors import raise_with_model_errors
from labinov.core.audit import audit_record, diff, snapshot
from labinov.core.stages import ORDER, Capability, EventStage, StageKey, get_stage, next_stage, stage_allows
from labinov.regions.models import UnitKind

from .models import Attendance, CoachAssignment, Event, EventKind, Participation, Program, StageTransition

PROGRAM_FIELDS = [
    "name", "year", "description", "partner", "partner_name", "mou_number", "mou_date",
    "target_unit_kinds", "target_ideas", "target_innovations", "starts_on", "ends_on",
]
EVENT_FIELDS = [
    "title", "kind", "program", "stages", "starts_on", "ends_on", "venue", "mode", "speakers",
    "organiser_unit", "online_viewers", "stream_url", "description",
]
_EVENT_SNAP = [f if f not in ("program", "organiser_unit") else f + "_id" for f in EVENT_FIELDS]


def lock_in_stage(program_id: int, capability: str) -> Program:
    """Inside a transaction: lock the program row and check that its current stage allows `capability`.

    The views check the same rule before showing a form; this re-check under the lock is what
    makes a concurrent stage move unable to slip between the check and the write.
    """
    current = Program.objects.select_for_update().get(pk=program_id)
    if not stage_allows(current.stage, capability):
        raise ValidationError(
            _("The program is in %(stage)s, which does not allow this.") % {"stage": get_stage(current.stage).label}
        )
    return current


def _clean_program(program: Program) -> None:
    errors = {}
    program.name = (program.name or "").strip()
    if program.starts_on and program.ends_on and program.ends_on < program.starts_on:
        errors["ends_on"] = _("The end date must not be before the start date.")
    bad = [k for k in program.target_unit_kinds or [] if k not in UnitKind.values]
    if bad:
        errors["target_unit_kinds"] = _("Unknown unit type: %(kinds)s.") % {"kinds": ", ".join(bad)}
    dup = Program.objects.filter(pemda_id=program.pemda_id, name__iexact=program.name)
    if program.pk:
        dup = dup.exclude(pk=program.pk)
    if program.name and dup.exists():
        errors["name"] = _("This pemda already has a program named “%(name)s”.") % {"name": program.name}
    if program.year and not 2000 <= program.year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    raise_with_model_errors(program, errors)


def program_create(*, actor, pemda, units=None, **fields) -> Program:
    program = Program(pemda=pemda, **fields)
    _clean_program(program)
    with transaction.atomic():
        program.save()
        audit_record(actor=actor, action="program.create", obj=program, changes=snapshot(program, PROGRAM_FIELDS))
        if units:
            program_set_units(actor=actor, program=program, units=units)
    return program


def program_update(*, actor, program: Program, **fields) -> Program:
    before = snapshot(program, PROGRAM_FIELDS)
    for name, value in fields.items():
        if name not in PROGRAM_FIELDS:
            raise TypeError(name)
        setattr(program, name, value)
    _clean_program(program)
    with transaction.atomic():
        lock_in_stage(program.pk, Capability.PROGRAM_EDIT)
        program.save(update_fields=PROGRAM_FIELDS)  # never the stage: that moves only through program_advance
        audit_record(actor=actor, action="program.update", obj=program, changes=diff(before, snapshot(program, PROGRAM_FIELDS)))
    return program


def program_advance(*, actor, program: Program, to_stage: str, note: str = "", confirmed: bool = False) -> Program:
    """Moves the program one stage forward. Stages are sequential: skipping or going back is refused.

    A move cannot be undone, so what the current stage leaves undone (`selectors.stage_incomplete`)
    must be confirmed: without `confirmed` the move is refused while anything is incomplete. The
    audit record keeps the list that was confirmed.
    """
    from .selectors import stage_incomplete

    if to_stage not in ORDER:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    with transaction.atomic():
        current = Program.objects.select_for_update().get(pk=program.pk)
        expected = next_stage(current.stage)
        if expected is None:
            raise ValidationError({"to_stage": _("The program is closed; it has no next stage.")})
        if to_stage != expected:
            raise ValidationError(
                {"to_stage": _("The program is in %(current)s; the next stage is %(next)s, not %(asked)s.")
                 % {"current": get_stage(current.stage).label, "next": get_stage(expected).label,
                    "asked": get_stage(to_stage).label}}
            )
        incomplete = stage_incomplete(program=current)
        if incomplete and not confirmed:
            raise ValidationError({"confirm": _("%(stage)s is not complete: %(items)s Confirm to move on anyway.") % {
                "stage": get_stage(current.stage).label, "items": " ".join(incomplete)}})
        StageTransition.objects.create(program=current, from_stage=current.stage, to_stage=to_stage, actor=actor, note=note[:500])
        changes = {"stage": [current.stage, to_stage]}
        if incomplete:
            changes["confirmed_incomplete"] = incomplete
        audit_record(actor=actor, action="program.advance", obj=current, changes=changes)
        current.stage = to_stage
        current.save(update_fields=["stage"])
    program.stage = to_stage
    return program


def program_set_units(*, actor, program: Program, units, within=None) -> dict[str, int]:
    """Sets the participating units (replacing the previous set).

    With `within` (the units a filtered list showed), only those are decided: `units` are the ones
    chosen among them, and every unit outside `within` keeps taking part or not as before. That is
    what a filtered chooser saves, so a search never drops units it did not show.
    """
    units = list(units)
    within = None if within is None else list(within)
    foreign = [u for u in units + (within or []) if u.pemda_id != program.pemda_id]
    if foreign:
        raise ValidationError({"units": _("Units must belong to the program's pemda.")})
    if within is not None and {u.pk for u in units} - {u.pk for u in within}:
        raise ValidationError({"units": _("A chosen unit was not in the list shown; reload the page and try again.")})
    with transaction.atomic():
        lock_in_stage(program.pk, Capability.PROGRAM_EDIT)
        current = set(Participation.objects.filter(program=program).values_list("unit_id", flat=True))
        wanted = {u.pk for u in units}
        if within is not None:
            wanted |= current - {u.pk for u in within}
        Participation.objects.filter(program=program, unit_id__in=current - wanted).delete()
        CoachAssignment.objects.filter(program=program, unit_id__in=current - wanted).delete()
        Participation.objects.bulk_create([Participation(program=program, unit_id=i) for i in wanted - current])
        changes = {"added": sorted(wanted - current), "removed": sorted(current - wanted)}
        audit_record(actor=actor, action="program.set_units", obj=program, changes=changes)
    return {"added": len(changes["added"]), "removed": len(changes["removed"])}


def program_assign_coach(*, actor, program: Program, coach, units) -> int:
    """Assigns a coach (a user with a coach role here, or a national coach) to participating units."""
    from labinov.core.access import roles_of

    roles = roles_of(coach)
    if "national_coach" not in roles.national and "coach" not in roles.roles_in(program.pemda_id):
        raise ValidationError({"coach": _("%(name)s is not a coach in this pemda.") % {"name": coach}})
    participating = set(Participation.objects.filter(program=program).values_list("unit_id", flat=True))
    outside = [u.name for u in units if u.pk not in participating]
    if outside:
        raise ValidationError({"units": _("Not participating in this program: %(units)s.") % {"units": ", ".join(outside)}})
    with transaction.atomic():
        # coaches can be assigned in any stage until the program closes
        if Program.objects.select_for_update().get(pk=program.pk).stage == StageKey.CLOSED:
            raise ValidationError(_("The program is closed."))
        existing = set(CoachAssignment.objects.filter(program=program, coach=coach).values_list("unit_id", flat=True))
        new = [CoachAssignment(program=program, coach=coach, unit=u) for u in units if u.pk not in existing]
        CoachAssignment.objects.bulk_create(new)
        audit_record(actor=actor, action="program.assign_coach", obj=program,
                     changes={"coach": coach.email, "units": [a.unit_id for a in new]})
    return len(new)


def _outside_period(event: Event) -> bool:
    """The event's days fall (partly) outside its program's starts_on..ends_on."""
    program = event.program if event.program_id else None
    if program is None or not (event.starts_on and event.ends_on):
        return False
    return bool((program.starts_on and event.starts_on < program.starts_on) or (program.ends_on and event.ends_on > program.ends_on))


def _clean_event(event: Event, *, allow_outside_period: bool = False) -> None:
    from django.utils.formats import date_format

    errors = {}
    event.title = (event.title or "").strip()
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        errors["ends_on"] = _("The last day must not be before the first day.")
    elif _outside_period(event) and not allow_outside_period:
        p = event.program
        errors["starts_on"] = _(
            "The event is outside the program's period (%(start)s – %(end)s). Correct the dates, or tick "
            "“Allow dates outside the program's period” if this is intended."
        ) % {"start": date_format(p.starts_on) if p.starts_on else "…", "end": date_format(p.ends_on) if p.ends_on else "…"}
    if event.kind == EventKind.STAGE:
        if event.program_id is None:
            errors["program"] = _("A stage workshop belongs to a program.")
        if not event.stages:
            errors["stages"] = _("Choose at least one stage the event covers.")
    bad = [s for s in event.stages or [] if s not in EventStage.values]
    if bad:
        errors["stages"] = _("Unknown stage: %(stages)s.") % {"stages": ", ".join(bad)}
    if event.program_id and event.program.pemda_id != event.pemda_id:
        errors["program"] = _("The program belongs to another pemda.")
    if event.organiser_unit_id and event.organiser_unit.pemda_id != event.pemda_id:
        errors["organiser_unit"] = _("The unit must belong to the same pemda.")
    if event.online_viewers and event.mode == "luring":
        errors["online_viewers"] = _("An in-person event has no online viewers; choose daring or hybrid.")
    raise_with_model_errors(event, errors)
    # Keep the stages in the 5D order whatever order they were ticked in.
    order = list(EventStage.values)
    event.stages = sorted(set(event.stages), key=order.index)


def event_create(*, actor, pemda, allow_outside_period: bool = False, **fields) -> Event:
    """Schedules an event. Its days must lie within the program's period unless `allow_outside_period`
    (an explicit choice, kept in the audit record)."""
    event = Event(pemda=pemda, **fields)
    _clean_event(event, allow_outside_period=allow_outside_period)
    with transaction.atomic():
        if event.program_id:
            lock_in_stage(event.program_id, Capability.EVENT_SCHEDULE)
        event.save()
        changes = snapshot(event, _EVENT_SNAP)
        if _outside_period(event):
            changes["allowed_outside_period"] = True
        audit_record(actor=actor, action="event.create", obj=event, changes=changes)
    return event


def event_update(*, actor, event: Event, allow_outside_period: bool = False, **fields) -> Event:
    before = snapshot(event, _EVENT_SNAP)
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise TypeError(name)
        setattr(event, name, value)
    _clean_event(event, allow_outside_period=allow_outside_period)
    with transaction.atomic():
        if event.program_id:
            lock_in_stage(event.program_id, Capability.EVENT_SCHEDULE)
        event.save()
        changes = diff(before, snapshot(event, _EVENT_SNAP))
        if _outside_period(event):
            changes["allowed_outside_period"] = True
        audit_record(actor=actor, action="event.update", obj=event, changes=changes)
    return event


def attendance_record(*, actor, event: Event, entries: list[dict], online_viewers: int | None = None) -> dict[str, int]:
    """Records who attended: entries of {"person": Person, "present": bool, "mode": "luring"|"daring"}.

    Re-recording the same person updates their row, so the form can be saved again safely.
    """
    errors = []
    for e in entries:
        if e["person"].pemda_id != event.pemda_id:
            errors.append(_("%(name)s belongs to another pemda.") % {"name": e["person"]})
        if e.get("mode", "luring") not in ("luring", "daring"):
            errors.append(_("Unknown attendance mode for %(name)s.") % {"name": e["person"]})
        if event.mode == "luring" and e.get("mode") == "daring":
            errors.append(_("%(name)s cannot attend an in-person event online.") % {"name": e["person"]})
    if online_viewers is not None and online_viewers < 0:
        errors.append(_("The number of online viewers cannot be negative."))
    if online_viewers and event.mode == "luring":
        errors.append(_("An in-person event has no online viewers; choose daring or hybrid."))
    if errors:
        raise ValidationError(errors)
    entries = list({e["person"].pk: e for e in entries}.values())  # a person listed twice counts once; the last wins
    with transaction.atomic():
        if event.program_id:
            lock_in_stage(event.program_id, Capability.ATTENDANCE_RECORD)
        Event.objects.select_for_update().filter(pk=event.pk).first()  # one attendance save at a time per event
        existing = {a.person_id: a for a in Attendance.objects.filter(event=event)}
        to_create, to_update = [], []
        for e in entries:
            person = e["person"]
            row = existing.get(person.pk)
            present, mode = bool(e.get("present", True)), e.get("mode", "luring")
            if row is None:
                to_create.append(Attendance(event=event, person=person, unit_id=person.unit_id, present=present, mode=mode))
            elif (row.present, row.mode) != (present, mode):
                row.present, row.mode = present, mode
                to_update.append(row)
        Attendance.objects.bulk_create(to_create)
        Attendance.objects.bulk_update(to_update, ["present", "mode"])
        created, updated = len(to_create), len(to_update)
        changes = {"created": created, "updated": updated}
        if online_viewers is not None and online_viewers != event.online_viewers:
            changes["online_viewers"] = [event.online_viewers, online_viewers]
            event.online_viewers = online_viewers
            event.save(update_fields=["online_viewers"])
        audit_record(actor=actor, action="event.record_attendance", obj=event, changes=changes)
    return {"created": created, "updated": updated}
