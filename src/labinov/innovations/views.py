"""Pages of Design: an innovation's profile and its action plan, with the review loop and versions.

Every view: the pemda of the URL (`tenant`), the innovation the actor may see
(`selectors.innovation_for_page`, 404 otherwise), the permission (`require`, rules in
innovations/rules.py), then one service or selector call. Buttons are forms of their own, each
posted once (LabinovForm tokens); a service's ValidationError becomes a field error or a message.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from labinov.core.forms import run_form
from labinov.core.regulation import Urusan
from labinov.core.stages import Capability, stage_allows
from labinov.core.views_helpers import require, tenant

from . import plans, selectors, services
from .forms import (
    ROW_PARTS, SDG_LABELS, ActionForm, AllowOutsideForm, CommentForm, NewVersionForm, PlanForm, ProfileForm, plan_rows,
    profile_initial, profile_service_fields,
)
from .models import ActionPlan, InnovationProfile, PlanStatus
from .rules import administers

# A change request moves a plan in review back to the unit. On a draft it would stay open (plan_submit
# resolves requests only when the plan is in "changes requested"), so the checkbox is not offered there.
REVIEWABLE = (PlanStatus.IN_REVIEW, PlanStatus.CHANGES_REQUESTED, PlanStatus.COACH_APPROVED)


def _innovation(request, pemda: str, innovation: int):
    pemda = tenant(request, pemda)
    innovation = selectors.innovation_for_page(actor=request.user, pemda=pemda, pk=innovation)
    return pemda, innovation


def _plan(request, pemda: str, innovation: int, version: int):
    pemda, innovation = _innovation(request, pemda, innovation)
    if not request.user.has_perm("innovations.view_innovation_work", innovation):
        raise Http404  # another unit sees the innovation, not its plan
    plan = selectors.plan_get(innovation=innovation, version=version)
    plan.innovation = innovation  # the page's object, with its caches (program, screening)
    return pemda, innovation, plan


def _profile(innovation) -> InnovationProfile:
    """The saved profile, or an empty one (not saved: reading a page writes nothing)."""
    try:
        return innovation.profile
    except ObjectDoesNotExist:
        return InnovationProfile(innovation=innovation)


def _errors_as_messages(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _late(innovation) -> bool:
    """Past Design: plans are no longer written, a new version needs the organiser's reason."""
    program = innovation.program
    return program is not None and not stage_allows(program.stage, Capability.PLAN_WRITE)


def _may_allow_outside(user, plan) -> bool:
    # No named permission exists for this yet (see the report); it is the organiser's (administers).
    return administers.test(user, plan)


def _plan_parts(plan: ActionPlan | None) -> dict:
    """A version's content for the read-only tables (one query per part, whatever the number of rows)."""
    if plan is None:
        return {}
    return {part: list(getattr(plan, part).all()) for part in ROW_PARTS if part != "team"}


def _plan_actions(request, innovation, plan: ActionPlan | None, latest: ActionPlan | None) -> dict:
    """Which buttons of the review loop the actor gets for `plan`, each with its own once-only form."""
    user = request.user
    ctx: dict = {"can_start_plan": latest is None and user.has_perm("innovations.write_plan", innovation)}
    if ctx["can_start_plan"]:
        ctx["start_form"] = ActionForm()
    if plan is None:
        return ctx
    editable = plan.status in plans.EDITABLE
    ctx["can_edit_plan"] = editable and user.has_perm("innovations.edit_plan", plan)
    if ctx["can_edit_plan"]:
        ctx["submit_form"] = ActionForm()
    ctx["can_review"] = user.has_perm("innovations.review_plan", plan)
    if ctx["can_review"] and plan.status == PlanStatus.IN_REVIEW:
        ctx["coach_form"] = ActionForm()
    if plan.status == PlanStatus.COACH_APPROVED and user.has_perm("innovations.approve_plan_as_unit", plan):
        if plan.coach_approved_by_id == user.pk:
            ctx["approved_as_coach_already"] = True
        else:
            ctx["unit_form"] = ActionForm()
    is_latest = latest is not None and latest.pk == plan.pk
    if is_latest and plan.frozen and user.has_perm("innovations.revise_plan", plan):
        ctx["new_version_form"] = NewVersionForm(reason_needed=_late(innovation))
    if not plan.frozen and _may_allow_outside(user, plan):
        ctx["allow_form"] = AllowOutsideForm(initial={"allow": not plan.allow_outside_period})
    return ctx


# --- the innovation and its profile ---------------------------------------------------------------


