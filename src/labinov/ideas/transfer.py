"""Bulk import and export of a program's ideas (XLSX): the template, the upload, parsing, commit, export.

The import runs in three steps, the slow ones in background tasks (see tasks.py):

1. `import_start` (in the request): the upload is judged by its content with the archive checks
   of `core.xlsx.check_archive` (a real XLSX, size limit, no zip bomb, no macros, not
   encrypted), stored as ``MEDIA_ROOT/imports/<uuid>.xlsx`` and recorded as an `IdeaImport`
   (status *queued*, with its SHA-256); then the task `parse_idea_import` is enqueued.
2. `parse_import` (task): reads the sheet with openpyxl in read-only mode, checks the header row
   and every row against the program's participating units and the closed lists, counts rows
   that were already imported, and stores every error by row and column (at most
   `MAX_STORED_ERRORS` are stored, all are counted). The progress (`processed_rows` of
   `total_rows`) is written every `PROGRESS_EVERY` rows. An invalid file is deleted at once; a
   clean one is replaced by its checked cell texts (``imports/<uuid>.json``), so the XLSX is
   parsed only once (parsing is most of the cost: see ``bench/bench_import.py``).
3. `commit_request` (in the request) moves a clean *preview* to *committing*, once, and enqueues
   `commit_idea_import`; `commit_import` (task) validates the checked texts again, prepares
   every idea (with its `search_text`) outside any transaction, then in ONE short transaction
   re-checks the program's stage, the import keys and the participating units, bulk-creates
   the new ideas as *submitted* and writes one `idea.import` audit record with the counts. The
   stored texts are deleted. Previews never saved are purged by `purge_stale_files`.

Idempotency: each row has an `import_key`, the SHA-256 of its unit id and its normalised
(whitespace-collapsed, case-folded) title, problem and proposed change. A row whose key already
exists in the program is "already imported" and is not created again; two rows of one file with
the same key are an error. The unique constraint ``idea_import_key_unique`` backs this up.

Why a bulk path rather than `services.idea_create` per row: see `commit_import` (and the
benchmark ``bench/bench_import.py``). The bulk path applies the same rules as `_clean_idea`
(participating unit, closed lists, lengths, replication source) and the same `search_text_for`.

`export_workbook` writes the ideas an actor may see (`selectors.idea_list`) in write-only mode,
with every text that a spreadsheet could take for a formula neutralised.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record
from labinov.core.regulation import Initiator, InnovationForm, Urusan
from labinov.core.stages import Capability, stage_allows
from labinov.core.xlsx import BOM as _BOM
from labinov.core.xlsx import cell_text as _cell_text
from labinov.core.xlsx import check_archive, locate_header, number_as_code_problem, safe, safe_row
from labinov.core.xlsx import refuse as _refuse
from labinov.core.xlsx import is_formula as _is_formula
from labinov.core.xlsx import unquote, yes_no
from labinov.regions.unit_names import UnitNames

from .models import Idea, IdeaImport, IdeaStatus, ImportStatus

log = logging.getLogger(__name__)

SHEET = "Ide"
LIST_SHEET = "Daftar"
HELP_SHEET = "Petunjuk"
COLUMNS = (
    "unit", "judul", "masalah", "akar_masalah", "gagasan", "penerima_manfaat", "manfaat", "bentuk", "digital",
    "urusan", "inisiator", "pengusul", "replikasi_dari", "yang_dimodifikasi",
)
REQUIRED = ("unit", "judul", "masalah", "gagasan", "bentuk")
CODE_COLUMNS = ("unit",)  # may hold a code: a long number there lost its last digits in Excel
MAX_ROWS = 5000
MAX_STORED_ERRORS = 500
PROGRESS_EVERY = 100
IMPORT_DIR = "imports"
RUNNING = frozenset({ImportStatus.QUEUED, ImportStatus.READING, ImportStatus.COMMITTING})
STALE_AFTER = datetime.timedelta(days=2)

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


def _media_path(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root / IMPORT_DIR not in path.parents:
        raise ValueError(f"not an import file: {relative}")
    return path


def _delete_file(imp: IdeaImport) -> None:
    if not imp.stored_file:
        return
    try:
        _media_path(imp.stored_file).unlink(missing_ok=True)
    except (OSError, ValueError):
        log.warning("idea import %s: could not delete %s", imp.pk, imp.stored_file, exc_info=True)
    imp.stored_file = ""


def _save(imp: IdeaImport, *fields: str) -> None:
    imp.save(update_fields=[*fields, "updated_at"])


# --------------------------------------------------------------------------- reads


def import_get(*, actor, program, pk: int) -> IdeaImport:
    """An import of this program (404 for any other program's)."""
    try:
        imp = IdeaImport.objects.select_related("uploaded_by").get(program=program, pk=pk)
    except (IdeaImport.DoesNotExist, ValueError):
        raise Http404 from None
    imp.program = program
    return imp


def participating_units(*, program) -> list[tuple[int, str, str]]:
    """(pk, name, code) of the program's participating units, by name."""
    from labinov.regions.models import Unit

    return list(Unit.objects.filter(participations__program=program).order_by("name").values_list("pk", "name", "code"))


# --------------------------------------------------------------------------- the template

# The sheets of the template are in Bahasa Indonesia on purpose: they are read by the staff of the
# units who fill in the file, whatever language the website is shown in.
_HELP_COLUMNS = [
    ("unit", "Wajib", "Nama unit (pilih dari daftar) atau kodenya. Hanya unit yang ikut program ini. Singkatan umum "
     "seperti “Kel.”, “Kec.”, “SDN” dibaca sebagai nama lengkapnya."),
    ("judul", "Wajib", f"Judul ide inovasi, paling panjang {TITLE_MAX} karakter."),
    ("masalah", "Wajib", "Masalah yang ingin diselesaikan."),
    ("akar_masalah", "Boleh kosong", "Akar masalah."),
    ("gagasan", "Wajib", "Gagasan perubahan: apa yang akan dilakukan."),
    ("penerima_manfaat", "Boleh kosong", "Siapa yang menerima manfaat."),
    ("manfaat", "Boleh kosong", "Manfaat yang diharapkan."),
    ("bentuk", "Wajib", "Bentuk inovasi daerah (PP 38/2017): pilih dari daftar (lihat tabel di bawah)."),
    ("digital", "Boleh kosong", "Inovasi digital? Isi “ya” atau “tidak” (juga “iya”, “y”, “tdk”, “-”; kosong berarti tidak)."),
    ("urusan", "Boleh kosong", "Urusan pemerintahan (UU 23/2014): satu atau beberapa kode dari tabel di bawah, "
     "dipisahkan koma, misalnya “kesehatan, adminduk”."),
    ("inisiator", "Boleh kosong", "Inisiator (PP 38/2017): pilih dari daftar (kosong berarti perangkat_daerah)."),
    ("pengusul", "Boleh kosong", "Nama pengusul, satu nama per baris (Alt+Enter di Excel)."),
    ("replikasi_dari", "Boleh kosong", f"Jika ide ini meniru (ATM) inovasi yang sudah ada: nama inovasi dan "
     f"pemdanya, paling panjang {SOURCE_MAX} karakter."),
    ("yang_dimodifikasi", "Boleh kosong", "Untuk replikasi (ATM): apa yang diubah. Isi juga replikasi_dari."),
]
_HELP_RULES = [
    "Baris judul kolom lembar “Ide” berisi nama kolom; jangan diubah, dihapus atau ditambah (boleh ada judul di "
    "atasnya dan kolom nomor “No”).",
    "Satu baris untuk satu ide, paling banyak %s baris." % f"{MAX_ROWS:,}".replace(",", "."),
    "Jangan memakai rumus (sel yang diawali “=”); ketik nilainya langsung.",
    "Simpan sebagai “Excel Workbook (.xlsx)”, tanpa makro dan tanpa kata sandi.",
    "Sebelum disimpan, Labinov menampilkan pratinjau dengan setiap kesalahan per baris dan kolom; "
    "jika ada kesalahan, tidak ada yang disimpan sampai berkas diperbaiki.",
    "Ide yang sudah pernah diimpor (unit, judul, masalah dan gagasan yang sama) tidak dibuat lagi, "
    "jadi berkas yang sama boleh diunggah lagi.",
    "Ide yang diimpor langsung berstatus “diajukan” (submitted).",
]


def _column_letter(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COLUMNS.index(name) + 1)


def build_template(*, program) -> bytes:
    """The empty import workbook: sheet “Ide” with drop-downs, hidden sheet “Daftar”, sheet “Petunjuk”."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    units = participating_units(program=program)
    last = MAX_ROWS + 1
    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(safe_row(COLUMNS))
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    widths = {"unit": 36, "judul": 40, "masalah": 40, "akar_masalah": 30, "gagasan": 40, "penerima_manfaat": 24,
              "manfaat": 30, "bentuk": 18, "digital": 10, "urusan": 24, "inisiator": 18, "pengusul": 24,
              "replikasi_dari": 30, "yang_dimodifikasi": 30}
    for name, width in widths.items():
        ws.column_dimensions[_column_letter(name)].width = width

    lists = wb.create_sheet(LIST_SHEET)
    lists.append(safe_row(["unit", "bentuk", "digital", "inisiator", "kode_unit"]))
    columns = {
        "A": [name for _pk, name, _code in units],
        "B": list(InnovationForm.values),
        "C": ["ya", "tidak"],
        "D": list(Initiator.values),
        "E": [code for _pk, _name, code in units],
    }
    for letter, values in columns.items():
        for i, value in enumerate(values, start=2):
            lists[f"{letter}{i}"] = safe(value)
    lists.sheet_state = "hidden"

    def dropdown(column: str, source: str, count: int, title: str, message: str) -> None:
        end = max(count + 1, 2)
        dv = DataValidation(
            type="list", formula1=f"{LIST_SHEET}!${source}$2:${source}${end}", allow_blank=True,
            showErrorMessage=True, errorTitle=safe(title), error=safe(message),
            showInputMessage=True, promptTitle=safe(column), prompt=safe(message),
        )
        ws.add_data_validation(dv)
        letter = _column_letter(column)
        dv.add(f"{letter}2:{letter}{last}")

    dropdown("unit", "A", len(units), "Unit tidak dikenal", "Pilih unit yang ikut program ini dari daftar.")
    dropdown("bentuk", "B", len(InnovationForm.values), "Bentuk tidak dikenal", "Pilih bentuk inovasi dari daftar.")
    dropdown("digital", "C", 2, "Digital", "Isi ya atau tidak.")
    dropdown("inisiator", "D", len(Initiator.values), "Inisiator tidak dikenal", "Pilih inisiator dari daftar.")
    urusan_hint = DataValidation(  # any value: only the input message, as urusan holds several codes
        allow_blank=True, showInputMessage=True, promptTitle="urusan",
        prompt="Kode urusan dipisahkan koma, misalnya: kesehatan, adminduk (lihat lembar Petunjuk).",
    )
    ws.add_data_validation(urusan_hint)
    urusan_hint.add(f"{_column_letter('urusan')}2:{_column_letter('urusan')}{last}")

    help_ws = wb.create_sheet(HELP_SHEET)
    wrap = Alignment(wrap_text=True, vertical="top")
    help_ws.column_dimensions["A"].width = 22
    help_ws.column_dimensions["B"].width = 50
    help_ws.column_dimensions["C"].width = 80

    def heading(*cells: str) -> None:
        help_ws.append(safe_row(cells))
        for cell in help_ws[help_ws.max_row]:
            cell.font = bold

    help_ws.append(safe_row([f"Petunjuk impor ide inovasi — {program.name} ({program.pemda.name})"]))
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.append([])
    for rule in _HELP_RULES:
        help_ws.append(safe_row(["•", rule]))
        help_ws.cell(help_ws.max_row, 2).alignment = wrap
    help_ws.append([])
    heading("Kolom", "Wajib?", "Keterangan")
    for column, required, text in _HELP_COLUMNS:
        help_ws.append(safe_row([column, required, text]))
        help_ws.cell(help_ws.max_row, 3).alignment = wrap
    with translation.override("id"):
        help_ws.append([])
        heading("bentuk", "Nama bentuk")
        for value, label in InnovationForm.choices:
            help_ws.append(safe_row([value, str(label)]))
        help_ws.append([])
        heading("inisiator", "Nama inisiator")
        for value, label in Initiator.choices:
            help_ws.append(safe_row([value, str(label)]))
        help_ws.append([])
        heading("urusan", "Nama urusan (UU 23/2014)")
        for value, label in Urusan.choices:
            help_ws.append(safe_row([value, str(label)]))
        help_ws.append([])
        heading("digital", "Arti")
        help_ws.append(safe_row(["ya", "inovasi digital"]))
        help_ws.append(safe_row(["tidak", "inovasi non-digital"]))
        help_ws.append([])
        heading("unit", "kode unit", f"Unit yang ikut program ini ({len(units)})")
        for _pk, name, code in units:
            help_ws.append(safe_row([name, code or ""]))

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- reading the file


@dataclass
class Sheet:
    title: str
    estimated_rows: int
    rows: Iterator[tuple[int, dict[str, str], set[str], dict[str, str]]]
    header_row: int = 1


def _open_rows(data: bytes, workbook_holder: list) -> Sheet:
    """The sheet's data rows as (row number, {column: text}, {columns holding a formula}, {column: problem of
    the cell itself}); empty rows left out. The header row is looked for among the first rows (`locate_header`)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for damaged or hostile files
        log.info("idea import: unreadable workbook", exc_info=True)
        raise _refuse(_("The workbook could not be read; it may be damaged. Save it again as “Excel Workbook (.xlsx)”.")) from None
    workbook_holder.append(wb)
    titles = wb.sheetnames
    title = next((t for t in titles if t.strip().lower() == SHEET.lower()), titles[0] if titles else None)
    if title is None:
        raise _refuse(_("The workbook has no sheets."))
    ws = wb[title]
    if not hasattr(ws, "reset_dimensions"):
        raise _refuse(_("The sheet “%(sheet)s” is not a worksheet.") % {"sheet": title})
    try:
        declared = int(ws.max_row or 0)
    except Exception:
        declared = 0
    ws.reset_dimensions()  # never trust the stored size: read every row there is
    try:
        header = locate_header(ws.iter_rows(values_only=True), COLUMNS, title)
    except ValidationError:
        raise
    except Exception:
        log.info("idea import: unreadable sheet", exc_info=True)
        raise _refuse(_("The workbook could not be read; it may be damaged.")) from None
    position = header.positions

    def generate():
        count = 0
        try:
            for number, cells in header:
                values: dict[str, str] = {}
                formulas: set[str] = set()
                notes: dict[str, str] = {}
                for column, i in position.items():
                    raw = cells[i] if i < len(cells) else None
                    if _is_formula(raw):
                        formulas.add(column)
                        values[column] = str(getattr(raw, "text", raw) or "")[:200]
                    else:
                        values[column] = _cell_text(raw)
                        if column in CODE_COLUMNS:
                            problem = number_as_code_problem(raw)
                            if problem:
                                notes[column] = problem
                if not formulas and not any(values.values()):
                    continue
                count += 1
                if count > MAX_ROWS:
                    raise _refuse(
                        _("The file has more than %(max)s rows of ideas; split it into several files of at most %(max)s rows.")
                        % {"max": number_format(MAX_ROWS, force_grouping=True)}
                    )
                yield number, values, formulas, notes
        except ValidationError:
            raise
        except Exception:
            log.info("idea import: unreadable rows", exc_info=True)
            raise _refuse(_("The workbook could not be read; it may be damaged.")) from None
        if count == 0:
            raise _refuse(_("The sheet “%(sheet)s” has no ideas below the header row.") % {"sheet": title})

    return Sheet(title=title, estimated_rows=max(0, min(declared - header.row, MAX_ROWS)), rows=generate(),
                 header_row=header.row)


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
        order = list(Urusan.values)
        urusan.sort(key=order.index)

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


