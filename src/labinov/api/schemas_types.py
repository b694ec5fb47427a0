"""Base types of the API's request bodies.

`CleanStr` is the type of every text field a client may send: the value is cleaned on the way in
by `core.cleaning.clean_text` (control characters dropped, NFC, newlines and tabs kept), the same
cleaning as the pages' forms and the imports. `CleanLine` is the same for one-line text (names,
titles, codes): newlines and tabs become spaces. tests/core/test_text_cleaning.py walks every
request body of the API and fails on a plain ``str`` field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from labinov.core.cleaning import clean_line, clean_text

CLEAN_TEXT = AfterValidator(clean_text)
CLEAN_LINE = AfterValidator(clean_line)

CleanStr = Annotated[str, CLEAN_TEXT]
CleanLine = Annotated[str, CLEAN_LINE]
CLEANERS = (CLEAN_TEXT, CLEAN_LINE)