@login_required
@require_GET
def innovation_detail(request, pemda, innovation):
    pemda, innovation = _innovation(request, pemda, innovation)
    require(request.user, "innovations.view_innovation", innovation)
    profile = _profile(innovation)
    # another unit sees the innovation, not its plan (innovations.view_innovation_work)
    sees_work = request.user.has_perm("innovations.view_innovation_work", innovation)
    versions = list(selectors.plan_versions(innovation=innovation)) if sees_work else []
    latest = versions[0] if versions else None
    parts = _plan_parts(latest)
    milestone_rows = [{"m": m, "comments": None} for m in parts.get("milestones", [])]
    timeline = {}
    if innovation.program_id and latest is not None:
        from .overview import plan_timeline

        data = plan_timeline(program=innovation.program, innovation_id=innovation.pk)
        entries = [e for group in data["units"] for e in group["innovations"]]
        if entries and entries[0].bars and data["range"]:
            timeline = {"entry": entries[0], "ticks": data["ticks"], "today": data["today"], "timeline_range": data["range"]}
    return render(request, "innovations/innovation_detail.html", {
        **timeline,
        "pemda": pemda, "innovation": innovation, "program": innovation.program,
        "source_ideas": innovation.source_ideas.select_related("unit").order_by("title"),
        "profile": profile, "checklist": services.profile_checklist(profile), "words": profile.design_word_count(),
        "min_words": profile.MIN_DESIGN_WORDS, "team": innovation.team.all(),
        "sdgs": [(n, SDG_LABELS.get(n, "?")) for n in profile.sdgs or []],
        "urusan_primary_label": dict(Urusan.choices).get(profile.urusan_primary, profile.urusan_primary),
        "plan": latest, "versions": versions, **parts, "milestone_rows": milestone_rows, "sees_work": sees_work,
        "can_change_profile": request.user.has_perm("innovations.change_profile", innovation),
        **_plan_actions(request, innovation, latest, latest),
    })


@login_required
def profile_edit(request, pemda, innovation):
    pemda, innovation = _innovation(request, pemda, innovation)
    require(request.user, "innovations.change_profile", innovation)
    profile = _profile(innovation)
    team = [{k: getattr(m, k) for k in ("role", "name", "organisation", "pentahelix")} for m in innovation.team.all()]
    form = ProfileForm(request.POST or None, request.FILES or None, initial=profile_initial(profile), rows={"team": team})
    if request.method == "POST":
        done, result = run_form(request, form, lambda d: services.profile_update(
            actor=request.user, innovation=innovation, team=form.rows("team"), decree_file=d.get("decree_file") or None,
            **profile_service_fields(d)))
        if done:
            if result is not None:
                words = result.design_word_count()
                messages.success(request, _("The profile was saved. The design description has %(n)s words.") % {"n": words})
            return redirect("innovation_detail", pemda.slug, innovation.pk)
    return render(request, "innovations/profile_edit.html", {
        "pemda": pemda, "innovation": innovation, "program": innovation.program, "profile": profile, "form": form,
        "words": profile.design_word_count(), "min_words": profile.MIN_DESIGN_WORDS,
    })


@login_required
@require_GET
def profile_decree(request, pemda, innovation):
    """The decree's PDF, to those who may see the innovation."""
    pemda, innovation = _innovation(request, pemda, innovation)
    require(request.user, "innovations.view_innovation", innovation)
    profile = _profile(innovation)
    if not profile.decree_file:
        raise Http404
    from labinov.core.files import file_response, read_head, sniff

    try:
        handle = profile.decree_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if sniff(read_head(handle)) != "pdf":
        handle.close()
        raise Http404
    return file_response(handle, content_type="application/pdf", filename=f"penetapan-{innovation.pk}.pdf")


# --- the action plan ------------------------------------------------------------------------------


@login_required
@require_POST
def plan_start(request, pemda, innovation):
    pemda, innovation = _innovation(request, pemda, innovation)
    require(request.user, "innovations.write_plan", innovation)
    form = ActionForm(request.POST)
    done, plan = run_form(request, form, lambda d: plans.plan_start(actor=request.user, innovation=innovation))
    if done and plan is not None:
        messages.success(request, _("Version 1 of the action plan was started. Fill it in and send it for review."))
        return redirect("plan_edit", pemda.slug, innovation.pk, plan.version)
    _errors_as_messages(request, form)
    return redirect("innovation_detail", pemda.slug, innovation.pk)


