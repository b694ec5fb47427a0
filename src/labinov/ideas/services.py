"""Writes of the Diagnose and screening stages: ideas, rubric, reviews, decisions, merges."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from labinov.core.errors import raise_with_model_errors
from labinov.core.audit import audit_record, diff, snapshot
from labinov.core.regulation import Urusan
from labinov.core.stages import Capability, stage_allows
from labinov.innovations.models import Innovation
from labinov.programs.models import Participation

from .models import Consolidation, Criterion, Idea, IdeaStatus, NotDuplicate, Review, Screening
from .vectors import enqueue_refresh

IDEA_FIELDS = [
    "title", "problem", "root_cause", "proposed_change", "beneficiaries", "expected_benefit", "form", "is_digital",
    "urusan", "initiator", "proposers", "is_replication", "replication_of", "replication_source", "replication_changes",
]
_SNAP = [f if f != "replication_of" else "replication_of_id" for f in IDEA_FIELDS] + ["unit_id", "status"]
RUBRIC_FILE = Path(__file__).resolve().parent / "data" / "default_rubric.json"
SCALE = (1, 5)


def search_text_for(*parts: str) -> str:
    from labinov.core.textsim import normalize

    return normalize(" ".join(p for p in parts if p))


def _require_stage(program, capability: str, message: str) -> None:
    if not stage_allows(program.stage, capability):
        raise ValidationError(message % {"stage": program.get_stage_display()})


def _clean_idea(idea: Idea) -> None:
    errors: dict[str, list] = {}
    idea.title = (idea.title or "").strip()
    if idea.unit_id and idea.unit.pemda_id != idea.pemda_id:
        errors["unit"] = [_("The unit must belong to the program's pemda.")]
    elif idea.unit_id and not Participation.objects.filter(program_id=idea.program_id, unit_id=idea.unit_id).exists():
        errors["unit"] = [_("%(unit)s does not take part in this program.") % {"unit": idea.unit}]
    bad = [u for u in idea.urusan or [] if u not in Urusan.values]
    if bad:
        errors["urusan"] = [_("Unknown urusan: %(values)s.") % {"values": ", ".join(map(str, bad))}]
    if idea.is_replication and not (idea.replication_of_id or idea.replication_source.strip()):
        errors["replication_source"] = [_("Name the innovation this idea replicates (ATM).")]
    if not idea.is_replication:
        idea.replication_of, idea.replication_source, idea.replication_changes = None, "", ""
    if idea.replication_of_id and idea.replication_of.published_at is None and idea.replication_of.pemda_id != idea.pemda_id:
        errors["replication_of"] = [_("Only published innovations of another pemda can be replicated.")]
    raise_with_model_errors(idea, errors, exclude=["program", "pemda", "created_by", "decided_by", "innovation"])
    idea.urusan = sorted(set(idea.urusan or []), key=list(Urusan.values).index)
    idea.search_text = search_text_for(idea.title, idea.problem, idea.proposed_change)


def idea_create(*, actor, program, unit, submit: bool = False, import_key: str = "", **fields) -> Idea:
    _require_stage(program, Capability.IDEA_CREATE, _("Ideas are written during Diagnose; the program is in %(stage)s."))
    idea = Idea(pemda_id=program.pemda_id, program=program, unit=unit, created_by=actor if actor and actor.pk else None,
                import_key=import_key, **fields)
    _clean_idea(idea)
    if submit:
        idea.status, idea.submitted_at = IdeaStatus.SUBMITTED, timezone.now()
    with transaction.atomic():
        idea.save()
        audit_record(actor=actor, action="idea.create", obj=idea, changes=snapshot(idea, _SNAP))
        if submit:
            audit_record(actor=actor, action="idea.submit", obj=idea, changes={"status": ["draft", "submitted"]})
            enqueue_refresh(idea.program_id)
    return idea


def idea_update(*, actor, idea: Idea, **fields) -> Idea:
    _require_stage(idea.program, Capability.IDEA_CREATE, _("Ideas can be changed during Diagnose only; the program is in %(stage)s."))
    if idea.status not in (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED):
        raise ValidationError(_("A decided idea cannot be changed."))
    before = snapshot(idea, _SNAP)
    for name, value in fields.items():
        if name not in IDEA_FIELDS + ["unit"]:
            raise TypeError(name)
        setattr(idea, name, value)
    _clean_idea(idea)
    with transaction.atomic():
        idea.save()
        audit_record(actor=actor, action="idea.update", obj=idea, changes=diff(before, snapshot(idea, _SNAP)))
        if idea.status == IdeaStatus.SUBMITTED:
            enqueue_refresh(idea.program_id)
    return idea


def idea_submit(*, actor, idea: Idea) -> Idea:
    _require_stage(idea.program, Capability.IDEA_CREATE, _("Ideas are submitted during Diagnose; the program is in %(stage)s."))
    if idea.status != IdeaStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    with transaction.atomic():
        idea.status, idea.submitted_at = IdeaStatus.SUBMITTED, timezone.now()
        idea.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(actor=actor, action="idea.submit", obj=idea, changes={"status": ["draft", "submitted"]})
        enqueue_refresh(idea.program_id)
    return idea


# --- the rubric -------------------------------------------------------------------------------------------


def default_rubric() -> list[dict]:
    """The default criteria, labelled in Indonesian (the pemda's working language), whoever asks first."""
    data = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    return [{"key": c["key"], "label": c["label_id"], "weight": c["weight"]} for c in data["criteria"]]


def rubric_get_or_create(*, program) -> list[Criterion]:
    """The program's rubric, made from the default criteria the first time it is needed."""
    criteria = list(program.criteria.all())
    if not criteria:
        with transaction.atomic():
            # two first visits at once: the unique (program, key) constraint lets only one set in
            Criterion.objects.bulk_create(
                [Criterion(program=program, order=i, **c) for i, c in enumerate(default_rubric())], ignore_conflicts=True
            )
        criteria = list(program.criteria.all())
    return criteria


def _screening(program) -> Screening:
    screening, _created = Screening.objects.get_or_create(program=program)
    return screening


def rubric_set(*, actor, program, criteria: list[dict]) -> list[Criterion]:
    """Replaces the rubric: [{"key", "label", "weight"}]. Refused once scoring has started."""
    if _screening(program).started_at:
        raise ValidationError(_("Scoring has started; the rubric can no longer change."))
    errors = []
    keys = [c.get("key", "").strip() for c in criteria]
    if not criteria:
        errors.append(_("A rubric needs at least one criterion."))
    if len(set(keys)) != len(keys):
        errors.append(_("Two criteria have the same key."))
    for i, c in enumerate(criteria, 1):
        if not (c.get("label") or "").strip():
            errors.append(_("Criterion %(n)s has no name.") % {"n": i})
        elif len(c["label"].strip()) > 200:
            errors.append(_("The name of criterion %(n)s is longer than 200 characters.") % {"n": i})
        if not re.fullmatch(r"[a-z0-9_-]{1,40}", (c.get("key") or "").strip()):
            errors.append(_("The key of criterion %(n)s must be 1–40 lowercase letters, digits, - or _.") % {"n": i})
        if not isinstance(c.get("weight"), int) or not 1 <= c["weight"] <= 100:
            errors.append(_("The weight of criterion %(n)s must be a whole number from 1 to 100.") % {"n": i})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = list(program.criteria.values("key", "label", "weight"))
        program.criteria.all().delete()
        new = Criterion.objects.bulk_create(
            [Criterion(program=program, order=i, key=c["key"].strip(), label=c["label"].strip(), weight=c["weight"])
             for i, c in enumerate(criteria)]
        )
        audit_record(actor=actor, action="rubric.set", obj=program, changes={"before": before, "after": criteria})
    return new


# --- reviews -----------------------------------------------------------------------------------------------


def weighted_score(criteria: list[Criterion], scores: dict[str, int]) -> Decimal:
    """0–100: the weighted mean of the 1–5 scores, rescaled so 1 → 0 and 5 → 100."""
    total_weight = sum(c.weight for c in criteria)
    lo, hi = SCALE
    raw = sum(Decimal(c.weight) * (Decimal(scores[str(c.pk)]) - lo) for c in criteria) / (total_weight * (hi - lo))
    return (raw * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def review_aggregates_refresh(*, idea_ids) -> int:
    """Store each idea's number of reviews, mean, lowest and highest score (0–100) from its reviews.

    Called in the transaction of every review write (and after bulk loads), so the ranked list reads
    them from the idea instead of aggregating every review of the program. One UPDATE per call.
    """
    from django.db.models import Avg, Count, DecimalField, Max, Min, OuterRef, Subquery, Value
    from django.db.models.functions import Cast, Coalesce

    ids = list(idea_ids)
    if not ids:
        return 0
    per_idea = Review.objects.filter(idea=OuterRef("pk")).order_by().values("idea")
    dec = DecimalField(max_digits=5, decimal_places=2)

    def agg(fn):
        return Subquery(per_idea.annotate(v=fn("score")).values("v")[:1], output_field=dec)

    return Idea.objects.filter(pk__in=ids).update(
        review_count=Coalesce(Subquery(per_idea.annotate(n=Count("pk")).values("n")[:1]), Value(0)),
        score_mean=Cast(agg(Avg), dec), score_min=agg(Min), score_max=agg(Max),
    )


def review_save(*, actor, idea: Idea, scores: dict, comment: str = "") -> Review:
    program = idea.program
    _require_stage(program, Capability.IDEA_REVIEW, _("Ideas are scored during Design; the program is in %(stage)s."))
    if idea.status == IdeaStatus.DRAFT:
        raise ValidationError(_("A draft cannot be scored."))
    criteria = rubric_get_or_create(program=program)
    clean, errors = {}, {}
    for c in criteria:
        value = scores.get(str(c.pk), scores.get(c.key))
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[f"c{c.pk}"] = [_("Give %(criterion)s a score from %(lo)s to %(hi)s.") % {"criterion": c.label, "lo": SCALE[0], "hi": SCALE[1]}]
            continue
        if not SCALE[0] <= value <= SCALE[1]:
            errors[f"c{c.pk}"] = [_("Give %(criterion)s a score from %(lo)s to %(hi)s.") % {"criterion": c.label, "lo": SCALE[0], "hi": SCALE[1]}]
        clean[str(c.pk)] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        screening = _screening(program)
        if not screening.started_at:
            screening.started_at = timezone.now()
            screening.save(update_fields=["started_at"])
        review, _created = Review.objects.update_or_create(
            idea=idea, reviewer=actor,
            defaults={"scores": clean, "score": weighted_score(criteria, clean), "comment": comment.strip()},
        )
        review_aggregates_refresh(idea_ids=[idea.pk])
        audit_record(actor=actor, action="idea.review", obj=idea, changes={"scores": clean, "score": str(review.score)})
    return review


# --- decisions ---------------------------------------------------------------------------------------------


def _check_decidable(program, ideas) -> None:
    _require_stage(program, Capability.IDEA_REVIEW, _("Decisions are taken during Design; the program is in %(stage)s."))
    wrong = [i for i in ideas if i.program_id != program.pk]
    if wrong:
        raise ValidationError(_("The ideas must belong to this program."))
    drafts = [i.title for i in ideas if i.status == IdeaStatus.DRAFT]
    if drafts:
        raise ValidationError(_("Drafts cannot be decided: %(titles)s.") % {"titles": "; ".join(drafts)})
    decided = [i.title for i in ideas if i.status in (IdeaStatus.SELECTED, IdeaStatus.MERGED)]
    if decided:
        raise ValidationError(_("Already an innovation (undo that first): %(titles)s.") % {"titles": "; ".join(decided)})


def _innovation_from(actor, program, idea: Idea, name: str) -> Innovation:
    return Innovation.objects.create(
        pemda_id=program.pemda_id, program=program, unit_id=idea.unit_id, name=name, description=idea.proposed_change,
        form=idea.form, is_digital=idea.is_digital, urusan=idea.urusan, initiator=idea.initiator,
        search_text=search_text_for(name, idea.problem, idea.proposed_change), created_by=actor,
    )


def ideas_select(*, actor, program, ideas) -> list[Innovation]:
    """Each idea becomes an innovation of its own."""
    ideas = list(ideas)
    if not ideas:
        raise ValidationError(_("Choose at least one idea."))
    _check_decidable(program, ideas)
    now, created = timezone.now(), []
    with transaction.atomic():
        for idea in ideas:
            innovation = _innovation_from(actor, program, idea, idea.title)
            idea.status, idea.innovation, idea.decision_reason = IdeaStatus.SELECTED, innovation, ""
            idea.decided_by, idea.decided_at = actor, now
            created.append(innovation)
        Idea.objects.bulk_update(ideas, ["status", "innovation", "decision_reason", "decided_by", "decided_at"])
        audit_record(actor=actor, action="idea.select", obj=program, changes={"ideas": [i.pk for i in ideas]})
    return created


def ideas_reject(*, actor, program, ideas, reason: str) -> int:
    ideas = list(ideas)
    if not ideas:
        raise ValidationError(_("Choose at least one idea."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for rejecting; the units will read it.")})
    _check_decidable(program, ideas)
    now = timezone.now()
    with transaction.atomic():
        for idea in ideas:
            idea.status, idea.decision_reason, idea.decided_by, idea.decided_at = IdeaStatus.REJECTED, reason.strip(), actor, now
        Idea.objects.bulk_update(ideas, ["status", "decision_reason", "decided_by", "decided_at"])
        audit_record(actor=actor, action="idea.reject", obj=program, changes={"ideas": [i.pk for i in ideas], "reason": reason.strip()})
    return len(ideas)


def ideas_mark_not_duplicates(*, actor, program, ideas, others) -> int:
    """A coach's "these are not duplicates": every pair (one of ``ideas``, one of ``others``) is
    remembered and never proposed as one group again. Returns the number of new pairs."""
    ideas, others = list(ideas), list(others)
    if not ideas or not others:
        raise ValidationError(_("Tick the ideas that are not duplicates of the others in the group, and leave at least one unticked."))
    if {i.pk for i in ideas} & {o.pk for o in others}:
        raise ValidationError(_("An idea cannot be set apart from itself."))
    _check_decidable(program, ideas + others)
    pairs = {(min(a.pk, b.pk), max(a.pk, b.pk)) for a in ideas for b in others}
    with transaction.atomic():
        existing = set(NotDuplicate.objects.filter(program=program, idea_low_id__in=[p[0] for p in pairs])
                       .values_list("idea_low_id", "idea_high_id"))
        new = sorted(pairs - existing)
        NotDuplicate.objects.bulk_create([NotDuplicate(program=program, idea_low_id=a, idea_high_id=b, created_by=actor)
                                          for a, b in new])
        audit_record(actor=actor, action="idea.not_duplicate", obj=program,
                     changes={"ideas": [i.pk for i in ideas], "others": [o.pk for o in others]})
    return len(new)


def ideas_merge(*, actor, program, ideas, title: str, unit=None) -> Consolidation:
    """Several near-duplicate ideas become one innovation (of the unit of the first idea, or `unit`)."""
    ideas = list(ideas)
    if len(ideas) < 2:
        raise ValidationError(_("Choose at least two ideas to merge."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the merged innovation a title.")})
    _check_decidable(program, ideas)
    lead = ideas[0]
    if unit is not None and unit.pk not in {i.unit_id for i in ideas}:
        raise ValidationError({"unit": _("The innovation belongs to the unit of one of the merged ideas.")})
    now = timezone.now()
    with transaction.atomic():
        innovation = _innovation_from(actor, program, lead, title.strip())
        innovation.urusan = sorted({u for i in ideas for u in i.urusan or []}, key=list(Urusan.values).index)
        innovation.is_digital = any(i.is_digital for i in ideas)
        if unit is not None:
            innovation.unit = unit
        innovation.save(update_fields=["unit", "urusan", "is_digital"])
        for idea in ideas:
            idea.status, idea.innovation, idea.decision_reason = IdeaStatus.MERGED, innovation, ""
            idea.decided_by, idea.decided_at = actor, now
        Idea.objects.bulk_update(ideas, ["status", "innovation", "decision_reason", "decided_by", "decided_at"])
        consolidation = Consolidation.objects.create(
            program=program, innovation=innovation, title=title.strip(), idea_ids=[i.pk for i in ideas], created_by=actor
        )
        audit_record(actor=actor, action="idea.merge", obj=program,
                     changes={"ideas": consolidation.idea_ids, "innovation": innovation.pk, "title": title.strip()})
    return consolidation


def decision_undo(*, actor, program, idea: Idea) -> None:
    """Back to 'submitted': an innovation born from this idea alone is removed; a merge is undone whole."""
    _require_stage(program, Capability.IDEA_REVIEW, _("Decisions can be undone until Design closes; the program is in %(stage)s."))
    if idea.program_id != program.pk or idea.status not in (IdeaStatus.SELECTED, IdeaStatus.MERGED, IdeaStatus.REJECTED):
        raise ValidationError(_("This idea has no decision to undo."))
    if idea.status == IdeaStatus.MERGED:
        consolidation = Consolidation.objects.filter(innovation_id=idea.innovation_id, undone_at__isnull=True).first()
        if consolidation is None:
            raise ValidationError(_("This idea has no decision to undo."))
        merge_undo(actor=actor, consolidation=consolidation)
        return
    with transaction.atomic():
        innovation = idea.innovation
        before = idea.status
        idea.status, idea.innovation, idea.decision_reason, idea.decided_by, idea.decided_at = IdeaStatus.SUBMITTED, None, "", None, None
        idea.save(update_fields=["status", "innovation", "decision_reason", "decided_by", "decided_at"])
        if innovation is not None and not innovation.source_ideas.exists():
            innovation.delete()
        audit_record(actor=actor, action="idea.undo_decision", obj=idea, changes={"status": [before, "submitted"]})


def merge_undo(*, actor, consolidation: Consolidation) -> None:
    program = consolidation.program
    _require_stage(program, Capability.IDEA_REVIEW, _("A merge can be undone until Design closes; the program is in %(stage)s."))
    if consolidation.undone_at:
        raise ValidationError(_("This merge was already undone."))
    with transaction.atomic():
        Idea.objects.filter(pk__in=consolidation.idea_ids, status=IdeaStatus.MERGED).update(
            status=IdeaStatus.SUBMITTED, innovation=None, decided_by=None, decided_at=None, updated_at=timezone.now()
        )
        innovation = consolidation.innovation
        consolidation.undone_at, consolidation.undone_by = timezone.now(), actor
        consolidation.save(update_fields=["undone_at", "undone_by"])
        if innovation is not None:
            innovation.delete()
        audit_record(actor=actor, action="idea.undo_merge", obj=program,
                     changes={"ideas": consolidation.idea_ids, "title": consolidation.title})


def decisions_publish(*, actor, program) -> Screening:
    _require_stage(program, Capability.IDEA_REVIEW, _("Decisions are published during Design; the program is in %(stage)s."))
    open_count = Idea.objects.filter(program=program, status=IdeaStatus.SUBMITTED).count()
    if open_count:
        raise ValidationError(
            _("%(n)s submitted ideas have no decision yet; decide every idea before publishing.") % {"n": open_count}
        )
    with transaction.atomic():
        screening = _screening(program)
        screening.published_at, screening.published_by = timezone.now(), actor
        screening.save(update_fields=["published_at", "published_by"])
        audit_record(actor=actor, action="ideas.publish_decisions", obj=program)
    program._screening_cache = screening
    return screening
