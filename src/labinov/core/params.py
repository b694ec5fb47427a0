"""Integers from query strings and forms, read one way everywhere (issue 10.6).

`int("١٢")` accepts Arabic-Indic digits, `"1.026".isdigit()` is False, and a 20-digit id passes
`isdigit()` and then fails inside the database (SQLite: OverflowError, a 500). These helpers take
ASCII digits only and numbers a database can hold; anything else is "absent".
"""

from __future__ import annotations

from .converters import MAX_ID


def to_int(value, *, min_value: int = 1, max_value: int = MAX_ID) -> int | None:
    """`value` as an int when it is ASCII digits within [min_value, max_value], else None."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if min_value <= number <= max_value else None


def int_param(query, name: str, default: int | None = None, *, min_value: int = 1) -> int | None:
    """One integer of a QueryDict (request.GET / request.POST): `default` when absent or invalid."""
    number = to_int(query.get(name), min_value=min_value)
    return default if number is None else number


def id_list(values) -> list[int]:
    """The valid ids among `values` (e.g. request.POST.getlist("ids")), in order, without repeats."""
    seen: dict[int, None] = {}
    for value in values:
        number = to_int(value)
        if number is not None:
            seen.setdefault(number, None)
    return list(seen)
