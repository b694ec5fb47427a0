"""Reads of the consolidation view: proposed groups of duplicate ideas, and the merge history.

Selectors in the sense of selectors.py (reads, scoped by the actor through the visibility rule),
kept in their own module because they run the grouping of duplicates.py.

A program of up to INLINE_LIMIT submitted, undecided ideas is grouped inside the request (well under
two seconds). A larger one is grouped by the `scan_duplicates` task: the page shows its progress,
then the stored groups, page by page, until the ideas (or their vectors, or the pairs marked "not
duplicates") change and a new scan is needed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum
from django.http import Http404

from labinov.core import semantic

from . import duplicates
from .models import Consolidation, DuplicateScan, Idea, IdeaStatus, IdeaVector, NotDuplicate
from .visibility import visible_ideas_q

INLINE_LIMIT = 2000
GROUPS_PER_PAGE = 20


@dataclass
class Cluster:
    """Duplicate ideas, most central first, with a suggested title and the phrases they share."""

    ideas: list[Idea]
    suggested_title: str
    phrases: list[str] = field(default_factory=list)
    units: list = field(default_factory=list)  # the distinct units of the ideas, in the ideas' order

    @property
    def idea_ids(self) -> list[int]:
        return [i.pk for i in self.ideas]


@dataclass
class Proposals:
    """What the consolidation page shows: the groups (all of them, or none while a scan runs)."""

    groups: list[dict]  # [{"ideas": [pk, ...], "phrases": [...]}, ...], largest first
    level: str
    submitted: int  # submitted, undecided ideas considered
    semantic: bool  # compared by meaning and words (False: by words only)
    pending_vectors: int = 0  # ideas whose vector is still being computed
    scan: DuplicateScan | None = None  # the background scan, for a large program


def _text_of(idea: Idea) -> str:
    from labinov.core.textsim import normalize

    if idea.search_text:
        return idea.search_text
    return normalize(" ".join(p for p in (idea.title, idea.problem, idea.proposed_change) if p))


def _submitted(program):
    return Idea.objects.filter(program=program, status=IdeaStatus.SUBMITTED)


def _not_pairs(program) -> list[tuple[int, int]]:
    return list(NotDuplicate.objects.filter(program=program).values_list("idea_low_id", "idea_high_id"))


def _items(program, ideas=None) -> tuple[list[duplicates.Item], int]:
    """The program's submitted ideas as grouping items, and how many lack an up-to-date vector."""
    from .vectors import text_hash

    encoder = semantic.get_encoder()
    rows = ideas if ideas is not None else _submitted(program).select_related("vector").only(
        "pk", "title", "problem", "proposed_change", "search_text", "vector__model", "vector__text_hash", "vector__vector",
    ).order_by("pk")
    items, pending = [], 0
    for idea in rows:
        vector = None
        stored = getattr(idea, "vector", None) if _has_vector(idea) else None
        if encoder is not None:
            if stored is not None and stored.model == encoder.code and stored.text_hash == text_hash(idea):
                vector = semantic.from_bytes(stored.vector)
            if vector is None:
                pending += 1
        items.append(duplicates.Item(key=idea.pk, text=_text_of(idea), vector=vector,
                                     words=" ".join((idea.title, idea.problem or "", idea.proposed_change or ""))))
    return items, pending


def _has_vector(idea) -> bool:
    try:
        return idea.vector is not None
    except IdeaVector.DoesNotExist:
        return False


