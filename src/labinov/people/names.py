"""Indonesian personal names: the given name inside a full name written with titles and degrees.

Civil servants' names are written with academic and religious titles before the name ("Dra.",
"Drs.", "H.", "Hj.", "Ir.", "Prof.", "dr.") and degrees after a comma ("S.H.", "M.Si.", "M.M.").
Neither is a name: "Dra. Eli Fatimah, M.Si" is greeted as "Eli", "Drs. H. Fakruroji, M.M." as
"Fakruroji". A note in brackets ("Jumiarto (Bagian Organisasi)") is not part of the name either.
"""

from __future__ import annotations

import re

# Titles written before a name, compared without dots and case: academic (Dr., Dra., Drs., Ir., Prof.),
# professional (dr., drg., drh., Ns., Apt.), religious (H., Hj., KH.) and courtesy (Bpk., Ibu).
TITLES = frozenset({
    "dr", "dra", "drs", "drg", "drh", "h", "hj", "hc", "ir", "prof", "ns", "apt", "kh", "ustadz", "ustadzah",
    "bpk", "bapak", "ibu", "sdr", "sdri", "tn", "ny", "nn",
})

# Degrees written after a name (normally after a comma; also caught without one).
DEGREES = frozenset({
    "sh", "se", "st", "ssi", "spd", "skom", "sip", "sos", "ssos", "sag", "sked", "skep", "sfarm", "skm", "sp", "spt",
    "sstp", "stp", "ssit", "sthi", "shi", "sei", "sds", "sikom", "sak", "sgz", "ssn", "amd", "ama", "amk",
    "mh", "msi", "mm", "mpd", "mkom", "mt", "map", "ma", "msc", "mba", "mkes", "mkm", "mag", "mpa", "me", "mec",
    "mhum", "mikom", "mak", "mtp", "mars", "mse", "mstat", "meng", "phd", "dsc", "ded", "md", "spog", "spa", "sppd",
    "cpa", "ca", "ak",
})

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# A word with its dot ("Dr.", "Fatimah"); "Dr.Ir.Siti" gives "Dr.", "Ir.", "Siti".
_TOKEN = re.compile(r"[^\s.,]+\.?")


def _key(token: str) -> str:
    return token.replace(".", "").casefold()


def is_title(token: str) -> bool:
    return _key(token) in TITLES


def is_degree(token: str) -> bool:
    return _key(token) in DEGREES


def _split_titles(word: str) -> list[str]:
    """A word like "Dr.Ir.Siti" or "Hj.Siti" split after each leading title; any other word unchanged."""
    parts = _TOKEN.findall(word)
    out: list[str] = []
    i = 0
    while i < len(parts) - 1 and parts[i].endswith(".") and is_title(parts[i]):
        out.append(parts[i])
        i += 1
    rest = "".join(parts[i:]) if out else word
    return out + ([rest] if rest else [])


def given_name(full_name: str) -> str:
    """The first name a person is greeted by, without titles, degrees or notes in brackets.

    Returns "" when nothing but titles and degrees is left (the caller then falls back).
    """
    text = _BRACKETS.sub(" ", full_name or "")
    text = text.split(",", 1)[0].split("(", 1)[0].split("[", 1)[0]  # degrees follow the first comma; an unclosed note
    text = text.replace(")", " ").replace("]", " ")
    words = [piece for word in text.split() for piece in _split_titles(word)]
    words = [w for w in words if w.strip(".")]
    while words and is_title(words[0]):
        words.pop(0)
    while words and is_degree(words[-1]) and len(words) > 1:
        words.pop()
    if not words or (len(words) == 1 and is_degree(words[0]) and "." in words[0]):
        return ""
    first = words[0]
    # An initial or a shortened name ("A. Rahman", "Moh. Hatta") is greeted with the word after it.
    if first.endswith(".") and len(words) > 1:
        return f"{first} {words[1]}"
    return first
