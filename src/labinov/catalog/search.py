"""The catalogue's full-text search: what people type turned into one query for SQLite FTS5 or PostgreSQL.

The query goes through the same `textsim.normalize` as the stored text (Sastrawi stems, loan words such as
online -> daring), so "perizinan" finds "izin". On top of it, a short table of the variants people type
(spellings and abbreviations): a query word or phrase of a group matches any member of its group, e.g.
"antrian" also finds "antrean" and "KTP" also finds "kartu tanda penduduk" (and the other way round).

A parsed query is a list of *terms*; each term is a set of *alternatives*; each alternative is a phrase of
stems. All terms must match (AND); when that finds nothing, the selector retries with any term (OR),
ranked, and the page says so.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from labinov.core import textsim

# Each group: the ways people write one thing. Keep it short; words are normalised like the stored text.
VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("online", "daring"),
    ("offline", "luring"),
    ("antrian", "antrean"),
    ("obyek", "objek"),
    ("ktp", "e-ktp", "kartu tanda penduduk"),
    ("kk", "kartu keluarga"),
    ("adminduk", "administrasi kependudukan"),
    ("nib", "nomor induk berusaha"),
    ("umkm", "usaha mikro kecil dan menengah", "usaha mikro kecil menengah"),
    ("pad", "pendapatan asli daerah"),
    ("dbd", "demam berdarah dengue", "demam berdarah"),
)

#: the longest query we parse (words), so a pasted page cannot make a huge query
MAX_TERMS = 12
_SAFE = re.compile(r"[^a-z0-9]")


@functools.cache
def _variant_index() -> tuple[dict[tuple[str, ...], int], list[tuple[tuple[str, ...], ...]], int]:
    """(phrase of stems -> group number, groups as phrases of stems, longest phrase)."""
    index: dict[tuple[str, ...], int] = {}
    groups: list[tuple[tuple[str, ...], ...]] = []
    for number, group in enumerate(VARIANT_GROUPS):
        phrases = []
        for variant in group:
            stems = tuple(_clean(s) for s in textsim.normalize(variant).split() if _clean(s))
            if stems and stems not in phrases:
                phrases.append(stems)
                index.setdefault(stems, number)
        groups.append(tuple(phrases))
    return index, groups, max(len(p) for g in groups for p in g)


def _clean(stem: str) -> str:
    return _SAFE.sub("", stem)


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[tuple[tuple[str, ...], ...], ...]  # terms -> alternatives -> stems

    def __bool__(self):
        return bool(self.terms)

    @property
    def stems(self) -> frozenset[str]:
        """Every stem of every alternative: what the highlighting marks."""
        return frozenset(s for term in self.terms for alternative in term for s in alternative)

    def fts5(self, *, any_term: bool = False) -> str:
        """The SQLite FTS5 MATCH expression: phrases in double quotes (stems are [a-z0-9] only)."""
        parts = ["(" + " OR ".join('"' + " ".join(a) + '"' for a in term) + ")" for term in self.terms]
        return (" OR " if any_term else " AND ").join(parts)

    def tsquery(self, *, any_term: bool = False) -> str:
        """The PostgreSQL to_tsquery('simple', ...) expression: phrases with <->."""
        parts = ["(" + " | ".join(" <-> ".join(a) for a in term) + ")" for term in self.terms]
        return (" | " if any_term else " & ").join(parts)


def parse(query: str) -> ParsedQuery:
    index, groups, longest = _variant_index()
    stems = [c for c in (_clean(s) for s in textsim.normalize((query or "")[:500]).split()) if c]
    terms: list[tuple[tuple[str, ...], ...]] = []
    i = 0
    while i < len(stems) and len(terms) < MAX_TERMS:
        for size in range(min(longest, len(stems) - i), 0, -1):
            group = index.get(tuple(stems[i:i + size]))
            if group is not None:
                terms.append(groups[group])
                i += size
                break
        else:
            terms.append(((stems[i],),))
            i += 1
    unique = tuple(dict.fromkeys(terms))  # "izin perizinan" is one term
    return ParsedQuery(terms=unique)


_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def highlight(text: str, stems: frozenset[str] | set[str]) -> SafeString:
    """The text, HTML-escaped, with each word whose stem is searched for inside <mark>."""
    text = text or ""
    if not stems:
        return escape(text)
    out, last = [], 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        if set(textsim.normalize(word).split()) & stems:
            out.append(escape(text[last:match.start()]))
            out.append(f"<mark>{escape(word)}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped
