"""A program's action plans as a whole: the overview with plan statuses, the Gantt-style timelines,
and the reminder e-mails to units whose plan is missing or late.

Every read here costs a fixed number of queries whatever the size of the program: the latest plan
of each innovation is found with subqueries, and what a page shows besides (coaches, last changes,
milestones) is fetched for that page only.
"""

from __future__ import annotations

import labinov.innovations.rules_program  # noqa: F401  (registers the permissions these pages ask)

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labinov.core.audit import audit_record
from labinov.core.mail import send_later
from labinov.core.models import AuditRecord
from labinov.programs.models import CoachAssignment, Event

from .models import ActionPlan, Innovation, Milestone, PlanStatus

NO_PLAN = "none"
STATUS_CHOICES = [(NO_PLAN, gettext_lazy("No plan yet")), *PlanStatus.choices]
NO_COACH = "none"
OVERVIEW_PAGE = 50
TIMELINE_UNITS_PAGE = 20
DESIGN = "design"


def status_label(status: str) -> str:
    return str(dict(STATUS_CHOICES).get(status, status))


# --------------------------------------------------------------------------- the program's innovations and their latest plans


def _latest(field_name: str):
    return Subquery(ActionPlan.objects.filter(innovation=OuterRef("pk")).order_by("-version").values(field_name)[:1])


def program_innovations(*, program, unit_kind: str = "", coach: str | int | None = None, status: str = "",
                        innovation_id: int | None = None) -> QuerySet[Innovation]:
    """The program's innovations with their latest plan (`plan_id`, `plan_version`, `plan_status`;
    "none" without a plan), by unit then name, optionally filtered by unit type, coach and plan status."""
    qs = (
        Innovation.objects.filter(program=program, pemda_id=program.pemda_id)
        .select_related("unit")
        .annotate(plan_id=_latest("pk"), plan_version=_latest("version"), plan_status=Coalesce(_latest("status"), Value(NO_PLAN)))
    )
    if innovation_id:
        qs = qs.filter(pk=innovation_id)
    if unit_kind:
        qs = qs.filter(unit__kind=unit_kind)
    if coach == NO_COACH:
        qs = qs.exclude(Exists(CoachAssignment.objects.filter(program=program, unit=OuterRef("unit_id"))))
    elif coach:
        qs = qs.filter(Exists(CoachAssignment.objects.filter(program=program, unit=OuterRef("unit_id"), coach_id=coach)))
    if status:
        qs = qs.filter(plan_status=status)
    return qs.order_by("unit__name", "name", "pk")


def filter_choices(*, program) -> dict:
    """What the overview can be filtered by: the unit types and the coaches present in the program."""
    from labinov.regions.models import UnitKind

    kinds = set(Innovation.objects.filter(program=program).order_by().values_list("unit__kind", flat=True).distinct())
    coaches = (
        CoachAssignment.objects.filter(program=program)
        .values_list("coach_id", "coach__full_name", "coach__email").distinct().order_by("coach__full_name", "coach__email")
    )
    return {
        "unit_kinds": [(k, label) for k, label in UnitKind.choices if k in kinds],
        "coaches": [(pk, name or email) for pk, name, email in coaches],
    }


def status_counts(*, program, unit_kind: str = "", coach=None) -> list[dict]:
    """How many innovations have each plan status, within the unit type and coach filters (one query)."""
    rows = (
        program_innovations(program=program, unit_kind=unit_kind, coach=coach)
        .order_by().values("plan_status").annotate(n=Count("pk"))
    )
    counts = {r["plan_status"]: r["n"] for r in rows}
    return [{"status": key, "label": label, "n": counts.get(key, 0)} for key, label in STATUS_CHOICES]


def _coaches_by_unit(program, unit_ids) -> dict[int, list]:
    coaches: dict[int, list] = {}
    for a in CoachAssignment.objects.filter(program=program, unit_id__in=set(unit_ids)).select_related("coach").order_by(
        "coach__full_name", "coach__email"
    ):
        coaches.setdefault(a.unit_id, []).append(a.coach)
    return coaches


def _last_changes(program, plan_ids) -> dict[int, datetime.datetime]:
    """When each plan was last written, commented on or moved (from the audit trail)."""
    keys = [str(pk) for pk in plan_ids if pk]
    if not keys:
        return {}
    rows = (
        AuditRecord.objects.filter(pemda_id=program.pemda_id, object_type="innovations.actionplan", object_id__in=keys)
        .order_by().values("object_id").annotate(at=Max("created_at")).values_list("object_id", "at")
    )
    return {int(pk): at for pk, at in rows}


