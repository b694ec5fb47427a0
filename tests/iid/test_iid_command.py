"""labinov iid score / ruleset-check on the command line (issue 13.4): JSON out, clear messages and exit status 2."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from labinov.iid.rulesets import BUILTIN_DIR, load_ruleset
from labinov.iid.scoring import AssessmentInput, InnovationInput, score

LABINOV = Path(sys.executable).parent / "labinov"

SAMPLE = {
    "spd": {"1": 3, "2a": 2, "5a": 1, "12": 3},
    "innovations": [{"id": "SiPANDU", "levels": {"16": 3, "17": 2, "33": 2, "35": 3}},
                    {"id": "E-Lapor", "levels": {"19": 3, "31": 1}}],
    "yandas_covered": 6,
}


def write(tmp_path, data, name="input.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("iid", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def expected(code, data):
    r = load_ruleset(code)
    return score(r, AssessmentInput(spd=data["spd"], yandas_covered=data["yandas_covered"], innovations=tuple(
        InnovationInput(id=i["id"], levels=i["levels"]) for i in data["innovations"])))


@pytest.mark.parametrize("code", ["2023", "2024", "2026"])
def test_score_prints_the_result_as_json_with_two_decimals(tmp_path, code):
    out, _err = run("score", "--ruleset", code, str(write(tmp_path, SAMPLE)))
    got = json.loads(out)
    assert set(got) == {"spd", "sid", "total", "iid", "category", "innovations"}
    want = expected(code, SAMPLE)
    assert got["spd"] == "11.75" == f"{want.spd:.2f}"  # 3 + 2 + 0.75 + 6
    assert got["iid"] == str(want.iid) and got["category"] == want.category.label
    assert got["sid"] == f"{want.sid:.2f}" and got["total"] == f"{want.total:.2f}"
    assert got["innovations"] == [{"id": "SiPANDU", "score": "31.00"}, {"id": "E-Lapor", "score": "9.00"}]
    assert all(isinstance(v, str) and v.count(".") == 1 and len(v.split(".")[1]) == 2
               for v in (got["spd"], got["sid"], got["total"], got["iid"]))


def test_the_same_input_under_another_ruleset_can_change_the_category(tmp_path):
    # total 155 → 62.00: Sangat Inovatif under 2023, Inovatif under 2026 (cut-off 65.01)
    full = {str(n): 3 for n in range(16, 36)}
    data = {"spd": {}, "innovations": [{"id": f"I{k}", "levels": full} for k in range(20)], "yandas_covered": 6}
    path = write(tmp_path, data)
    a, b = json.loads(run("score", "--ruleset", "2023", str(path))[0]), json.loads(run("score", "--ruleset", "2026", str(path))[0])
    assert (a["total"], a["iid"], a["category"]) == ("118.60", "47.44", "Inovatif")
    assert (b["total"], b["iid"], b["category"]) == ("118.60", "47.44", "Inovatif")
    data["spd"] = {c: 3 for c in ["1", "2a", "2b", "3", "4", "6", "7", "8", "13a", "13b", "14", "15"]}  # 40.5
    path = write(tmp_path, data)
    a, b = json.loads(run("score", "--ruleset", "2023", str(path))[0]), json.loads(run("score", "--ruleset", "2026", str(path))[0])
    assert a["category"] == "Sangat Inovatif" and b["category"] == "Inovatif"
    assert a["iid"] == b["iid"] == "63.64"  # (40.5 + 111 + 7.6) / 250


BAD = [
    ({**SAMPLE, "innovations": [{"id": "X", "levels": {"16": 4}}]}, "Innovation “X”: Indicator 16: the level must be a whole number from 0 to 3, not 4."),
    ({**SAMPLE, "spd": {"1": -1}}, "SPD: Indicator 1: the level must be a whole number from 0 to 3, not -1."),
    ({**SAMPLE, "innovations": [{"id": "X", "levels": {"77": 1}}]}, "Unknown indicator code “77” in ruleset 2023."),
    ({**SAMPLE, "spd": {"5": 1}}, "Unknown indicator code “5” in ruleset 2023."),
    ({**SAMPLE, "innovations": [{"id": "X", "levels": {"2a": 1}}]}, "Innovation “X”: Indicator 2a is a region-level (SPD) indicator, not a per-innovation one."),
    ({**SAMPLE, "spd": {"33": 1}}, "SPD: Indicator 33 is a per-innovation (SID) indicator, not a region-level (SPD) one."),
    ({**SAMPLE, "yandas_covered": 7}, "from 0 to 6, not 7"),
    ({k: v for k, v in SAMPLE.items() if k != "yandas_covered"}, "“yandas_covered” is missing"),
    ({**SAMPLE, "extra": 1}, "Unknown field(s) in the input: extra"),
    ({**SAMPLE, "innovations": [{"id": "X"}, {"id": "X"}]}, "The innovation “X” is listed twice."),
    ({**SAMPLE, "innovations": [{"id": "X", "previous_entries": 2}]}, "may be entered at most 2 times"),
    ([1, 2], "The input must be a JSON object"),
]


@pytest.mark.parametrize("data, message", BAD, ids=[m[:40] for _d, m in BAD])
def test_bad_input_gives_a_clear_message(tmp_path, data, message):
    with translation.override("en"), pytest.raises(CommandError) as e:
        run("--language", "en", "score", "--ruleset", "2023", str(write(tmp_path, data)))
    assert message in str(e.value)
    assert e.value.returncode == 2


def test_the_2026_window_refuses_an_innovation_applied_too_late(tmp_path):
    data = {**SAMPLE, "innovations": [{"id": "X", "levels": {"16": 3}, "application_date": "2026-02-01"}]}
    run("score", "--ruleset", "2024", str(write(tmp_path, data)))  # no window before 2026
    with pytest.raises(CommandError, match="outside 2024-01-01 to 2025-12-31"):
        run("--language", "en", "score", "--ruleset", "2026", str(write(tmp_path, data)))


def test_missing_file_bad_json_and_unknown_ruleset(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("--language", "en", "score", "--ruleset", "2023", str(tmp_path / "nope.json"))
    with pytest.raises(CommandError, match=r"is not valid JSON \(line 1, column 2\)"):
        run("--language", "en", "score", "--ruleset", "2023", str(write(tmp_path, "{oops")))
    with pytest.raises(CommandError, match="Unknown IID ruleset “1999”; available: 2023, 2024, 2026"):
        run("--language", "en", "score", "--ruleset", "1999", str(write(tmp_path, SAMPLE)))


def test_messages_are_indonesian_by_default(tmp_path):
    with pytest.raises(CommandError, match="tidak ada"):
        run("score", "--ruleset", "2023", str(tmp_path / "nope.json"))


def test_ruleset_check(tmp_path):
    out, _err = run("--language", "en", "ruleset-check", str(BUILTIN_DIR / "2026.json"))
    assert "Ruleset 2026" in out and "36 indicators" in out and "can be used" in out
    data = json.loads((BUILTIN_DIR / "2023.json").read_text(encoding="utf-8"))
    data["indicators"][20]["weight"] = "4"  # indicator 16: 3 → 4
    with pytest.raises(CommandError) as e:
        run("--language", "en", "ruleset-check", str(write(tmp_path, data, "2023b.json")))
    assert "The SID per-innovation indicators add up to 114" in str(e.value) and e.value.returncode == 2


def _cli(*args, tmp_path):
    env = {**os.environ, "LABINOV_DEV": "1", "DJANGO_SETTINGS_MODULE": "labinov.settings", "LABINOV_DATA_DIR": str(tmp_path)}
    return subprocess.run([str(LABINOV), "iid", *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_the_labinov_console_script_end_to_end(tmp_path):
    ok = _cli("score", "--ruleset", "2023", str(write(tmp_path, SAMPLE)), tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stderr
    got = json.loads(ok.stdout)
    assert got["iid"] == str(expected("2023", SAMPLE).iid) and got["innovations"][0] == {"id": "SiPANDU", "score": "31.00"}

    bad = _cli("--language", "en", "score", "--ruleset", "2023",
               str(write(tmp_path, {**SAMPLE, "spd": {"1": 9}}, "bad.json")), tmp_path=tmp_path)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == "SPD: Indicator 1: the level must be a whole number from 0 to 3, not 9."
    assert "Traceback" not in bad.stderr

    missing = _cli("score", "--ruleset", "2023", str(tmp_path / "missing.json"), tmp_path=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and "missing.json" in missing.stderr
