from __future__ import annotations


from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from labinov.core.access import roles_of

from .models import Attendance, CoachAssignment, Event, Participation, Program, StageTransition


def program_list(*, actor, pemda, year: int | None = None, stage: str = "") -> QuerySet[Program]:
    qs = Program.objects.filter(pemda=pemda).select_related("pemda").annotate(
        unit_count=Count("participations", distinct=True), event_count=Count("events", distinct=True)
    ).order_by("-year", "name")
    if year:
        qs = qs.filter(year=year)
    if stage:
        qs = qs.filter(stage=stage)
    return qs


def program_get(*, actor, pemda, pk: int) -> Program:
    try:
        return Program.objects.select_related("pemda").get(pemda=pemda, pk=pk)
    except (Program.DoesNotExist, ValueError):
        raise Http404 from None


def program_transitions(*, program: Program) -> QuerySet[StageTransition]:
    return program.transitions.select_related("actor")


def program_participations(*, program: Program) -> QuerySet[Participation]:
    return Participation.objects.filter(program=program).select_related("unit").order_by("unit__name")


def with_coaches(*, program: Program, participations) -> list[dict]:
    """Each participating unit of a page with its coaches, in one more query whatever the page size."""
    participations = list(participations)
    coaches: dict[int, list] = {}
    assignments = CoachAssignment.objects.filter(
        program=program, unit_id__in=[p.unit_id for p in participations]
    ).select_related("coach")
    for a in assignments:
        coaches.setdefault(a.unit_id, []).append(a.coach)
    return [{"unit": p.unit, "coaches": coaches.get(p.unit_id, [])} for p in participations]


def program_participation_summary(*, program: Program) -> list[dict]:
    """Participating units counted by type, for the program page."""
    rows = Participation.objects.filter(program=program).values("unit__kind").annotate(n=Count("id")).order_by("-n")
    from labinov.regions.models import UnitKind

    return [{"kind": UnitKind(r["unit__kind"]).label, "n": r["n"]} for r in rows]


def event_list(*, actor, pemda, program: Program | None = None, kind: str = "") -> QuerySet[Event]:
    qs = Event.objects.filter(pemda=pemda).select_related("pemda", "program", "organiser_unit").annotate(
        present_count=Count("attendances", filter=Q(attendances__present=True))
    ).order_by("-starts_on", "title")
    if program is not None:
        qs = qs.filter(program=program)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def event_get(*, actor, pemda, pk: int) -> Event:
    try:
        return Event.objects.select_related("program", "organiser_unit", "pemda").get(pemda=pemda, pk=pk)
    except (Event.DoesNotExist, ValueError):
        raise Http404 from None


def event_attendance(*, event: Event) -> QuerySet[Attendance]:
    return event.attendances.select_related("person", "unit").order_by("unit__name", "person__name")


def event_attendance_summary(*, event: Event) -> dict:
    rows = event.attendances.filter(present=True)
    by_unit = list(
        rows.values("unit__name").annotate(n=Count("id")).order_by("unit__name")
    )
    return {
        "present": rows.count(),
        "luring": rows.filter(mode="luring").count(),
        "daring": rows.filter(mode="daring").count(),
        "units": len([r for r in by_unit if r["unit__name"]]),
        "by_unit": by_unit,
        "online_viewers": event.online_viewers or 0,
    }


def home_for(*, actor) -> dict:
    """What a user sees first: their programs with stage, upcoming events, and next steps by role."""
    from labinov.core.stages import get_stage
    from labinov.regions.models import Pemda

    index = roles_of(actor)
    # Memberships alone decide which pemda a user sees (a coach assignment without the role does not).
    pemda_ids = None if index.national else index.pemda_ids()
    programs = Program.objects.select_related("pemda").exclude(stage="closed").order_by("pemda__name", "-year")
    events = Event.objects.select_related("pemda", "program").filter(ends_on__gte=timezone.localdate()).order_by("starts_on")
    if pemda_ids is not None:
        programs = programs.filter(pemda_id__in=pemda_ids)
        events = events.filter(pemda_id__in=pemda_ids)
    programs = list(programs[:50])
    todo = []
    for program in programs:
        stage = get_stage(program.stage)
        roles = set(index.roles_in(program.pemda_id)) | set(index.national)
        if "national_admin" in roles:
            roles.add("organiser")
        if "national_coach" in roles:
            roles.add("coach")
        for role in sorted(roles):
            step = stage.next_steps.get(role)
            if step:
                todo.append({"program": program, "role": role, "text": step})
    pemdas = Pemda.objects.all() if pemda_ids is None else Pemda.objects.filter(pk__in=pemda_ids)
    return {"programs": programs, "events": list(events[:10]), "todo": todo, "pemdas": list(pemdas.order_by("name")[:50])}


def participant_choices(*, program: Program):
    from labinov.regions.models import Unit

    return Unit.objects.filter(Q(pemda_id=program.pemda_id, is_active=True) | Q(participations__program=program)).distinct().order_by("name")
