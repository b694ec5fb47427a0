"""Every operation of the API, for tests that must cover them all (e.g. the permission matrix)."""

from __future__ import annotations

_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


def all_operations() -> list[tuple[str, str]]:
    """(METHOD, path template) of every operation in the OpenAPI schema, e.g.
    ("POST", "/api/v1/pemda/{code}/units"), sorted by path then method."""
    from .api import api

    schema = api.get_openapi_schema()
    return sorted(
        ((method.upper(), path) for path, item in schema["paths"].items() for method in item if method in _METHODS),
        key=lambda op: (op[1], op[0]),
    )
