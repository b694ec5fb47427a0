"""XLSX in and out, one place for every import and every workbook Labinov writes.

Reading (units, ideas, ...): an upload is judged by its bytes, never its name: an old .xls, a CSV
renamed .xlsx, a damaged or encrypted file, a workbook with macros, too many parts, or a zip bomb
are refused with a message saying what to do. Cell values are read as clean text the same way
everywhere (`cell_text`), the header row is found among the first rows whatever its spelling
(`locate_header`), yes/no answers are read by one parser (`yes_no`), and a code or NIP that Excel
turned into a number is refused (`number_as_code_problem`), because Excel keeps only 15 digits.

Writing: every value of every cell, list and drop-down of every workbook goes through `safe`:
characters a workbook cannot hold are dropped (so no stored text ever makes an export fail) and a
text a spreadsheet could run as a formula (= + - @ first) gets a leading apostrophe.
"""

from __future__ import annotations

import datetime
import decimal
import io
import itertools
import re
import zipfile
from typing import Any, Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .cleaning import clean_text

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # deflate of real sheets stays far below; zip bombs are in the thousands
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # tiny members may compress well without harm
MAX_MEMBERS = 2000

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
BOM = "\ufeff"


# --------------------------------------------------------------------------- the file


def refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_import_file")


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for cut in range(4):  # the head may end inside a multi-byte character
        try:
            (head[: len(head) - cut] if cut else head).decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    try:
        text = head.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\r\n\t" for c in text)


