"""Importing a pemda's units from the XLSX template: check the file, read its rows, validate, commit.

Three steps, each usable on its own:

* `read_upload(upload)` judges the file by its content (a real XLSX: a ZIP holding
  ``[Content_Types].xml`` and ``xl/workbook.xml``, no macros, no zip bomb, the right header row, at
  most `MAX_ROWS` rows) and returns the rows as plain text, JSON-ready, touching no database.
  Anything wrong with the file as a whole raises `ValidationError` with one message naming it.
* `validate(pemda=..., rows=...)` checks every row against the file itself and the pemda's units
  (one query, whatever the number of rows) and returns a `Report`: per row a status (new / skipped /
  error) and the error messages per column. A name that already exists in the pemda is not an
  error: the row is skipped, so uploading the same file twice is harmless.
* `commit(actor=..., pemda=..., rows=...)` validates again inside its transaction (so a name taken
  meanwhile is skipped), creates every new unit, parents first, and writes one `unit.import` audit
  record with the counts. All or nothing.

`build_template(pemda)` makes the empty template with drop-downs and a sheet of instructions.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record
from labinov.core.xlsx import BOM, cell_text, check_archive, is_formula  # noqa: F401  (check_archive: part of this module's API)
from labinov.core.xlsx import list_validation_formula, number_as_code_problem, read_header, safe, safe_row, template_sheet, unquote
from labinov.core.xlsx import refuse as _refuse

from . import lookup
from .models import Ownership, Pemda, SCHOOL_KINDS, Unit, UnitKind
from .unit_names import UnitNames, unit_key

log = logging.getLogger(__name__)

SHEET = "Unit"
HELP_SHEET = "Petunjuk"
COLUMNS = ("nama", "jenis", "induk", "negeri_swasta", "kode", "kode_wilayah")
CODE_COLUMNS = ("kode", "kode_wilayah")  # a long number there lost its last digits in Excel
MAX_ROWS = 5000
MAX_STORED_CHARS = 500  # values are kept in the session; longer ones are cut (and still too long)

NAME_MAX = Unit._meta.get_field("name").max_length
CODE_MAX = Unit._meta.get_field("code").max_length

NEW, SKIPPED, ERROR = "new", "skipped", "error"

_BOM = BOM


def _text(value: Any) -> str:
    return cell_text(value, MAX_STORED_CHARS)


_is_formula = is_formula


def read_upload(upload) -> dict[str, Any]:
    """Checks the uploaded file and returns its rows, JSON-ready (for the session).

    Returns ``{"filename", "sheet", "header_row", "rows": [[row_number, [six texts], [columns holding a formula],
    {column index: problem of the cell itself}], ...]}``; completely empty rows are left out, row numbers are as
    Excel shows them. The header row is looked for among the first rows (`core.xlsx.locate_header`).
    """
    upload.seek(0)
    data = upload.read(settings.LABINOV_MAX_IMPORT_BYTES + 1)
    archive = check_archive(data)
    archive.close()

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for damaged or hostile files
        log.info("unit import: unreadable workbook", exc_info=True)
        raise _refuse(_("The workbook could not be read; it may be damaged. Save it again as “Excel Workbook (.xlsx)”.")) from None
    try:
        titles = wb.sheetnames
        title = next((t for t in titles if t.strip().lower() == SHEET.lower()), titles[0] if titles else None)
        if title is None:
            raise _refuse(_("The workbook has no sheets."))
        ws = wb[title]
        if not hasattr(ws, "reset_dimensions"):
            raise _refuse(_("The sheet “%(sheet)s” is not a worksheet.") % {"sheet": title})
        header = read_header(ws, COLUMNS, "unit import")
        position = header.positions

        rows: list[list[Any]] = []
        try:
            for number, cells in header:
                values, formulas, notes = [], [], {}
                for i, column in enumerate(COLUMNS):
                    raw = cells[position[column]] if position[column] < len(cells) else None
                    if _is_formula(raw):
                        formulas.append(i)
                        values.append(str(getattr(raw, "text", raw) or "")[:MAX_STORED_CHARS])
                    else:
                        values.append(_text(raw))
                        # a region code typed as a number (33.70 → 33.7) is never safe; another code when too long
                        problem = number_as_code_problem(raw, strict=column == "kode_wilayah") if column in CODE_COLUMNS else None
                        if problem:
                            notes[str(i)] = problem
                if not formulas and not any(values):
                    continue
                rows.append([number, values, formulas, notes])
                if len(rows) > MAX_ROWS:
                    raise _refuse(
                        _("The file has more than %(max)s rows of units; split it into several files of at most %(max)s rows.")
                        % {"max": number_format(MAX_ROWS, force_grouping=True)}
                    )
        except ValidationError:
            raise
        except Exception:
            log.info("unit import: unreadable rows", exc_info=True)
            raise _refuse(_("The workbook could not be read; it may be damaged.")) from None
    finally:
        wb.close()
    if not rows:
        raise _refuse(_("The sheet “%(sheet)s” has no units below the header row.") % {"sheet": title})
    name = getattr(upload, "name", "") or ""
    return {"filename": name.replace("\\", "/").rsplit("/", 1)[-1][:200], "sheet": title, "header_row": header.row,
            "rows": rows}


# --------------------------------------------------------------------------- the rows


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    status: str = NEW
    name: str = ""
    key: str = ""
    kind: str = ""
    ownership: str = ""
    code: str = ""
    region_code: str = ""
    parent_pk: int | None = None  # an existing unit
    parent_row: int | None = None  # a row of this file
    existing_pk: int | None = None

    def add(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)

    @property
    def cells(self) -> list[dict[str, Any]]:
        """For the template: each column's value and its messages, in column order."""
        return [{"column": c, "value": self.values.get(c, ""), "errors": self.errors.get(c, [])} for c in COLUMNS]


