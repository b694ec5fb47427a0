"""The IID scoring engine (DOMAIN.md §3.3, §7.4) as pure functions over a :class:`~labinov.iid.rulesets.Ruleset`.

All arithmetic is Decimal; only the index is rounded (2 decimals, half-up). Nothing here reads the database:
the assessment pages, the command line (``labinov iid score``) and the benchmark call the same functions.

    skor_indikator = bobot × level                  (level 0–3; the verified level when present)
    skor_inovasi   = Σ SID per-innovation indicators (0–111)
    SPD            = Σ SPD indicators (0–63)
    n              = innovations counted (eligible and valid)
    jumlah         = bobot_jml × min(n, cap) if yandas_covered ≥ yandas_min else 0
    SID            = Σ skor_inovasi / max(divisor_min, n) + jumlah
    IID            = round_half_up((SPD + SID) / max_total × 100, 2);  category by the ruleset's cut-offs
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .rulesets import MAX_LEVEL, MIN_LEVEL, Category, Indicator, Ruleset

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class ScoringInputError(ValueError):
    """Levels or codes that the ruleset does not allow; the message is in the user's language."""


@dataclass(frozen=True)
class InnovationInput:
    id: str
    levels: Mapping[str, int] = field(default_factory=dict)
    verified: Mapping[str, int] = field(default_factory=dict)  # verified level per indicator, used when present
    valid: bool = True  # False once verification judged it invalid
    application_date: date | None = None
    previous_entries: int = 0  # IID years it was already entered in


@dataclass(frozen=True)
class AssessmentInput:
    spd: Mapping[str, int] = field(default_factory=dict)
    innovations: tuple = ()
    yandas_covered: int = 0
    spd_verified: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class InnovationResult:
    id: str
    score: Decimal
    counted: bool
    reasons: tuple = ()  # why it is not counted


@dataclass(frozen=True)
class Result:
    spd: Decimal
    sid: Decimal
    sid_indicators: Decimal  # Σ innovation scores / divisor
    jumlah: Decimal
    total: Decimal
    iid: Decimal
    category: Category
    n: int
    divisor: int
    innovations: tuple = ()


# --- single pieces ----------------------------------------------------------------------------------------------


def check_level(level, *, code="") -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ScoringInputError(_("Indicator %(code)s: the level must be a whole number from %(min)s to %(max)s, not %(level)s.")
                                % {"code": code, "min": MIN_LEVEL, "max": MAX_LEVEL, "level": _show(level)})
    return level


def _show(value) -> str:
    """A value as the user wrote it in JSON."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def effective_level(level=None, verified=None) -> int:
    """The level that counts: the verified level when present, else the claimed one, else 0."""
    if verified is not None:
        return verified
    return level or 0


def indicator_score(indicator: Indicator, level: int = 0, verified: int | None = None) -> Decimal:
    """bobot × level (0–3); the verified level wins when present (both are checked)."""
    check_level(level or 0, code=indicator.code)
    if verified is not None:
        check_level(verified, code=indicator.code)
    used = effective_level(level, verified)
    if used and used not in indicator.levels:
        raise ScoringInputError(_("Indicator %(code)s has no level %(level)s.") % {"code": indicator.code, "level": used})
    return indicator.weight * used


def _aspect_score(ruleset: Ruleset, aspect: str, levels: Mapping, verified: Mapping | None) -> Decimal:
    verified = verified or {}
    for code in (*levels, *verified):
        ind = ruleset.by_code.get(code)
        if ind is None:
            if code == ruleset.jumlah.code:
                raise ScoringInputError(_("Indicator %(code)s (the number of innovations) is computed, not given a level.")
                                        % {"code": code})
            raise ScoringInputError(_("Unknown indicator code “%(code)s” in ruleset %(ruleset)s.")
                                    % {"code": code, "ruleset": ruleset.code})
        if ind.aspect != aspect:
            if aspect == "SID":
                raise ScoringInputError(_("Indicator %(code)s is a region-level (SPD) indicator, not a per-innovation one.")
                                        % {"code": code})
            raise ScoringInputError(_("Indicator %(code)s is a per-innovation (SID) indicator, not a region-level (SPD) one.")
                                    % {"code": code})
    total = ZERO
    for code in set(levels) | set(verified):
        total += indicator_score(ruleset.by_code[code], levels.get(code, 0), verified.get(code))
    return total


def innovation_score(ruleset: Ruleset, levels: Mapping[str, int], verified: Mapping[str, int] | None = None) -> Decimal:
    """The innovation's score: Σ of the SID per-innovation indicators (0–111 in the 2023–2026 rulesets)."""
    return _aspect_score(ruleset, "SID", levels, verified)