@login_required
def plan_edit(request, pemda, innovation, version):
    pemda, innovation, plan = _plan(request, pemda, innovation, version)
    require(request.user, "innovations.edit_plan", plan)
    form = PlanForm(request.POST or None, initial={"objective": plan.objective}, rows=plan_rows(plan))
    if request.method == "POST":
        done, result = run_form(request, form, lambda d: plans.plan_save(
            actor=request.user, plan=plan, objective=d["objective"], **{part: form.rows(part) for part in form.parts}))
        if done:
            if result is not None:
                messages.success(request, _("The action plan was saved."))
            if request.POST.get("action") == "continue":
                return redirect("plan_edit", pemda.slug, innovation.pk, plan.version)
            return redirect("plan_detail", pemda.slug, innovation.pk, plan.version)
    program = innovation.program
    return render(request, "innovations/plan_edit.html", {
        "pemda": pemda, "innovation": innovation, "program": program, "plan": plan, "form": form,
        "open_comments": [c for c in plan.comments.select_related("author") if c.requests_change and not c.resolved],
    })


def _plan_detail(request, pemda, innovation, plan, *, comment_form=None):
    user = request.user
    versions = list(selectors.plan_versions(innovation=innovation))
    latest = versions[0] if versions else None
    parts = _plan_parts(plan)
    may_review = user.has_perm("innovations.review_plan", plan)
    may_comment = may_review or user.has_perm("innovations.write_plan", innovation)
    if comment_form is None and may_comment:
        comment_form = CommentForm(milestones=parts["milestones"], may_request_change=may_review and plan.status in REVIEWABLE)
    comments = list(plan.comments.select_related("author"))
    by_milestone: dict[int, list] = {}
    for c in comments:
        if c.milestone_order is not None:
            by_milestone.setdefault(c.milestone_order, []).append(c)
    known = {m.order for m in parts["milestones"]}
    milestones = [{"m": m, "comments": by_milestone.get(m.order, [])} for m in parts["milestones"]]
    general = [c for c in comments if c.milestone_order is None or c.milestone_order not in known]
    previous = next((v for v in versions if v.version < plan.version), None)
    return render(request, "innovations/plan_detail.html", {
        "pemda": pemda, "innovation": innovation, "program": innovation.program, "plan": plan, "versions": versions,
        "latest": latest, "previous": previous, **parts, "milestone_rows": milestones, "general_comments": general,
        "open_requests": sum(1 for c in comments if c.requests_change and not c.resolved),
        "comment_form": comment_form, "may_review": may_review, "late": _late(innovation),
        **_plan_actions(request, innovation, plan, latest),
    })


@login_required
@require_GET
def plan_detail(request, pemda, innovation, version):
    pemda, innovation, plan = _plan(request, pemda, innovation, version)
    require(request.user, "innovations.view_innovation", innovation)
    return _plan_detail(request, pemda, innovation, plan)


def _button(request, pemda, innovation, plan, form, action, success: str):
    """A POST of one review-loop button: run the service once, say what happened, back to the plan."""
    done, result = run_form(request, form, action)
    if done and result is not None:
        messages.success(request, success)
    elif not done:
        _errors_as_messages(request, form)
    return redirect("plan_detail", pemda.slug, innovation.pk, plan.version)


@login_required
@require_POST
def plan_submit(request, pemda, innovation, version):
    pemda, innovation, plan = _plan(request, pemda, innovation, version)
    # edit_plan is revise_plan on an editable version: once sent (a double click), the writers get
    # "already submitted" or the service's message rather than a 403 page
    require(request.user, "innovations.edit_plan" if plan.status in plans.EDITABLE else "innovations.revise_plan", plan)
    return _button(request, pemda, innovation, plan, ActionForm(request.POST),
                   lambda d: plans.plan_submit(actor=request.user, plan=plan),
                   _("The action plan was sent for review. The coach is asked to review it."))


@login_required
@require_POST
def plan_comment(request, pemda, innovation, version):
    pemda, innovation, plan = _plan(request, pemda, innovation, version)
    may_review = request.user.has_perm("innovations.review_plan", plan)
    if not may_review:
        # unit members (and organisers) write plain comments; only reviewers request changes
        require(request.user, "innovations.write_plan", innovation)
    form = CommentForm(request.POST, milestones=plan.milestones.all(),
                       may_request_change=may_review and plan.status in REVIEWABLE)
    done, comment = run_form(request, form, lambda d: plans.plan_comment(
        actor=request.user, plan=plan, text=d["text"], milestone_order=d.get("milestone"),
        requests_change=bool(d.get("requests_change"))))
    if done:
        if comment is not None:
            if comment.requests_change:
                messages.success(request, _("Your change request was sent to the unit."))
            else:
                messages.success(request, _("Your comment was added."))
        return redirect("plan_detail", pemda.slug, innovation.pk, plan.version)
    return _plan_detail(request, pemda, innovation, plan, comment_form=form)


