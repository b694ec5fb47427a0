"""Reads of ideas, reviews and the funnel: always through the visibility rule of visibility.py."""

from __future__ import annotations

from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet
from django.http import Http404

from labinov.programs.models import Participation

from .models import Consolidation, Criterion, Idea, IdeaStatus, Review
from .models import DECIDED
from .visibility import decisions_visible_to, own_unit_ids, program_published, visible_ideas_q


def _visible(actor, program) -> QuerySet[Idea]:
    """The program's ideas the actor may see; decisions hidden from units until they are published."""
    qs = Idea.objects.filter(program=program).filter(visible_ideas_q(actor, program))
    return qs if decisions_visible_to(actor, program) else qs.hide_decisions()


#: what the idea list page shows (title, unit, status, reason, innovation) and what the visibility rule reads:
#: the long texts stay in the table, so the sort and the page carry narrow rows
LIST_COLUMNS = ("pemda_id", "program_id", "unit_id", "title", "status", "decision_reason", "decided_at", "innovation_id",
                "created_by_id", "unit__name", "unit__kind", "unit__pemda_id", "innovation__name")


def idea_list(*, actor, program, unit_id: int | None = None, status: str = "", q: str = "", narrow: bool = False) -> QuerySet[Idea]:
    """The program's ideas the actor may see, by unit name and title; `narrow` loads only LIST_COLUMNS."""
    qs = _visible(actor, program).select_related("unit", "innovation")
    if narrow:
        qs = qs.only(*LIST_COLUMNS)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if status:
        if qs._decisions_hidden and status in DECIDED:
            qs = qs.none()
        elif qs._decisions_hidden and status == IdeaStatus.SUBMITTED:
            qs = qs.filter(status__in=[IdeaStatus.SUBMITTED, *DECIDED])
        else:
            qs = qs.filter(status=status)
    if q:
        from labinov.core.textsim import normalize

        words = normalize(q).split()
        cond = Q(title__icontains=q)
        for w in words:
            cond |= Q(search_text__contains=w)
        qs = qs.filter(cond)
    return qs.order_by("unit__name", "title", "pk")


def idea_get(*, actor, program, pk: int) -> Idea:
    try:
        idea = _visible(actor, program).select_related("unit", "innovation", "replication_of", "pemda").get(pk=pk)
    except (Idea.DoesNotExist, ValueError):
        raise Http404 from None
    idea.program = program
    return idea


def ideas_by_ids(*, actor, program, ids) -> list[Idea]:
    """The ideas named in a bulk action, all visible to the actor or none (404)."""
    ids = {int(i) for i in ids if str(i).isdigit()}
    ideas = list(_visible(actor, program).filter(pk__in=ids).select_related("unit"))
    if len(ideas) != len(ids):
        raise Http404
    return sorted(ideas, key=lambda i: i.pk)


def criteria_for(*, program) -> list[Criterion]:
    from .services import rubric_get_or_create

    return rubric_get_or_create(program=program)


def ranked_ideas(*, actor, program, status: str = "", unit_kind: str = "") -> QuerySet[Idea]:
    """Submitted and decided ideas with their mean score, number of reviews and spread (max − min)."""
    qs = (
        Idea.objects.filter(program=program).exclude(status=IdeaStatus.DRAFT).filter(visible_ideas_q(actor, program))
        .select_related("unit", "innovation")
        .only("pemda_id", "program_id", "unit_id", "title", "status", "decision_reason", "innovation_id", "created_by_id",
              "review_count", "score_mean", "score_min", "score_max", "unit__name", "unit__kind", "unit__pemda_id", "innovation__name")
        # the aggregates stored on the idea with each review (services.review_aggregates_refresh):
        # the sort runs on the (program, status, score_mean) index, no review is read
        .annotate(mean_score=F("score_mean"), spread=F("score_max") - F("score_min"))
    )
    if status:
        qs = qs.filter(status=status)
    if unit_kind:
        qs = qs.filter(unit__kind=unit_kind)
    return qs.order_by(F("score_mean").desc(nulls_last=True), "unit__name", "pk")


