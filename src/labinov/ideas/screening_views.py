"""Screening pages (Design): the rubric, reviews, the ranked list and decisions, consolidation of near-duplicates.

Every view: the pemda of the URL (`tenant`), the program (`program_get`), a permission of ideas/rules.py,
then one selector or service. Writes go through `run_form`, so a form posted twice changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from labinov.core.forms import paginate, run_form
from labinov.core.params import id_list
from labinov.core.regulation import Urusan
from labinov.core.views_helpers import program_page as _program
from labinov.core.views_helpers import require

from . import selectors, services
from . import duplicates
from .consolidation import GROUPS_PER_PAGE, clusters_for, consolidation_get, duplicate_proposals, with_source_ideas
from .rules import screening_not_started
from .screening_forms import (
    EXTRA_ROWS, MAX_CRITERIA, BulkDecisionForm, DecideForm, MergeForm, PublishForm, RubricForm, ReviewForm,
    ScreeningFilterForm, SplitForm, UndoForm,
)

# Reviewer agreement from the spread of the scores (max − min, on the 0–100 scale).
AGREEMENT_HIGH_MAX = 15
AGREEMENT_MEDIUM_MAX = 30
AGREEMENT_LABELS = {"high": gettext_lazy("high"), "medium": gettext_lazy("medium"), "low": gettext_lazy("low")}
PER_PAGE = 50
HISTORY_PER_PAGE = 20


def agreement(spread, review_count: int) -> str | None:
    """"high", "medium" or "low"; None with fewer than two reviews (nothing to agree on)."""
    if spread is None or (review_count or 0) < 2:
        return None
    if spread <= AGREEMENT_HIGH_MAX:
        return "high"
    if spread <= AGREEMENT_MEDIUM_MAX:
        return "medium"
    return "low"


def _errors_as_messages(request, form) -> None:
    for errs in form.errors.values():
        for e in errs:
            messages.error(request, e)


def _safe_next(request) -> str | None:
    url = request.POST.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return None


# --- the rubric ------------------------------------------------------------------------------------------------


@login_required
def rubric_edit(request, pemda, program):
    """The organiser edits criteria and weights until the first review; then everyone sees it read-only."""
    pemda, program = _program(request, pemda, program)
    require(request.user, "ideas.view_reviews", program)
    can_edit = request.user.has_perm("ideas.edit_rubric", program)
    if request.method == "POST" and not can_edit:
        if screening_not_started(request.user, program):
            require(request.user, "ideas.edit_rubric", program)  # 403: not the organiser
        messages.error(request, _("Scoring has started; the rubric can no longer change."))
        return redirect("rubric_edit", pemda.slug, program.pk)
    criteria = selectors.criteria_for(program=program)
    form = None
    if can_edit:
        if request.method == "POST":
            try:
                posted_rows = int(request.POST.get("rows") or 0)
            except ValueError:
                posted_rows = 0
            posted_rows = max(0, min(posted_rows, MAX_CRITERIA + EXTRA_ROWS))
            if "more" in request.POST:
                rows = RubricForm.rows_from(request.POST, posted_rows)
                initial = {"submission_token": request.POST.get("submission_token", "")}
                for i, row in enumerate(rows):
                    initial.update({f"label_{i}": row["label"], f"weight_{i}": row["weight"], f"key_{i}": row["key"]})
                form = RubricForm(n_rows=len(rows) + EXTRA_ROWS, initial=initial)
            else:
                form = RubricForm(request.POST, n_rows=posted_rows)
                done, result = run_form(
                    request, form, lambda d: services.rubric_set(actor=request.user, program=program, criteria=d["criteria"])
                )
                if done:
                    if result is not None:
                        messages.success(request, ngettext("The rubric was saved with %(n)s criterion.",
                                                           "The rubric was saved with %(n)s criteria.", len(result)) % {"n": len(result)})
                    return redirect("rubric_edit", pemda.slug, program.pk)
        else:
            initial = {}
            for i, c in enumerate(criteria):
                initial.update({f"label_{i}": c.label, f"weight_{i}": c.weight, f"key_{i}": c.key})
            form = RubricForm(n_rows=len(criteria) + EXTRA_ROWS, initial=initial)
    total = sum(c.weight for c in criteria) or 1
    rows = [{"criterion": c, "share": number_format(c.weight * 100 / total, decimal_pos=1, use_l10n=True)} for c in criteria]
    return render(request, "ideas/rubric_edit.html", {
        "pemda": pemda, "program": program, "form": form, "rows": rows, "can_edit": can_edit,
        "total_weight": sum(c.weight for c in criteria), "max_criteria": MAX_CRITERIA,
    })


# --- the ranked list and bulk decisions ------------------------------------------------------------------------


def _bulk_decide(actor, program, data):
    ideas = selectors.ideas_by_ids(actor=actor, program=program, ids=data["ideas"])
    if data["action"] == "select":
        return "select", len(services.ideas_select(actor=actor, program=program, ideas=ideas))
    return "reject", services.ideas_reject(actor=actor, program=program, ideas=ideas, reason=data["reason"])


@login_required
def screening_list(request, pemda, program):
    """Submitted and decided ideas ranked by mean score, with reviewer agreement; bulk select or reject."""
    pemda, program = _program(request, pemda, program)
    require(request.user, "ideas.view_reviews", program)
    can_decide = request.user.has_perm("ideas.decide", program)
    bulk = None
    if request.method == "POST":
        require(request.user, "ideas.decide", program)
        bulk = BulkDecisionForm(request.POST)
        done, result = run_form(request, bulk, lambda d: _bulk_decide(request.user, program, d))
        if done:
            if result is not None:
                verb, n = result
                if verb == "select":
                    msg = ngettext("%(n)s idea was selected and is now an innovation.",
                                   "%(n)s ideas were selected; each is now an innovation.", n)
                else:
                    msg = ngettext("%(n)s idea was rejected.", "%(n)s ideas were rejected.", n)
                messages.success(request, msg % {"n": n})
            return redirect(request.get_full_path())
    elif can_decide:
        bulk = BulkDecisionForm()
    filters = ScreeningFilterForm(request.GET or None)
    status, unit_kind = filters.value("status"), filters.value("unit_kind")
    page = paginate(request, selectors.ranked_ideas(actor=request.user, program=program, status=status, unit_kind=unit_kind),
                    per_page=PER_PAGE)
    checked = set(id_list(request.POST.getlist("ideas"))) if bulk is not None and bulk.is_bound else set()
    rows = []
    for idea in page:
        level = agreement(idea.spread, idea.review_count)
        rows.append({"idea": idea, "agreement": level, "agreement_label": AGREEMENT_LABELS.get(level, ""),
                     "checked": idea.pk in checked, "open": idea.status == "submitted"})
    return render(request, "ideas/screening_list.html", {
        "pemda": pemda, "program": program, "page": page, "rows": rows, "filters": filters,
        "summary": selectors.screening_summary(program=program),
        "can_decide": can_decide, "can_review": request.user.has_perm("ideas.review_idea", program),
        "can_edit_rubric": request.user.has_perm("ideas.edit_rubric", program),
        "bulk": bulk, "publish_form": PublishForm() if can_decide else None,
        "agreement_high": AGREEMENT_HIGH_MAX, "agreement_medium": AGREEMENT_MEDIUM_MAX,
    })


@login_required
@require_POST
def decisions_publish(request, pemda, program):
    pemda, program = _program(request, pemda, program)
    require(request.user, "ideas.decide", program)
    form = PublishForm(request.POST)
    done, screening = run_form(request, form, lambda d: services.decisions_publish(actor=request.user, program=program))
    if done and screening is not None:
        messages.success(request, _("The decisions were published; every unit can now read them with their reasons."))
    elif not done:
        _errors_as_messages(request, form)
    return redirect("screening_list", pemda.slug, program.pk)


# --- one idea: review and decision ------------------------------------------------------------------------------


@login_required
def idea_review(request, pemda, program, idea):
    """The reviewer's scores (1–5 per criterion) and comment; organisers also see the other reviews and decide."""
    pemda, program = _program(request, pemda, program)
    require(request.user, "ideas.review_idea", program)
    idea = selectors.idea_get(actor=request.user, program=program, pk=idea)
    criteria = selectors.criteria_for(program=program)
    mine = selectors.my_review(actor=request.user, idea=idea)
    initial = {}
    if mine is not None:
        initial = {f"c{k}": str(v) for k, v in (mine.scores or {}).items()}
        initial["comment"] = mine.comment
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST":
        done, review = run_form(
            request, form,
            lambda d: services.review_save(actor=request.user, idea=idea, scores=form.scores(), comment=d.get("comment") or ""),
        )
        if done:
            if review is not None:
                messages.success(request, _("Your review of %(title)s was saved: %(score)s of 100.") % {
                    "title": idea.title, "score": number_format(review.score, decimal_pos=1, use_l10n=True)})
            return redirect("screening_list", pemda.slug, program.pk)
    can_decide = request.user.has_perm("ideas.decide", program)
    others = []
    if can_decide:
        for r in selectors.idea_reviews(idea=idea):
            if r.reviewer_id == request.user.pk:
                continue
            others.append({"review": r, "scores": [(c.label, (r.scores or {}).get(str(c.pk), "—")) for c in criteria]})
    here = reverse("idea_review", args=[pemda.slug, program.pk, idea.pk])
    return render(request, "ideas/review_form.html", {
        "pemda": pemda, "program": program, "idea": idea, "form": form, "criteria": criteria, "mine": mine,
        "urusan": [dict(Urusan.choices).get(u, u) for u in idea.urusan or []],
        "others": others, "can_decide": can_decide,
        "decide_form": DecideForm(initial={"next": here}) if can_decide else None,
    })


