"""Checking the rows of an idea workbook against the program, and preparing the new ones for the commit.

Each row gets an `import_key` (see `import_key`); the checks are those of `services._clean_idea`
(participating unit, closed lists, lengths, replication source) for a whole file at a time, with
a constant number of queries.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from labinov.core.regulation import Initiator, InnovationForm, Urusan
from labinov.core.xlsx import BOM as _BOM
from labinov.core.xlsx import unquote, yes_no
from labinov.regions.unit_names import UnitNames

from .models import Idea
from .transfer_reader import COLUMNS, REQUIRED, open_rows

MAX_STORED_ERRORS = 500
PROGRESS_EVERY = 100
TITLE_MAX = Idea._meta.get_field("title").max_length
SOURCE_MAX = Idea._meta.get_field("replication_source").max_length
TEXT_MAX = 10_000  # far above any real cell; keeps a pasted document out of the database

_SPLIT_URUSAN = re.compile(r"[,;\n]+")


# --------------------------------------------------------------------------- small helpers


def _clean(value: str) -> str:
    """Whitespace collapsed, BOM removed: for names and closed-list values."""
    return " ".join(value.replace(_BOM, "").split())


def _key_part(value: str) -> str:
    return _clean(value).casefold()


def import_key(unit_id: int, title: str, problem: str, proposed_change: str) -> str:
    """The identity of an imported row: the same idea of the same unit always gets the same key."""
    text = "\x1f".join([str(unit_id), _key_part(title), _key_part(problem), _key_part(proposed_change)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()




def _shown(value: str, limit: int = 60) -> str:
    value = _clean(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _choice_map(choices) -> dict[str, str]:
    """Value, value with spaces, labels (untranslated, Indonesian, English, active) → value; case-insensitive."""
    found: dict[str, str] = {}
    variants: list[tuple[str, str]] = []
    for language in (None, "id", "en"):
        with translation.override(language):
            variants += [(value, str(label)) for value, label in choices]
    variants += [(value, str(label)) for value, label in choices]
    for value, label in variants:
        for text in (value, value.replace("_", " "), label):
            found.setdefault(_key_part(text), value)
        inner = re.search(r"\(([^)]+)\)\s*$", label)  # "Public service innovation (pelayanan publik)"
        if inner:
            found.setdefault(_key_part(inner.group(1)), value)
    return found


def participating_units(*, program) -> list[tuple[int, str, str]]:
    """(pk, name, code) of the program's participating units, by name."""
    from labinov.regions.models import Unit

    return list(Unit.objects.filter(participations__program=program).order_by("name").values_list("pk", "name", "code"))


# --------------------------------------------------------------------------- validating the rows


@dataclass
class RowResult:
    number: int
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    key: str = ""
    existing: bool = False
    fields: dict[str, Any] = field(default_factory=dict)

    def add(self, column: str, message: str) -> None:
        self.errors.append((column, message))