def _read_stored(imp: IdeaImport) -> bytes:
    """The uploaded XLSX, as it was uploaded (its SHA-256 is checked)."""
    if not imp.stored_file:
        raise _refuse(_("The uploaded file is no longer available; upload it again."))
    try:
        data = _media_path(imp.stored_file).read_bytes()
    except (OSError, ValueError):
        raise _refuse(_("The uploaded file is no longer available; upload it again.")) from None
    if hashlib.sha256(data).hexdigest() != imp.file_sha256:
        raise _refuse(_("The stored file has changed since it was uploaded; upload it again."))
    check_archive(data)  # cheap, and the file on disk is checked as the upload was
    return data


def prepare(number: int, fields: dict[str, Any], key: str) -> dict[str, Any]:
    """A new row, JSON-ready: the Idea's field values, its import key and its search_text."""
    from .services import search_text_for

    return {"row": number, "import_key": key,
            "search_text": search_text_for(fields["title"], fields["problem"], fields["proposed_change"]), **fields}


def _write_prepared(imp: IdeaImport, prepared: list[dict[str, Any]]) -> str:
    """The prepared new rows of a clean preview, kept for the commit (the XLSX is parsed only once)."""
    relative = f"{IMPORT_DIR}/{uuid.uuid4().hex}.json"
    path = _media_path(relative)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"import": imp.pk, "sha256": imp.file_sha256, "rows": prepared}, out, ensure_ascii=False)
    return relative


