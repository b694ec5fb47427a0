"""Reading uploaded XLSX workbooks safely: one place for every import (units, ideas, ...).

An upload is judged by its bytes, never its name: an old .xls, a CSV renamed .xlsx, a damaged
or encrypted file, a workbook with macros, too many parts, or a zip bomb are refused with a
message saying what to do. Cell values are read as text the same way everywhere.
"""

from __future__ import annotations

import datetime
import decimal
import io
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
    """A cell's value as trimmed text (numbers without spurious decimals, dates in ISO form)."""
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
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value).replace(BOM, "").strip()
    return text[:limit] if limit else text


def is_formula(value: Any) -> bool:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return True
    return isinstance(value, str) and value.replace(BOM, "").lstrip().startswith("=")


def header_problem(found: list[str], columns: tuple[str, ...] | list[str]) -> str | None:
    """None when row 1 holds exactly `columns` (in any order); else one message naming what is wrong."""
    present = [h for h in found if h]
    missing = [c for c in columns if c not in present]
    unexpected = [h for h in present if h not in columns]
    doubled = sorted({h for h in present if h in columns and present.count(h) > 1})
    if not (missing or unexpected or doubled):
        return None

    def shown(value: str, limit: int = 40) -> str:
        return value if len(value) <= limit else value[: limit - 1] + "…"

    parts = [_("The header row (row 1) is wrong.")]
    if missing:
        parts.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
    if unexpected:
        parts.append(_("Unexpected columns: %(names)s.") % {"names": ", ".join(shown(h) for h in unexpected)})
    if doubled:
        parts.append(_("Columns given twice: %(names)s.") % {"names": ", ".join(doubled)})
    parts.append(_("Row 1 must hold exactly these column names: %(names)s.") % {"names": ", ".join(columns)})
    return " ".join(parts)


def column_positions(header_cells, columns, sheet_title: str) -> dict[str, int]:
    """Reads row 1 (BOM, spaces and case ignored; formulas refused) and returns where each column is.

    Raises the import's ValidationError when the row is empty or does not hold exactly `columns`.
    """
    header = ["=" if is_formula(v) else " ".join(cell_text(v).split()).lower() for v in header_cells]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise refuse(
            _("The sheet “%(sheet)s” is empty: row 1 must hold the column names %(names)s.")
            % {"sheet": sheet_title, "names": ", ".join(columns)}
        )
    problem = header_problem(header, columns)
    if problem:
        raise refuse(problem)
    return {name: header.index(name) for name in columns}
