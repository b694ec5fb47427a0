"""NIP (Nomor Induk Pegawai) of a civil servant: 18 digits.

    YYYYMMDD  birth date
    YYYYMM    TMT CPNS (start of service), at least 18 years after birth
    G         gender: 1 male, 2 female
    NNN       sequence, 001–999

Example: 198010242006041009 = born 24 Oct 1980, CPNS April 2006, male, number 9.
PPPK and non-ASN participants have no NIP, so the field is optional where it is used.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_NIP = re.compile(r"^[0-9]{18}$")


@dataclass(frozen=True)
class Nip:
    birth_date: datetime.date
    tmt_year: int
    tmt_month: int
    gender: str  # "male" | "female"
    sequence: int


def normalize_nip(value: str) -> str:
    """Removes the spaces and dots people type ("19801024 200604 1 009")."""
    return re.sub(r"[\s.\-]", "", value or "")


def parse_nip(value: str) -> Nip:
    nip = normalize_nip(value)
    if not re.fullmatch(r"[0-9]*", nip):
        raise ValidationError(_("A NIP contains only the digits 0–9."), code="nip_digits")
    if not _NIP.match(nip):
        raise ValidationError(_("A NIP has exactly 18 digits."), code="nip_length")
    try:
        birth = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("The first 8 digits of a NIP are a birth date (YYYYMMDD); %(value)s is not a valid date.")
            % {"value": nip[0:8]},
            code="nip_birth",
        ) from None
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        raise ValidationError(
            _("Digits 13–14 of a NIP are the TMT month (01–12); %(value)s is not a month.") % {"value": nip[12:14]},
            code="nip_tmt_month",
        )
    if (tmt_year, tmt_month) < (birth.year + 18, birth.month):
        raise ValidationError(
            _("The TMT in a NIP (%(tmt)s) must be at least 18 years after the birth date.")
            % {"tmt": f"{tmt_month:02d}/{tmt_year}"},
            code="nip_tmt_age",
        )
    if tmt_year > timezone.localdate().year + 1:
        raise ValidationError(_("The TMT year in a NIP (%(year)s) lies in the future.") % {"year": tmt_year}, code="nip_tmt_future")
    if nip[14] not in "12":
        raise ValidationError(
            _("Digit 15 of a NIP is the gender (1 or 2); it is %(value)s.") % {"value": nip[14]}, code="nip_gender"
        )
    seq = int(nip[15:18])
    if seq == 0:
        raise ValidationError(_("The last 3 digits of a NIP (the sequence) cannot be 000."), code="nip_sequence")
    return Nip(birth, tmt_year, tmt_month, "male" if nip[14] == "1" else "female", seq)


def validate_nip(value: str) -> None:
    if value:
        parse_nip(value)
