"""Monitoring in Deliver: progress reports per milestone with evidence, coach notes with a traffic
light, the progress dashboard, and the daily check of overdue milestones with its e-mail digests.

Monitoring follows each innovation's current plan: its latest approved version. Every page reads
with a fixed number of queries: the dashboard aggregates milestones per unit in one query.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import (
    Case, Count, DateField, Exists, ExpressionWrapper, F, FloatField, Func, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value, When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record
from labinov.innovations.models import ActionPlan, Innovation, Milestone, PlanStatus

from .models import CoachNote, Evidence, MilestoneProgress, MilestoneState, ProgressReport, Rating

MAX_FILES_PER_REPORT = 5
MAX_LINKS_PER_REPORT = 5
#: a plan (or a unit) slips when its reported progress trails the progress its dates call for by this
#: many percentage points, averaged over its milestones
SLIP_POINTS = 25


def current_plan(innovation: Innovation) -> ActionPlan | None:
    """The version monitoring follows: the latest approved one."""
    return innovation.plans.filter(status=PlanStatus.APPROVED).order_by("-version").first()


def _current_plan_ids():
    return Subquery(ActionPlan.objects.filter(innovation=OuterRef("plan__innovation_id"), status=PlanStatus.APPROVED)
                    .order_by("-version").values("pk")[:1])


def monitored_milestones() -> QuerySet[Milestone]:
    """Milestones of current plans, with their progress (`state`, `pct`, `last_at`)."""
    return (
        Milestone.objects.filter(plan_id=_current_plan_ids())
        .annotate(state=F("progress__status"), pct=F("progress__percent"), last_at=F("progress__last_report_at"))
    )


def expected_percent(starts_on: datetime.date, ends_on: datetime.date, today: datetime.date) -> float:
    """How far a milestone should be by `today` if the work ran evenly from its start to its end."""
    if today < starts_on:
        return 0.0
    if today >= ends_on:
        return 100.0
    return 100.0 * ((today - starts_on).days + 1) / ((ends_on - starts_on).days + 1)


def lag_points(rows, today: datetime.date) -> float:
    """Average expected minus average reported progress over (starts_on, ends_on, percent) rows."""
    rows = list(rows)
    if not rows:
        return 0.0
    expected = sum(expected_percent(start, end, today) for start, end, _pct in rows)
    actual = sum(pct or 0 for _start, _end, pct in rows)
    return (expected - actual) / len(rows)


def is_overdue(milestone, today: datetime.date) -> bool:
    return milestone.ends_on < today and (milestone.state or MilestoneState.NOT_STARTED) != MilestoneState.DONE


# --------------------------------------------------------------------------- writing


def report_progress(*, actor, innovation: Innovation, milestone_id, status: str, percent, obstacles: str = "", note: str = "",
                    event=None, files=(), video_urls=()) -> ProgressReport:
    """A unit's report on one milestone of the current plan, with evidence files (checked by content)
    and video links. Nothing is saved if anything is wrong."""
    from labinov.core.files import clean_evidence, clean_video_link

    errors: dict[str, list] = {}
    plan = current_plan(innovation)
    milestone = Milestone.objects.filter(plan=plan, pk=milestone_id).first() if plan and str(milestone_id).isdigit() else None
    if plan is None:
        raise ValidationError(_("This innovation has no approved action plan to report on."))
    if milestone is None:
        errors["milestone"] = [_("Choose a milestone of the approved action plan.")]
    if status not in MilestoneState.values:
        errors["status"] = [_("Choose a status.")]
    try:
        percent = int(percent)
        if not 0 <= percent <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors["percent"] = [_("Progress is a whole number from 0 to 100.")]
        percent = 0
    if status == MilestoneState.DONE and percent != 100:
        errors.setdefault("percent", []).append(_("A milestone that is done is at 100 %."))
    if status == MilestoneState.NOT_STARTED and percent != 0:
        errors.setdefault("percent", []).append(_("A milestone not started is at 0 %."))
    if status == MilestoneState.BLOCKED and not (obstacles or "").strip():
        errors["obstacles"] = [_("Say what blocks the milestone.")]
    if event is not None and (event.program_id != innovation.program_id or "deliver_monitoring" not in (event.stages or [])):
        errors["event"] = [_("Choose a monitoring event of this program.")]
    files = [f for f in files if f]
    if len(files) > MAX_FILES_PER_REPORT:
        errors["files"] = [_("At most %(n)s files per report.") % {"n": MAX_FILES_PER_REPORT}]
    cleaned = []
    for upload in files[:MAX_FILES_PER_REPORT]:
        try:
            cleaned.append(clean_evidence(upload, field="files"))
        except ValidationError as e:
            errors.setdefault("files", []).extend(f"{upload.name}: {m}" for m in e.messages)
    links = []
    urls = [u.strip() for u in video_urls if u and u.strip()]
    if len(urls) > MAX_LINKS_PER_REPORT:
        errors["video_urls"] = [_("At most %(n)s links per report.") % {"n": MAX_LINKS_PER_REPORT}]
    for url in urls[:MAX_LINKS_PER_REPORT]:
        try:
            links.append(clean_video_link(url, field="video_urls"))
        except ValidationError as e:
            errors.setdefault("video_urls", []).extend(e.messages)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        report = ProgressReport.objects.create(
            milestone=milestone, innovation=innovation, event=event, status=status, percent=percent,
            obstacles=(obstacles or "").strip(), note=(note or "").strip(), reported_by=actor, reported_at=now)
        for clean in cleaned:
            digest = hashlib.sha256(clean.content).hexdigest()
            evidence = Evidence(report=report, kind=clean.kind, content_type=clean.content_type, original_name=_download_name(clean),
                                size=len(clean.content), sha256=digest)
            evidence.file.save(f"{innovation.pemda_id}/{uuid.uuid4().hex}{clean.extension}", ContentFile(clean.content), save=False)
            evidence.save()
        Evidence.objects.bulk_create([Evidence(report=report, kind="video", video_url=url) for url in links])
        MilestoneProgress.objects.update_or_create(
            milestone=milestone,
            defaults={"innovation": innovation, "status": status, "percent": percent, "last_report_at": now,
                      **({"overdue_since": None} if status == MilestoneState.DONE else {})},
        )
        audit_record(actor=actor, action="monitoring.report", obj=innovation,
                     changes={"milestone": milestone.pk, "status": status, "percent": percent, "files": len(cleaned), "links": len(links)})
    return report


def _download_name(clean) -> str:
    """The uploaded name with the extension of what the file really is ("foto.html" holding a PNG -> "foto.png")."""
    import os

    stem = os.path.splitext(clean.original_name)[0] or "bukti"
    return stem[: 120 - len(clean.extension)] + clean.extension


def coach_note_add(*, actor, innovation: Innovation, rating: str, text: str, event=None) -> CoachNote:
    errors = {}
    if rating not in Rating.values:
        errors["rating"] = [_("Choose green, yellow or red.")]
    if not (text or "").strip():
        errors["text"] = [_("Write the note.")]
    if event is not None and event.program_id != innovation.program_id:
        errors["event"] = [_("Choose an event of this program.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = CoachNote.objects.create(innovation=innovation, author=actor, rating=rating, text=text.strip(), event=event,
                                        created_at=timezone.now())
        audit_record(actor=actor, action="monitoring.note", obj=innovation, changes={"rating": rating})
    return note


def carry_progress(sender=None, *, plan, **kwargs) -> int:
    """A newly approved version takes over the progress of the version monitoring followed before:
    each milestone's latest state moves to the milestone in the same position (a revision copies
    milestones in order), so a done milestone stays done. The reports stay where they were written
    and the monitoring page shows them by position. Returns how many states were carried."""
    previous = (ActionPlan.objects.filter(innovation_id=plan.innovation_id, status=PlanStatus.APPROVED, version__lt=plan.version)
                .order_by("-version").first())
    if previous is None:
        return 0
    new_by_order = {m.order: m for m in plan.milestones.all()}
    carried = []
    for state in MilestoneProgress.objects.filter(milestone__plan=previous).select_related("milestone"):
        target = new_by_order.get(state.milestone.order)
        if target is not None:
            carried.append(MilestoneProgress(milestone=target, innovation_id=plan.innovation_id, status=state.status,
                                             percent=state.percent, last_report_at=state.last_report_at))
    MilestoneProgress.objects.filter(milestone__plan=plan).delete()
    MilestoneProgress.objects.bulk_create(carried)
    return len(carried)


# --------------------------------------------------------------------------- reading: one innovation


def innovation_monitoring(*, innovation: Innovation, today: datetime.date | None = None) -> dict:
    """The current plan's milestones with their state, the reports with evidence, the coach notes."""
    today = today or timezone.localdate()
    plan = current_plan(innovation)
    milestones = list(monitored_milestones().filter(plan=plan).order_by("order", "starts_on", "id")) if plan else []
    reports = list(
        ProgressReport.objects.filter(innovation=innovation).select_related("milestone", "reported_by", "event")
        .prefetch_related("evidence")[:100]
    )
    by_position: dict[int, list] = {}  # reports on earlier approved versions show under the same position
    for r in reports:
        by_position.setdefault(r.milestone.order, []).append(r)
    for m in milestones:
        m.overdue = is_overdue(m, today)
        m.report_list = by_position.get(m.order, [])
        m.state_label = MilestoneState(m.state or MilestoneState.NOT_STARTED).label
    notes = list(innovation.coach_notes.select_related("author", "event")[:50])
    done = sum(1 for m in milestones if m.state == MilestoneState.DONE)
    return {"plan": plan, "milestones": milestones, "reports": reports, "notes": notes, "latest_rating": notes[0] if notes else None,
            "done": done, "total": len(milestones), "overdue": sum(1 for m in milestones if m.overdue),
            "share": round(100 * done / len(milestones)) if milestones else 0}