@dataclass
class Report:
    rows: list[Row]

    @property
    def new(self) -> list[Row]:
        return [r for r in self.rows if r.status == NEW]

    @property
    def counts(self) -> dict[str, int]:
        c = {NEW: 0, SKIPPED: 0, ERROR: 0}
        for r in self.rows:
            c[r.status] += 1
        c["total"] = len(self.rows)
        c["messages"] = sum(len(m) for r in self.rows for m in r.errors.values())
        return c

    @property
    def has_errors(self) -> bool:
        return any(r.status == ERROR for r in self.rows)

    def errors(self) -> list[dict[str, Any]]:
        """Every message as (row, column, message), in file order."""
        return [
            {"row": r.number, "column": c, "message": m}
            for r in self.rows
            for c in COLUMNS
            for m in r.errors.get(c, [])
        ]


def _clean_name(value: str) -> str:
    return " ".join(value.replace(_BOM, "").split())


def _choice_map(choices) -> dict[str, str]:
    """value, label (in the active language and untranslated), all lower-cased → value."""
    found: dict[str, str] = {}
    with translation.override(None):
        untranslated = {value: str(label) for value, label in choices}
    for value, label in choices:
        for text in (value, str(label), untranslated[value]):
            found.setdefault(_clean_name(text).lower(), value)
    return found