def spd_score(ruleset: Ruleset, levels: Mapping[str, int], verified: Mapping[str, int] | None = None) -> Decimal:
    """The region-level aspect SPD: Σ of the SPD indicators (0–63)."""
    return _aspect_score(ruleset, "SPD", levels, verified)


def eligibility_problems(ruleset: Ruleset, innovation: InnovationInput) -> list[str]:
    """Why this innovation may not be counted under the ruleset (empty when it may)."""
    rule, problems = ruleset.eligibility, []
    if innovation.previous_entries + 1 > rule.max_entries:
        problems.append(_("Innovation %(id)s was already entered %(count)s times; an innovation may be entered at most %(max)s times.")
                        % {"id": innovation.id, "count": innovation.previous_entries, "max": rule.max_entries})
    d = innovation.application_date
    if rule.application_date_from or rule.application_date_to:
        # an unknown application date is not held against the innovation (the command line input may omit it)
        if d is not None and ((rule.application_date_from and d < rule.application_date_from) or (
                rule.application_date_to and d > rule.application_date_to)):
            problems.append(_("Innovation %(id)s was applied on %(date)s, outside %(start)s to %(end)s of ruleset %(ruleset)s.")
                            % {"id": innovation.id, "date": d.isoformat(), "start": rule.application_date_from or "…",
                               "end": rule.application_date_to or "…", "ruleset": ruleset.code})
    return problems


def jumlah_score(ruleset: Ruleset, n: int, yandas_covered: int) -> Decimal:
    """Score for the number of innovations: weight × min(n, cap), only when enough basic-service affairs are covered."""
    j = ruleset.jumlah
    if isinstance(yandas_covered, bool) or not isinstance(yandas_covered, int) or not 0 <= yandas_covered <= j.yandas_total:
        raise ScoringInputError(_("The number of basic-service affairs covered (yandas) must be a whole number from 0 to %(max)s, not %(value)s.")
                                % {"max": j.yandas_total, "value": _show(yandas_covered)})
    if yandas_covered < j.yandas_min:
        return ZERO
    return j.weight * min(n, j.cap)


def divisor(ruleset: Ruleset, n: int) -> int:
    return max(ruleset.divisor_min, n)


def sid_score(ruleset: Ruleset, innovation_scores: Iterable[Decimal], yandas_covered: int) -> Decimal:
    """SID = Σ innovation scores / max(divisor_min, n) + jumlah, over the counted innovations' scores."""
    scores = list(innovation_scores)
    n = len(scores)
    return sum(scores, ZERO) / divisor(ruleset, n) + jumlah_score(ruleset, n, yandas_covered)