def evidence_get(*, innovation: Innovation, pk) -> Evidence:
    try:
        return Evidence.objects.select_related("report").get(report__innovation=innovation, pk=pk, kind__in=["pdf", "png", "jpeg"])
    except (Evidence.DoesNotExist, ValueError):
        raise Http404 from None


def monitoring_events(*, program):
    from labinov.programs.models import Event

    return [e for e in Event.objects.filter(program=program).order_by("-starts_on") if "deliver_monitoring" in (e.stages or [])]


# --------------------------------------------------------------------------- reading: the dashboard


def _current_plan_ids_of(program):
    """The program's current plans (latest approved version of each innovation) as an uncorrelated subquery."""
    later = ActionPlan.objects.filter(innovation=OuterRef("innovation"), status=PlanStatus.APPROVED, version__gt=OuterRef("version"))
    return (ActionPlan.objects.filter(innovation__program=program, status=PlanStatus.APPROVED)
            .filter(~Exists(later)).values("pk"))


class _DaysBetween(Func):
    """Whole days from the first date to the second (second − first), on SQLite and PostgreSQL."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        return self._days(compiler, connection, "(({})::date - ({})::date)")

    def as_sql(self, compiler, connection, **extra):
        return self._days(compiler, connection, "julianday({}) - julianday({})")

    def _days(self, compiler, connection, template):
        start, end = self.get_source_expressions()
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        return template.format(end_sql, start_sql), [*end_params, *start_params]


def _expected_percent_sql(today: datetime.date):
    """expected_percent() as a SQL expression over a milestone's starts_on and ends_on."""
    day = Value(today, output_field=DateField())
    elapsed = _DaysBetween(F("starts_on"), day)
    length = _DaysBetween(F("starts_on"), F("ends_on"))
    return Case(
        When(starts_on__gt=today, then=Value(0.0)),
        When(ends_on__lte=today, then=Value(100.0)),
        default=ExpressionWrapper(Value(100.0) * (elapsed + Value(1.0)) / (length + Value(1.0)), output_field=FloatField()),
        output_field=FloatField(),
    )


