"""A unit member's innovations with the next thing to do on each (the home page and the program page).

The next action follows from the latest action plan's status, the program's stage and the actor's
permissions (the same predicates the plan and monitoring pages check), and links straight to the
page where it is done. A fixed number of queries whatever the number of innovations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from labinov.core.access import roles_of
from labinov.core.roles import Role
from labinov.core.stages import Capability, stage_allows

from .models import ActionPlan, Innovation, PlanStatus

LIMIT = 50


@dataclass
class NextAction:
    innovation: Innovation
    plan: ActionPlan | None
    #: a stable name of the action ("fix_plan", "report_progress", ...), for styling and tests
    key: str
    text: str
    url: str
    #: True when the actor is the one to act; False when waiting for someone else
    mine: bool


def unit_innovations(*, actor, program=None, limit: int = LIMIT) -> list[NextAction]:
    """The innovations of the actor's units (as unit head or innovator) that the actor may see, each
    with its next action; of one program if given, else of every program not closed."""
    index = roles_of(actor)
    unit_ids = {u for (pemda_id, role), units in index.units.items() if role in (Role.UNIT_HEAD, Role.INNOVATOR) for u in units}
    if not unit_ids:
        return []
    qs = Innovation.objects.filter(unit_id__in=unit_ids).select_related("pemda", "unit", "program", "program__pemda")
    if program is not None:
        qs = qs.filter(program=program)
    else:
        qs = qs.filter(Q(program__isnull=True) | ~Q(program__stage="closed"))
    # A unit sees its innovations once the screening decisions are published (ADR 0009).
    qs = qs.filter(Q(program__isnull=True) | Q(program__screening__published_at__isnull=False))
    innovations = list(qs.order_by("program__pemda__name", "-program__year", "unit__name", "name")[:limit])
    if not innovations:
        return []
    latest: dict[int, ActionPlan] = {}
    for plan in ActionPlan.objects.filter(innovation__in=innovations).order_by("innovation_id", "-version"):
        latest.setdefault(plan.innovation_id, plan)
    commitments = _commitments(innovations)
    out = []
    for innovation in innovations:
        plan = latest.get(innovation.pk)
        if plan is not None:
            plan.innovation = innovation
        out.append(next_action(actor=actor, innovation=innovation, plan=plan, commitment=commitments.get(innovation.pk)))
    return out


def _commitments(innovations) -> dict[int, object]:
    """The commitment document covering each innovation (its own, or its unit's in the program), in one query."""
    Commitment = apps.get_model("delivery", "Commitment")  # Deliver sits above Design: no import arrow upward
    programs = {i.program_id for i in innovations if i.program_id}
    if not programs:
        return {}
    rows = Commitment.objects.filter(program_id__in=programs, unit_id__in={i.unit_id for i in innovations})
    own, per_unit = {}, {}
    for c in rows:
        if c.innovation_id:
            own[c.innovation_id] = c
        else:
            per_unit.setdefault((c.program_id, c.unit_id), c)
    return {i.pk: own.get(i.pk) or per_unit.get((i.program_id, i.unit_id)) for i in innovations}


def next_action(*, actor, innovation: Innovation, plan: ActionPlan | None, commitment=None) -> NextAction:
    program = innovation.program
    stage = program.stage if program is not None else None
    pemda = innovation.pemda.slug
    detail = reverse("innovation_detail", args=[pemda, innovation.pk])

    def plan_url(name="plan_detail"):
        return reverse(name, args=[pemda, innovation.pk, plan.version])

    def act(key, text, url, mine=True):
        return NextAction(innovation=innovation, plan=plan, key=key, text=str(text), url=url, mine=mine)

    if (commitment is not None and stage and stage_allows(stage, Capability.COMMITMENT_SIGN)
            and commitment.status == "drafted" and innovation.unit_id in roles_of(actor).units_for(innovation.pemda_id, Role.UNIT_HEAD)):
        return act("sign_commitment", _("Sign the commitment document"),
                   reverse("commitment_detail", args=[pemda, program.pk, commitment.pk]))
    if plan is None:
        if actor.has_perm("innovations.write_plan", innovation):
            return act("write_plan", _("Write the action plan"), detail)
        return act("no_plan", _("No action plan yet"), detail, mine=False)
    may_edit = actor.has_perm("innovations.edit_plan", plan)
    if plan.status == PlanStatus.CHANGES_REQUESTED:
        if may_edit:
            return act("fix_plan", _("Fix the action plan (the coach asked for changes)"), plan_url("plan_edit"))
        return act("organiser_revises", _("Changes requested; the organiser revises the plan"), plan_url(), mine=False)
    if plan.status == PlanStatus.DRAFT:
        if may_edit:
            return act("finish_plan", _("Finish the action plan and send it for review"), plan_url("plan_edit"))
        return act("new_version_drafted", _("The plan's new version is being drafted"), plan_url(), mine=False)
    if plan.status == PlanStatus.IN_REVIEW:
        return act("coach_review", _("Waiting for the coach's review"), plan_url(), mine=False)
    if plan.status == PlanStatus.COACH_APPROVED:
        if actor.has_perm("innovations.approve_plan_as_unit", plan) and plan.coach_approved_by_id != actor.pk:
            return act("approve_plan", _("Approve the action plan as unit head"), plan_url())
        return act("unit_head_approval", _("Waiting for the unit head's approval"), plan_url(), mine=False)
    # approved
    if actor.has_perm("delivery.report_progress", innovation):
        return act("report_progress", _("Report progress on the milestones"), reverse("monitoring_detail", args=[pemda, innovation.pk]))
    return act("plan_approved", _("Action plan approved"), plan_url(), mine=False)