def index(ruleset: Ruleset, total: Decimal) -> Decimal:
    """IID = total / max_total × 100, rounded to 2 decimals half-up."""
    return (Decimal(total) / ruleset.max_total * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def category(ruleset: Ruleset, iid: Decimal) -> Category:
    """The first category (highest first) whose minimum the index reaches; else Tidak Dapat Dinilai (Disclaimer)."""
    iid = Decimal(iid)
    for c in ruleset.categories:
        if iid >= c.min:
            return c
    return ruleset.disclaimer


# --- whole assessment -------------------------------------------------------------------------------------------


def score_parts(ruleset: Ruleset, spd: Decimal, innovation_scores: Iterable[Decimal], yandas_covered: int) -> Result:
    """The result from the SPD score and the scores of the counted innovations (used by the simulation)."""
    scores = list(innovation_scores)
    n = len(scores)
    div = divisor(ruleset, n)
    sid_ind = sum(scores, ZERO) / div
    jumlah = jumlah_score(ruleset, n, yandas_covered)
    sid = sid_ind + jumlah
    total = spd + sid
    iid = index(ruleset, total)
    return Result(spd=spd, sid=sid, sid_indicators=sid_ind, jumlah=jumlah, total=total, iid=iid,
                  category=category(ruleset, iid), n=n, divisor=div)


def score(ruleset: Ruleset, assessment: AssessmentInput) -> Result:
    """Score an assessment: SPD, each innovation, SID, total, IID and category."""
    spd = spd_score(ruleset, assessment.spd, assessment.spd_verified)
    results, counted, seen = [], [], set()
    for inn in assessment.innovations:
        if inn.id in seen:
            raise ScoringInputError(_("The innovation “%(id)s” is listed twice.") % {"id": inn.id})
        seen.add(inn.id)
        s = innovation_score(ruleset, inn.levels, inn.verified)
        reasons = tuple(eligibility_problems(ruleset, inn))
        if not inn.valid:
            reasons += (_("Innovation %(id)s was judged invalid in verification.") % {"id": inn.id},)
        results.append(InnovationResult(id=inn.id, score=s, counted=not reasons, reasons=reasons))
        if not reasons:
            counted.append(s)
    return replace(score_parts(ruleset, spd, counted, assessment.yandas_covered), innovations=tuple(results))


# --- simulation (issue 13 item 5) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    current: Category
    next: Category | None  # None when already in the highest category
    iid_points: Decimal  # index points missing (0 when at the top)
    score_points: Decimal  # total-score points missing, i.e. the least total gain that reaches the next category


def next_category(ruleset: Ruleset, current: Category) -> Category | None:
    ladder = [*reversed(ruleset.categories)]  # lowest first
    if current.code == ruleset.disclaimer.code:
        return ladder[0] if ladder else None
    for lower, higher in zip(ladder, ladder[1:]):
        if lower.code == current.code:
            return higher
    return None


def gap_to_next_category(ruleset: Ruleset, result: Result) -> Gap:
    """How far the index is from the next category: in index points, and in total-score points (exact: the
    smallest total whose rounded index reaches the next cut-off, minus the current total)."""
    nxt = next_category(ruleset, result.category)
    if nxt is None:
        return Gap(current=result.category, next=None, iid_points=ZERO, score_points=ZERO)
    # round_half_up(T / max × 100, 2) ≥ cut  ⇔  T ≥ (cut − 0.005) × max / 100
    needed_total = (nxt.min - Decimal("0.005")) * ruleset.max_total / HUNDRED
    return Gap(current=result.category, next=nxt, iid_points=max(nxt.min - result.iid, ZERO),
               score_points=max(needed_total - result.total, ZERO))


@dataclass(frozen=True)
class Improvement:
    kind: str  # "spd" | "indicator" | "innovation"
    innovation_id: str | None
    code: str | None
    from_level: int | None
    to_level: int | None
    gain_iid: Decimal  # change of the rounded index
    gain_total: Decimal  # change of the exact total score
    new_iid: Decimal
    new_category: Category


def _with_level(levels: Mapping, code: str, level: int) -> dict:
    return {**levels, code: level}


def _raise_spd(assessment: AssessmentInput, code: str, level: int) -> AssessmentInput:
    verified = dict(assessment.spd_verified)
    verified.pop(code, None)  # the what-if level replaces the verified one
    return replace(assessment, spd=_with_level(assessment.spd, code, level), spd_verified=verified)


def _raise_innovation(assessment: AssessmentInput, innovation_id: str, code: str, level: int) -> AssessmentInput:
    found, innovations = False, []
    for inn in assessment.innovations:
        if inn.id == innovation_id:
            found = True
            verified = dict(inn.verified)
            verified.pop(code, None)
            inn = replace(inn, levels=_with_level(inn.levels, code, level), verified=verified)
        innovations.append(inn)
    if not found:
        raise ScoringInputError(_("There is no innovation “%(id)s” in this assessment.") % {"id": innovation_id})
    return replace(assessment, innovations=tuple(innovations))


def _current_level(ruleset, levels, verified, code) -> int:
    if ruleset.by_code.get(code) is None:
        raise ScoringInputError(_("Unknown indicator code “%(code)s” in ruleset %(ruleset)s.")
                                % {"code": code, "ruleset": ruleset.code})
    return effective_level(levels.get(code, 0), verified.get(code))


def _improvement(kind, base: Result, new: Result, innovation_id=None, code=None, old=None, to=None) -> Improvement:
    return Improvement(kind=kind, innovation_id=innovation_id, code=code, from_level=old, to_level=to,
                       gain_iid=new.iid - base.iid, gain_total=new.total - base.total, new_iid=new.iid,
                       new_category=new.category)


def gain_raise_indicator(ruleset: Ruleset, assessment: AssessmentInput, code: str, *, innovation_id: str | None = None,
                         to_level: int | None = None) -> Improvement:
    """The gain of raising one indicator (an SPD indicator, or one indicator of one innovation) to ``to_level``
    (default: one level up). Verified levels count as the starting point."""
    base = score(ruleset, assessment)
    if innovation_id is None:
        old = _current_level(ruleset, assessment.spd, assessment.spd_verified, code)
        to = check_level(old + 1 if to_level is None else to_level, code=code)
        new = score(ruleset, _raise_spd(assessment, code, to))
        return _improvement("spd", base, new, None, code, old, to)
    inn = next((i for i in assessment.innovations if i.id == innovation_id), None)
    if inn is None:
        raise ScoringInputError(_("There is no innovation “%(id)s” in this assessment.") % {"id": innovation_id})
    old = _current_level(ruleset, inn.levels, inn.verified, code)
    to = check_level(old + 1 if to_level is None else to_level, code=code)
    new = score(ruleset, _raise_innovation(assessment, innovation_id, code, to))
    return _improvement("indicator", base, new, innovation_id, code, old, to)


def gain_extra_innovation(ruleset: Ruleset, assessment: AssessmentInput, innovation_score: Decimal) -> Improvement:
    """The gain of one more counted innovation scoring ``innovation_score`` (0–111), the yandas coverage unchanged.
    While n < divisor_min this is score / divisor_min (+ the jumlah weight when yandas are covered)."""
    base = score(ruleset, assessment)
    s = Decimal(innovation_score)
    sid_max = ruleset.sid_indicators_max
    if not ZERO <= s <= sid_max:
        raise ScoringInputError(_("An innovation scores from 0 to %(max)s, not %(value)s.")
                                % {"max": format(sid_max.normalize(), "f"), "value": s})
    counted = [r.score for r in base.innovations if r.counted]
    new = score_parts(ruleset, base.spd, [*counted, s], assessment.yandas_covered)
    return _improvement("innovation", base, new)


def ranked_improvements(ruleset: Ruleset, assessment: AssessmentInput, *, extra_innovation_score: Decimal | None = None,
                        limit: int | None = None) -> list[Improvement]:
    """Every one-level raise (each SPD indicator, each indicator of each counted innovation) and one extra innovation
    (scoring ``extra_innovation_score``; default the current average, or half the maximum when there is none), ranked
    by the gain in total score, largest first. Only improvements that gain something are listed. The results equal
    :func:`gain_raise_indicator` and :func:`gain_extra_innovation` (indicator sums are exact in Decimal), but each
    candidate costs one pass over the innovation scores instead of a full re-scoring."""
    base = score(ruleset, assessment)
    y = assessment.yandas_covered
    counted_ids = [r.id for r in base.innovations if r.counted]
    scores = [r.score for r in base.innovations if r.counted]
    out = []
    for ind in ruleset.spd_indicators:
        old = _current_level(ruleset, assessment.spd, assessment.spd_verified, ind.code)
        if old < MAX_LEVEL:
            new = score_parts(ruleset, base.spd + ind.weight, scores, y)
            out.append(_improvement("spd", base, new, None, ind.code, old, old + 1))
    by_id = {inn.id: inn for inn in assessment.innovations}
    for pos, inn_id in enumerate(counted_ids):
        inn = by_id[inn_id]
        for ind in ruleset.sid_indicators:
            old = _current_level(ruleset, inn.levels, inn.verified, ind.code)
            if old < MAX_LEVEL:
                changed = list(scores)
                changed[pos] += ind.weight
                new = score_parts(ruleset, base.spd, changed, y)
                out.append(_improvement("indicator", base, new, inn_id, ind.code, old, old + 1))
    if extra_innovation_score is None:
        extra_innovation_score = (sum(scores, ZERO) / len(scores)) if scores else ruleset.sid_indicators_max / 2
    out.append(gain_extra_innovation(ruleset, assessment, extra_innovation_score))
    out = [i for i in out if i.gain_total > 0]
    out.sort(key=lambda i: (-i.gain_total, i.kind != "innovation", i.innovation_id or "", i.code or ""))
    return out[:limit] if limit else out


@dataclass(frozen=True)
class MissingEvidence:
    innovation_id: str | None  # None for a region-level (SPD) indicator
    indicator: Indicator


def missing_evidence(ruleset: Ruleset, assessment: AssessmentInput) -> list[MissingEvidence]:
    """The indicators that score nothing yet (level 0, or verified 0), each with its evidence hint: the SPD ones, then
    each innovation's; mandatory indicators first within each group."""
    def missing(indicators, levels, verified, inn_id):
        rows = [MissingEvidence(inn_id, ind) for ind in indicators
                if effective_level(levels.get(ind.code, 0), verified.get(ind.code)) == 0]
        return sorted(rows, key=lambda m: not m.indicator.mandatory)  # stable: file order within each group

    out = missing(ruleset.spd_indicators, assessment.spd, assessment.spd_verified, None)
    for inn in assessment.innovations:
        out += missing(ruleset.sid_indicators, inn.levels, inn.verified, inn.id)
    return out