def _read_prepared(imp: IdeaImport) -> list[dict[str, Any]]:
    try:
        if not imp.stored_file.endswith(".json"):
            raise ValueError(imp.stored_file)
        with open(_media_path(imp.stored_file), encoding="utf-8") as f:
            saved = json.load(f)
        if saved.get("import") != imp.pk or saved.get("sha256") != imp.file_sha256:
            raise ValueError("another import's rows")
        return saved["rows"]
    except (OSError, ValueError, KeyError):
        raise _refuse(_("The uploaded file is no longer available; upload it again.")) from None


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
        sheet = _open_rows(data, holder)
        return scan(program, sheet.rows, estimate=sheet.estimated_rows, sheet=sheet.title, header_row=sheet.header_row, **kwargs)
    finally:
        for wb in holder:
            wb.close()


# --------------------------------------------------------------------------- the upload


def import_start(*, actor, program, upload, language: str | None = None) -> IdeaImport:
    """Checks the upload (ValidationError with one message), stores it, records it and enqueues the parsing."""
    if not stage_allows(program.stage, Capability.IDEA_CREATE):
        raise ValidationError(_("Ideas are imported during Diagnose; the program is in %(stage)s.")
                              % {"stage": program.get_stage_display()})
    upload.seek(0)
    data = upload.read(settings.LABINOV_MAX_IMPORT_BYTES + 1)
    check_archive(data).close()
    purge_stale_files()

    relative = f"{IMPORT_DIR}/{uuid.uuid4().hex}.xlsx"
    path = _media_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    imp = IdeaImport.objects.create(
        program=program, uploaded_by=actor if getattr(actor, "pk", None) else None, file_name=name or "ideas.xlsx",
        file_sha256=hashlib.sha256(data).hexdigest(), stored_file=relative, status=ImportStatus.QUEUED,
    )
    imp.program = program
    from .tasks import parse_idea_import

    try:
        parse_idea_import.enqueue(imp.pk, language=language or translation.get_language())
    except Exception:
        log.exception("idea import %s: could not enqueue the parsing", imp.pk)
        _fail(imp, _("The file could not be queued for reading. Please try again later."))
    return imp


