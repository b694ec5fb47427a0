"""The IID scoring engine (issue 13.4) and the simulation helpers (13.5): pure functions, Decimal arithmetic."""

import re
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from labinov.iid.rulesets import load_ruleset
from labinov.iid.scoring import (AssessmentInput, InnovationInput, ScoringInputError, category, eligibility_problems,
                                 gain_extra_innovation, gain_raise_indicator, gap_to_next_category, index,
                                 indicator_score, innovation_score, jumlah_score, missing_evidence, ranked_improvements,
                                 score, sid_score)

from .helpers import assessment_with_total, full_levels

R23, R24, R26 = (load_ruleset(c) for c in ("2023", "2024", "2026"))


# --- category boundaries, through the whole engine ----------------------------------------------------------------

@pytest.mark.parametrize("ruleset, iid, expected", [
    (R23, "100.00", "Sangat Inovatif"),
    (R23, "60.01", "Sangat Inovatif"),
    (R23, "60.00", "Inovatif"),
    (R23, "35.00", "Inovatif"),
    (R23, "34.99", "Kurang Inovatif"),
    (R23, "0.01", "Kurang Inovatif"),
    (R23, "0.00", "Tidak Dapat Dinilai (Disclaimer)"),
    (R24, "60.01", "Sangat Inovatif"),
    (R24, "60.00", "Inovatif"),
    (R24, "35.00", "Inovatif"),
    (R24, "34.99", "Kurang Inovatif"),
    (R24, "0.00", "Tidak Dapat Dinilai (Disclaimer)"),
    (R26, "65.01", "Sangat Inovatif"),
    (R26, "65.00", "Inovatif"),
    (R26, "40.01", "Inovatif"),
    (R26, "40.00", "Kurang Inovatif"),
    (R26, "0.01", "Kurang Inovatif"),
    (R26, "0.00", "Tidak Dapat Dinilai (Disclaimer)"),
], ids=lambda v: getattr(v, "code", v))
def test_category_boundaries_through_the_engine(ruleset, iid, expected):
    total = Decimal(iid) * ruleset.max_total / 100  # e.g. 60.01 ↔ total 150.025
    result = score(ruleset, assessment_with_total(ruleset, total))
    assert result.total == total
    assert result.iid == Decimal(iid)
    assert result.category.label == expected


def test_category_just_below_a_cut_off_after_rounding():
    # 150.0124 → 60.00496 → 60.00 (Inovatif); 150.0125 → 60.005 → 60.01 (half-up: Sangat Inovatif)
    assert index(R23, Decimal("150.0124")) == Decimal("60.00")
    assert index(R23, Decimal("150.0125")) == Decimal("60.01")
    assert category(R23, index(R23, Decimal("150.0125"))).code == "sangat_inovatif"
    assert index(R23, Decimal("87.4875")) == Decimal("35.00")  # 34.995 rounds up to Inovatif
    assert index(R23, Decimal("87.4874")) == Decimal("34.99")


@pytest.mark.parametrize("ruleset", [R23, R24, R26], ids=lambda r: r.code)
def test_the_maxima_give_exactly_100(ruleset):
    innovations = tuple(InnovationInput(id=str(k), levels=full_levels(ruleset.sid_indicators)) for k in range(200))
    result = score(ruleset, AssessmentInput(spd=full_levels(ruleset.spd_indicators), innovations=innovations,
                                            yandas_covered=6))
    assert (result.spd, result.sid, result.total) == (Decimal(63), Decimal(187), Decimal(250))
    assert result.iid == Decimal("100.00") and str(result.iid) == "100.00"
    assert all(r.score == Decimal(111) for r in result.innovations)


def test_nothing_reported_is_disclaimer():
    result = score(R23, AssessmentInput(yandas_covered=0))
    assert result.iid == Decimal("0.00") and result.category.code == "tidak_dapat_dinilai"


# --- the pieces --------------------------------------------------------------------------------------------------

