"""Reading an assessment given as JSON (the input of ``labinov iid score``) into :mod:`labinov.iid.scoring` inputs.

    {"spd": {"<indicator code>": level, ...},
     "innovations": [{"id": "...", "levels": {"<indicator code>": level, ...}}, ...],
     "yandas_covered": <0-6>}

Each innovation may also give "verified" (verified levels, used where present), "application_date" (YYYY-MM-DD)
and "previous_entries" (IID years it was already entered in); an innovation the ruleset does not allow is refused.
Every problem is a :class:`~labinov.iid.scoring.ScoringInputError` with a message in the user's language.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from .rulesets import Ruleset
from .scoring import (AssessmentInput, InnovationInput, ScoringInputError, _show, eligibility_problems, innovation_score,
                      jumlah_score, spd_score)

TOP_KEYS = {"spd", "innovations", "yandas_covered"}
INNOVATION_KEYS = {"id", "levels", "verified", "application_date", "previous_entries"}


def read_json_file(path) -> object:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScoringInputError(_("The file %(path)s does not exist.") % {"path": path}) from None
    except IsADirectoryError:
        raise ScoringInputError(_("%(path)s is a folder, not a file.") % {"path": path}) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ScoringInputError(_("The file %(path)s cannot be read: %(error)s") % {"path": path, "error": e}) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ScoringInputError(_("The file %(path)s is not valid JSON (line %(line)s, column %(column)s).")
                                % {"path": path, "line": e.lineno, "column": e.colno}) from None


def _levels(value, where) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScoringInputError(_("%(where)s: the levels must be a JSON object {\"<indicator code>\": level}, not %(value)s.")
                                % {"where": where, "value": _show(value)})
    return value


def _in(where, fn, *args):
    try:
        return fn(*args)
    except ScoringInputError as e:
        raise ScoringInputError(f"{where}: {e}") from None


def parse_assessment(ruleset: Ruleset, data) -> AssessmentInput:
    """Check the whole input against the ruleset and build an :class:`AssessmentInput`."""
    if not isinstance(data, dict):
        raise ScoringInputError(_("The input must be a JSON object with “spd”, “innovations” and “yandas_covered”."))
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise ScoringInputError(_("Unknown field(s) in the input: %(fields)s (expected %(expected)s).")
                                % {"fields": ", ".join(unknown), "expected": ", ".join(sorted(TOP_KEYS))})
    if "yandas_covered" not in data:
        raise ScoringInputError(_("“yandas_covered” is missing: give how many of the %(total)s basic-service affairs (yandas) the innovations cover.")
                                % {"total": ruleset.jumlah.yandas_total})
    yandas = data["yandas_covered"]
    jumlah_score(ruleset, 0, yandas)  # checks 0..yandas_total
    spd = _levels(data.get("spd"), _("SPD"))
    _in(_("SPD"), spd_score, ruleset, spd)
    raw_innovations = data.get("innovations", [])
    if not isinstance(raw_innovations, list):
        raise ScoringInputError(_("“innovations” must be a JSON list, not %(value)s.") % {"value": _show(raw_innovations)})
    innovations, seen = [], set()
    for pos, raw in enumerate(raw_innovations, start=1):
        if not isinstance(raw, dict):
            raise ScoringInputError(_("Innovation no. %(pos)s must be a JSON object, not %(value)s.")
                                    % {"pos": pos, "value": _show(raw)})
        inn_id = raw.get("id")
        if isinstance(inn_id, bool) or not isinstance(inn_id, (str, int)) or not str(inn_id).strip():
            raise ScoringInputError(_("Innovation no. %(pos)s has no “id”.") % {"pos": pos})
        inn_id = str(inn_id).strip()
        where = _("Innovation “%(id)s”") % {"id": inn_id}
        if inn_id in seen:
            raise ScoringInputError(_("The innovation “%(id)s” is listed twice.") % {"id": inn_id})
        seen.add(inn_id)
        unknown = sorted(set(raw) - INNOVATION_KEYS)
        if unknown:
            raise ScoringInputError(_("%(where)s: unknown field(s) %(fields)s (expected %(expected)s).")
                                    % {"where": where, "fields": ", ".join(unknown), "expected": ", ".join(sorted(INNOVATION_KEYS))})
        levels = _levels(raw.get("levels"), where)
        verified = _levels(raw.get("verified"), where)
        _in(where, innovation_score, ruleset, levels, verified)
        applied = raw.get("application_date")
        if applied is not None:
            try:
                applied = date.fromisoformat(applied)
            except (TypeError, ValueError):
                raise ScoringInputError(_("%(where)s: the application date must be written YYYY-MM-DD, not %(value)s.")
                                        % {"where": where, "value": _show(applied)}) from None
        previous = raw.get("previous_entries", 0)
        if isinstance(previous, bool) or not isinstance(previous, int) or previous < 0:
            raise ScoringInputError(_("%(where)s: “previous_entries” must be a whole number of at least 0, not %(value)s.")
                                    % {"where": where, "value": _show(previous)})
        inn = InnovationInput(id=inn_id, levels=levels, verified=verified, application_date=applied,
                              previous_entries=previous)
        problems = eligibility_problems(ruleset, inn)
        if problems:
            raise ScoringInputError(" ".join(problems))
        innovations.append(inn)
    return AssessmentInput(spd=spd, innovations=tuple(innovations), yandas_covered=yandas)