def _share(done, total) -> int:
    return round(100 * done / total) if total else 0


def dashboard(*, program, today: datetime.date | None = None, unit_kind: str = "") -> dict:
    """Per program, per unit and per coach: milestones done and overdue, the last report, commitments signed.
    Four queries whatever the number of units."""
    from labinov.programs.models import CoachAssignment

    from .models import Commitment, CommitmentStatus

    today = today or timezone.localdate()
    # the program's current plans in one uncorrelated subquery (per plan, not per milestone), and the
    # lag summed in the same GROUP BY as the counts: no milestone is brought into Python
    # The plan ids are read first (one query): kept as a subquery inside the aggregate, PostgreSQL
    # without fresh statistics (a suite's transaction, a just-imported program) can plan the
    # anti-join per milestone row and run for minutes.
    milestones = Milestone.objects.filter(plan_id__in=list(_current_plan_ids_of(program).values_list("pk", flat=True)))
    if unit_kind:
        milestones = milestones.filter(plan__innovation__unit__kind=unit_kind)
    rows = (
        milestones.order_by().values("plan__innovation__unit_id", "plan__innovation__unit__name")
        .annotate(
            total=Count("pk"), done=Count("pk", filter=Q(progress__status=MilestoneState.DONE)),
            blocked=Count("pk", filter=Q(progress__status=MilestoneState.BLOCKED)),
            overdue=Count("pk", filter=Q(ends_on__lt=today) & ~Q(progress__status=MilestoneState.DONE)),
            innovations=Count("plan__innovation_id", distinct=True), last=Max("progress__last_report_at"),
            expected_sum=Sum(_expected_percent_sql(today)),
            reported_sum=Sum(Coalesce(F("progress__percent"), Value(0))),
        )
    )
    signed_states = [CommitmentStatus.SIGNED_BY_UNIT_HEAD, CommitmentStatus.COUNTERSIGNED, CommitmentStatus.WITNESSED,
                     CommitmentStatus.ACTIVE, CommitmentStatus.FULFILLED, CommitmentStatus.NOT_FULFILLED]
    commitment_rows = Commitment.objects.filter(program=program)
    if unit_kind:
        commitment_rows = commitment_rows.filter(unit__kind=unit_kind)
    commitments = {
        r["unit_id"]: r for r in commitment_rows.order_by().values("unit_id").annotate(
            n=Count("pk"), signed=Count("pk", filter=Q(status__in=signed_states)))
    }
    coaches: dict[int, list] = {}
    for a in CoachAssignment.objects.filter(program=program).select_related("coach").order_by("coach__full_name", "coach__email"):
        coaches.setdefault(a.unit_id, []).append(a.coach)
    units = []
    for r in rows:
        unit_id = r["plan__innovation__unit_id"]
        c = commitments.get(unit_id, {})
        lag = ((float(r["expected_sum"] or 0) - float(r["reported_sum"] or 0)) / r["total"]) if r["total"] else 0.0
        units.append({
            "unit_id": unit_id, "unit": r["plan__innovation__unit__name"], "innovations": r["innovations"], "total": r["total"],
            "done": r["done"], "overdue": r["overdue"], "blocked": r["blocked"], "share": _share(r["done"], r["total"]),
            "last": r["last"], "lag": round(lag),
            "slipping": r["overdue"] > 0 or lag >= SLIP_POINTS,
            "commitments": c.get("n", 0), "signed": c.get("signed", 0), "coaches": coaches.get(unit_id, []),
        })
    units.sort(key=lambda u: (-u["overdue"], u["share"], u["unit"]))
    per_coach: dict[int, dict] = {}
    for u in units:
        for coach in u["coaches"]:
            entry = per_coach.setdefault(coach.pk, {"coach": coach, "units": 0, "total": 0, "done": 0, "overdue": 0, "last": None})
            entry["units"] += 1
            entry["total"] += u["total"]
            entry["done"] += u["done"]
            entry["overdue"] += u["overdue"]
            if u["last"] and (entry["last"] is None or u["last"] > entry["last"]):
                entry["last"] = u["last"]
    for entry in per_coach.values():
        entry["share"] = _share(entry["done"], entry["total"])
    total = sum(u["total"] for u in units)
    done = sum(u["done"] for u in units)
    commitment_total = sum(c["n"] for c in commitments.values())
    return {
        "units": units, "coaches": sorted(per_coach.values(), key=lambda e: (-e["overdue"], e["coach"].full_name or e["coach"].email)),
        "summary": {
            "units": len(units), "innovations": sum(u["innovations"] for u in units), "total": total, "done": done,
            "share": _share(done, total), "overdue": sum(u["overdue"] for u in units), "blocked": sum(u["blocked"] for u in units),
            "last": max((u["last"] for u in units if u["last"]), default=None),
            "commitments": commitment_total, "signed": sum(c["signed"] for c in commitments.values()),
            "signed_share": _share(sum(c["signed"] for c in commitments.values()), commitment_total),
        },
        "today": today,
    }