def _fail(imp: IdeaImport, message: str, *, status: str = ImportStatus.FAILED, errors=None, summary=None) -> None:
    _delete_file(imp)
    imp.status, imp.message = status, message
    fields = ["status", "message", "stored_file"]
    if errors is not None:
        imp.errors = errors
        fields.append("errors")
    if summary is not None:
        imp.summary = summary
        fields.append("summary")
    _save(imp, *fields)


def _progress_writer(pk: int) -> Callable[[int, int], None]:
    def write(done: int, total: int) -> None:
        IdeaImport.objects.filter(pk=pk).update(processed_rows=done, total_rows=total, updated_at=timezone.now())

    return write


def _claim(pk: int, from_status: str, to_status: str) -> bool:
    return bool(IdeaImport.objects.filter(pk=pk, status=from_status).update(
        status=to_status, processed_rows=0, updated_at=timezone.now()))


def parse_import(import_id: int, *, language: str | None = None) -> str:
    """The task body: reads and checks the stored file; the import ends in preview, invalid or failed."""
    if not _claim(import_id, ImportStatus.QUEUED, ImportStatus.READING):
        return "skipped"  # already parsed (a repeated task)
    imp = IdeaImport.objects.select_related("program", "program__pemda").get(pk=import_id)
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            _parse(imp)
        except ValidationError as e:
            _fail(imp, " ".join(e.messages), status=ImportStatus.INVALID, errors=[], summary={})
        except Exception:
            log.exception("idea import %s: reading failed", import_id)
            _fail(imp, _("The file could not be read because of an unexpected error. Please try again or contact the administrator."))
            raise
    return imp.status


