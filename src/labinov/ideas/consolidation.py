"""Reads of the consolidation view: proposed clusters of near-duplicate ideas, and the merge history.

Selectors in the sense of selectors.py (reads, scoped by the actor through the visibility rule),
kept in their own module because they run the text-similarity clustering of core/textsim.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from .models import Consolidation, Idea, IdeaStatus
from .visibility import visible_ideas_q

DEFAULT_THRESHOLD = 0.45
MIN_THRESHOLD = 0.2
MAX_THRESHOLD = 0.8


def clamp_threshold(value) -> float:
    """The similarity threshold of a GET parameter: a number within 0.2–0.8, else the default."""
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return DEFAULT_THRESHOLD
    if number != number:  # NaN
        return DEFAULT_THRESHOLD
    return round(min(MAX_THRESHOLD, max(MIN_THRESHOLD, number)), 2)


@dataclass
class Cluster:
    """Near-duplicate ideas, most central first, with a suggested title for the merged innovation."""

    ideas: list[Idea]
    suggested_title: str
    units: list = field(default_factory=list)  # the distinct units of the ideas, in the ideas' order

    @property
    def idea_ids(self) -> list[int]:
        return [i.pk for i in self.ideas]


def _text_of(idea: Idea) -> str:
    from labinov.core.textsim import normalize

    if idea.search_text:
        return idea.search_text
    return normalize(" ".join(p for p in (idea.title, idea.problem, idea.proposed_change) if p))


def consolidation_clusters(*, actor, program, threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """Clusters of two or more submitted, not yet decided ideas of the program the actor may see.

    One query, whatever the number of ideas; the clustering itself runs in memory (textsim.cluster).
    """
    from labinov.core.textsim import cluster, cluster_title

    ideas = list(
        Idea.objects.filter(program=program, status=IdeaStatus.SUBMITTED).filter(visible_ideas_q(actor, program))
        .select_related("unit").only(
            "pk", "title", "problem", "proposed_change", "search_text", "status", "unit_id", "program_id", "pemda_id",
            "unit__name", "unit__kind",
        ).order_by("pk")
    )
    by_id = {i.pk: i for i in ideas}
    groups = cluster([(i.pk, _text_of(i)) for i in ideas], threshold=clamp_threshold(threshold))
    clusters = []
    for keys in groups:
        members = [by_id[k] for k in keys]
        units, seen = [], set()
        for idea in members:
            if idea.unit_id not in seen:
                seen.add(idea.unit_id)
                units.append(idea.unit)
        clusters.append(Cluster(ideas=members, suggested_title=cluster_title([i.title for i in members]), units=units))
    return clusters


def consolidation_get(*, actor, program, pk) -> Consolidation:
    """One merge of the program (404 if it belongs to another program)."""
    try:
        consolidation = Consolidation.objects.select_related("innovation").get(program=program, pk=pk)
    except (Consolidation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    consolidation.program = program
    return consolidation


def with_source_ideas(*, actor, program, consolidations) -> list[Consolidation]:
    """Attaches `.source_ideas` (the merged ideas the actor may see, in merge order) to each row: one query."""
    rows = list(consolidations)
    ids = {pk for c in rows for pk in (c.idea_ids or []) if isinstance(pk, int)}
    ideas = (
        Idea.objects.filter(program=program, pk__in=ids).filter(visible_ideas_q(actor, program)).select_related("unit")
        .in_bulk() if ids else {}
    )
    for c in rows:
        c.source_ideas = [ideas[pk] for pk in c.idea_ids or [] if pk in ideas]
    return rows