def validate(*, pemda: Pemda, rows: list[list[Any]]) -> Report:
    """Every row's status and errors, against the file and the pemda's units (one query)."""
    existing = list(Unit.objects.filter(pemda=pemda).values_list("pk", "name", "code"))
    # names compare by `unit_key`: "Kel. Noborejo" is the existing "Kelurahan Noborejo"
    by_name = {unit_key(name): (pk, name) for pk, name, _code in existing}
    names = UnitNames(existing)
    by_code = {code: name for _pk, name, code in existing if code}
    kinds = _choice_map(UnitKind.choices)
    ownerships = _choice_map(Ownership.choices)
    kind_list = ", ".join(UnitKind.values)

    report = Report(rows=[])
    first_by_name: dict[str, Row] = {}
    first_by_code: dict[str, Row] = {}
    formula_msg = _("Formulas are not allowed; type the value itself.")

    for number, texts, formulas, *notes in rows:
        row = Row(number=int(number), values=dict(zip(COLUMNS, texts)))
        formula_cols = {COLUMNS[i] for i in formulas}
        cell_problems = {COLUMNS[int(i)]: m for i, m in (notes[0] if notes else {}).items()}
        for column in COLUMNS:
            if column in formula_cols:
                row.add(column, formula_msg)
            elif column in cell_problems:
                row.add(column, cell_problems[column])
        bad = formula_cols | set(cell_problems)
        v = {c: ("" if c in bad else row.values[c]) for c in COLUMNS}

        # nama
        row.name = _clean_name(unquote(v["nama"]))
        row.key = unit_key(row.name)
        if "nama" not in formula_cols:
            if not row.name:
                row.add("nama", _("The name is empty."))
            elif len(row.name) > NAME_MAX:
                row.add("nama", _("The name is longer than %(max)s characters.") % {"max": NAME_MAX})
        if row.key and row.key in by_name:
            row.status = SKIPPED
            row.existing_pk = by_name[row.key][0]
        if row.key:
            first = first_by_name.get(row.key)
            if first is not None:
                row.add("nama", _("The same name is already on row %(row)s.") % {"row": first.number})
            else:
                first_by_name[row.key] = row

        # jenis
        if "jenis" not in formula_cols:
            given = _clean_name(v["jenis"]).lower()
            given = given if given in kinds else unit_key(given)  # "Kel." is kelurahan
            if not given:
                row.add("jenis", _("The type is empty. Use one of: %(values)s.") % {"values": kind_list})
            elif given not in kinds:
                row.add("jenis", _("Unknown type “%(value)s”. Use one of: %(values)s.")
                        % {"value": v["jenis"], "values": kind_list})
            else:
                row.kind = kinds[given]

        # negeri_swasta
        given = _clean_name(v["negeri_swasta"]).lower()
        if given:
            if given not in ownerships:
                row.add("negeri_swasta", _("Unknown value “%(value)s”; use negeri or swasta.") % {"value": v["negeri_swasta"]})
            elif row.kind and row.kind not in SCHOOL_KINDS:
                row.add("negeri_swasta", _("Negeri/swasta applies to schools only (sd, smp, sma); leave it empty for this type."))
            else:
                row.ownership = ownerships[given]

        # kode
        row.code = v["kode"].strip() if "kode" not in bad else ""
        if row.code:
            if len(row.code) > CODE_MAX:
                row.add("kode", _("The code is longer than %(max)s characters.") % {"max": CODE_MAX})
            first = first_by_code.get(row.code)
            if first is not None:
                row.add("kode", _("The same code is already on row %(row)s.") % {"row": first.number})
            else:
                first_by_code[row.code] = row
            owner = by_code.get(row.code)
            if owner is not None and unit_key(owner) != row.key:
                row.add("kode", _("The code %(code)s already belongs to the unit “%(name)s”.") % {"code": row.code, "name": owner})

        # kode_wilayah
        given = v["kode_wilayah"].strip()
        if given and "kode_wilayah" not in bad:
            try:
                region = lookup.get_region(given)
            except Exception:  # the package may reject odd input outright
                region = None
            if region is None:
                row.add("kode_wilayah", _("Unknown Kemendagri region code “%(code)s”.") % {"code": given})
            else:
                row.region_code = region.code

        report.rows.append(row)

    # induk: an existing unit of the pemda, or a row of this file (in any order)
    file_names: UnitNames | None = None  # for suggestions among the rows of the file, made once when needed
    for row in report.rows:
        if "induk" in row.errors:  # a formula
            continue
        parent = _clean_name(unquote(row.values["induk"]))
        if not parent:
            continue
        key = unit_key(parent)
        found = names.find(parent)
        if row.key and key == row.key:
            row.add("induk", _("A unit cannot be its own parent."))
        elif found.pk is not None:
            row.parent_pk = found.pk
        elif key in first_by_name:
            row.parent_row = first_by_name[key].number
        else:
            message = _("There is no unit named “%(name)s” in this pemda or in this file.") % {"name": parent}
            if file_names is None:
                file_names = UnitNames((r.number, r.name, "") for r in first_by_name.values())
            suggestion = found.suggestion or file_names.suggest(key)
            if suggestion:
                message += " " + _("Did you mean: %(name)s?") % {"name": suggestion}
            row.add("induk", message)

    _mark_cycles(report)

    for row in report.rows:
        if row.errors:
            row.status = ERROR
    return report