def screening_summary(*, program) -> dict:
    """The ranked list's header: non-draft ideas by status and the innovations, in two small queries
    (one GROUP BY on the (program, status) index), instead of the funnel's full-program aggregates."""
    counts = dict(
        Idea.objects.filter(program=program).exclude(status=IdeaStatus.DRAFT)
        .values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "ideas": sum(counts.values()),
        "submitted": counts.get(IdeaStatus.SUBMITTED, 0),
        "selected": counts.get(IdeaStatus.SELECTED, 0),
        "merged": counts.get(IdeaStatus.MERGED, 0),
        "rejected": counts.get(IdeaStatus.REJECTED, 0),
        "innovations": program.innovations.count(),
        "published": program_published(program),
    }


def my_review(*, actor, idea) -> Review | None:
    return Review.objects.filter(idea=idea, reviewer=actor).first()


def idea_reviews(*, idea) -> QuerySet[Review]:
    return idea.reviews.select_related("reviewer").order_by("-updated_at")


def consolidation_list(*, program) -> QuerySet[Consolidation]:
    return Consolidation.objects.filter(program=program).select_related("innovation", "created_by", "undone_by")


def funnel(*, program, show_decisions: bool = True) -> dict:
    """Units taking part → units with an idea → ideas → decisions → innovations, also by unit type.

    With show_decisions=False (units, before publication) every decided idea counts as submitted
    and the decision counts are None.
    """
    # one GROUP BY per level: participations by unit kind, ideas by unit kind (every count as a
    # filtered aggregate, drafts included), the innovations; a unit has one kind, so summing over
    # kinds gives the program's totals
    by_kind_units = dict(Participation.objects.filter(program=program).values_list("unit__kind").annotate(n=Count("id")).order_by())
    units = sum(by_kind_units.values())
    not_draft = ~Q(status=IdeaStatus.DRAFT)
    by_kind = {}
    for row in Idea.objects.filter(program=program).values("unit__kind").annotate(
        ideas=Count("id", filter=not_draft), units=Count("unit", distinct=True, filter=not_draft),
        drafts=Count("id", filter=Q(status=IdeaStatus.DRAFT)), submitted=Count("id", filter=Q(status=IdeaStatus.SUBMITTED)),
        selected=Count("id", filter=Q(status=IdeaStatus.SELECTED)), merged=Count("id", filter=Q(status=IdeaStatus.MERGED)),
        rejected=Count("id", filter=Q(status=IdeaStatus.REJECTED)),
    ).order_by("unit__kind"):
        by_kind[row["unit__kind"]] = row
    counts = {k: sum(r[k] for r in by_kind.values()) for k in ("ideas", "units", "drafts", "submitted", "selected", "merged", "rejected")}
    with_idea = counts["units"]
    innovations = program.innovations.count()
    total = counts["ideas"]
    from labinov.regions.models import UnitKind

    rows = [
        {"kind_key": k, "kind": UnitKind(k).label, "participating": n, **{x: by_kind.get(k, {}).get(x, 0) for x in ("units", "ideas", "selected", "merged", "rejected")}}
        for k, n in sorted(by_kind_units.items(), key=lambda kv: -kv[1])
    ]
    result = {
        "units": units,
        "units_with_idea": with_idea,
        "ideas": total,
        "drafts": counts["drafts"],
        "submitted": counts["submitted"],
        "selected": counts["selected"],
        "merged": counts["merged"],
        "rejected": counts["rejected"],
        "innovations": innovations,
        "ideas_per_unit": (total / units) if units else 0,
        "conversion": (innovations / total * 100) if total else 0,
        "by_kind": rows,
        "published": program_published(program),
    }
    if not show_decisions:
        result.update(submitted=total, selected=None, merged=None, rejected=None, innovations=None, conversion=None)
        for row in rows:
            row.update(selected=None, merged=None, rejected=None)
    return result