def plan_overview(*, program, page_number=None, unit_kind: str = "", coach=None, status: str = "", per_page: int = OVERVIEW_PAGE) -> dict:
    """One page of the program's innovations with unit, coaches, latest plan version and status and
    the last change, plus the count of each status on top. A fixed number of queries."""
    qs = program_innovations(program=program, unit_kind=unit_kind, coach=coach, status=status)
    page = Paginator(qs, per_page).get_page(page_number)
    rows = list(page.object_list)
    coaches = _coaches_by_unit(program, [i.unit_id for i in rows])
    changes = _last_changes(program, [i.plan_id for i in rows])
    for innovation in rows:
        innovation.coaches = coaches.get(innovation.unit_id, [])
        innovation.last_change = changes.get(innovation.plan_id)
        innovation.plan_status_label = status_label(innovation.plan_status)
    counts = status_counts(program=program, unit_kind=unit_kind, coach=coach)
    return {"page": page, "rows": rows, "counts": counts, "total": sum(c["n"] for c in counts)}


# --------------------------------------------------------------------------- timelines


@dataclass
class Bar:
    order: int
    activity: str
    starts_on: datetime.date
    ends_on: datetime.date
    pic: str
    output: str
    quick_win: bool
    left: str = "0"  # percent of the range, as CSS text (never localised)
    width: str = "0"
    before_range: bool = False  # starts before the shown range (the bar is cut)
    after_range: bool = False


@dataclass
class TimelineInnovation:
    innovation: Innovation
    status: str
    status_label: str
    version: int | None
    bars: list[Bar] = field(default_factory=list)


def _pct(value: float) -> str:
    return f"{max(0.0, min(100.0, value)):.3f}".rstrip("0").rstrip(".")


def _month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    first = start.replace(day=1)
    if first < start:
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    months = []
    while first <= end:
        months.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return months


def timeline_range(*, program, innovation_id: int | None = None) -> tuple[datetime.date, datetime.date] | None:
    """The period a timeline spans: the program's, or (where the program has no date) the earliest
    milestone's start and the latest milestone's end of the latest plans."""
    start, end = program.starts_on, program.ends_on
    if start is None or end is None:
        innovations = Innovation.objects.filter(program=program)
        if innovation_id:
            innovations = innovations.filter(pk=innovation_id)
        newer = ActionPlan.objects.filter(innovation=OuterRef("plan__innovation"), version__gt=OuterRef("plan__version"))
        span = (
            Milestone.objects.filter(plan__innovation__in=innovations).exclude(Exists(newer))
            .aggregate(first=Min("starts_on"), last=Max("ends_on"))
        )
        start = start or span["first"]
        end = end or span["last"]
    if start is None or end is None:
        return None
    return (start, end) if end >= start else (end, start)


def plan_timeline(*, program, page_number=None, innovation_id: int | None = None, today: datetime.date | None = None,
                  per_page: int = TIMELINE_UNITS_PAGE) -> dict:
    """The latest plans of the program's innovations, grouped by unit, one page of units at a time:
    each milestone a bar placed in percent of the period (see `timeline_range`), with month ticks and
    today's line when today falls inside the period."""
    from labinov.regions.models import Unit

    today = today or timezone.localdate()
    innovations = program_innovations(program=program, innovation_id=innovation_id)
    units = Unit.objects.filter(pk__in=innovations.values("unit_id")).order_by("name", "pk")
    page = Paginator(units, per_page).get_page(page_number)
    page_units = list(page.object_list)
    rows = list(innovations.filter(unit_id__in=[u.pk for u in page_units]))
    span = timeline_range(program=program, innovation_id=innovation_id)
    milestones: dict[int, list[Milestone]] = {}
    plan_ids = [i.plan_id for i in rows if i.plan_id]
    if plan_ids:
        for m in Milestone.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "order", "starts_on", "id"):
            milestones.setdefault(m.plan_id, []).append(m)

    ticks, today_mark = [], None
    if span:
        start, end = span
        days = (end - start).days + 1
        months = _month_starts(start, end)
        step = 1 if len(months) <= 18 else 3 if len(months) <= 48 else 12
        ticks = [{"date": d, "left": _pct((d - start).days / days * 100)} for d in months[::step]]
        if start <= today <= end:
            today_mark = {"date": today, "left": _pct(((today - start).days + 0.5) / days * 100)}

    by_unit: dict[int, list[TimelineInnovation]] = {}
    for innovation in rows:
        entry = TimelineInnovation(innovation=innovation, status=innovation.plan_status,
                                   status_label=status_label(innovation.plan_status), version=innovation.plan_version)
        for m in milestones.get(innovation.plan_id, []):
            bar = Bar(order=m.order, activity=m.activity, starts_on=m.starts_on, ends_on=m.ends_on, pic=m.pic,
                      output=m.output, quick_win=m.quick_win)
            if span:
                start, end = span
                days = (end - start).days + 1
                first, last = max(m.starts_on, start), min(m.ends_on, end)
                bar.before_range, bar.after_range = m.starts_on < start, m.ends_on > end
                if first > end or last < start:  # wholly outside: a sliver at the edge it lies beyond
                    first = last = end if first > end else start
                bar.left = _pct((first - start).days / days * 100)
                bar.width = _pct(max(((last - first).days + 1) / days * 100, 0.6))
            entry.bars.append(bar)
        by_unit.setdefault(innovation.unit_id, []).append(entry)

    return {
        "page": page,
        "units": [{"unit": u, "innovations": by_unit.get(u.pk, [])} for u in page_units],
        "range": span,
        "ticks": ticks,
        "today": today_mark,
        "innovation": rows[0] if innovation_id and rows else None,
    }