def unit_progress(*, program, unit, today: datetime.date | None = None) -> list[dict]:
    """A unit's innovations in the program with their milestones' progress: the dashboard's drill-down."""
    today = today or timezone.localdate()
    innovations = list(Innovation.objects.filter(program=program, unit=unit).order_by("name", "pk"))
    milestones = list(monitored_milestones().filter(plan__innovation__in=innovations).order_by("order", "starts_on", "id"))
    evidence_counts = {  # by innovation and milestone position, across approved versions
        (innovation_id, order): n for innovation_id, order, n in
        Evidence.objects.filter(report__innovation__in=innovations).order_by()
        .values("report__innovation_id", "report__milestone__order").annotate(n=Count("pk"))
        .values_list("report__innovation_id", "report__milestone__order", "n")
    }
    notes = {}
    for note in CoachNote.objects.filter(innovation__in=innovations).order_by("innovation_id", "-created_at", "-id"):
        notes.setdefault(note.innovation_id, note)
    per: dict[int, list] = {}
    plan_innovation = dict(ActionPlan.objects.filter(pk__in={m.plan_id for m in milestones}).values_list("pk", "innovation_id"))
    for m in milestones:
        m.overdue = is_overdue(m, today)
        m.evidence = evidence_counts.get((plan_innovation[m.plan_id], m.order), 0)
        m.state_label = MilestoneState(m.state or MilestoneState.NOT_STARTED).label
        per.setdefault(plan_innovation[m.plan_id], []).append(m)
    out = []
    for innovation in innovations:
        ms = per.get(innovation.pk, [])
        done = sum(1 for m in ms if m.state == MilestoneState.DONE)
        out.append({"innovation": innovation, "milestones": ms, "done": done, "total": len(ms), "share": _share(done, len(ms)),
                    "overdue": sum(1 for m in ms if m.overdue), "note": notes.get(innovation.pk)})
    return out


