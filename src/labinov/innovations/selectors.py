from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Innovation


def innovation_list(*, actor, program) -> QuerySet[Innovation]:
    """The program's innovations: for organisers, reviewers and leaders at once; for units, once
    the screening decisions are published (an innovation would reveal a decision)."""
    from labinov.ideas.visibility import decisions_visible_to

    qs = Innovation.objects.filter(program=program).select_related("unit").prefetch_related("source_ideas")
    if not decisions_visible_to(actor, program):
        qs = qs.none()
    return qs.order_by("unit__name", "name")


def innovation_get(*, actor, pemda, pk: int) -> Innovation:
    try:
        return Innovation.objects.select_related("unit", "program").get(pemda=pemda, pk=pk)
    except (Innovation.DoesNotExist, ValueError):
        raise Http404 from None


def published_similar(*, normalized: str, k: int = 5) -> list[dict]:
    """Published innovations of every pemda (the ATM catalogue) similar to an already normalised text.

    Uses the stored similarity index (rebuilt by a task, shared by every process); nothing
    unpublished is ever in it, so no pemda's drafts can leak into another's suggestions.
    """
    from .similarity import catalogue_index

    index = catalogue_index()
    if index is None or not len(index):
        return []
    hits = index.query(normalized, k=k)
    by_id = Innovation.objects.select_related("pemda", "unit").filter(published_at__isnull=False).in_bulk([key for key, _s in hits])
    return [{"innovation": by_id[key], "score": round(score * 100)} for key, score in hits if key in by_id]


def innovation_for_page(*, actor, pemda, pk: int) -> Innovation:
    """An innovation of the URL's pemda that the actor may see (404 otherwise)."""
    innovation = innovation_get(actor=actor, pemda=pemda, pk=pk)
    if not actor.has_perm("innovations.view_innovation", innovation):
        raise Http404
    return innovation


def innovation_work_for_page(*, actor, pemda, pk: int) -> Innovation:
    """An innovation whose work (action plans, monitoring, evidence) the actor may see: its own unit
    and those who oversee the pemda (404 for anyone else, as if it did not exist)."""
    innovation = innovation_for_page(actor=actor, pemda=pemda, pk=pk)
    if not actor.has_perm("innovations.view_innovation_work", innovation):
        raise Http404
    return innovation


def plan_versions(*, innovation: Innovation):
    return innovation.plans.select_related("created_by", "coach_approved_by", "approved_by").order_by("-version")


def plan_get(*, innovation: Innovation, version: int):
    from .models import ActionPlan

    try:
        return ActionPlan.objects.select_related("innovation", "innovation__program", "innovation__unit").get(innovation=innovation, version=version)
    except (ActionPlan.DoesNotExist, ValueError):
        raise Http404 from None