def _mark_cycles(report: Report) -> None:
    """Rows whose parents (through rows of this file) lead back to themselves."""
    by_number = {r.number: r for r in report.rows}
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in report.rows:
        path: list[Row] = []
        row: Row | None = start
        while row is not None and state.get(row.number) is None:
            state[row.number] = 1
            path.append(row)
            row = by_number.get(row.parent_row) if row.parent_row is not None else None
        if row is not None and state.get(row.number) == 1:
            cycle = path[path.index(row):]
            names = " → ".join([r.name for r in cycle] + [row.name])
            for member in cycle:
                member.add("induk", _("The parent units form a cycle: %(cycle)s.") % {"cycle": names})
        for r in path:
            state[r.number] = 2


# --------------------------------------------------------------------------- the commit


def commit(*, actor, pemda: Pemda, rows: list[list[Any]], filename: str = "") -> dict[str, int]:
    """Creates every new unit of the rows, all or nothing; returns {"created", "skipped"}.

    Validates again inside the transaction: a unit created meanwhile under the same name is
    skipped, so committing the same rows twice creates nothing the second time.
    """
    with transaction.atomic():
        report = validate(pemda=pemda, rows=rows)
        if report.has_errors:
            raise ValidationError(
                _("The file has errors in %(n)s rows; nothing was saved. Correct the file and upload it again.")
                % {"n": report.counts[ERROR]}
            )
        new = report.new
        by_number = {r.number: r for r in new}

        def depth(row: Row) -> int:
            d = 0
            while row.parent_row is not None:
                row = by_number[row.parent_row]
                d += 1
            return d

        levels: dict[int, list[Row]] = {}
        for row in new:
            levels.setdefault(depth(row), []).append(row)
        created: dict[int, Unit] = {}
        try:
            with transaction.atomic():
                for level in sorted(levels):
                    units = []
                    for row in levels[level]:
                        parent_id = row.parent_pk if row.parent_row is None else created[row.parent_row].pk
                        units.append(Unit(
                            pemda=pemda, name=row.name, kind=row.kind, parent_id=parent_id,
                            ownership=row.ownership, code=row.code, region_code=row.region_code, is_active=True,
                        ))
                    Unit.objects.bulk_create(units)
                    if any(u.pk is None for u in units):  # a backend that does not return keys
                        pks = {n.lower(): pk for pk, n in Unit.objects.filter(
                            pemda=pemda, name__in=[u.name for u in units]).values_list("pk", "name")}
                        for u in units:
                            u.pk = pks[u.name.lower()]
                    for row, unit in zip(levels[level], units):
                        created[row.number] = unit
        except IntegrityError:
            raise ValidationError(
                _("The units of this pemda were changed by someone else at the same moment; nothing was saved. "
                  "Please try again.")
            ) from None
        counts = {"created": len(created), "skipped": report.counts[SKIPPED]}
        audit_record(
            actor=actor, action="unit.import", pemda=pemda, object_type="regions.unit",
            object_repr=filename or "unit import",
            changes={**counts, "rows": len(report.rows), "file": filename},
        )
    return counts


# --------------------------------------------------------------------------- the template

# The instructions sheet is written in Bahasa Indonesia on purpose: it is read by the staff of the
# pemda who fill in the file, whatever language the website is shown in.
_HELP_COLUMNS = [
    ("nama", "Wajib", "Nama lengkap unit, misalnya “Dinas Kesehatan” atau “SD Negeri Salatiga 01” (singkatan umum "
     "seperti “Kel.”, “Kec.”, “SDN” dibaca sebagai nama lengkapnya). "
     "Nama tidak boleh sama dengan baris lain di berkas ini. Unit yang namanya sudah ada di Labinov dilewati "
     "(tidak diubah), jadi berkas yang sama boleh diunggah lagi."),
    ("jenis", "Wajib", "Jenis unit: pilih dari daftar (kode atau nama jenis, lihat tabel di bawah)."),
    ("induk", "Boleh kosong", "Nama unit induk, misalnya kecamatan untuk kelurahan. Boleh unit yang sudah ada di "
     "Labinov atau unit di baris lain berkas ini (urutan baris bebas)."),
    ("negeri_swasta", "Boleh kosong", "Hanya untuk sekolah (sd, smp, sma): isi “negeri” atau “swasta”. "
     "Kosongkan untuk jenis lain."),
    ("kode", "Boleh kosong", "Kode unit milik pemda (misalnya kode SKPD atau NPSN). Tidak boleh dipakai dua kali. "
     "Format kolom sebagai Teks: Excel hanya menyimpan 15 angka dari sebuah bilangan."),
    ("kode_wilayah", "Boleh kosong", "Kode wilayah Kemendagri, misalnya 33.73.01 untuk kecamatan atau "
     "33.73.01.1001 untuk kelurahan/desa. Ketik sebagai teks."),
]
_HELP_RULES = [
    "Baris judul kolom lembar “Unit” berisi nama kolom; jangan diubah, dihapus atau ditambah (boleh ada judul di "
    "atasnya dan kolom nomor “No”).",
    "Satu baris untuk satu unit, paling banyak 5.000 baris.",
    "Jangan memakai rumus (sel yang diawali “=”); ketik nilainya langsung.",
    "Simpan sebagai “Excel Workbook (.xlsx)”, tanpa makro dan tanpa kata sandi.",
    "Sebelum disimpan, Labinov menampilkan pratinjau; jika ada kesalahan, tidak ada yang disimpan sampai berkas diperbaiki.",
]


