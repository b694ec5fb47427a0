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


def participant_choices(*, program: Program, q: str = "", kind: str = ""):
    """Units that may take part: the pemda's active units plus inactive ones already taking part,
    optionally narrowed by a name search and a unit type."""
    from labinov.regions.models import Unit

    qs = Unit.objects.filter(Q(pemda_id=program.pemda_id, is_active=True) | Q(participations__program=program)).distinct().order_by("name")
    if q.strip():
        for word in q.split()[:5]:
            qs = qs.filter(name__icontains=word)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def program_unit_ids(*, program: Program) -> set[int]:
    return set(Participation.objects.filter(program=program).values_list("unit_id", flat=True))


def stage_incomplete(*, program: Program) -> list[str]:
    """What the program's current stage leaves undone, as sentences for the advance confirmation.

    A fixed number of queries per stage (counts and aggregates), whatever the number of units,
    ideas or innovations.
    """
    from django.db.models import Exists, OuterRef
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from labinov.core.stages import StageKey

    stage = program.stage
    out: list[str] = []
    units = Participation.objects.filter(program=program)

    def of(n: int, total: int, text: str) -> None:
        if n:
            out.append(text % {"n": n, "total": total})

    def events_covering(key: str) -> list[int]:
        rows = Event.objects.filter(program=program).annotate(n=Count("attendances")).values_list("stages", "n")
        return [n for stages, n in rows if key in (stages or [])]

    if stage == StageKey.PLANNED:
        total = units.count()
        if not total:
            out.append(_("No unit takes part in the program yet."))
        else:
            coached = CoachAssignment.objects.filter(program=program).values("unit_id")
            of(units.exclude(unit_id__in=coached).count(), total, ngettext("%(n)s of %(total)s participating unit has no coach.", "%(n)s of %(total)s participating units have no coach.", total))
        if not events_covering("drum_up"):
            out.append(_("No Drum-up event is scheduled."))
    elif stage == StageKey.DRUM_UP:
        drum_up = events_covering("drum_up")
        if not drum_up:
            out.append(_("No Drum-up event is scheduled."))
        else:
            of(sum(1 for n in drum_up if n == 0), len(drum_up), ngettext("%(n)s of %(total)s Drum-up event has no attendance recorded.", "%(n)s of %(total)s Drum-up events have no attendance recorded.", len(drum_up)))
    elif stage == StageKey.DIAGNOSE:
        from labinov.ideas.models import Idea

        total = units.count()
        with_idea = Idea.objects.filter(program=program).exclude(status="draft").values("unit_id")
        of(units.exclude(unit_id__in=with_idea).count(), total, ngettext("%(n)s of %(total)s participating unit has no submitted idea.", "%(n)s of %(total)s participating units have no submitted idea.", total))
        drafts = Idea.objects.filter(program=program, status="draft").count()
        if drafts:
            out.append(ngettext("%(n)s idea is still a draft (not submitted).", "%(n)s ideas are still drafts (not submitted).", drafts) % {"n": drafts})
    elif stage == StageKey.DESIGN:
        from labinov.ideas.models import Idea, Screening

        counts = Idea.objects.filter(program=program).exclude(status="draft").aggregate(
            total=Count("id"), undecided=Count("id", filter=Q(status="submitted")))
        of(counts["undecided"], counts["total"], ngettext("%(n)s of %(total)s submitted idea is not decided yet.", "%(n)s of %(total)s submitted ideas are not decided yet.", counts["total"]))
        published = Screening.objects.filter(program=program, published_at__isnull=False).exists()
        if counts["total"] and not published:
            out.append(_("The screening decisions are not published yet."))
        out.extend(_innovations_without_plan(program))
    elif stage == StageKey.DELIVER_MONITORING:
        from labinov.delivery.models import ProgressReport
        from labinov.innovations.models import Innovation

        out.extend(_innovations_without_plan(program))
        innovations = Innovation.objects.filter(program=program)
        total = innovations.count()
        reported = ProgressReport.objects.filter(innovation=OuterRef("pk"))
        of(innovations.exclude(Exists(reported)).count(), total, ngettext("%(n)s of %(total)s innovation has no progress report.", "%(n)s of %(total)s innovations have no progress report.", total))
    elif stage == StageKey.DELIVER_LAUNCHING:
        from labinov.delivery.models import Commitment
        from labinov.innovations.models import Innovation

        counts = Commitment.objects.filter(program=program).aggregate(
            total=Count("id"), unsigned=Count("id", filter=Q(status__in=["drafted", "signed_unit"])))
        if not counts["total"]:
            out.append(_("No commitment document is prepared."))
        of(counts["unsigned"], counts["total"], ngettext("%(n)s of %(total)s commitment document is not fully signed.", "%(n)s of %(total)s commitment documents are not fully signed.", counts["total"]))
        inn = Innovation.objects.filter(program=program).aggregate(total=Count("id"), waiting=Count("id", filter=~Q(status="launched")))
        of(inn["waiting"], inn["total"], ngettext("%(n)s of %(total)s innovation is not launched.", "%(n)s of %(total)s innovations are not launched.", inn["total"]))
    elif stage == StageKey.DISPLAY:
        from labinov.innovations.models import Innovation

        inn = Innovation.objects.filter(program=program).aggregate(total=Count("id"), hidden=Count("id", filter=Q(published_at__isnull=True)))
        of(inn["hidden"], inn["total"], ngettext("%(n)s of %(total)s innovation is not published in the catalogue.", "%(n)s of %(total)s innovations are not published in the catalogue.", inn["total"]))
    return out


