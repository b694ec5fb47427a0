"""Turning ids in a request body into objects of the URL's pemda (parsing, not validation).

An id of another pemda is treated like an unknown id: a 422 on that field, never a hint that
the object exists elsewhere.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _


def unit_ref(*, actor, pemda, unit_id: int | None, field: str):
    if unit_id is None:
        return None
    from labinov.regions.selectors import unit_get

    try:
        return unit_get(actor=actor, pemda=pemda, pk=unit_id)
    except Http404:
        raise ValidationError({field: _("There is no unit %(id)s in this pemda.") % {"id": unit_id}}) from None


def units_ref(*, pemda, unit_ids: list[int], field: str) -> list:
    from .selectors import units_by_ids

    found = units_by_ids(pemda=pemda, ids=unit_ids)
    missing = [str(i) for i in dict.fromkeys(unit_ids) if i not in found]
    if missing:
        raise ValidationError({field: _("There is no unit %(id)s in this pemda.") % {"id": ", ".join(missing)}})
    return [found[i] for i in dict.fromkeys(unit_ids)]


def program_ref(*, actor, pemda, program_id: int | None, field: str):
    if program_id is None:
        return None
    from labinov.programs.selectors import program_get

    try:
        return program_get(actor=actor, pemda=pemda, pk=program_id)
    except Http404:
        raise ValidationError({field: _("There is no program %(id)s in this pemda.") % {"id": program_id}}) from None


def people_ref(*, pemda, event, person_ids: list[int], field: str) -> dict:
    from .selectors import people_for_attendance

    found = people_for_attendance(pemda=pemda, event=event, ids=person_ids)
    missing = [str(i) for i in dict.fromkeys(person_ids) if i not in found]
    if missing:
        raise ValidationError(
            {field: _("Not on the attendance list of this event: person %(id)s.") % {"id": ", ".join(missing)}}
        )
    return found

