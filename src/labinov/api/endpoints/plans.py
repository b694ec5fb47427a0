"""Design: an innovation's profile (PP 38/2017, IID) and its action plan (rencana aksi) with the review loop.

    draft ──submit──▶ in_review ──coach-approve──▶ coach_approved ──approve (unit head)──▶ approved (frozen)
      ▲                  │                              │
      └── changes_requested ◀── comment with requests_change ┘

Same permissions as the pages (innovations/rules.py). An innovation of another pemda, or one the
caller may not see yet (units: before the screening decisions are published), is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router

from labinov.core.views_helpers import require, tenant
from labinov.innovations import plans, selectors, services
from labinov.innovations.models import InnovationProfile

from ..numbers import Id
from ..schemas_plans import (
    CommentIn,
    CommentOut,
    InnovationDetailOut,
    NewVersionIn,
    PlanDiffOut,
    PlanIn,
    PlanOut,
    ProfileIn,
    ProfileOut,
)

router = Router(tags=["innovations"])

P = "/pemda/{code}/innovations/{innovation_id}"


def _innovation(request, code: str, innovation_id: Id, perm: str | None = None):
    """The innovation of the URL in the pemda of the URL that the caller may see (404 otherwise),
    optionally checked against an innovation perm (403)."""
    pemda = tenant(request, code)
    innovation = selectors.innovation_for_page(actor=request.user, pemda=pemda, pk=innovation_id)
    if perm:
        require(request.user, perm, innovation)
    return innovation


def _plan(request, code: str, innovation_id: Id, version: Id, perm: str | None = None):
    innovation = _innovation(request, code, innovation_id)
    if not request.user.has_perm("innovations.view_innovation_work", innovation):
        raise Http404  # another unit sees the innovation, not its plan
    plan = selectors.plan_get(innovation=innovation, version=version)
    if perm:
        require(request.user, perm, plan)
    return plan


# --- innovation and profile ----------------------------------------------------------------------


@router.get(P, response=InnovationDetailOut, summary="An innovation: its profile, checklist and action plan versions")
def innovation_detail(request, code: str, innovation_id: Id):
    """The profile with its completeness checklist and the design word count (IID asks for 300 words);
    the status of the latest plan version (`none` without a plan) and every version, newest first."""
    innovation = _innovation(request, code, innovation_id)
    # another unit sees the innovation, not its plan versions (innovations.view_innovation_work)
    versions = list(selectors.plan_versions(innovation=innovation)) if request.user.has_perm("innovations.view_innovation_work", innovation) else []
    # A profile not written yet is shown empty (with the defaults of the page), not created by a read.
    profile = getattr(innovation, "profile", None) or InnovationProfile(
        innovation=innovation, urusan_primary=(innovation.urusan or [""])[0]
    )
    latest = versions[0] if versions else None
    return {
        **{f: getattr(innovation, f) for f in ("id", "name", "description", "program_id", "unit_id", "form",
                                                 "is_digital", "urusan", "initiator", "status")},
        "unit_name": innovation.unit.name,
        "profile": profile,
        "plan_status": latest.status if latest else "none",
        "plan_status_label": str(latest.get_status_display()) if latest else "",
        "versions": versions,
    }


@router.put(P + "/profile", response=ProfileOut, summary="Replace the profile and the team")
def profile_update(request, code: str, innovation_id: Id, payload: ProfileIn):
    """During Design, by the innovation's unit (unit head, innovators) and organisers. Every field is
    replaced (left out: empty), the team too; the decree PDF is uploaded on the page only."""
    innovation = _innovation(request, code, innovation_id, "innovations.change_profile")
    fields = payload.model_dump(exclude={"team"})
    team = [m.model_dump() for m in payload.team]
    return services.profile_update(actor=request.user, innovation=innovation, team=team, **fields)


# --- action plan ---------------------------------------------------------------------------------


@router.post(P + "/plan", response={201: PlanOut}, summary="Start the action plan (version 1, a draft)")
def plan_start(request, code: str, innovation_id: Id):
    """During Design, by the innovation's unit and organisers; once per innovation (later versions:
    `plan/new-version`)."""
    innovation = _innovation(request, code, innovation_id, "innovations.write_plan")
    return plans.plan_start(actor=request.user, innovation=innovation)


# Before `/plan/{version}`: that path would take "new-version" as a version.
@router.post(P + "/plan/new-version", response={201: PlanOut},
             summary="Start the next version as an editable copy of the approved one")
def plan_new_version(request, code: str, innovation_id: Id, payload: NewVersionIn):
    """The latest version must be approved. During Design the unit revises freely; after Design only
    the organiser may, with a reason, which is recorded."""
    innovation = _innovation(request, code, innovation_id, "innovations.revise_plan")
    return plans.plan_new_version(actor=request.user, innovation=innovation, reason=payload.reason)


@router.get(P + "/plan/{version}", response=PlanOut,
            summary="One version: objective, indicators, milestones, risks, stakeholders and comments")
def plan_detail(request, code: str, innovation_id: Id, version: Id):
    return _plan(request, code, innovation_id, version)


@router.put(P + "/plan/{version}", response=PlanOut, summary="Replace the content of an editable version")
def plan_save(request, code: str, innovation_id: Id, version: Id, payload: PlanIn):
    """Only a draft or a version with requested changes, by its unit (during Design) or an organiser:
    otherwise 403 (an approved version is frozen; start a new version). Milestone dates must be in
    order and inside the program period unless the organiser allows otherwise (422 naming the milestones)."""
    plan = _plan(request, code, innovation_id, version, "innovations.edit_plan")
    return plans.plan_save(actor=request.user, plan=plan, **payload.model_dump())


@router.post(P + "/plan/{version}/submit", response=PlanOut, summary="Send the version to the coach for review")
def plan_submit(request, code: str, innovation_id: Id, version: Id):
    """Only a draft or a version with requested changes, by whoever may edit it (else 403). It needs an
    objective, an indicator and a milestone (else 422). Sending back a version with requested changes
    marks those requests as addressed."""
    plan = _plan(request, code, innovation_id, version, "innovations.edit_plan")
    return plans.plan_submit(actor=request.user, plan=plan)


@router.post(P + "/plan/{version}/comments", response={201: CommentOut},
             summary="Comment on the version or on one of its milestones; a coach can request a change")
def plan_comment(request, code: str, innovation_id: Id, version: Id, payload: CommentIn):
    """A change request (`requests_change`) is the coach's (review_plan) and sends a version in review
    back to the unit; a plain comment is open to whoever may edit or review the version."""
    plan = _plan(request, code, innovation_id, version)
    if payload.requests_change:
        require(request.user, "innovations.review_plan", plan)
    elif not (request.user.has_perm("innovations.edit_plan", plan) or request.user.has_perm("innovations.review_plan", plan)):
        raise PermissionDenied
    return plans.plan_comment(actor=request.user, plan=plan, **payload.model_dump())


@router.post(P + "/plan/{version}/coach-approve", response=PlanOut, summary="The coach approves the version")
def plan_coach_approve(request, code: str, innovation_id: Id, version: Id):
    """Only a version in review with no open change request."""
    plan = _plan(request, code, innovation_id, version, "innovations.review_plan")
    return plans.plan_coach_approve(actor=request.user, plan=plan)


@router.post(P + "/plan/{version}/approve", response=PlanOut, summary="The unit head approves the version: it is frozen")
def plan_approve(request, code: str, innovation_id: Id, version: Id):
    """After the coach, by the head of the innovation's unit, who must not be the coach who approved it."""
    plan = _plan(request, code, innovation_id, version, "innovations.approve_plan_as_unit")
    return plans.plan_unit_approve(actor=request.user, plan=plan)


@router.get(P + "/plan/{version}/diff/{other}", response=PlanDiffOut, summary="What changed from one version to another")
def plan_diff(request, code: str, innovation_id: Id, version: Id, other: Id):
    """Row by row: a changed field names the row (1 first) and the field; an added or removed row has
    no field and the whole row as its new or old value."""
    innovation = _innovation(request, code, innovation_id)
    old = selectors.plan_get(innovation=innovation, version=version)
    new = selectors.plan_get(innovation=innovation, version=other)
    return {"version": old.version, "other": new.version, "changes": plans.plan_diff(old, new)}