class Validator:
    """Checks rows one by one against the program (three queries, whatever the number of rows)."""

    def __init__(self, program):
        from labinov.regions.models import Unit

        self.program = program
        units = participating_units(program=program)
        self.unit_ids = {pk for pk, _name, _code in units}
        self.units = UnitNames(units)
        self.pemda_units = UnitNames(Unit.objects.filter(pemda_id=program.pemda_id).values_list("pk", "name", "code"))
        self.existing_keys = existing_keys(program=program)
        self.first_row: dict[str, int] = {}
        self.forms = _choice_map(InnovationForm.choices)
        self.initiators = _choice_map(Initiator.choices)
        self.urusan = _choice_map(Urusan.choices)
        self.urusan_order = list(Urusan.values)  # once: building it per row cost a third of the checks
        self.form_list = ", ".join(InnovationForm.values)
        self.initiator_list = ", ".join(Initiator.values)

    def check(self, number: int, values: dict[str, str], formulas: set[str], notes: dict[str, str] | None = None) -> RowResult:
        row = RowResult(number=number)
        for column in COLUMNS:
            if column in formulas:
                row.add(column, _("Formulas are not allowed; type the value itself."))
            elif notes and column in notes:
                row.add(column, notes[column])
        bad = formulas | set(notes or ())
        v = {c: ("" if c in bad else values.get(c, "")) for c in COLUMNS}
        for column in REQUIRED:
            if column not in formulas and not _clean(v[column]):
                row.add(column, _("This column is required; the cell is empty."))
        for column in COLUMNS:
            if len(v[column]) > TEXT_MAX:
                row.add(column, _("The text is longer than %(max)s characters.") % {"max": number_format(TEXT_MAX, force_grouping=True)})

        unit_id = None
        given = _clean(unquote(v["unit"]))
        if given:
            match = self.units.find(given)
            unit_id = match.pk
            if unit_id is None:
                if self.pemda_units.find(given).pk is not None:
                    row.add("unit", _("The unit “%(unit)s” does not take part in this program.") % {"unit": _shown(given)})
                else:
                    message = _("There is no unit “%(unit)s” (by name or code) among the units taking part in this program.") % {
                        "unit": _shown(given)}
                    if match.suggestion:
                        message += " " + _("Did you mean: %(name)s?") % {"name": match.suggestion}
                    row.add("unit", message)

        title = _clean(v["judul"])
        if len(title) > TITLE_MAX:
            row.add("judul", _("The title is longer than %(max)s characters.") % {"max": TITLE_MAX})

        form = ""
        given = _clean(v["bentuk"])
        if given:
            form = self.forms.get(given.casefold(), "")
            if not form:
                row.add("bentuk", _("Unknown form “%(value)s”. Use one of: %(values)s.") % {"value": _shown(given), "values": self.form_list})

        is_digital = yes_no(v["digital"])
        if is_digital is None:
            is_digital = False
            row.add("digital", _("Unknown value “%(value)s”; write ya or tidak.") % {"value": _shown(v["digital"])})

        initiator = Initiator.AGENCY.value
        given = _clean(v["inisiator"])
        if given:
            initiator = self.initiators.get(given.casefold(), "")
            if not initiator:
                row.add("inisiator", _("Unknown initiator “%(value)s”. Use one of: %(values)s.")
                        % {"value": _shown(given), "values": self.initiator_list})

        urusan: list[str] = []
        unknown: list[str] = []
        for part in _SPLIT_URUSAN.split(v["urusan"]):
            part = _clean(part)
            if not part:
                continue
            value = self.urusan.get(part.casefold())
            if value is None:
                unknown.append(_shown(part, 40))
            elif value not in urusan:
                urusan.append(value)
        if unknown:
            row.add("urusan", _("Unknown urusan: %(values)s. Use the codes listed on the sheet “Petunjuk” of the template, separated by commas.")
                    % {"values": ", ".join(f"“{u}”" for u in unknown)})
        urusan.sort(key=self.urusan_order.index)

        source = _clean(v["replikasi_dari"])
        changes = v["yang_dimodifikasi"].strip()
        if len(source) > SOURCE_MAX:
            row.add("replikasi_dari", _("The text is longer than %(max)s characters.") % {"max": SOURCE_MAX})
        if changes and not source and "replikasi_dari" not in formulas:
            row.add("replikasi_dari", _("Name the innovation this idea replicates (ATM), or leave yang_dimodifikasi empty."))

        problem, change = v["masalah"].strip(), v["gagasan"].strip()
        if unit_id is not None and title and problem and change:
            row.key = import_key(unit_id, title, problem, change)
            first = self.first_row.get(row.key)
            if first is not None:
                row.add("judul", _("The same idea (unit, judul, masalah and gagasan) is already on row %(row)s.") % {"row": first})
            else:
                self.first_row[row.key] = number
            row.existing = row.key in self.existing_keys

        if not row.errors:
            row.fields = dict(
                unit_id=unit_id, title=title, problem=problem, root_cause=v["akar_masalah"].strip(),
                proposed_change=change, beneficiaries=v["penerima_manfaat"].strip(),
                expected_benefit=v["manfaat"].strip(), form=form, is_digital=is_digital, urusan=urusan,
                initiator=initiator, proposers=v["pengusul"].strip(), is_replication=bool(source),
                replication_source=source, replication_changes=changes if source else "",
            )
        return row


def existing_keys(*, program) -> set[str]:
    return set(Idea.objects.filter(program=program).exclude(import_key="").values_list("import_key", flat=True))


@dataclass
class ScanResult:
    sheet: str = ""
    header_row: int = 1
    rows: int = 0
    new: int = 0
    existing: int = 0
    error_rows: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    prepared: list[dict[str, Any]] = field(default_factory=list)  # the new rows, ready to save

    def summary(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "header_row": self.header_row, "rows": self.rows, "new": self.new, "existing": self.existing,
                "error_rows": self.error_rows, "errors": self.error_count}


def prepare(number: int, fields: dict[str, Any], key: str) -> dict[str, Any]:
    """A new row, JSON-ready: the Idea's field values, its import key and its search_text."""
    from .services import search_text_for

    return {"row": number, "import_key": key,
            "search_text": search_text_for(fields["title"], fields["problem"], fields["proposed_change"]), **fields}


def scan(program, rows, *, estimate: int = 0, sheet: str = "", header_row: int = 1, progress: Callable[[int, int], None] | None = None,
         prepare_new: bool = False) -> ScanResult:
    """Checks every row of `rows` ((number, {column: text}, {formula columns}[, {column: cell problem}])).

    With `prepare_new`, also prepares each new, error-free row for the commit (`prepare`).
    """
    validator = Validator(program)
    result = ScanResult(sheet=sheet, header_row=header_row)
    for number, values, formulas, *notes in rows:
        row = validator.check(number, values, formulas, notes[0] if notes else None)
        result.rows += 1
        if row.errors:
            result.error_rows += 1
            result.error_count += len(row.errors)
            for column, message in row.errors:
                if len(result.errors) < MAX_STORED_ERRORS:
                    result.errors.append({"row": number, "column": column, "message": message})
        elif row.existing:
            result.existing += 1
        else:
            result.new += 1
            if prepare_new and not result.error_rows:
                result.prepared.append(prepare(number, row.fields, row.key))
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows, max(estimate, result.rows))
    return result


def scan_file(program, data: bytes, **kwargs) -> ScanResult:
    """Reads the XLSX (openpyxl, read-only) and checks every row; see `scan`."""
    holder: list = []
    try:
        sheet = open_rows(data, holder)
        return scan(program, sheet.rows, estimate=sheet.estimated_rows, sheet=sheet.title, header_row=sheet.header_row, **kwargs)
    finally:
        for wb in holder:
            wb.close()
