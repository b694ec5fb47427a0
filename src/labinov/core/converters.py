"""URL converters. `<id:pk>` is the project's integer id: like Django's `<int:...>`, but an id a
database cannot hold (above 2**63 - 1, the largest BIGINT) does not match, so the URL answers 404
instead of reaching the database with a number it cannot compare (issue 10.6)."""

from django.urls import register_converter

#: The largest id any table can hold (PostgreSQL BIGINT, SQLite INTEGER).
MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver tries the next pattern, then answers 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    from django.urls.converters import get_converters

    if "id" not in get_converters():
        register_converter(IdConverter, "id")