def test_indicator_score_is_weight_times_level_and_the_verified_level_wins():
    ind = R23.by_code["35"]  # bobot 4
    assert indicator_score(ind, 3) == Decimal(12)
    assert indicator_score(ind, 3, verified=1) == Decimal(4)
    assert indicator_score(ind, 2, verified=0) == Decimal(0)
    assert indicator_score(R23.by_code["5a"], 3) == Decimal("2.25")
    with translation.override("en"), pytest.raises(ScoringInputError, match="not 5"):
        indicator_score(ind, 5, verified=2)  # a claimed level outside 0–3 is refused even when verified
    inn = InnovationInput(id="a", levels={"16": 3, "35": 3}, verified={"35": 1})
    result = score(R23, AssessmentInput(innovations=(inn,), yandas_covered=0))
    assert result.innovations[0].score == Decimal(9 + 4)


def test_divisor_penalty_while_n_is_below_the_divisor():
    best = full_levels(R23.sid_indicators)
    for ruleset, divisor in ((R23, 10), (R26, 14)):
        for n in (1, divisor - 1, divisor, divisor + 3):
            innovations = tuple(InnovationInput(id=str(k), levels=best) for k in range(n))
            result = score(ruleset, AssessmentInput(innovations=innovations, yandas_covered=0))
            assert result.divisor == max(divisor, n)
            assert result.sid == Decimal(111) * n / max(divisor, n)
    # one perfect innovation alone is worth a tenth of its score under 2023, a fourteenth under 2026
    one = AssessmentInput(innovations=(InnovationInput(id="x", levels=best),), yandas_covered=0)
    assert score(R23, one).sid == Decimal("11.1")
    assert score(R26, one).sid == Decimal(111) / 14


def test_the_yandas_rule_and_the_cap():
    assert jumlah_score(R23, 10, 4) == 0  # fewer than 5 of the 6 basic-service affairs: nothing
    assert jumlah_score(R23, 10, 5) == Decimal("3.80")
    assert jumlah_score(R23, 10, 6) == Decimal("3.80")
    assert jumlah_score(R23, 200, 6) == Decimal(76)
    assert jumlah_score(R23, 350, 6) == Decimal(76)  # capped at 200
    assert sid_score(R23, [Decimal(50)] * 20, 5) == Decimal(50) + Decimal("7.60")
    with translation.override("en"), pytest.raises(ScoringInputError, match="from 0 to 6, not 7"):
        jumlah_score(R23, 10, 7)


def test_invalid_and_ineligible_innovations_are_not_counted():
    good = {"16": 3}
    innovations = (InnovationInput(id="ok", levels=good), InnovationInput(id="bad", levels=good, valid=False),
                   InnovationInput(id="third", levels=good, previous_entries=2))
    result = score(R23, AssessmentInput(innovations=innovations, yandas_covered=6))
    assert result.n == 1 and [r.counted for r in result.innovations] == [True, False, False]
    assert result.jumlah == Decimal("0.38")


def test_the_2026_application_date_window():
    from datetime import date

    inside = InnovationInput(id="a", application_date=date(2024, 1, 1))
    after = InnovationInput(id="b", application_date=date(2026, 1, 1))
    with translation.override("en"):
        assert eligibility_problems(R26, inside) == []
        assert "outside 2024-01-01 to 2025-12-31" in eligibility_problems(R26, after)[0]
        assert eligibility_problems(R23, after) == []  # no window before 2026
        assert "at most 2 times" in eligibility_problems(R23, InnovationInput(id="c", previous_entries=2))[0]


@pytest.mark.parametrize("levels, message", [
    ({"16": 4}, "the level must be a whole number from 0 to 3, not 4"),
    ({"16": -1}, "not -1"),
    ({"16": "2"}, 'not "2"'),
    ({"16": 1.5}, "not 1.5"),
    ({"16": True}, "not true"),
    ({"99": 1}, "Unknown indicator code “99”"),
    ({"1": 1}, "is a region-level (SPD) indicator"),
    ({"36": 1}, "is computed, not given a level"),
])
def test_bad_levels_are_refused_with_a_clear_message(levels, message):
    with translation.override("en"), pytest.raises(ScoringInputError, match=re.escape(message)):
        innovation_score(R23, levels)