def _fingerprint(program, level: str) -> str:
    """Changes whenever an idea, a vector or a "not duplicates" mark of the program changes: one query each."""
    ideas = _submitted(program).aggregate(n=Count("pk"), ids=Sum("pk"), last=Max("updated_at"))
    vectors = IdeaVector.objects.filter(idea__program=program, idea__status=IdeaStatus.SUBMITTED).aggregate(
        n=Count("pk"), last=Max("updated_at"))
    marks = NotDuplicate.objects.filter(program=program).aggregate(n=Count("pk"), last=Max("pk"))
    encoder = semantic.get_encoder()
    key = f"{duplicates.ENGINE_VERSION}|{level}|{encoder.code if encoder else '-'}|{ideas}|{vectors}|{marks}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def duplicate_proposals(*, actor, program, level: str = duplicates.DEFAULT_LEVEL, start_scan: bool = True) -> Proposals:
    """The proposed groups of the program's submitted, undecided ideas at a setting.

    A small program is grouped now; a large one reads the stored scan for the current ideas, or
    (``start_scan``) creates and enqueues one and returns without groups.
    """
    from .vectors import enqueue_refresh

    level = duplicates.level_or_default(level)
    n = _submitted(program).count()
    if n <= INLINE_LIMIT:
        items, pending = _items(program)
        if pending:
            enqueue_refresh(program.pk)
        groups = duplicates.group(items, level, not_pairs=_not_pairs(program))
        semantic_used = bool(items) and sum(i.vector is not None for i in items) >= duplicates.MIN_VECTOR_SHARE * len(items)
        return Proposals(groups=groups, level=level, submitted=n, semantic=semantic_used, pending_vectors=pending)
    fingerprint = _fingerprint(program, level)
    scan = DuplicateScan.objects.filter(program=program, level=level, fingerprint=fingerprint).exclude(
        status=DuplicateScan.Status.FAILED).first()
    if scan is None and start_scan:
        from .tasks import refresh_idea_vectors, scan_duplicates

        if semantic.get_encoder() is not None:
            refresh_idea_vectors.enqueue(program.pk)
        scan = DuplicateScan.objects.create(program=program, level=level, fingerprint=fingerprint, total=n)
        scan_duplicates.enqueue(scan.pk)
        scan.refresh_from_db()  # an immediate backend (tests) has run it already
    done = scan is not None and scan.status == DuplicateScan.Status.DONE
    return Proposals(groups=scan.groups if done else [], level=level, submitted=n,
                     semantic=bool(done and scan.message == "semantic"), scan=scan)


def scan_run(scan_id: int) -> str:
    """The `scan_duplicates` task: groups the program's ideas, saving progress and then the groups."""
    if not DuplicateScan.objects.filter(pk=scan_id, status=DuplicateScan.Status.QUEUED).update(
            status=DuplicateScan.Status.RUNNING):
        return "skipped"
    scan = DuplicateScan.objects.select_related("program").get(pk=scan_id)
    try:
        items, _pending = _items(scan.program)
        last = [0]

        def progress(done, total):
            if done - last[0] >= max(1, total // 50) or done == total:
                last[0] = done
                DuplicateScan.objects.filter(pk=scan_id).update(done=done, total=total)

        groups = duplicates.group(items, scan.level, not_pairs=_not_pairs(scan.program), progress=progress)
        semantic_used = bool(items) and sum(i.vector is not None for i in items) >= duplicates.MIN_VECTOR_SHARE * len(items)
        DuplicateScan.objects.filter(pk=scan_id).update(
            status=DuplicateScan.Status.DONE, groups=groups, done=len(items), total=len(items),
            message="semantic" if semantic_used else "words")
        # Older scans of the program are never shown again.
        DuplicateScan.objects.filter(program=scan.program, level=scan.level).exclude(pk=scan_id).delete()
        return "done"
    except Exception as e:  # the page offers to try again; the error is logged by the worker
        DuplicateScan.objects.filter(pk=scan_id).update(status=DuplicateScan.Status.FAILED, message=str(e)[:500])
        raise


def clusters_for(*, actor, program, groups: list[dict]) -> list[Cluster]:
    """Clusters of the given groups (one page of them): one query for their ideas, visible ones only."""
    from labinov.core.textsim import cluster_title

    ids = [pk for g in groups for pk in g["ideas"]]
    by_id = (
        Idea.objects.filter(program=program, status=IdeaStatus.SUBMITTED, pk__in=ids).filter(visible_ideas_q(actor, program))
        .select_related("unit").only(
            "pk", "title", "problem", "proposed_change", "status", "unit_id", "program_id", "pemda_id", "unit__name", "unit__kind",
        ).in_bulk() if ids else {}
    )
    clusters = []
    for g in groups:
        members = [by_id[pk] for pk in g["ideas"] if pk in by_id]
        if len(members) < 2:
            continue  # decided or hidden meanwhile
        units, seen = [], set()
        for idea in members:
            if idea.unit_id not in seen:
                seen.add(idea.unit_id)
                units.append(idea.unit)
        clusters.append(Cluster(ideas=members, suggested_title=cluster_title([i.title for i in members]),
                                phrases=list(g.get("phrases") or []), units=units))
    return clusters


def consolidation_clusters(*, actor, program, level: str = duplicates.DEFAULT_LEVEL) -> list[Cluster]:
    """Every proposed cluster of the program (small programs; large ones read them page by page)."""
    proposals = duplicate_proposals(actor=actor, program=program, level=level)
    return clusters_for(actor=actor, program=program, groups=proposals.groups)


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