@login_required
@require_POST
def idea_decide(request, pemda, program, idea):
    """Select, reject (with a reason) or undo the decision on one idea."""
    pemda, program = _program(request, pemda, program)
    require(request.user, "ideas.decide", program)
    idea = selectors.idea_get(actor=request.user, program=program, pk=idea)
    form = DecideForm(request.POST)

    def action(d):
        if d["action"] == "select":
            services.ideas_select(actor=request.user, program=program, ideas=[idea])
        elif d["action"] == "reject":
            services.ideas_reject(actor=request.user, program=program, ideas=[idea], reason=d["reason"])
        else:
            services.decision_undo(actor=request.user, program=program, idea=idea)
        return d["action"]

    done, result = run_form(request, form, action)
    if done and result:
        msg = {
            "select": _("%(title)s was selected and is now an innovation."),
            "reject": _("%(title)s was rejected."),
            "undo": _("The decision on %(title)s was undone; the idea is submitted again."),
        }[result]
        messages.success(request, msg % {"title": idea.title})
    elif not done:
        _errors_as_messages(request, form)
    return redirect(_safe_next(request) or reverse("screening_list", args=[pemda.slug, program.pk]))


# --- consolidation ----------------------------------------------------------------------------------------------


def _merge(actor, program, data):
    ideas = selectors.ideas_by_ids(actor=actor, program=program, ids=data["ideas"])
    order = {pk: n for n, pk in enumerate(data["ideas"])}
    ideas.sort(key=lambda i: order.get(i.pk, len(order)))  # the posted order: the most central idea leads
    unit = None
    if data.get("unit"):
        unit = next((i.unit for i in ideas if i.unit_id == data["unit"]), None)
        if unit is None:
            raise ValidationError({"unit": _("The innovation belongs to the unit of one of the merged ideas.")})
    return services.ideas_merge(actor=actor, program=program, ideas=ideas, title=data["title"], unit=unit)