def _parse(imp: IdeaImport) -> None:
    started = time.perf_counter()
    result = scan_file(imp.program, _read_stored(imp), progress=_progress_writer(imp.pk), prepare_new=True)
    imp.total_rows = imp.processed_rows = result.rows
    imp.errors, imp.summary = result.errors, {**result.summary(), "read_ms": round((time.perf_counter() - started) * 1000)}
    if result.error_rows:
        imp.status = ImportStatus.INVALID
        imp.message = _("The file has errors; nothing was saved. Correct the file and upload it again.")
        _delete_file(imp)
    elif not result.new:
        imp.status = ImportStatus.PREVIEW
        imp.message = _("Every idea in this file was already imported; there is nothing to save.")
        _delete_file(imp)
    else:
        imp.status, imp.message = ImportStatus.PREVIEW, ""
        prepared = _write_prepared(imp, result.prepared)
        _delete_file(imp)  # the XLSX is parsed once; the commit reads the prepared rows
        imp.stored_file = prepared
    _save(imp, "status", "message", "errors", "summary", "total_rows", "processed_rows", "stored_file")


# --------------------------------------------------------------------------- the commit


def commit_request(*, actor, imp: IdeaImport, language: str | None = None) -> IdeaImport:
    """“Save all”: a clean preview with new ideas moves to committing, once; the commit task is enqueued."""
    program = imp.program
    if not stage_allows(program.stage, Capability.IDEA_CREATE):
        raise ValidationError(_("Ideas are imported during Diagnose; the program is in %(stage)s.")
                              % {"stage": program.get_stage_display()})
    if imp.status != ImportStatus.PREVIEW or not imp.stored_file or not (imp.summary or {}).get("new"):
        raise ValidationError(_("This import cannot be saved (it was already saved, or it has nothing new to save)."))
    if not _claim(imp.pk, ImportStatus.PREVIEW, ImportStatus.COMMITTING):
        raise ValidationError(_("This import is already being saved."))
    imp.status = ImportStatus.COMMITTING
    from .tasks import commit_idea_import

    commit_idea_import.enqueue(imp.pk, actor_id=actor.pk if getattr(actor, "pk", None) else None,
                               language=language or translation.get_language())
    return imp