# --------------------------------------------------------------------------- reminders


def plan_due_date(*, program) -> datetime.date | None:
    """The last day of the program's latest event covering Design, or None without one."""
    events = [e for e in Event.objects.filter(program=program).only("stages", "starts_on", "ends_on") if DESIGN in (e.stages or [])]
    if not events:
        return None
    return max(events, key=lambda e: (e.starts_on, e.ends_on)).ends_on


@dataclass
class UnitReminder:
    unit: object
    innovations: list = field(default_factory=list)  # [(innovation, "missing" | "late")]
    emails: list[str] = field(default_factory=list)


def plan_reminder_targets(*, program, today: datetime.date | None = None) -> tuple[datetime.date | None, list[UnitReminder]]:
    """The units to remind, each with its innovations and addresses: plans that are missing, and —
    once the due date (see `plan_due_date`) has passed — plans not approved yet. Addresses are the
    unit heads' accounts, or else the e-mails of the unit's people."""
    from labinov.core.roles import Role
    from labinov.people.models import Membership, Person

    today = today or timezone.localdate()
    due = plan_due_date(program=program)
    wanted = Q(plan_status=NO_PLAN)
    if due is not None and today > due:
        wanted |= ~Q(plan_status=PlanStatus.APPROVED)
    by_unit: dict[int, UnitReminder] = {}
    for innovation in program_innovations(program=program).filter(wanted):
        reason = "missing" if innovation.plan_status == NO_PLAN else "late"
        by_unit.setdefault(innovation.unit_id, UnitReminder(unit=innovation.unit)).innovations.append((innovation, reason))
    if not by_unit:
        return due, []
    heads = Membership.objects.filter(
        role=Role.UNIT_HEAD, pemda_id=program.pemda_id, unit_id__in=list(by_unit), user__is_active=True
    ).values_list("unit_id", "user__email")
    for unit_id, email in heads:
        if email and email not in by_unit[unit_id].emails:
            by_unit[unit_id].emails.append(email)
    without = [pk for pk, r in by_unit.items() if not r.emails]
    if without:
        people = Person.objects.filter(pemda_id=program.pemda_id, unit_id__in=without).exclude(email="").values_list("unit_id", "email")
        for unit_id, email in people:
            if email.lower() not in {e.lower() for e in by_unit[unit_id].emails}:
                by_unit[unit_id].emails.append(email)
    return due, sorted(by_unit.values(), key=lambda r: (r.unit.name, r.unit.pk))


def plan_reminders_send(*, actor, program, link: str = "", today: datetime.date | None = None) -> dict:
    """E-mails each unit whose plan is missing or late once (after the commit), listing its
    innovations; records "plan.remind" with the counts. Units without any address are reported."""
    due, targets = plan_reminder_targets(program=program, today=today)
    sent = [t for t in targets if t.emails]
    unreachable = [t.unit.name for t in targets if not t.emails]
    with transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):  # written to the units, in the pemda's language
            for target in sent:
                body = render_to_string("innovations/reminder_email.txt", {
                    "program": program, "pemda": program.pemda, "unit": target.unit, "due": due, "link": link,
                    "missing": [i for i, reason in target.innovations if reason == "missing"],
                    "late": [{"innovation": i, "status": status_label(i.plan_status)} for i, reason in target.innovations if reason == "late"],
                })
                subject = _("Action plan reminder: %(program)s") % {"program": program.name}
                send_later(subject, body, sorted(target.emails))
        missing = sum(1 for t in targets for _i, reason in t.innovations if reason == "missing")
        late = sum(1 for t in targets for _i, reason in t.innovations if reason == "late")
        audit_record(actor=actor, action="plan.remind", obj=program, pemda=program.pemda, changes={
            "units": len(sent), "missing": missing, "late": late, "due": due.isoformat() if due else None,
            "units_without_address": unreachable,
        })
    return {"units": len(sent), "missing": missing, "late": late, "due": due, "unreachable": unreachable}
