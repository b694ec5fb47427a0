"""Reading an uploaded idea workbook: the sheet "Ide", its header row and its data rows as text.

The checks of the rows against the program are in transfer_validator.py; the job around them
(upload, background parsing, commit) in transfer.py.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Iterator

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from labinov.core.xlsx import cell_text as _cell_text
from labinov.core.xlsx import is_formula as _is_formula
from labinov.core.xlsx import number_as_code_problem, read_header
from labinov.core.xlsx import refuse as _refuse

log = logging.getLogger("labinov.ideas.transfer")

SHEET = "Ide"
COLUMNS = (
    "unit", "judul", "masalah", "akar_masalah", "gagasan", "penerima_manfaat", "manfaat", "bentuk", "digital",
    "urusan", "inisiator", "pengusul", "replikasi_dari", "yang_dimodifikasi",
)
REQUIRED = ("unit", "judul", "masalah", "gagasan", "bentuk")
CODE_COLUMNS = ("unit",)  # may hold a code: a long number there lost its last digits in Excel


def _long_number(value) -> bool:
    from labinov.core.xlsx import EXCEL_DIGITS

    return (isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value)
            and len(str(abs(int(value)))) >= EXCEL_DIGITS)
MAX_ROWS = 5000



@dataclass
class Sheet:
    title: str
    estimated_rows: int
    rows: Iterator[tuple[int, dict[str, str], set[str], dict[str, str]]]
    header_row: int = 1


def open_rows(data: bytes, workbook_holder: list) -> Sheet:
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
    header = read_header(ws, COLUMNS, "idea import")
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
                        if column in CODE_COLUMNS or _long_number(raw):
                            # A code column typed as a number; or, in any text column, a number of 15
                            # digits or more: a NIP or NIK whose last digits Excel has already lost.
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
