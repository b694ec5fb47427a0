"""Errors as JSON, in the language of the request (LocaleMiddleware has already activated it).

    401 {"detail": "..."}                                  not signed in / bad token
    403 {"detail": "..."}                                  PermissionDenied, CSRF failure
    404 {"detail": "..."}                                  Http404 (also: another pemda's objects)
    422 {"detail": [{"field": ..., "message": ..., "code": ...}]}
        from the services' django ValidationError (field null for errors of the whole request)
        and from input parsing (wrong types, missing fields, limit above 200).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

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


def _parse_details(error: NinjaValidationError) -> list[dict]:
    out = []
    for e in error.errors:
        loc = list(e.get("loc") or [])
        source = loc.pop(0) if loc else None
        if source == "body" and loc:
            loc.pop(0)  # the name of the body parameter of the view function
        out.append({
            "field": ".".join(str(p) for p in loc) or None,
            "message": str(e.get("msg", "")),
            "code": e.get("type"),
        })
    return out


def install(api) -> None:
    @api.exception_handler(DjangoValidationError)
    def service_validation_error(request, exc):
        return api.create_response(request, {"detail": validation_details(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def input_validation_error(request, exc):
        return api.create_response(request, {"detail": _parse_details(exc)}, status=422)

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