def check_archive(data: bytes) -> zipfile.ZipFile:
    """The bytes are an XLSX workbook without macros and without a zip bomb inside; else ValidationError."""
    max_bytes = settings.LABINOV_MAX_IMPORT_BYTES
    if not data:
        raise refuse(_("The file is empty."))
    if len(data) > max_bytes:
        raise refuse(
            _("The file is %(size)s; at most %(max)s is allowed.")
            % {"size": filesizeformat(len(data)), "max": filesizeformat(max_bytes)}
        )
    head = data[:1024]
    if head.startswith(_OLE2_MAGIC):
        raise refuse(
            _("This is an old Excel 97–2003 (.xls) file or a password-protected workbook. "
              "Open it in Excel or LibreOffice, remove any password and save it as “Excel Workbook (.xlsx)”.")
        )
    if not head.startswith(_ZIP_MAGIC):
        if _looks_like_text(head):
            raise refuse(
                _("This is a text (CSV) file, not an Excel workbook, even if its name ends in .xlsx. "
                  "Open it in Excel or LibreOffice and save it as “Excel Workbook (.xlsx)”.")
            )
        raise refuse(_("This file is not an Excel workbook (.xlsx). Please use the template."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise refuse(_("The file is damaged: it is not a readable Excel workbook (.xlsx).")) from None
    names = {m.filename for m in members}
    if len(members) > MAX_MEMBERS:
        raise refuse(_("The file has too many parts to be an ordinary workbook; it was refused."))
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise refuse(
            _("This file is a ZIP archive but not an Excel workbook (.xlsx) (for example a .docx, .ods or .zip file). "
              "Please use the template.")
        )
    if any(n.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
        raise refuse(
            _("The workbook contains macros (VBA). Macros are not accepted: save it as a plain "
              "“Excel Workbook (.xlsx)” and upload that.")
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise refuse(_("The workbook is encrypted. Remove the password and upload it again."))
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise refuse(
            _("The workbook unpacks to %(size)s; at most %(max)s is allowed. It was refused.")
            % {"size": filesizeformat(total), "max": filesizeformat(MAX_UNCOMPRESSED_BYTES)}
        )
    for m in members:
        if m.file_size >= RATIO_CHECK_FROM_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1):
            raise refuse(
                _("The workbook is compressed suspiciously well (a possible “zip bomb”); it was refused.")
            )
    return archive


def cell_text(value: Any, limit: int | None = None) -> str:
    """A cell's value as trimmed, clean text (numbers without spurious decimals, dates in ISO form).

    A date cell reads "2026-03-14" (a time of day only when there is one), never
    "2026-03-14 00:00:00". Control characters are dropped (`core.cleaning.clean_text`).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = clean_text(str(value).replace(BOM, "")).strip()
    return text[:limit] if limit else text


def is_formula(value: Any) -> bool:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return True
    return isinstance(value, str) and value.replace(BOM, "").lstrip().startswith("=")


# --------------------------------------------------------------------------- typed cells

# Excel keeps 15 significant digits of a number: an 18-digit NIP or a long code typed as a number
# has lost its last digits before Labinov ever sees it.
EXCEL_DIGITS = 15


def number_as_code_problem(value: Any, *, nip: bool = False, strict: bool = False) -> str | None:
    """A message when a cell meant to hold a code (a NIP, a region code, ...) holds a number; else None.

    A NIP (`nip`) is refused whenever it arrives as a number: its 18 digits never survive. With
    `strict` (a code with dots, like a region code: 33.70 became 33.7) any number is refused;
    otherwise only a number too long for Excel to keep, or one that is not whole.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, decimal.Decimal)):
        return None
    if nip:
        return _("The NIP was typed as a number, and Excel keeps only 15 digits of a number: its last digits are lost. "
                 "Format the column as Text and type the NIP again.")
    whole = value == int(value)
    if strict or not whole:
        return _("The code was typed as a number (%(value)s), so Excel may have dropped zeros or dots. "
                 "Format the column as Text and type the code again.") % {"value": cell_text(value)}
    if len(str(abs(int(value)))) >= EXCEL_DIGITS:
        return _("The code was typed as a number, and Excel keeps only 15 digits of a number: its last digits may be lost. "
                 "Format the column as Text and type the code again.")
    return None


def cell_date(value: Any) -> datetime.date | None:
    """A date cell (or a text "2026-03-14", "14/03/2026", "14-03-2026") as a date; None when empty.

    Raises ValueError for anything else. Dates are stored as dates, never as "2026-03-14 00:00:00".
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


# Yes / no as people write it in a spreadsheet. An empty cell is "no" (the caller decides).
YES_WORDS = frozenset({"ya", "iya", "y", "yes", "benar", "betul", "true", "1", "✓", "✔"})
NO_WORDS = frozenset({"tidak", "tdk", "tak", "t", "no", "n", "false", "0", "-", "–", "—", "kosong", "salah", "bukan",
                      "✗", "✘"})


def yes_no(text: str) -> bool | None:
    """True / False for the usual ways of writing yes or no ("Iya", "Y", "Tdk", "-", "✓", ...); None when unknown.

    An empty cell is False.
    """
    key = " ".join(clean_text(str(text or "")).replace(BOM, "").split()).casefold().rstrip(".")
    if not key:
        return False
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    return None


# --------------------------------------------------------------------------- the header row

HEADER_SCAN_ROWS = 10  # a title and a few lines of explanation may sit above the header
# A numbering column ("No", "No.", "Nomor", "#") is left out of the reading.
NUMBERING_HEADERS = frozenset({"no", "nomor", "nomer", "nourut", "nomorurut", "#", "num", "number"})
_HEADER_NOISE = re.compile(r"[\s_\-.:/]+")


def header_key(value: Any) -> str:
    """The spelling-free form of a column name: "Akar Masalah", "akar_masalah", " AKAR-masalah " → "akarmasalah"."""
    return _HEADER_NOISE.sub("", cell_text(value).casefold())


def header_problem(found: list[str], columns: tuple[str, ...] | list[str], row: int = 1) -> str | None:
    """None when the header texts `found` name exactly `columns` (in any order, spelling-free: see
    `header_key`; a numbering column is allowed); else one message naming what is wrong."""
    keys = {header_key(c): c for c in columns}
    present = [(header_key(h), h) for h in found]
    present = [(k, h) for k, h in present if k and k not in NUMBERING_HEADERS]
    present_keys = [k for k, _h in present]
    missing = [c for k, c in keys.items() if k not in present_keys]
    unexpected = [h for k, h in present if k not in keys]
    doubled = sorted({keys[k] for k in present_keys if k in keys and present_keys.count(k) > 1})
    if not (missing or unexpected or doubled):
        return None

    def shown(value: str, limit: int = 40) -> str:
        value = " ".join(value.split())
        return value if len(value) <= limit else value[: limit - 1] + "…"

    parts = [_("The header row (row %(row)s) is wrong.") % {"row": row}]
    if missing:
        parts.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
    if unexpected:
        parts.append(_("Unexpected columns: %(names)s.") % {"names": ", ".join(shown(h) for h in unexpected)})
    if doubled:
        parts.append(_("Columns given twice: %(names)s.") % {"names": ", ".join(doubled)})
    parts.append(_("The header row must hold these column names (case, spaces and underscores do not matter; "
                   "a numbering column “No” may be added): %(names)s.") % {"names": ", ".join(columns)})
    return " ".join(parts)


class Header:
    """Where the header row was found and where each column is."""

    def __init__(self, row: int, positions: dict[str, int], data: Iterator[tuple[int, tuple]]):
        self.row = row
        self.positions = positions
        self.data = data  # (Excel row number, cells) of every row below the header

    def __iter__(self):
        return iter(self.data)


def template_sheet(columns, title: str):
    """A new workbook whose first sheet is an import template: the column names in bold (through
    :func:`safe_row`) and the header row frozen. Returns (workbook, sheet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(safe_row(columns))
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    return wb, ws


def read_header(ws, columns: tuple[str, ...] | list[str], what: str) -> Header:
    """The header of an import's sheet (see :func:`locate_header`), after forgetting the stored size
    (never trusted: every row there is gets read); an unreadable sheet is refused."""
    import logging

    ws.reset_dimensions()
    try:
        return locate_header(ws.iter_rows(values_only=True), columns, ws.title)
    except ValidationError:
        raise
    except Exception:
        logging.getLogger("labinov.xlsx").info("%s: unreadable sheet", what, exc_info=True)
        raise refuse(_("The workbook could not be read; it may be damaged.")) from None


def locate_header(rows: Iterable[tuple], columns: tuple[str, ...] | list[str], sheet_title: str) -> Header:
    """Finds the header row among the first `HEADER_SCAN_ROWS` rows of `rows` (an iterator of cell tuples).

    The header is the row naming the most of `columns` (case, spaces, underscores, dashes and dots
    ignored, so "Akar Masalah" is ``akar_masalah``); a title above it and a numbering column
    ("No") are ignored. Raises the import's ValidationError, naming the row taken as the header,
    when that row does not hold exactly `columns`, or when no row of the first ones names any.
    """
    rows = iter(rows)
    wanted = {header_key(c) for c in columns}
    head: list[tuple] = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    best, best_score = None, 0
    keyed: list[list[str]] = []
    texts: list[list[str]] = []
    for index, cells in enumerate(head):
        row_texts = ["=" if is_formula(v) else cell_text(v) for v in cells]
        keys = [header_key(t) for t in row_texts]
        texts.append(row_texts)
        keyed.append(keys)
        score = len(wanted.intersection(keys))
        if score > best_score:
            best, best_score = index, score
    if best is None:
        if not any(any(k for k in keys) for keys in keyed):
            raise refuse(
                _("The sheet “%(sheet)s” is empty: its header row must hold the column names %(names)s.")
                % {"sheet": sheet_title, "names": ", ".join(columns)}
            )
        raise refuse(
            _("No header row found in the first %(n)s rows of the sheet “%(sheet)s”: one row must hold the column "
              "names %(names)s.") % {"n": HEADER_SCAN_ROWS, "sheet": sheet_title, "names": ", ".join(columns)}
        )
    header, found = keyed[best], texts[best]
    problem = header_problem(found, columns, row=best + 1)
    if problem:
        raise refuse(problem)
    positions = {name: header.index(header_key(name)) for name in columns}
    below = itertools.chain(head[best + 1:], rows)
    return Header(best + 1, positions, zip(itertools.count(best + 2), below))


def column_positions(header_cells, columns, sheet_title: str) -> dict[str, int]:
    """Reads one header row (see `locate_header`) and returns where each column is."""
    return locate_header([tuple(header_cells)], columns, sheet_title).positions


# --------------------------------------------------------------------------- writing workbooks

# A text starting with one of these may be run as a formula by a spreadsheet (or by whoever opens
# an exported CSV of it): = + - @, and the tab and carriage return that hide them.
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe(value: Any) -> Any:
    """A value as it may be written into any cell of any workbook Labinov makes.

    Text loses the characters a workbook cannot hold (control characters stored before inputs were
    cleaned: they would make openpyxl refuse the whole export), and text a spreadsheet could run as
    a formula gets a leading apostrophe, which the spreadsheet shows as plain text. Numbers, dates
    and None pass unchanged.
    """
    if not isinstance(value, str):
        return value
    if _ILLEGAL_IN_XLSX.search(value):
        value = _ILLEGAL_IN_XLSX.sub("", value)
    if value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe(v) for v in values]


def list_validation_formula(values: Iterable[str]) -> str:
    """The formula of a drop-down holding `values` inline (``"a,b,c"``), each value made `safe`.

    Commas and double quotes cannot be written inside such a list, so they are left out of the values.
    """
    cleaned = [str(safe(v)).replace(",", " ").replace('"', "") for v in values]
    return '"%s"' % ",".join(cleaned)


def unquote(text: str) -> str:
    """Reading back a value `safe` wrote: "'=x" is "=x" again (a template's drop-down value, for example)."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(DANGEROUS_START):
        return text[1:]
    return text
