"""Errors as JSON, in the language of the request (LocaleMiddleware has already activated it).

    401 {"detail": "..."}                                  not signed in / bad token
    403 {"detail": "..."}                                  PermissionDenied, CSRF failure
    404 {"detail": "..."}                                  Http404 (also: another pemda's objects)
    422 {"detail": [{"field": ..., "message": ..., "code": ...}]}
        from the services' django ValidationError (field null for errors of the whole request)
        and from input parsing (wrong types, missing fields, limit above 200). Parsing errors
        are pydantic's; `_parse_message` says each kind in the user's language, naming the field.
    400 {"detail": "..."}                                  a body that is not a JSON object in UTF-8

Every operation declares these answers in the OpenAPI document (`declare_error_responses`).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

#: service (model) field name → the name of the same input in the API, which takes ids.
FIELD_ALIASES = {
    "parent": "parent_id",
    "unit": "unit_id",
    "units": "unit_ids",
    "program": "program_id",
    "organiser_unit": "organiser_unit_id",
    "person": "person_id",
    "milestone": "milestone_order",
}


def _api_field(field: str | None) -> str | None:
    if not field or field == NON_FIELD_ERRORS:
        return None
    return FIELD_ALIASES.get(field, field)


def _message(e: DjangoValidationError) -> str:
    message = e.message
    if e.params:
        message = message % e.params
    return str(message)


def validation_details(error: DjangoValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"field": _api_field(field), "message": _message(e), "code": e.code}
            for field, errors in error.error_dict.items()
            for e in errors
        ]
    return [{"field": None, "message": _message(e), "code": e.code} for e in error.error_list]


def _limit(ctx: dict, *keys) -> str:
    for key in keys:
        if key in ctx:
            return str(ctx[key])
    return ""


def _parse_message(kind: str | None, field: str | None, ctx: dict, fallback: str) -> str:
    """Pydantic's English message for one input error, in the user's language, naming the field."""
    name = field or _("the request body")
    params = {"field": name}
    if kind == "missing":
        return _("%(field)s is required.") % params
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return _("%(field)s must be a whole number.") % params
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"):
        return _("%(field)s must be a number.") % params
    if kind in ("greater_than_equal", "greater_than"):
        return _("%(field)s must be at least %(limit)s.") % {**params, "limit": _limit(ctx, "ge", "gt")}
    if kind in ("less_than_equal", "less_than"):
        return _("%(field)s must be at most %(limit)s.") % {**params, "limit": _limit(ctx, "le", "lt")}
    if kind == "string_too_long":
        return _("%(field)s must be at most %(limit)s characters long.") % {**params, "limit": _limit(ctx, "max_length")}
    if kind == "string_too_short":
        return _("%(field)s must be at least %(limit)s characters long.") % {**params, "limit": _limit(ctx, "min_length")}
    if kind in ("string_type", "string_unicode"):
        return _("%(field)s must be text.") % params
    if kind in ("bool_parsing", "bool_type"):
        return _("%(field)s must be true or false.") % params
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return _("%(field)s must be a date written YYYY-MM-DD.") % params
    if kind in ("datetime_parsing", "datetime_type", "datetime_from_date_parsing"):
        return _("%(field)s must be a date and time in ISO 8601.") % params
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("%(field)s must be a list.") % params
    if kind == "too_short":
        return _("%(field)s must have at least %(limit)s items.") % {**params, "limit": _limit(ctx, "min_length")}
    if kind == "too_long":
        return _("%(field)s must have at most %(limit)s items.") % {**params, "limit": _limit(ctx, "max_length")}
    if kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type"):
        return _("%(field)s must be an object.") % params
    if kind in ("enum", "literal_error"):
        return _("%(field)s must be one of: %(choices)s.") % {**params, "choices": _limit(ctx, "expected")}
    if kind in ("url_parsing", "url_type", "url_scheme", "url_syntax_violation"):
        return _("%(field)s must be a web address (http or https).") % params
    if kind == "extra_forbidden":
        return _("%(field)s is not a field of this request.") % params
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "value_error":  # our own validators: their message is already the one to show
        return fallback.removeprefix("Value error, ")
    return _("%(field)s is not valid.") % params


def _parse_details(error: NinjaValidationError) -> list[dict]:
    out = []
    for e in error.errors:
        loc = list(e.get("loc") or [])
        source = loc.pop(0) if loc else None
        if source == "body" and loc:
            loc.pop(0)  # the name of the body parameter of the view function
        field = ".".join(str(p) for p in loc) or None
        out.append({
            "field": field,
            "message": _parse_message(e.get("type"), field, e.get("ctx") or {}, str(e.get("msg", ""))),
            "code": e.get("type"),
        })
    return out


class NotAJsonObject(ValueError):
    pass


class JsonObjectParser(Parser):
    """Every request body of the API is one JSON object in UTF-8: `[null, null]`, a bare number or
    bytes that are not UTF-8 are answered 400, not taken as an empty change."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAJsonObject
        return data


def _bad_body_message(exc: HttpError) -> str:
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        return _("The request body is not UTF-8 text.")
    if isinstance(cause, NotAJsonObject):
        return _("The request body must be a JSON object.")
    return _("The request body is not valid JSON.")


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str | None
    message: str
    code: str | None


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


ERROR_RESPONSES = {
    400: (ErrorOut, "The body is not a JSON object in UTF-8"),
    401: (ErrorOut, "Not signed in, or a bad token"),
    403: (ErrorOut, "Signed in, but not allowed to do this"),
    404: (ErrorOut, "Not found (also: another pemda's objects, and ids out of range)"),
    422: (ValidationErrorOut, "The input is not valid: one message per field, in the language of Accept-Language"),
}


def declare_error_responses(schema: dict) -> dict:
    """Adds the error answers every operation can give to each operation of an OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, FieldErrorOut, ValidationErrorOut):
        json_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in json_schema.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components.setdefault(model.__name__, json_schema)
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, (model, description) in ERROR_RESPONSES.items():
                if status == 400 and method not in ("post", "put", "patch"):
                    continue
                operation["responses"].setdefault(status, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
                })
    return schema


def install(api) -> None:
    @api.exception_handler(DjangoValidationError)
    def service_validation_error(request, exc):
        return api.create_response(request, {"detail": validation_details(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def input_validation_error(request, exc):
        return api.create_response(request, {"detail": _parse_details(exc)}, status=422)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400 and exc.__cause__ is not None and str(exc).startswith("Cannot parse request body"):
            return api.create_response(request, {"detail": _bad_body_message(exc)}, status=400)
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(request, {"detail": _("You do not have permission to do this.")}, status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = api.create_response(
            request, {"detail": _("Sign in, or send the header Authorization: Bearer <token>.")}, status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="labinov"'
        return response
