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
    """What a user sees first: their programs with stage, upcoming events, and next steps by role.

    Each user sees the programs and events that concern them: organisers, coaches, verifiers and
    leaders those of their whole pemda; unit heads and innovators the programs their unit takes part
    in, with their events, plus the pemda's trainings outside a program; anyone assigned as a coach
    the programs they coach. A national admin sees every program; upcoming events, like a national
    coach's, only where assigned. A fixed number of queries.
    """
    from labinov.core.roles import Role
    from labinov.core.stages import get_stage
    from labinov.regions.models import Pemda

    index = roles_of(actor)
    # Memberships alone decide which pemda a user sees (a coach assignment without the role does not).
    pemda_ids = None if index.national else index.pemda_ids()
    wide = {Role.ORGANISER, Role.COACH, Role.VERIFIER, Role.LEADER}
    wide_pemdas = {p for p, roles in index.by_pemda.items() if roles & wide}
    unit_ids = {u for (_p, role), units in index.units.items() if role in (Role.UNIT_HEAD, Role.INNOVATOR) for u in units}
    unit_pemdas = {p for (p, role), units in index.units.items() if units and role in (Role.UNIT_HEAD, Role.INNOVATOR)}
    unit_programs = Participation.objects.filter(unit_id__in=unit_ids).values("program_id")
    coached = CoachAssignment.objects.filter(coach_id=actor.pk)
    if pemda_ids is not None:
        coached = coached.filter(program__pemda_id__in=pemda_ids)
    coached = coached.values("program_id")
    concerns = Q(pemda_id__in=wide_pemdas) | Q(program_id__in=unit_programs) | Q(program_id__in=coached)

    programs = Program.objects.select_related("pemda").exclude(stage="closed").order_by("pemda__name", "-year")
    if Role.NATIONAL_ADMIN not in index.national:
        programs = programs.filter(Q(pemda_id__in=wide_pemdas) | Q(pk__in=unit_programs) | Q(pk__in=coached))
    events = Event.objects.select_related("pemda", "program").filter(ends_on__gte=timezone.localdate()).filter(
        concerns | Q(program__isnull=True, pemda_id__in=unit_pemdas)).order_by("starts_on", "title")
    programs = list(programs[:50])
    taking_part = set(Participation.objects.filter(unit_id__in=unit_ids, program__in=programs).values_list("program_id", flat=True))
    todo = []
    for program in programs:
        stage = get_stage(program.stage)
        roles = set(index.roles_in(program.pemda_id)) | set(index.national)
        if program.pk not in taking_part:
            roles -= {Role.UNIT_HEAD, Role.INNOVATOR}  # their unit is not in this program
        if "national_admin" in roles:
            roles.add("organiser")
        if "national_coach" in roles:
            roles.add("coach")
        for role in sorted(roles):
            step = stage.next_steps.get(role)
            if step:
                todo.append({"program": program, "role": role, "text": step,
                             "unit_role": role in (Role.UNIT_HEAD, Role.INNOVATOR)})
    pemdas = Pemda.objects.all() if pemda_ids is None else Pemda.objects.filter(pk__in=pemda_ids)
    return {"programs": programs, "events": list(events[:10]), "todo": todo, "pemdas": list(pemdas.order_by("name")[:50])}


def participant_choices(*, program: Program):
    from labinov.regions.models import Unit

    return Unit.objects.filter(Q(pemda_id=program.pemda_id, is_active=True) | Q(participations__program=program)).distinct().order_by("name")