def _innovations_without_plan(program: Program) -> list[str]:
    from django.db.models import Exists, OuterRef
    from django.utils.translation import ngettext

    from labinov.innovations.models import ActionPlan, Innovation

    innovations = Innovation.objects.filter(program=program)
    approved = ActionPlan.objects.filter(innovation=OuterRef("pk"), status="approved")
    counts = innovations.aggregate(total=Count("id"), without=Count("id", filter=~Q(Exists(approved))))
    if not counts["without"]:
        return []
    return [ngettext("%(n)s of %(total)s innovation has no approved action plan.",
                     "%(n)s of %(total)s innovations have no approved action plan.", counts["total"]) % {"n": counts["without"], "total": counts["total"]}]


def event_invitees(*, event: Event):
    """Who is on an event's attendance list: the people of the program's participating units and the
    people whose account coaches in the program (for a training: everyone of the pemda). Each row is
    annotated `is_coach`; one query whatever the number."""
    from django.db.models import Exists, OuterRef

    from labinov.people.models import Person

    people = Person.objects.filter(pemda_id=event.pemda_id).select_related("unit")
    if event.program_id:
        coaching = CoachAssignment.objects.filter(program_id=event.program_id, coach_id=OuterRef("user_id"))
        participating = Participation.objects.filter(program_id=event.program_id, unit_id=OuterRef("unit_id"))
        people = people.annotate(is_coach=Exists(coaching), invited=Exists(participating)).filter(Q(is_coach=True) | Q(invited=True))
    else:
        from django.db.models import BooleanField, Value

        people = people.annotate(is_coach=Value(False, output_field=BooleanField()))
    return people.order_by("unit__name", "name")


def event_coaches_without_person(*, event: Event) -> list:
    """Coaches of the event's program who have no person record in the pemda, so cannot be listed."""
    if not event.program_id:
        return []
    from labinov.people.models import Person

    linked = Person.objects.filter(pemda_id=event.pemda_id, user_id__isnull=False).values("user_id")
    rows = (CoachAssignment.objects.filter(program_id=event.program_id).exclude(coach_id__in=linked)
            .select_related("coach").order_by("coach__full_name").distinct())
    seen, out = set(), []
    for a in rows:
        if a.coach_id not in seen:
            seen.add(a.coach_id)
            out.append(a.coach)
    return out
