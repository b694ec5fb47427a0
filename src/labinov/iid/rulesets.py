"""IID rulesets as versioned data (ADR 0018).

Every number that depends on the regulation (indicators, weights, parameter levels, maxima, divisor, cut-offs,
eligibility) lives in a JSON file in ``iid/rulesets/`` (one file per ruleset, named after its code) or in a
directory listed in ``settings.IID_RULESET_DIRS``. A file is checked when it is loaded: a file whose weights do
not add up to its declared maxima, repeats a code, or names a level outside 0–3 is refused with a
:class:`RulesetError` listing every problem, in the user's language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

BUILTIN_DIR = Path(__file__).resolve().parent / "rulesets"
FORMAT = 1
MIN_LEVEL, MAX_LEVEL = 0, 3
ASPECTS = ("SPD", "SID")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


class RulesetError(ValueError):
    """A ruleset file that cannot be used; ``messages`` lists every problem found."""

    def __init__(self, messages, *, source=""):
        self.messages = list(messages)
        self.source = str(source)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Indicator:
    code: str
    number: int
    aspect: str  # "SPD" | "SID"
    variable: str
    name: str
    weight: Decimal
    mandatory: bool
    levels: dict  # {level (int 1..3): label}
    evidence: str
    source: str = "S"

    @property
    def max_level(self) -> int:
        return max(self.levels)

    @property
    def max_score(self) -> Decimal:
        return self.weight * self.max_level


@dataclass(frozen=True)
class JumlahInovasi:
    code: str
    number: int
    variable: str
    name: str
    weight: Decimal
    cap: int
    yandas_min: int
    yandas_total: int
    yandas: tuple
    evidence: str = ""

    @property
    def max_score(self) -> Decimal:
        return self.weight * self.cap


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class Eligibility:
    max_entries: int
    application_date_from: date | None
    application_date_to: date | None


@dataclass(frozen=True)
class Ruleset:
    code: str
    year: int
    label: str
    status: str
    sources: dict
    aspects: dict  # {"SPD": {...}, "SID": {...}} as in the file
    variables: dict  # {code: {"aspect", "name"}}
    indicators: tuple  # of Indicator, in file order
    jumlah: JumlahInovasi
    divisor_min: int
    max_total: Decimal
    spd_max: Decimal
    sid_max: Decimal
    sid_indicators_max: Decimal
    jumlah_max: Decimal
    categories: tuple  # of Category, highest first
    disclaimer: Category
    eligibility: Eligibility
    by_code: dict = field(repr=False, default_factory=dict)

    @property
    def spd_indicators(self) -> tuple:
        return tuple(i for i in self.indicators if i.aspect == "SPD")

    @property
    def sid_indicators(self) -> tuple:
        return tuple(i for i in self.indicators if i.aspect == "SID")

    @property
    def yandas_min(self) -> int:
        return self.jumlah.yandas_min

    def indicator(self, code: str) -> Indicator | None:
        return self.by_code.get(code)


# --- parsing and checking ---------------------------------------------------------------------------------------


def _decimal(value, what, problems):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        problems.append(_("%(what)s must be a number written as a string or an integer, not %(value)r.")
                        % {"what": what, "value": value})
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        problems.append(_("%(what)s is not a number: %(value)r.") % {"what": what, "value": value})
        return None
    if not d.is_finite():
        problems.append(_("%(what)s is not a number: %(value)r.") % {"what": what, "value": value})
        return None
    return d


def _int(value, what, problems, *, minimum=0):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problems.append(_("%(what)s must be a whole number of at least %(min)s, not %(value)r.")
                        % {"what": what, "min": minimum, "value": value})
        return None
    return value


def _text(obj, key, what, problems):
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(_("%(what)s: “%(key)s” is missing or empty.") % {"what": what, "key": key})
        return ""
    return value


def _date(value, what, problems):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(_("%(what)s must be a date written YYYY-MM-DD, not %(value)r.") % {"what": what, "value": value})
        return None


def _levels(raw, what, problems):
    if not isinstance(raw, dict) or not raw:
        problems.append(_("%(what)s: the parameter levels are missing.") % {"what": what})
        return {}
    levels = {}
    for key, label in raw.items():
        try:
            level = int(key)
        except (TypeError, ValueError):
            level = None
        if level is None or str(level) != str(key).strip() or not MIN_LEVEL <= level <= MAX_LEVEL:
            problems.append(_("%(what)s: level %(level)r is outside %(min)s–%(max)s.")
                            % {"what": what, "level": key, "min": MIN_LEVEL, "max": MAX_LEVEL})
            continue
        if not isinstance(label, str) or not label.strip():
            problems.append(_("%(what)s: level %(level)s has no label.") % {"what": what, "level": level})
        levels[level] = label
    levels.pop(0, None)  # 0 = no or invalid evidence, never scored; a label for it is allowed but not kept
    if levels and max(levels) != MAX_LEVEL:
        problems.append(_("%(what)s: the highest parameter level must be %(max)s.") % {"what": what, "max": MAX_LEVEL})
    return levels


def parse_ruleset(data, *, source="") -> Ruleset:
    """Check a ruleset read from JSON and build a :class:`Ruleset`; raise :class:`RulesetError` listing all problems."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RulesetError([_("A ruleset file must hold one JSON object.")], source=source)
    if data.get("format") != FORMAT:
        problems.append(_("Unknown ruleset format %(format)r (expected %(expected)s).")
                        % {"format": data.get("format"), "expected": FORMAT})
    code = data.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        problems.append(_("The ruleset code %(code)r is not valid (letters, digits, “-”, “_” or “.”, at most 32).")
                        % {"code": code})
        code = str(code)
    year = _int(data.get("year"), _("The year"), problems, minimum=2000)
    label = _text(data, "label", _("The ruleset"), problems)

    # aspects and their maxima
    aspects = {}
    for a in data.get("aspects") or []:
        if not isinstance(a, dict) or a.get("code") not in ASPECTS:
            problems.append(_("Unknown aspect %(aspect)r (expected SPD or SID).")
                            % {"aspect": a.get("code") if isinstance(a, dict) else a})
            continue
        if a["code"] in aspects:
            problems.append(_("The aspect %(code)s is listed twice.") % {"code": a["code"]})
        aspects[a["code"]] = a
    for a in ASPECTS:
        if a not in aspects:
            problems.append(_("The aspect %(code)s is missing.") % {"code": a})
    spd_max = _decimal(aspects.get("SPD", {}).get("max"), _("The SPD maximum"), problems) if "SPD" in aspects else None
    sid = aspects.get("SID", {})
    sid_max = _decimal(sid.get("max"), _("The SID maximum"), problems) if "SID" in aspects else None
    sid_ind_max = _decimal(sid.get("indicators_max"), _("The SID indicators maximum"), problems) if "SID" in aspects else None
    jumlah_max = _decimal(sid.get("jumlah_max"), _("The maximum for the number of innovations"), problems) if "SID" in aspects else None
    max_total = _decimal(data.get("max_total"), _("The maximum total score"), problems)

    # variables
    variables = {}
    for v in data.get("variables") or []:
        if not isinstance(v, dict) or not isinstance(v.get("code"), str):
            problems.append(_("A variable without a code."))
            continue
        if v["code"] in variables:
            problems.append(_("The variable code %(code)s is used twice.") % {"code": v["code"]})
        if v.get("aspect") not in ASPECTS:
            problems.append(_("The variable %(code)s belongs to an unknown aspect %(aspect)r.")
                            % {"code": v["code"], "aspect": v.get("aspect")})
        variables[v["code"]] = {"aspect": v.get("aspect"), "name": v.get("name", "")}

    # indicators
    indicators, by_code, numbers = [], {}, set()
    raw_indicators = data.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        problems.append(_("The ruleset has no indicators."))
        raw_indicators = []
    for raw in raw_indicators:
        if not isinstance(raw, dict):
            problems.append(_("An indicator must be a JSON object, not %(value)r.") % {"value": raw})
            continue
        icode = raw.get("code")
        what = _("Indicator %(code)s") % {"code": icode}
        if not isinstance(icode, str) or not icode.strip():
            problems.append(_("An indicator without a code."))
            continue
        if icode in by_code:
            problems.append(_("The indicator code %(code)s is used twice.") % {"code": icode})
            continue
        number = _int(raw.get("number"), _("%(what)s: the number") % {"what": what}, problems, minimum=1)
        aspect = raw.get("aspect")
        if aspect not in ASPECTS:
            problems.append(_("%(what)s: unknown aspect %(aspect)r (expected SPD or SID).") % {"what": what, "aspect": aspect})
        variable = raw.get("variable")
        if variable not in variables:
            problems.append(_("%(what)s: unknown variable %(variable)r.") % {"what": what, "variable": variable})
        elif aspect in ASPECTS and variables[variable]["aspect"] != aspect:
            problems.append(_("%(what)s: the variable %(variable)s belongs to the other aspect.")
                            % {"what": what, "variable": variable})
        weight = _decimal(raw.get("weight"), _("%(what)s: the weight") % {"what": what}, problems)
        if weight is not None and weight <= 0:
            problems.append(_("%(what)s: the weight must be above 0.") % {"what": what})
        if not isinstance(raw.get("mandatory", False), bool):
            problems.append(_("%(what)s: “mandatory” must be true or false.") % {"what": what})
        levels = _levels(raw.get("levels"), what, problems)
        name = _text(raw, "name", what, problems)
        if number is not None:
            numbers.add(number)
        ind = Indicator(code=icode, number=number or 0, aspect=aspect, variable=variable, name=name,
                        weight=weight or Decimal(0), mandatory=bool(raw.get("mandatory", False)), levels=levels,
                        evidence=raw.get("evidence") or "", source=raw.get("source") or "S")
        indicators.append(ind)
        by_code[icode] = ind

    # the number of innovations (jumlah inovasi)
    j = data.get("jumlah_inovasi")
    jumlah = None
    if not isinstance(j, dict):
        problems.append(_("The rule for the number of innovations (“jumlah_inovasi”) is missing."))
    else:
        what = _("The number of innovations")
        jcode = j.get("code")
        if not isinstance(jcode, str) or not jcode:
            problems.append(_("%(what)s: the code is missing.") % {"what": what})
        elif jcode in by_code:
            problems.append(_("The indicator code %(code)s is used twice.") % {"code": jcode})
        jnumber = _int(j.get("number"), _("%(what)s: the number") % {"what": what}, problems, minimum=1)
        if jnumber is not None:
            numbers.add(jnumber)
        jweight = _decimal(j.get("weight"), _("%(what)s: the weight") % {"what": what}, problems)
        cap = _int(j.get("cap"), _("%(what)s: the cap") % {"what": what}, problems, minimum=1)
        ytotal = _int(j.get("yandas_total"), _("%(what)s: the number of basic-service affairs (yandas)") % {"what": what},
                      problems, minimum=0)
        ymin = _int(j.get("yandas_min"), _("%(what)s: the minimum of basic-service affairs covered (yandas_min)")
                    % {"what": what}, problems, minimum=0)
        if ymin is not None and ytotal is not None and ymin > ytotal:
            problems.append(_("%(what)s: yandas_min (%(min)s) is above the number of basic-service affairs (%(total)s).")
                            % {"what": what, "min": ymin, "total": ytotal})
        if j.get("variable") not in variables:
            problems.append(_("%(what)s: unknown variable %(variable)r.") % {"what": what, "variable": j.get("variable")})
        if None not in (jweight, cap, ymin, ytotal) and isinstance(jcode, str):
            jumlah = JumlahInovasi(code=jcode, number=jnumber or 0, variable=j.get("variable"), name=j.get("name") or "",
                                   weight=jweight, cap=cap, yandas_min=ymin, yandas_total=ytotal,
                                   yandas=tuple(j.get("yandas") or ()), evidence=j.get("evidence") or "")

    declared_count = data.get("indicator_count")
    if declared_count is not None and declared_count != len(numbers):
        problems.append(_("The ruleset declares %(declared)s indicators but numbers %(found)s.")
                        % {"declared": declared_count, "found": len(numbers)})

    # the maxima must add up
    spd_sum = sum((i.max_score for i in indicators if i.aspect == "SPD" and i.levels), Decimal(0))
    sid_sum = sum((i.max_score for i in indicators if i.aspect == "SID" and i.levels), Decimal(0))
    if spd_max is not None and spd_sum != spd_max:
        problems.append(_("The SPD indicators add up to %(sum)s (weight × highest level), not the declared SPD maximum %(max)s.")
                        % {"sum": _fmt(spd_sum), "max": _fmt(spd_max)})
    if sid_ind_max is not None and sid_sum != sid_ind_max:
        problems.append(_("The SID per-innovation indicators add up to %(sum)s (weight × highest level), not the declared %(max)s.")
                        % {"sum": _fmt(sid_sum), "max": _fmt(sid_ind_max)})
    if jumlah is not None and jumlah_max is not None and jumlah.max_score != jumlah_max:
        problems.append(_("The number of innovations gives at most %(sum)s (weight × cap), not the declared %(max)s.")
                        % {"sum": _fmt(jumlah.max_score), "max": _fmt(jumlah_max)})
    if None not in (sid_max, sid_ind_max, jumlah_max) and sid_ind_max + jumlah_max != sid_max:
        problems.append(_("The SID maximum %(max)s is not %(a)s + %(b)s.")
                        % {"max": _fmt(sid_max), "a": _fmt(sid_ind_max), "b": _fmt(jumlah_max)})
    if None not in (spd_max, sid_max, max_total) and spd_max + sid_max != max_total:
        problems.append(_("The maximum total %(max)s is not SPD %(spd)s + SID %(sid)s.")
                        % {"max": _fmt(max_total), "spd": _fmt(spd_max), "sid": _fmt(sid_max)})
    if max_total is not None and max_total <= 0:
        problems.append(_("The maximum total score must be above 0."))

    divisor_min = _int(data.get("divisor_min"), _("The minimum divisor (divisor_min)"), problems, minimum=1)

    # categories: highest first, within 0–100, not overlapping
    categories = []
    raw_cats = data.get("categories")
    if not isinstance(raw_cats, list) or not raw_cats:
        problems.append(_("The ruleset has no categories."))
        raw_cats = []
    for c in raw_cats:
        if not isinstance(c, dict):
            problems.append(_("A category must be a JSON object, not %(value)r.") % {"value": c})
            continue
        what = _("Category %(label)s") % {"label": c.get("label")}
        lo = _decimal(c.get("min"), _("%(what)s: the minimum") % {"what": what}, problems)
        hi = _decimal(c.get("max"), _("%(what)s: the maximum") % {"what": what}, problems)
        ccode, clabel = _text(c, "code", what, problems), _text(c, "label", what, problems)
        if lo is None or hi is None:
            continue
        if not (Decimal(0) < lo <= hi <= Decimal(100)):
            problems.append(_("%(what)s: the range %(min)s–%(max)s must lie above 0 and at most 100.")
                            % {"what": what, "min": lo, "max": hi})
        categories.append(Category(code=ccode, label=clabel, min=lo, max=hi))
    for higher, lower in zip(categories, categories[1:]):
        if not lower.max < higher.min:
            problems.append(_("The categories must be listed from the highest down without overlapping: %(a)s and %(b)s.")
                            % {"a": higher.label, "b": lower.label})
    if len({c.code for c in categories}) != len(categories):
        problems.append(_("A category code is used twice."))
    d = data.get("disclaimer") or {}
    disclaimer = Category(code=d.get("code") or "tidak_dapat_dinilai", label=d.get("label") or "Tidak Dapat Dinilai",
                          min=Decimal("0.00"), max=Decimal("0.00"))

    e = data.get("eligibility") or {}
    max_entries = _int(e.get("max_entries"), _("The eligibility rule: the maximum number of entries"), problems, minimum=1)
    dfrom = _date(e.get("application_date_from"), _("The eligibility rule: the first application date"), problems)
    dto = _date(e.get("application_date_to"), _("The eligibility rule: the last application date"), problems)
    if dfrom and dto and dfrom > dto:
        problems.append(_("The eligibility rule: the first application date is after the last."))

    if problems:
        raise RulesetError(problems, source=source)
    return Ruleset(code=code, year=year, label=label, status=data.get("status") or "", sources=data.get("sources") or {},
                   aspects=aspects, variables=variables, indicators=tuple(indicators), jumlah=jumlah,
                   divisor_min=divisor_min, max_total=max_total, spd_max=spd_max, sid_max=sid_max,
                   sid_indicators_max=sid_ind_max, jumlah_max=jumlah_max, categories=tuple(categories),
                   disclaimer=disclaimer, eligibility=Eligibility(max_entries, dfrom, dto), by_code=by_code)


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def load_ruleset_file(path) -> Ruleset:
    """Read and check one ruleset file; raise :class:`RulesetError` with a clear message if it cannot be used."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesetError([_("The file %(path)s does not exist.") % {"path": path}], source=path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise RulesetError([_("The file %(path)s cannot be read: %(error)s") % {"path": path, "error": e}],
                           source=path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise RulesetError([_("The file %(path)s is not valid JSON (line %(line)s, column %(column)s).")
                            % {"path": path, "line": e.lineno, "column": e.colno}], source=path) from None
    return parse_ruleset(data, source=path)


def _ruleset_dirs() -> list[Path]:
    return [BUILTIN_DIR, *(Path(p) for p in getattr(settings, "IID_RULESET_DIRS", ()) or ())]


def _ruleset_paths() -> dict[str, Path]:
    paths = {}
    for d in _ruleset_dirs():
        if d.is_dir():
            for p in sorted(d.glob("*.json")):
                paths.setdefault(p.stem, p)  # a built-in ruleset cannot be replaced by a file of the same name
    return paths


@lru_cache(maxsize=32)
def _load_cached(path_str: str, mtime_ns: int) -> Ruleset:
    return load_ruleset_file(path_str)


def available_rulesets() -> list[str]:
    """The codes of the rulesets that can be loaded, oldest first."""
    return sorted(_ruleset_paths())


def load_ruleset(code) -> Ruleset:
    """The checked ruleset with this code (e.g. "2023"); :class:`RulesetError` if unknown or invalid."""
    code = str(code)
    path = _ruleset_paths().get(code)
    if path is None:
        raise RulesetError([_("Unknown IID ruleset “%(code)s”; available: %(codes)s.")
                            % {"code": code, "codes": ", ".join(available_rulesets())}])
    ruleset = _load_cached(str(path), path.stat().st_mtime_ns)
    if ruleset.code != code:
        raise RulesetError([_("The file %(path)s holds the ruleset “%(found)s”, but its name says “%(code)s”.")
                            % {"path": path, "found": ruleset.code, "code": code}], source=path)
    return ruleset