# --- property tests ----------------------------------------------------------------------------------------------

LEVEL = st.integers(min_value=0, max_value=3)


@st.composite
def assessments(draw):
    ruleset = draw(st.sampled_from([R23, R26]))
    spd = draw(st.dictionaries(st.sampled_from([i.code for i in ruleset.spd_indicators]), LEVEL))
    sid_codes = [i.code for i in ruleset.sid_indicators]
    n = draw(st.integers(min_value=0, max_value=12))
    innovations = tuple(InnovationInput(id=str(k), levels=draw(st.dictionaries(st.sampled_from(sid_codes), LEVEL)))
                        for k in range(n))
    return ruleset, AssessmentInput(spd=spd, innovations=innovations, yandas_covered=draw(st.integers(0, 6)))


PROPS = hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(assessments())
def test_the_index_stays_between_0_and_100(case):
    ruleset, a = case
    result = score(ruleset, a)
    assert Decimal(0) <= result.iid <= Decimal(100)
    assert Decimal(0) <= result.spd <= ruleset.spd_max and Decimal(0) <= result.sid <= ruleset.sid_max
    assert result.iid == result.iid.quantize(Decimal("0.01"))


@PROPS
@given(assessments(), st.data())
def test_monotone_in_every_level(case, data):
    ruleset, a = case
    before = score(ruleset, a)
    if a.innovations and data.draw(st.booleans()):
        k = data.draw(st.integers(0, len(a.innovations) - 1))
        inn = a.innovations[k]
        code = data.draw(st.sampled_from([i.code for i in ruleset.sid_indicators]))
        to = data.draw(st.integers(inn.levels.get(code, 0), 3))
        raised = InnovationInput(id=inn.id, levels={**inn.levels, code: to})
        a2 = AssessmentInput(spd=a.spd, innovations=a.innovations[:k] + (raised,) + a.innovations[k + 1:],
                             yandas_covered=a.yandas_covered)
    else:
        code = data.draw(st.sampled_from([i.code for i in ruleset.spd_indicators]))
        to = data.draw(st.integers(a.spd.get(code, 0), 3))
        a2 = AssessmentInput(spd={**a.spd, code: to}, innovations=a.innovations, yandas_covered=a.yandas_covered)
    after = score(ruleset, a2)
    assert after.total >= before.total and after.iid >= before.iid


@PROPS
@given(assessments(), st.integers(0, 6))
def test_more_yandas_covered_never_lowers_the_index(case, extra):
    ruleset, a = case
    more = AssessmentInput(spd=a.spd, innovations=a.innovations, yandas_covered=min(6, a.yandas_covered + extra))
    assert score(ruleset, more).iid >= score(ruleset, a).iid


# --- simulation --------------------------------------------------------------------------------------------------

def _small(ruleset=R23, n=3, yandas=6):
    levels = {"16": 2, "17": 1, "33": 1, "35": 2}
    return AssessmentInput(spd={"1": 3, "12": 1}, yandas_covered=yandas,
                           innovations=tuple(InnovationInput(id=f"I{k}", levels=levels) for k in range(n)))


def test_gain_of_one_extra_innovation_while_n_is_below_the_divisor():
    a = _small(n=3)
    gain = gain_extra_innovation(R23, a, Decimal(60))
    assert gain.gain_total == Decimal(60) / 10 + Decimal("0.38")  # each extra innovation scoring 60 adds 6 + 0.38
    assert gain.gain_iid == gain.new_iid - score(R23, a).iid
    no_yandas = gain_extra_innovation(R23, _small(n=3, yandas=4), Decimal(60))
    assert no_yandas.gain_total == Decimal(6)
    g26 = gain_extra_innovation(R26, a, Decimal(60)).gain_total  # 60/14 is not exact in Decimal: equal to 1e-20
    assert abs(g26 - (Decimal(60) / 14 + Decimal("0.38"))) < Decimal("1e-20")
    with translation.override("en"), pytest.raises(ScoringInputError, match="from 0 to 111"):
        gain_extra_innovation(R23, a, Decimal(112))


