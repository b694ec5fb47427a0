"""One cleaning for every text that enters Labinov: forms, the API, the XLSX imports.

Text typed or pasted by people (or sent by programs) may hold control characters that nobody can
see: a vertical tab copied from Word (``\\x0b``), a stray ``\\x02`` from an old database, a C1
control from a mis-decoded file. They are worthless in names and descriptions, and they break
whatever must write the text out again: an XLSX cell cannot hold them (openpyxl refuses the
whole workbook), nor can XML. So every input is cleaned the same way, by `clean_text`:

* Unicode normalised to NFC (``e`` + combining accent becomes ``é``), so equal texts compare equal;
* line ends normalised to ``\\n`` (``\\r\\n`` and a lone ``\\r``);
* every other C0 and C1 control character dropped, and the characters XML cannot hold (lone
  surrogates, U+FFFE, U+FFFF) too; ``\\n`` and ``\\t`` are kept in multi-line text;
* with ``multiline=False`` (names, titles), newlines and tabs become spaces.

The XLSX writers strip the same characters again (`core.xlsx.safe`), so text stored before this
rule never makes an export fail.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# C0 controls except \t and \n, DEL and the C1 controls; lone surrogates and the two non-characters
# XML 1.0 forbids. \r is handled first (it becomes \n).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: Any, *, multiline: bool = True) -> Any:
    """`value` without invisible control characters (see the module); anything not a str is returned as is."""
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROLS.sub("", value)
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    if not multiline and ("\n" in value or "\t" in value):
        value = value.replace("\n", " ").replace("\t", " ")
    return value


def clean_line(value: Any) -> Any:
    """`clean_text` for one-line text (names, titles, codes): newlines and tabs become spaces."""
    return clean_text(value, multiline=False)