def commit_import(import_id: int, *, actor_id: int | None = None, language: str | None = None) -> dict[str, int]:
    """The task body: creates the new ideas of a previewed import, all or nothing.

    The rows were checked and prepared (field values, import key, search_text) by the parsing;
    what may have changed since is checked again inside the one transaction: the program's stage,
    the import keys already in the program (a row imported meanwhile is counted as already
    imported, not created twice) and the participating units. Then one bulk INSERT and one
    `idea.import` audit record.

    Why not `services.idea_create` per row: for each idea it runs `full_clean`, one query for the
    participation, one INSERT and one audit record; ``bench/bench_import.py`` measures it at
    about ten times the cost of this path, all of it inside the single write transaction that
    blocks every other writer of an SQLite database. This path applies the same rules (see
    `Validator`) and the same `search_text_for`.
    """
    from labinov.people.models import User
    from labinov.programs.models import Participation

    imp = IdeaImport.objects.select_related("program", "program__pemda", "uploaded_by").get(pk=import_id)
    if imp.status != ImportStatus.COMMITTING:
        return {"created": 0, "existing": 0}  # a repeated task: nothing to do
    program = imp.program
    actor = User.objects.filter(pk=actor_id).first() if actor_id else imp.uploaded_by
    summary = dict(imp.summary or {})
    unit_errors: list[dict[str, Any]] = []
    started = time.perf_counter()
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            now = timezone.now()
            rows = _read_prepared(imp)
            ideas = [
                Idea(pemda_id=program.pemda_id, program=program, created_by=actor, status=IdeaStatus.SUBMITTED,
                     submitted_at=now, **{k: v for k, v in row.items() if k != "row"})
                for row in rows
            ]
            row_of = {id(idea): row["row"] for idea, row in zip(ideas, rows)}
            prepared = time.perf_counter()
            with transaction.atomic():
                program.refresh_from_db(fields=["stage"])
                if not stage_allows(program.stage, Capability.IDEA_CREATE):
                    raise ValidationError(_("Ideas are imported during Diagnose; the program is in %(stage)s.")
                                          % {"stage": program.get_stage_display()})
                taken = existing_keys(program=program)
                units = set(Participation.objects.filter(program=program).values_list("unit_id", flat=True))
                new = [i for i in ideas if i.import_key not in taken]
                gone = [i for i in new if i.unit_id not in units]
                if gone:
                    unit_errors = [{"row": row_of[id(i)], "column": "unit",
                                    "message": _("This unit no longer takes part in this program.")} for i in gone]
                    raise ValidationError(_("Some units of the file no longer take part in this program; nothing was saved. "
                                            "Correct the file and upload it again."))
                Idea.objects.bulk_create(new, batch_size=500)
                existing = int(summary.get("existing", 0)) + len(ideas) - len(new)
                counts = {"created": len(new), "existing": existing, "rows": int(summary.get("rows", 0))}
                audit_record(actor=actor, action="idea.import", obj=program,
                             changes={**counts, "file": imp.file_name, "sha256": imp.file_sha256, "import": imp.pk})
                imp.status, imp.message = ImportStatus.DONE, ""
                imp.summary = {**summary, "existing": existing, "new": len(new), "created": len(new),
                               "prepare_ms": round((prepared - started) * 1000),
                               "save_ms": round((time.perf_counter() - prepared) * 1000)}
                imp.processed_rows = imp.total_rows
                _save(imp, "status", "message", "summary", "processed_rows")
        except ValidationError as e:
            _fail(imp, " ".join(e.messages), status=ImportStatus.INVALID,
                  errors=unit_errors[:MAX_STORED_ERRORS] if unit_errors else None,
                  summary={**summary, "errors": len(unit_errors), "error_rows": len(unit_errors)} if unit_errors else None)
            return {"created": 0, "existing": 0}
        except IntegrityError:
            log.info("idea import %s: a concurrent import created the same ideas", import_id, exc_info=True)
            _fail(imp, _("The same ideas were saved by someone else at the same moment; nothing was saved. "
                         "Upload the file again to see what is left to import."), status=ImportStatus.INVALID)
            return {"created": 0, "existing": 0}
        except Exception:
            log.exception("idea import %s: saving failed", import_id)
            _fail(imp, _("Saving failed because of an unexpected error; nothing was saved. Please try again."))
            raise
    _delete_file(imp)
    _save(imp, "stored_file")
    return {"created": counts["created"], "existing": counts["existing"]}


