"""Open data: the public catalogue as CSV and JSON downloads, with the same filters and search as the page.

Streamed row by row (one query, read in chunks), public fields only (the same as the public page), every
CSV cell neutralised against formula injection (core.xlsx.safe). Column names are stable identifiers, not
translated, so that harvesters and scripts can rely on them; codes (urusan, form, stage, unit type) are
given as stored, with the names of the pemda, province and unit beside them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from labinov.core.xlsx import BOM, safe

from . import selectors
from .services import PUBLIC_PROFILE_FIELDS

COLUMNS = ("id", "url", "name", "pemda", "region_code", "province_code", "province", "unit", "unit_kind", "urusan", "form",
           "stage", "digital", "year", "published_at", "description", *PUBLIC_PROFILE_FIELDS)
CHUNK = 1000


def records(queryset, *, url_for) -> Iterator[dict]:
    """One dict per innovation of the queryset (pemda, unit and profile selected with it)."""
    for innovation in selectors.with_year(queryset).iterator(chunk_size=CHUNK):
        profile = getattr(innovation, "profile", None) if _has_profile(innovation) else None
        code = innovation.pemda.region_code
        record = {
            "id": innovation.pk, "url": url_for(innovation), "name": innovation.name, "pemda": innovation.pemda.name,
            "region_code": code, "province_code": code[:2], "province": selectors._province_name(code[:2]),
            "unit": innovation.unit.name, "unit_kind": innovation.unit.kind,
            "urusan": (profile.urusan_primary if profile else "") or ((innovation.urusan or [""])[0]), "form": innovation.form,
            "stage": profile.iid_stage if profile else "", "digital": innovation.is_digital, "year": innovation.year,
            "published_at": innovation.published_at.date().isoformat(), "description": innovation.description,
        }
        for name in PUBLIC_PROFILE_FIELDS:
            record[name] = (getattr(profile, name) or "") if profile else ""
        yield record


def _has_profile(innovation) -> bool:
    from labinov.innovations.models import InnovationProfile

    try:
        innovation.profile  # noqa: B018
    except InnovationProfile.DoesNotExist:
        return False
    return True


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset, *, url_for) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(COLUMNS)  # the BOM: spreadsheets open the file as UTF-8
    for record in records(queryset, url_for=url_for):
        row = [("ya" if record[c] else "tidak") if c == "digital" else record[c] for c in COLUMNS]
        yield writer.writerow([safe(v) if isinstance(v, str) else v for v in row])


def json_stream(queryset, *, url_for, meta: dict) -> Iterator[str]:
    yield '{"meta": ' + json.dumps(meta, ensure_ascii=False) + ', "items": ['
    first = True
    for record in records(queryset, url_for=url_for):
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]}\n"