def build_template(pemda: Pemda) -> bytes:
    """The empty import workbook for `pemda`: sheet “Unit” with drop-downs and sheet “Petunjuk”."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = MAX_ROWS + 1
    bold = Font(bold=True)
    wb, ws = template_sheet(COLUMNS, SHEET)
    for letter, width in zip("ABCDEF", (42, 18, 36, 16, 16, 18)):
        ws.column_dimensions[letter].width = width
    for letter in ("E", "F"):  # codes are text: 33.70 must not become 33.7
        ws.column_dimensions[letter].number_format = "@"

    kinds = DataValidation(
        type="list", formula1=list_validation_formula(UnitKind.values), allow_blank=True,
        showErrorMessage=True, errorTitle=safe("Jenis tidak dikenal"),
        error=safe("Pilih jenis unit dari daftar (lihat lembar Petunjuk)."),
        showInputMessage=True, promptTitle=safe("jenis"), prompt=safe("Pilih jenis unit dari daftar."),
    )
    ownership = DataValidation(
        type="list", formula1=list_validation_formula(Ownership.values), allow_blank=True,
        showErrorMessage=True, errorTitle=safe("Negeri/swasta"),
        error=safe("Isi negeri atau swasta (hanya untuk sekolah)."),
    )
    ws.add_data_validation(kinds)
    ws.add_data_validation(ownership)
    kinds.add(f"{get_column_letter(COLUMNS.index('jenis') + 1)}2:{get_column_letter(COLUMNS.index('jenis') + 1)}{last}")
    ownership.add(
        f"{get_column_letter(COLUMNS.index('negeri_swasta') + 1)}2:{get_column_letter(COLUMNS.index('negeri_swasta') + 1)}{last}"
    )

    help_ws = wb.create_sheet(HELP_SHEET)
    wrap = Alignment(wrap_text=True, vertical="top")
    help_ws.column_dimensions["A"].width = 20
    help_ws.column_dimensions["B"].width = 16
    help_ws.column_dimensions["C"].width = 90
    help_ws.append(safe_row([f"Petunjuk impor unit — {pemda.name}"]))
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.append([])
    for rule in _HELP_RULES:
        help_ws.append(safe_row(["•", None, rule]))
    help_ws.append([])
    help_ws.append(safe_row(["Kolom", "Wajib?", "Keterangan"]))
    for cell in help_ws[help_ws.max_row]:
        cell.font = bold
    for column, required, text in _HELP_COLUMNS:
        help_ws.append(safe_row([column, required, text]))
        help_ws.cell(help_ws.max_row, 3).alignment = wrap
    help_ws.append([])
    help_ws.append(safe_row(["jenis", "Nama jenis", "Keterangan"]))
    for cell in help_ws[help_ws.max_row]:
        cell.font = bold
    with translation.override("id"):
        for value, label in UnitKind.choices:
            note = "sekolah: isi juga negeri_swasta" if value in SCHOOL_KINDS else ""
            help_ws.append(safe_row([value, str(label), note]))
    help_ws.append([])
    help_ws.append(safe_row(["negeri_swasta", "Nama", "Keterangan"]))
    for cell in help_ws[help_ws.max_row]:
        cell.font = bold
    with translation.override("id"):
        for value, label in Ownership.choices:
            help_ws.append(safe_row([value, str(label), "hanya untuk sd, smp, sma"]))

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