def purge_stale_files(*, older_than: datetime.timedelta = STALE_AFTER) -> int:
    """Imports untouched for `older_than` (previews never saved, tasks that never ran) expire; their files are deleted.

    Called by every upload, so no scheduler is needed.
    """
    cutoff = timezone.now() - older_than
    count = 0
    stale = IdeaImport.objects.filter(status__in=[ImportStatus.PREVIEW, *RUNNING], updated_at__lt=cutoff).exclude(stored_file="")
    for imp in stale:
        _fail(imp, _("This import expired before it was saved; upload the file again."))
        count += 1
    return count


# --------------------------------------------------------------------------- the export

EXPORT_COLUMNS = (
    "id", "unit", "kode_unit", "judul", "masalah", "akar_masalah", "gagasan", "penerima_manfaat", "manfaat",
    "bentuk", "digital", "urusan", "inisiator", "pengusul", "replikasi", "replikasi_dari", "yang_dimodifikasi",
    "status", "keputusan", "alasan", "diputuskan_pada", "inovasi", "diajukan_pada", "dibuat_pada",
)




def export_filename(program) -> str:
    return f"ide-{program.pemda.slug}-{program.pk}.xlsx"


def export_workbook(*, actor, program) -> bytes:
    """Every idea of the program the actor may see, one row each (openpyxl write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from .models import DECIDED
    from .selectors import idea_list
    from .visibility import program_published, sees_all_submitted

    show_decisions = sees_all_submitted(actor, program.pemda_id) or program_published(program)
    ideas = idea_list(actor=actor, program=program).select_related("replication_of")
    local = timezone.get_current_timezone()

    def when(value):
        return value.astimezone(local).replace(tzinfo=None) if value else None

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    bold = Font(bold=True)
    header = []
    for name in EXPORT_COLUMNS:
        cell = WriteOnlyCell(ws, value=safe(name))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    statuses = dict(IdeaStatus.choices)
    for idea in ideas.iterator(chunk_size=1000):
        decided = idea.status in DECIDED
        status = idea.status if (show_decisions or not decided) else IdeaStatus.SUBMITTED
        source = idea.replication_source or (idea.replication_of.name if idea.replication_of_id and idea.replication_of else "")
        row = [
            idea.pk, idea.unit.name, idea.unit.code, idea.title, idea.problem, idea.root_cause, idea.proposed_change,
            idea.beneficiaries, idea.expected_benefit, idea.form, "ya" if idea.is_digital else "tidak",
            ", ".join(idea.urusan or []), idea.initiator, idea.proposers, "ya" if idea.is_replication else "tidak",
            source, idea.replication_changes, status,
            str(statuses[idea.status]) if decided and show_decisions else "",
            idea.decision_reason if show_decisions else "",
            when(idea.decided_at) if show_decisions else None,
            idea.innovation.name if show_decisions and idea.innovation_id and idea.innovation else "",
            when(idea.submitted_at), when(idea.created_at),
        ]
        ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