def ideas_per_unit(*, program) -> list:
    """Every participating unit with its number of (non-draft) ideas, most first.

    One GROUP BY over the program's ideas (on the (program, status, created_by, unit) index) and one
    read of the participating units: a join on the unit alone read each unit's ideas of every year,
    and a count per unit made SQLite scan the program once per unit."""
    from labinov.regions.models import Unit

    counts = dict(Idea.objects.filter(program=program).exclude(status=IdeaStatus.DRAFT)
                  .values_list("unit_id").annotate(n=Count("pk")).order_by())
    units = list(Unit.objects.filter(participations__program=program))
    for unit in units:
        unit.idea_count = counts.get(unit.pk, 0)
    units.sort(key=lambda u: (-u.idea_count, u.name, u.pk))
    return units


def unit_choices_for_writer(*, actor, program):
    """The units an actor may write ideas for: their own units, or every participating unit for organisers."""
    from labinov.core.rules import can_administer_pemda
    from labinov.regions.models import Unit

    qs = Unit.objects.filter(participations__program=program)
    if not can_administer_pemda(actor, program):
        qs = qs.filter(pk__in=own_unit_ids(actor, program.pemda_id))
    return qs.order_by("name")


def similar_ideas(*, actor, program, text: str, exclude_id: int | None = None, k: int = 5) -> dict:
    """Ideas of the program the actor may see, and published innovations of any pemda, similar to `text`."""
    from labinov.core.textsim import normalize

    from labinov.innovations.selectors import published_similar

    from .program_index import similar_in_program

    query = normalize(text)
    if len(query.split()) < 2:
        return {"ideas": [], "innovations": []}
    visible = _visible(actor, program)
    # Ideas the actor may not see are dropped after ranking: ask for more than k.
    hits = similar_in_program(program, text=text, normalized=query, k=k * 3, exclude=exclude_id)
    by_id = visible.select_related("unit", "innovation", "innovation__pemda", "innovation__unit").in_bulk([key for key, _s in hits])
    ideas = [{"idea": by_id[key], "score": round(min(score, 1.0) * 100)} for key, score in hits if key in by_id][:k]
    return {"ideas": ideas, "innovations": published_similar(normalized=query, k=k)}


def similar_panel(*, actor, program, text: str, exclude_id: int | None = None, k: int = 5) -> dict:
    """The idea form's side panel: what is similar to `text`, one entry per innovation, grouped by
    where it comes from, each with the link the actor may follow.

    - "ideas": ideas of this program that have not become an innovation (linked to the idea);
    - "own": innovations of the program's pemda, whether reached through the ideas they were born
      from (a merge of five ideas is one innovation) or through the catalogue; linked to the
      innovation's page when the actor may open it;
    - "other": published innovations of other pemda, with the pemda's name; there is no public
      catalogue page yet, so they carry no link.
    Each innovation keeps its best score.
    """
    from django.urls import reverse

    found = similar_ideas(actor=actor, program=program, text=text, exclude_id=exclude_id, k=k * 3)
    ideas, own, other = [], {}, {}

    def keep(bucket, innovation, score):
        if innovation.pk not in bucket or bucket[innovation.pk]["score"] < score:
            bucket[innovation.pk] = {"innovation": innovation, "score": score}

    for row in found["ideas"]:
        idea = row["idea"]
        if idea.innovation_id:  # only set when the actor may see decisions (see _visible)
            keep(own, idea.innovation, row["score"])
        else:
            ideas.append(row)
    for row in found["innovations"]:
        innovation = row["innovation"]
        keep(own if innovation.pemda_id == program.pemda_id else other, innovation, row["score"])

    def ranked(bucket):
        return sorted(bucket.values(), key=lambda r: (-r["score"], r["innovation"].name))[:k]

    own_rows = ranked(own)
    for row in own_rows:
        innovation = row["innovation"]
        row["url"] = (reverse("innovation_detail", args=[program.pemda.slug, innovation.pk])
                      if actor.has_perm("innovations.view_innovation", innovation) else "")
    return {"ideas": ideas[:k], "own": own_rows, "other": ranked(other)}
