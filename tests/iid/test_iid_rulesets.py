"""The IID rulesets are data files, checked on load (issue 13.1)."""

import json
from decimal import Decimal

import pytest
from django.utils import translation

from labinov.iid.rulesets import BUILTIN_DIR, RulesetError, available_rulesets, load_ruleset, load_ruleset_file, parse_ruleset

EXPECTED_CODES = ["1", "2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a", "11b", "12", "13a",
                  "13b", "14", "15", *[str(n) for n in range(16, 36)]]


def raw(code="2023"):
    return json.loads((BUILTIN_DIR / f"{code}.json").read_text(encoding="utf-8"))


def test_the_three_rulesets_coexist():
    assert {"2023", "2024", "2026"} <= set(available_rulesets())
    assert [load_ruleset(c).code for c in ("2023", "2024", "2026")] == ["2023", "2024", "2026"]


@pytest.mark.parametrize("code", ["2023", "2024", "2026"])
def test_structure_matches_the_verified_totals(code):
    r = load_ruleset(code)
    assert [i.code for i in r.indicators] == EXPECTED_CODES
    assert len({i.number for i in r.indicators} | {r.jumlah.number}) == 36  # 36 numbered indicators
    assert len({i.number for i in r.spd_indicators}) == 15 and len(r.sid_indicators) == 20
    assert len(r.variables) == 8 and set(r.aspects) == {"SPD", "SID"}
    assert sum(i.max_score for i in r.spd_indicators) == r.spd_max == Decimal(63)
    assert sum(i.max_score for i in r.sid_indicators) == r.sid_indicators_max == Decimal(111)
    assert r.jumlah.weight == Decimal("0.38") and r.jumlah.cap == 200 and r.jumlah_max == Decimal(76)
    assert r.sid_max == Decimal(187) and r.max_total == Decimal(250)
    assert r.eligibility.max_entries == 2
    assert all(set(i.levels) == {1, 2, 3} and all(i.levels.values()) for i in r.indicators)
    assert all(i.evidence for i in r.indicators)
    assert r.sources["verified"] and r.sources["secondary"]


def test_rulesets_differ_where_the_2026_rules_differ():
    r23, r26 = load_ruleset("2023"), load_ruleset("2026")
    assert (r23.divisor_min, r26.divisor_min) == (10, 14)
    assert [c.min for c in r23.categories] == [Decimal("60.01"), Decimal("35.00"), Decimal("0.01")]
    assert [c.min for c in r26.categories] == [Decimal("65.01"), Decimal("40.01"), Decimal("0.01")]
    assert r23.eligibility.application_date_from is None
    assert str(r26.eligibility.application_date_from) == "2024-01-01"
    assert str(r26.eligibility.application_date_to) == "2025-12-31"
    assert {i.code for i in r23.indicators if i.mandatory} == {"16", "17", "19", "32", "33", "35"}
    assert {i.code for i in r26.indicators if i.mandatory} == {"16", "17", "32", "33", "35"}
    assert r26.by_code["35"].name.startswith("Video")


def _problems(data):
    with translation.override("en"), pytest.raises(RulesetError) as e:
        parse_ruleset(data)
    return "\n".join(e.value.messages)


def test_refuses_a_ruleset_whose_spd_maximum_does_not_add_up():
    data = raw()
    data["indicators"][0]["weight"] = "2"
    assert "The SPD indicators add up to 66 (weight × highest level), not the declared SPD maximum 63" in _problems(data)


def test_refuses_a_ruleset_whose_sid_maxima_do_not_add_up():
    data = raw()
    data["aspects"][1]["max"] = "190"
    assert "The SID maximum 190 is not 111 + 76" in _problems(data)
    data = raw()
    data["indicators"][-1]["weight"] = "5"
    assert "The SID per-innovation indicators add up to 114" in _problems(data)
    data = raw()
    data["jumlah_inovasi"]["cap"] = 100
    assert "The number of innovations gives at most 38" in _problems(data)


def test_refuses_repeated_codes_and_levels_outside_0_to_3():
    data = raw()
    data["indicators"][3]["code"] = "2b"
    assert "The indicator code 2b is used twice" in _problems(data)
    data = raw()
    data["indicators"][0]["levels"]["4"] = "Lebih"
    assert "level '4' is outside 0–3" in _problems(data)
    data = raw()
    data["indicators"][0]["levels"] = {"1": "a", "2": "b"}
    assert "the highest parameter level must be 3" in _problems(data)


def test_refuses_overlapping_categories_and_bad_eligibility():
    data = raw()
    data["categories"][1]["max"] = "60.01"
    assert "without overlapping" in _problems(data)
    data = raw()
    data["eligibility"] = {"max_entries": 0, "application_date_from": "2025-13-01"}
    problems = _problems(data)
    assert "maximum number of entries" in problems and "YYYY-MM-DD" in problems


def test_lists_every_problem_at_once():
    data = raw()
    data["indicators"][0]["weight"] = "2"
    data["indicators"][25]["code"] = "17"
    problems = _problems(data)
    assert "used twice" in problems and "The SPD indicators add up to" in problems


def test_the_message_is_in_the_users_language():
    data = raw()
    data["indicators"][0]["weight"] = "2"
    with translation.override("id"), pytest.raises(RulesetError) as e:
        parse_ruleset(data)
    assert "Jumlah indikator SPD" in "\n".join(e.value.messages)


def test_load_file_missing_and_bad_json(tmp_path):
    with translation.override("en"):
        with pytest.raises(RulesetError, match="does not exist"):
            load_ruleset_file(tmp_path / "nope.json")
        bad = tmp_path / "bad.json"
        bad.write_text("{", encoding="utf-8")
        with pytest.raises(RulesetError, match="not valid JSON"):
            load_ruleset_file(bad)
        with pytest.raises(RulesetError, match="Unknown IID ruleset"):
            load_ruleset("1999")


def test_an_admin_adds_a_ruleset_by_file(tmp_path, settings):
    data = raw("2024")
    data["code"], data["year"], data["label"] = "2027", 2027, "IID 2027 (uji)"
    data["jumlah_inovasi"]["yandas_min"] = 6
    (tmp_path / "2027.json").write_text(json.dumps(data), encoding="utf-8")
    settings.IID_RULESET_DIRS = [str(tmp_path)]
    assert "2027" in available_rulesets()
    assert load_ruleset("2027").yandas_min == 6
    assert load_ruleset("2024").yandas_min == 5  # the others stay as they were
