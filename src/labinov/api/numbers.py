"""Integer types of the API's input (request bodies, query and path parameters).

A database holds integers up to 2**63 - 1; a larger id used to reach the database and answer 500.
JSON `true`/`false` used to pass as 1/0 (`"online_viewers": false`). So every integer a client
sends is one of these types: bounded (422 "must be at most ..." otherwise) and never a boolean.
tests/api/test_api_input_numbers.py walks the OpenAPI document and fails on an integer input
without a maximum.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

#: The largest integer a database column holds (PostgreSQL BIGINT, SQLite INTEGER).
MAX_INT = 2**63 - 1


def _not_a_boolean(value):
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# Goes after the bounds in Annotated[...]: bounds placed after a validator miss the OpenAPI document.
NOT_BOOL = BeforeValidator(_not_a_boolean)

#: An object's id: 1 … 2**63 - 1.
Id = Annotated[int, Field(ge=1, le=MAX_INT), NOT_BOOL]
#: A count, an amount, a year: 0 … 2**63 - 1.
Count = Annotated[int, Field(ge=0, le=MAX_INT), NOT_BOOL]


def IntRange(ge: int, le: int):  # noqa: N802 - used like a type
    """An integer from `ge` to `le`. Use it instead of `Count = Field(ge=…, le=…)`: pydantic lets the
    type's own bounds override the field's, so those would be lost."""
    return Annotated[int, Field(ge=ge, le=le), NOT_BOOL]