# --------------------------------------------------------------------------- the daily check


def overdue_check(*, today: datetime.date | None = None) -> dict:
    """Flags overdue milestones of programs in Deliver and Display, finds plans behind schedule (their
    reported progress trails their dates by SLIP_POINTS or more), and e-mails one digest per person:
    unit heads and innovators about their units, coaches about the units they coach. Runs at most
    once a day; a run that crashes is forgotten, so the next one tries again. A mail the server
    refuses is logged and not counted (the next day's digest lists the same milestones again)."""
    from django.db import IntegrityError

    from .models import DigestRun

    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(day=today)
    except IntegrityError:
        return {"skipped": True, "overdue": 0, "slipping": 0, "mails": 0}
    try:
        result = _check_and_send(today)
    except Exception:
        run.delete()
        raise
    run.overdue, run.mails = result["overdue"], result["mails"]
    run.save(update_fields=["overdue", "mails"])
    return {"skipped": False, **result}


DELIVER_STAGES = ["deliver_monitoring", "deliver_launching", "display"]


def _check_and_send(today: datetime.date) -> dict:
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    from labinov.core.mail import send_now
    from labinov.core.roles import Role
    from labinov.people.models import Membership
    from labinov.programs.models import CoachAssignment

    current = monitored_milestones().filter(plan__innovation__program__stage__in=DELIVER_STAGES)
    overdue = list(
        current.filter(ends_on__lt=today).exclude(progress__status=MilestoneState.DONE)
        .select_related("plan__innovation__unit", "plan__innovation__program", "plan__innovation__pemda")
        .order_by("plan__innovation__unit__name", "plan__innovation__name", "ends_on")
    )
    with transaction.atomic():
        known = set(MilestoneProgress.objects.filter(milestone__in=overdue).values_list("milestone_id", flat=True))
        MilestoneProgress.objects.filter(milestone__in=overdue, overdue_since__isnull=True).update(overdue_since=today)
        MilestoneProgress.objects.bulk_create([
            MilestoneProgress(milestone=m, innovation=m.plan.innovation, overdue_since=today) for m in overdue if m.pk not in known
        ])
    # plans behind schedule with nothing overdue yet: the warning comes before the deadline
    rows: dict[int, list] = {}
    for innovation_id, start, end, pct in current.order_by().values_list("plan__innovation_id", "starts_on", "ends_on", "progress__percent"):
        rows.setdefault(innovation_id, []).append((start, end, pct))
    late = {m.plan.innovation_id for m in overdue}
    behind = {pk: round(lag_points(r, today)) for pk, r in rows.items() if pk not in late and lag_points(r, today) >= SLIP_POINTS}
    slipping = list(Innovation.objects.filter(pk__in=behind).select_related("unit", "pemda").order_by("unit__name", "name"))
    for innovation in slipping:
        innovation.lag = behind[innovation.pk]

    per_unit: dict[int, dict] = {}
    for m in overdue:
        per_unit.setdefault(m.plan.innovation.unit_id, {"overdue": [], "slipping": []})["overdue"].append(m)
    for innovation in slipping:
        per_unit.setdefault(innovation.unit_id, {"overdue": [], "slipping": []})["slipping"].append(innovation)
    recipients: dict[str, dict] = {}

    def add(email, unit_id, program_id=None):
        entry = recipients.setdefault(email, {"overdue": {}, "slipping": {}})
        for m in per_unit[unit_id]["overdue"]:
            if program_id is None or m.plan.innovation.program_id == program_id:
                entry["overdue"][m.pk] = m
        for i in per_unit[unit_id]["slipping"]:
            if program_id is None or i.program_id == program_id:
                entry["slipping"][i.pk] = i

    for membership in Membership.objects.filter(unit_id__in=per_unit, role__in=[Role.UNIT_HEAD, Role.INNOVATOR]).select_related("user"):
        if membership.user.is_active and membership.user.email:
            add(membership.user.email, membership.unit_id)
    programs = {m.plan.innovation.program_id for m in overdue} | {i.program_id for i in slipping}
    for a in CoachAssignment.objects.filter(program_id__in=programs, unit_id__in=per_unit).select_related("coach"):
        if a.coach.is_active and a.coach.email:
            add(a.coach.email, a.unit_id, a.program_id)
    mails = 0
    base = getattr(settings, "LABINOV_BASE_URL", "").rstrip("/")
    with translation.override("id"):
        for email, entry in sorted(recipients.items()):
            if not entry["overdue"] and not entry["slipping"]:
                continue
            body = render_to_string("delivery/overdue_digest.txt", {
                "items": list(entry["overdue"].values()), "slipping": list(entry["slipping"].values()), "today": today, "base": base,
                "margin": SLIP_POINTS})
            subject = _("Labinov: %(n)s overdue milestones, %(m)s plans behind schedule") % {
                "n": len(entry["overdue"]), "m": len(entry["slipping"])}
            mails += send_now(subject, body, [email])  # counted only when the mail server took it
    return {"overdue": len(overdue), "slipping": len(slipping), "mails": mails}