def _split(actor, program, data):
    group = selectors.ideas_by_ids(actor=actor, program=program, ids=data["group"])
    apart = {int(pk) for pk in data["ideas"]}
    return services.ideas_mark_not_duplicates(
        actor=actor, program=program, ideas=[i for i in group if i.pk in apart], others=[i for i in group if i.pk not in apart])


@login_required
def consolidation(request, pemda, program):
    """Proposed groups of duplicate submitted ideas, each mergeable into one innovation or split; the merge history."""
    pemda, program = _program(request, pemda, program)
    require(request.user, "ideas.view_reviews", program)
    can_decide = request.user.has_perm("ideas.decide", program)
    level = duplicates.level_or_default(request.GET.get("level"))
    bound = None
    if request.method == "POST":
        require(request.user, "ideas.decide", program)
        level = duplicates.level_or_default(request.POST.get("level") or level)
        back = f"{reverse('consolidation', args=[pemda.slug, program.pk])}?level={level}"
        if request.POST.get("action") == "split":
            split = SplitForm(request.POST)
            done, n = run_form(request, split, lambda d: _split(request.user, program, d))
            if done:
                messages.success(request, _("Noted: those ideas are no longer proposed together."))
                return redirect(back)
            _errors_as_messages(request, split)
        else:
            bound = MergeForm(request.POST)
            done, merged = run_form(request, bound, lambda d: _merge(request.user, program, d))
            if done:
                if merged is not None:
                    n = len(merged.idea_ids)
                    messages.success(request, ngettext(
                        "%(n)s idea was merged into the innovation %(title)s.",
                        "%(n)s ideas were merged into the innovation %(title)s.", n) % {"n": n, "title": merged.title})
                return redirect(back)
    proposals = duplicate_proposals(actor=request.user, program=program, level=level)
    groups_page = Paginator(proposals.groups, GROUPS_PER_PAGE).get_page(request.GET.get("groups"))
    clusters = clusters_for(actor=request.user, program=program, groups=list(groups_page.object_list))
    posted = {v for v in request.POST.getlist("ideas")} if bound is not None else set()
    placed = False
    for n, cluster in enumerate(clusters, groups_page.start_index() if proposals.groups else 1):
        form = None
        if bound is not None and not placed and posted & {str(pk) for pk in cluster.idea_ids}:
            form, placed = bound, True
            form.fields["unit"].widget.choices = [(u.pk, u.name) for u in cluster.units]
        elif can_decide:
            form = MergeForm(units=cluster.units, initial={
                "ideas": cluster.idea_ids, "title": cluster.suggested_title, "unit": cluster.ideas[0].unit_id, "level": level,
            })
        if form is not None:
            form.auto_id = f"m{n}_%s"
        cluster.number = n
        cluster.form = form
        cluster.rows = [{"idea": i, "checked": (str(i.pk) in posted) if form is bound else True} for i in cluster.ideas]
    if bound is not None and not placed:
        _errors_as_messages(request, bound)  # the cluster changed meanwhile: say what went wrong at the top
    history = paginate(request, selectors.consolidation_list(program=program), per_page=HISTORY_PER_PAGE)
    history_rows = with_source_ideas(actor=request.user, program=program, consolidations=history.object_list)
    for c in history_rows:
        c.undo_form = UndoForm(auto_id=False) if can_decide and c.undone_at is None else None
    levels = [{"value": v, "label": duplicates.LEVEL_LABELS[v], "help": duplicates.LEVEL_HELP[v]} for v in duplicates.LEVELS]
    return render(request, "ideas/consolidation.html", {
        "pemda": pemda, "program": program, "clusters": clusters, "groups_page": groups_page, "proposals": proposals,
        "level": level, "levels": levels, "level_label": duplicates.LEVEL_LABELS[level],
        "clustered": sum(len(g["ideas"]) for g in proposals.groups), "can_decide": can_decide,
        "history": history, "history_rows": history_rows,
    })


@login_required
def consolidation_scan_status(request, pemda, program):
    """The progress of a large program's duplicate scan (polled by the consolidation page)."""
    pemda, program = _program(request, pemda, program)
    require(request.user, "ideas.view_reviews", program)
    level = duplicates.level_or_default(request.GET.get("level"))
    proposals = duplicate_proposals(actor=request.user, program=program, level=level, start_scan=False)
    return render(request, "ideas/_scan_status.html", {"pemda": pemda, "program": program, "proposals": proposals,
                                                       "level": level})


@login_required
@require_POST
def consolidation_undo(request, pemda, program, consolidation):
    """Undo a merge while the program is in Design: the ideas are submitted again, the record stays."""
    pemda, program = _program(request, pemda, program)
    require(request.user, "ideas.decide", program)
    merge = consolidation_get(actor=request.user, program=program, pk=consolidation)
    form = UndoForm(request.POST)
    done, result = run_form(request, form, lambda d: services.merge_undo(actor=request.user, consolidation=merge) or True)
    if done and result:
        messages.success(request, _("The merge %(title)s was undone; its ideas are submitted again.") % {"title": merge.title})
    elif not done:
        _errors_as_messages(request, form)
    return redirect("consolidation", pemda.slug, program.pk)