def test_gain_of_raising_one_indicator_of_one_innovation():
    a = _small(n=3)
    g = gain_raise_indicator(R23, a, "33", innovation_id="I1", to_level=3)  # bobot 3, from 1 to 3
    assert (g.from_level, g.to_level) == (1, 3)
    assert g.gain_total == Decimal(6) / 10
    spd = gain_raise_indicator(R23, a, "12")  # bobot 2, one level up
    assert (spd.from_level, spd.to_level, spd.gain_total) == (1, 2, Decimal(2))
    with translation.override("en"), pytest.raises(ScoringInputError, match="no innovation “nope”"):
        gain_raise_indicator(R23, a, "33", innovation_id="nope")


def test_the_verified_level_is_the_starting_point_of_a_raise():
    inn = InnovationInput(id="v", levels={"33": 3}, verified={"33": 1})
    a = AssessmentInput(innovations=(inn,), yandas_covered=0)
    g = gain_raise_indicator(R23, a, "33", innovation_id="v")
    assert (g.from_level, g.to_level, g.gain_total) == (1, 2, Decimal("0.3"))


def test_gap_to_the_next_category_is_exact():
    for total, nxt in (("149.00", "sangat_inovatif"), ("80", "inovatif"), ("1", "inovatif")):
        base = score(R23, assessment_with_total(R23, Decimal(total)))
        gap = gap_to_next_category(R23, base)
        assert gap.next.code == nxt
        assert gap.iid_points == gap.next.min - base.iid
        assert category(R23, index(R23, base.total + gap.score_points)).code == nxt
        assert category(R23, index(R23, base.total + gap.score_points - Decimal("0.0001"))).code == base.category.code
    top = gap_to_next_category(R23, score(R23, assessment_with_total(R23, Decimal(250))))
    assert top.next is None and top.score_points == 0
    empty = gap_to_next_category(R23, score(R23, AssessmentInput()))
    assert empty.current.code == "tidak_dapat_dinilai" and empty.next.code == "kurang_inovatif"


def test_improvements_are_ranked_by_gain_and_match_the_single_helpers():
    a = _small(n=3)
    ranked = ranked_improvements(R23, a)
    gains = [i.gain_total for i in ranked]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)
    # 3 innovations × (20 indicators, of which some at level 3 already) + SPD raises + one extra innovation
    assert len([i for i in ranked if i.kind == "innovation"]) == 1
    assert ranked[0].kind == "innovation"  # an extra average innovation (≈ 19/10 + 0.38) beats any single raise here
    for imp in ranked:
        if imp.kind == "indicator":
            single = gain_raise_indicator(R23, a, imp.code, innovation_id=imp.innovation_id)
        elif imp.kind == "spd":
            single = gain_raise_indicator(R23, a, imp.code)
        else:
            continue
        assert (single.gain_total, single.new_iid) == (imp.gain_total, imp.new_iid)
    assert not any(i.kind == "spd" and i.code == "1" for i in ranked)  # already at level 3
    assert len(ranked_improvements(R23, a, limit=5)) == 5


def test_missing_evidence_lists_the_indicators_scoring_nothing_mandatory_first():
    inn = InnovationInput(id="A", levels={c: 2 for c in [str(n) for n in range(16, 36)] if c not in {"20", "33"}},
                          verified={"17": 0})
    spd = {i.code: 1 for i in R23.spd_indicators if i.code != "12"}
    rows = missing_evidence(R23, AssessmentInput(spd=spd, innovations=(inn,), yandas_covered=6))
    assert [(m.innovation_id, m.indicator.code) for m in rows] == [(None, "12"), ("A", "17"), ("A", "33"), ("A", "20")]
    assert all(m.indicator.evidence for m in rows)
    assert [m.indicator.mandatory for m in rows] == [False, True, True, False]
