"""Action plans (rencana aksi): writing, the review loop, approval, versions and their differences.

    draft ──submit──▶ in_review ──coach approves──▶ coach_approved ──unit head approves──▶ approved (frozen)
      ▲                  │                              │
      └──── changes_requested ◀── coach requests changes ┘

A frozen (approved) version never changes; `plan_new_version` starts the next one as a copy. In
Design the unit revises freely; later a revision needs the organiser, who records why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record
from labinov.core.stages import Capability, stage_allows

from .models import ActionPlan, Indicator, Innovation, Milestone, PlanComment, PlanStatus, Risk, Stakeholder

EDITABLE = (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED)
PARTS = {
    "indicators": (Indicator, ("name", "unit_of_measure", "baseline", "target")),
    "milestones": (Milestone, ("activity", "starts_on", "ends_on", "pic", "output", "budget_source", "quick_win")),
    "risks": (Risk, ("risk", "mitigation")),
    "stakeholders": (Stakeholder, ("name", "contribution")),
}


def latest_plan(innovation: Innovation) -> ActionPlan | None:
    return innovation.plans.order_by("-version").first()


def plan_start(*, actor, innovation: Innovation) -> ActionPlan:
    """The first draft of an innovation's plan, written while the program is in Design."""
    program = innovation.program
    if program is None or not stage_allows(program.stage, Capability.PLAN_WRITE):
        raise ValidationError(_("Action plans are written during Design."))
    if innovation.plans.exists():
        raise ValidationError(_("This innovation already has an action plan."))
    with transaction.atomic():
        plan = ActionPlan.objects.create(innovation=innovation, created_by=actor)
        audit_record(actor=actor, action="plan.start", obj=plan, pemda=innovation.pemda)
    return plan


def plan_as_dict(plan: ActionPlan) -> dict:
    """The content of a version, for comparing versions and exports."""
    out = {"objective": plan.objective}
    for part, (_model, fields) in PARTS.items():
        out[part] = [{f: getattr(row, f) for f in fields} for row in getattr(plan, part).all()]
    return out


def _clean_parts(plan: ActionPlan, parts: dict[str, list[dict]]) -> dict:
    errors: dict[str, list] = {}
    program = plan.innovation.program
    for i, m in enumerate(parts.get("milestones", []), 1):
        start, end = m.get("starts_on"), m.get("ends_on")
        if not (m.get("activity") or "").strip():
            errors.setdefault("milestones", []).append(_("Milestone %(n)s has no activity.") % {"n": i})
        if not (m.get("pic") or "").strip():
            errors.setdefault("milestones", []).append(_("Milestone %(n)s has no person in charge.") % {"n": i})
        if start is None or end is None:
            errors.setdefault("milestones", []).append(_("Milestone %(n)s needs a start and an end date.") % {"n": i})
            continue
        if end < start:
            errors.setdefault("milestones", []).append(_("Milestone %(n)s ends before it starts.") % {"n": i})
        if program is not None and not plan.allow_outside_period:
            if (program.starts_on and start < program.starts_on) or (program.ends_on and end > program.ends_on):
                errors.setdefault("milestones", []).append(
                    _("Milestone %(n)s lies outside the program period (%(start)s – %(end)s); the organiser can allow this.")
                    % {"n": i, "start": date_format(program.starts_on) if program.starts_on else "…",
                       "end": date_format(program.ends_on) if program.ends_on else "…"}
                )
    for i, row in enumerate(parts.get("indicators", []), 1):
        if not (row.get("name") or "").strip() or not (row.get("unit_of_measure") or "").strip() or not str(row.get("target") or "").strip():
            errors.setdefault("indicators", []).append(_("Indicator %(n)s needs a name, a unit of measure and a target.") % {"n": i})
    for i, row in enumerate(parts.get("risks", []), 1):
        if not (row.get("risk") or "").strip() or not (row.get("mitigation") or "").strip():
            errors.setdefault("risks", []).append(_("Risk %(n)s needs its mitigation.") % {"n": i})
    return errors