@login_required
@require_POST
def plan_coach_approve(request, pemda, innovation, version):
    pemda, innovation, plan = _plan(request, pemda, innovation, version)
    require(request.user, "innovations.review_plan", plan)
    return _button(request, pemda, innovation, plan, ActionForm(request.POST),
                   lambda d: plans.plan_coach_approve(actor=request.user, plan=plan),
                   _("You approved the action plan as coach. The unit head approves it next."))


@login_required
@require_POST
def plan_unit_approve(request, pemda, innovation, version):
    pemda, innovation, plan = _plan(request, pemda, innovation, version)
    require(request.user, "innovations.approve_plan_as_unit", plan)
    return _button(request, pemda, innovation, plan, ActionForm(request.POST),
                   lambda d: plans.plan_unit_approve(actor=request.user, plan=plan),
                   _("You approved the action plan as unit head. This version is now final."))


@login_required
@require_POST
def plan_new_version(request, pemda, innovation):
    pemda, innovation = _innovation(request, pemda, innovation)
    require(request.user, "innovations.revise_plan", innovation)
    form = NewVersionForm(request.POST, reason_needed=_late(innovation))
    done, plan = run_form(request, form, lambda d: plans.plan_new_version(
        actor=request.user, innovation=innovation, reason=d.get("reason", "")))
    if done and plan is not None:
        messages.success(request, _("Version %(v)s was started as a copy of the approved one.") % {"v": plan.version})
        if request.user.has_perm("innovations.edit_plan", plan):
            return redirect("plan_edit", pemda.slug, innovation.pk, plan.version)
        return redirect("plan_detail", pemda.slug, innovation.pk, plan.version)
    _errors_as_messages(request, form)
    return redirect("innovation_detail", pemda.slug, innovation.pk)


@login_required
@require_POST
def plan_allow_outside(request, pemda, innovation, version):
    pemda, innovation, plan = _plan(request, pemda, innovation, version)
    if not _may_allow_outside(request.user, plan):
        raise PermissionDenied
    form = AllowOutsideForm(request.POST)
    allow = request.POST.get("allow") in ("1", "true", "True", "on")
    return _button(request, pemda, innovation, plan, form,
                   lambda d: plans.plan_allow_outside_period(actor=request.user, plan=plan, allow=bool(d.get("allow"))),
                   _("Milestones of this plan may now lie outside the program period.") if allow
                   else _("Milestones of this plan must again lie inside the program period."))


# --- differences between versions -----------------------------------------------------------------


def _cell(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _field_label(part: str, field: str | None) -> str:
    if field is None:
        return ""
    if part == "objective":
        return _("Objective")
    return str(next((label for name, label, _make in ROW_PARTS[part] if name == field), field))


def _row_text(part: str, row: dict | None) -> str:
    if row is None:
        return "—"
    return "; ".join(f"{_field_label(part, k)}: {_cell(v)}" for k, v in row.items() if v not in (None, "", False))


@login_required
@require_GET
def plan_diff(request, pemda, innovation, version, other):
    pemda, innovation, plan = _plan(request, pemda, innovation, version)
    require(request.user, "innovations.view_innovation", innovation)
    other_plan = selectors.plan_get(innovation=innovation, version=other)
    old, new = (plan, other_plan) if plan.version <= other_plan.version else (other_plan, plan)
    part_labels = {"objective": _("Objective"), "indicators": _("Performance indicators"), "milestones": _("Milestones"),
                   "risks": _("Risks"), "stakeholders": _("Stakeholders")}
    rows = []
    for change in plans.plan_diff(old, new):
        part, field = change["part"], change["field"]
        if field is None and change["index"] is not None:  # a whole row added or removed
            what = _("row added") if change["old"] is None else _("row removed")
            old_text, new_text = _row_text(part, change["old"]), _row_text(part, change["new"])
        else:
            what = _field_label(part, field)
            old_text, new_text = _cell(change["old"]), _cell(change["new"])
        rows.append({"part": part_labels.get(part, part), "index": change["index"], "field": what, "old": old_text, "new": new_text})
    return render(request, "innovations/plan_diff.html", {
        "pemda": pemda, "innovation": innovation, "program": innovation.program, "old": old, "new": new, "rows": rows,
        "versions": list(selectors.plan_versions(innovation=innovation)),
    })
