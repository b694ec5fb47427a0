"""Matching a unit name as people write it ("Kel. Noborejo", "SDN 1", "pusk sidorejo lor") to the
pemda's units, for every import.

`unit_key` reduces a name to a comparable form: case, punctuation and spacing ignored, the usual
abbreviations written out (`ABBREVIATIONS`, a table: add a line to accept a new one), leading
zeros of numbers dropped ("01" = "1"). Two names with the same key are the same unit.

`UnitNames` answers a lookup with the unit when the key matches exactly (or the name is the unit's
code), and otherwise with a suggestion when one unit is close but not certain ("Did you mean
“Kelurahan Noborejo”?"): the importer refuses the cell and shows the suggestion, it never guesses.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable

from labinov.core.cleaning import clean_line

# Written form (one or more words, without dots, lower case) → full form. Longest first wins.
ABBREVIATIONS: dict[str, str] = {
    # territorial units
    "kel": "kelurahan",
    "kelur": "kelurahan",
    "kec": "kecamatan",
    "kab": "kabupaten",
    "ds": "desa",
    # schools (negeri)
    "sdn": "sd negeri",
    "sd n": "sd negeri",
    "smpn": "smp negeri",
    "smp n": "smp negeri",
    "sman": "sma negeri",
    "sma n": "sma negeri",
    "smkn": "smk negeri",
    "smk n": "smk negeri",
    "min": "madrasah ibtidaiyah negeri",
    "mtsn": "madrasah tsanawiyah negeri",
    "man": "madrasah aliyah negeri",
    # health
    "pusk": "puskesmas",
    "pkm": "puskesmas",
    "rsud": "rumah sakit umum daerah",
    "rsu": "rumah sakit umum",
    # agencies
    "din": "dinas",
    "bag": "bagian",
    "sekre": "sekretariat",
    "setda": "sekretariat daerah",
    "setwan": "sekretariat dewan perwakilan rakyat daerah",
    "dprd": "dewan perwakilan rakyat daerah",
    "bappeda": "badan perencanaan pembangunan daerah",
    "bkpsdm": "badan kepegawaian dan pengembangan sumber daya manusia",
    "bpbd": "badan penanggulangan bencana daerah",
    "bpkad": "badan pengelolaan keuangan dan aset daerah",
    "bapenda": "badan pendapatan daerah",
    "disdukcapil": "dinas kependudukan dan pencatatan sipil",
    "dukcapil": "dinas kependudukan dan pencatatan sipil",
    "dinkes": "dinas kesehatan",
    "disdik": "dinas pendidikan",
    "dispendik": "dinas pendidikan",
    "dinsos": "dinas sosial",
    "dishub": "dinas perhubungan",
    "diskominfo": "dinas komunikasi dan informatika",
    "dpmptsp": "dinas penanaman modal dan pelayanan terpadu satu pintu",
    "ptsp": "pelayanan terpadu satu pintu",
    "sdm": "sumber daya manusia",
    "dlh": "dinas lingkungan hidup",
    "dpupr": "dinas pekerjaan umum dan penataan ruang",
    "satpol pp": "satuan polisi pamong praja",
    "upt": "unit pelaksana teknis",
    "&": "dan",
}
# Words that a name may carry or leave out without naming another unit ("UPT Puskesmas X" = "Puskesmas X").
OPTIONAL_PREFIXES = ("unit pelaksana teknis ",)

_SPLIT = re.compile(r"[^\w&]+")
_NUMBER = re.compile(r"^0+(\d)")
_TABLE = sorted(((tuple(k.split()), tuple(v.split())) for k, v in ABBREVIATIONS.items()), key=lambda kv: -len(kv[0]))
SUGGEST_CUTOFF = 0.8


def unit_key(name: str) -> str:
    """The comparable form of a unit name (see the module)."""
    words = [w for w in _SPLIT.split(clean_line(name or "").casefold()) if w]
    words = [_NUMBER.sub(r"\1", w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        for short, full in _TABLE:
            if tuple(words[i:i + len(short)]) == short:
                out.extend(full)
                i += len(short)
                break
        else:
            out.append(words[i])
            i += 1
    key = " ".join(out)
    for prefix in OPTIONAL_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
    return key


@dataclass
class Match:
    pk: int | None = None
    suggestion: str = ""  # the name of a close unit, when there is no certain match


class UnitNames:
    """The units (pk, name, code) a column may name; `find` matches a written name or code."""

    def __init__(self, units: Iterable[tuple[int, str, str]]):
        self.names: dict[str, str] = {}
        self.exact: dict[str, int] = {}
        self.by_key: dict[str, int | None] = {}
        self.by_code: dict[str, int] = {}
        for pk, name, code in units:
            self.exact[" ".join(name.split()).casefold()] = pk
            key = unit_key(name)
            # two units with one key (rare): neither is taken for certain
            self.by_key[key] = None if key in self.by_key and self.by_key[key] != pk else pk
            self.names.setdefault(key, name)
            if code:
                self.by_code[" ".join(code.split()).casefold()] = pk
        self._keys = list(self.names)
        self._words = {key: set(key.split()) for key in self._keys}

    def find(self, written: str) -> Match:
        text = " ".join(clean_line(written or "").split())
        if not text:
            return Match()
        code = self.by_code.get(text.casefold())
        if code is not None:
            return Match(pk=code)
        if text.casefold() in self.exact:
            return Match(pk=self.exact[text.casefold()])
        key = unit_key(text)
        if self.by_key.get(key) is not None:
            return Match(pk=self.by_key[key])
        return Match(suggestion=self.suggest(key))

    def suggest(self, key: str) -> str:
        """The name of the one unit that is close to `key`; "" when none is, or several are equally."""
        if not key:
            return ""
        if key in self.names:  # two units share the key: name one of them, the user chooses
            return self.names[key]
        words = set(key.split())
        containing = [k for k in self._keys if words <= self._words[k]]
        if len(containing) == 1:
            return self.names[containing[0]]
        pool = containing or self._keys
        close = difflib.get_close_matches(key, pool, n=2, cutoff=SUGGEST_CUTOFF if not containing else 0.0)
        if not close:
            return ""
        if len(close) == 2 and difflib.SequenceMatcher(None, key, close[0]).ratio() == difflib.SequenceMatcher(None, key, close[1]).ratio():
            return ""
        return self.names[close[0]]