def plan_save(*, actor, plan: ActionPlan, objective: str, **parts) -> ActionPlan:
    """Replaces the content of an editable version: objective, indicators, milestones, risks, stakeholders."""
    if plan.status not in EDITABLE:
        raise ValidationError(_("This version is %(status)s and cannot be changed.") % {"status": plan.get_status_display()})
    errors = _clean_parts(plan, parts)
    rows: dict[str, list] = {}
    for part, (model, fields) in PARTS.items():
        if part not in parts:
            continue
        rows[part] = []
        for i, row in enumerate(parts[part]):
            obj = model(plan=plan, order=i, **{f: (bool(row.get(f)) if f == "quick_win" else row.get(f)) for f in fields if f in row})
            try:  # lengths and types the model enforces (the database would otherwise refuse, or cut)
                obj.full_clean(exclude=["plan"], validate_constraints=False)
            except ValidationError as e:
                errors.setdefault(part, []).extend(f"{i + 1}: {m}" for m in e.messages)
            rows[part].append(obj)
    if errors:
        raise ValidationError(errors)
    before = plan_as_dict(plan)
    with transaction.atomic():
        ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
        plan.objective = (objective or "").strip()
        plan.save(update_fields=["objective"])
        for part, objs in rows.items():
            model = PARTS[part][0]
            model.objects.filter(plan=plan).delete()
            model.objects.bulk_create(objs)
        after = plan_as_dict(plan)
        audit_record(actor=actor, action="plan.save", obj=plan, pemda=plan.innovation.pemda,
                     changes={k: "changed" for k in after if before.get(k) != after.get(k)})
    return plan


def plan_submit(*, actor, plan: ActionPlan) -> ActionPlan:
    if plan.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a plan with requested changes can be sent for review."))
    missing = []
    if not plan.objective.strip():
        missing.append(_("an objective"))
    if not plan.indicators.exists():
        missing.append(_("at least one performance indicator"))
    if not plan.milestones.exists():
        missing.append(_("at least one milestone"))
    if missing:
        raise ValidationError(_("The plan cannot be sent for review yet: it needs %(parts)s.") % {"parts": ", ".join(map(str, missing))})
    # sending the plan (back) for review means the unit addressed the open change requests
    plan.comments.filter(requests_change=True, resolved=False).update(resolved=True)
    return _move(actor, plan, PlanStatus.IN_REVIEW, "plan.submit", submitted_at=timezone.now())


def plan_comment(*, actor, plan: ActionPlan, text: str, milestone_order: int | None = None, requests_change: bool = False) -> PlanComment:
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the comment.")})
    if milestone_order is not None and not plan.milestones.filter(order=milestone_order).exists():
        raise ValidationError({"milestone": _("That milestone is not in this plan.")})
    with transaction.atomic():
        comment = PlanComment.objects.create(plan=plan, author=actor, text=text.strip(), milestone_order=milestone_order,
                                             requests_change=requests_change)
        if requests_change and plan.status in (PlanStatus.IN_REVIEW, PlanStatus.COACH_APPROVED):
            _move(actor, plan, PlanStatus.CHANGES_REQUESTED, "plan.request_changes")
        audit_record(actor=actor, action="plan.comment", obj=plan, pemda=plan.innovation.pemda,
                     changes={"milestone": milestone_order, "requests_change": requests_change})
    return comment


def plan_coach_approve(*, actor, plan: ActionPlan) -> ActionPlan:
    if plan.status != PlanStatus.IN_REVIEW:
        raise ValidationError(_("Only a plan in review can be approved by the coach."))
    if plan.comments.filter(requests_change=True, resolved=False).exists():
        raise ValidationError(_("Some requested changes are still open."))
    return _move(actor, plan, PlanStatus.COACH_APPROVED, "plan.coach_approve", coach_approved_by=actor, coach_approved_at=timezone.now())


def plan_unit_approve(*, actor, plan: ActionPlan) -> ActionPlan:
    """The unit head's approval freezes the version."""
    if plan.status != PlanStatus.COACH_APPROVED:
        raise ValidationError(_("The coach approves the plan first, then the unit head."))
    if plan.coach_approved_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("The same person cannot approve a plan both as coach and as unit head."))
    from .signals import plan_approved

    with transaction.atomic():
        plan = _move(actor, plan, PlanStatus.APPROVED, "plan.approve", approved_by=actor, approved_at=timezone.now())
        plan_approved.send(sender=ActionPlan, plan=plan)
    return plan


def plan_new_version(*, actor, innovation: Innovation, reason: str = "") -> ActionPlan:
    """The next version, as an editable copy of the latest one. After Design it needs a reason (the organiser's)."""
    current = latest_plan(innovation)
    if current is None:
        raise ValidationError(_("This innovation has no action plan yet."))
    if current.status != PlanStatus.APPROVED:
        raise ValidationError(_("Version %(v)s is not approved yet; change it instead of starting a new one.") % {"v": current.version})
    program = innovation.program
    late = program is not None and not stage_allows(program.stage, Capability.PLAN_WRITE)
    if late and not (reason or "").strip():
        raise ValidationError({"reason": _("After Design, a revision needs the organiser's reason.")})
    with transaction.atomic():
        new = ActionPlan.objects.create(innovation=innovation, version=current.version + 1, objective=current.objective,
                                        allow_outside_period=current.allow_outside_period, revision_reason=(reason or "").strip(),
                                        created_by=actor)
        for part, (model, fields) in PARTS.items():
            model.objects.bulk_create([model(plan=new, order=row.order, **{f: getattr(row, f) for f in fields})
                                       for row in getattr(current, part).all()])
        audit_record(actor=actor, action="plan.new_version", obj=new, pemda=innovation.pemda,
                     changes={"version": new.version, "reason": new.revision_reason})
    return new


def plan_allow_outside_period(*, actor, plan: ActionPlan, allow: bool) -> ActionPlan:
    if plan.frozen:
        raise ValidationError(_("An approved version is frozen; start a new version to change it."))
    with transaction.atomic():
        plan.allow_outside_period = allow
        plan.save(update_fields=["allow_outside_period"])
        audit_record(actor=actor, action="plan.allow_outside_period", obj=plan, pemda=plan.innovation.pemda, changes={"allow": allow})
    return plan


def _move(actor, plan: ActionPlan, status: str, action: str, **fields) -> ActionPlan:
    with transaction.atomic():
        locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        before = locked.status
        plan.status = status
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.save(update_fields=["status", *fields])
        audit_record(actor=actor, action=action, obj=plan, pemda=plan.innovation.pemda, changes={"status": [before, status]})
    return plan


def plan_diff(old: ActionPlan, new: ActionPlan) -> list[dict]:
    """What changed between two versions: [{"part", "index", "field", "old", "new"}]."""
    a, b = plan_as_dict(old), plan_as_dict(new)
    changes = []
    if a["objective"] != b["objective"]:
        changes.append({"part": "objective", "index": None, "field": "objective", "old": a["objective"], "new": b["objective"]})
    for part, (_model, fields) in PARTS.items():
        rows_a, rows_b = a[part], b[part]
        for i in range(max(len(rows_a), len(rows_b))):
            ra = rows_a[i] if i < len(rows_a) else None
            rb = rows_b[i] if i < len(rows_b) else None
            if ra == rb:
                continue
            if ra is None or rb is None:
                changes.append({"part": part, "index": i + 1, "field": None, "old": ra, "new": rb})
                continue
            for f in fields:
                if ra.get(f) != rb.get(f):
                    changes.append({"part": part, "index": i + 1, "field": f, "old": ra.get(f), "new": rb.get(f)})
    return changes
