"""The shared reading of imported workbooks (core/xlsx.py) and unit names (regions/unit_names.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from labinov.core import xlsx
from labinov.regions.unit_names import UnitNames, unit_key

COLUMNS = ("unit", "judul", "akar_masalah")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("text", ["ya", "Iya", "Y", "yes", "Benar", "1", "✓", " YA. "])
def test_yes(text):
    assert xlsx.yes_no(text) is True


@pytest.mark.parametrize("text", ["tidak", "Tdk", "t", "no", "N", "0", "-", "kosong", "", "  "])
def test_no(text):
    assert xlsx.yes_no(text) is False


@pytest.mark.parametrize("text", ["mungkin", "ya tidak", "2"])
def test_neither(text):
    assert xlsx.yes_no(text) is None


def test_dates_are_dates_and_read_without_midnight():
    assert xlsx.cell_text(datetime.datetime(2026, 3, 14)) == "2026-03-14"
    assert xlsx.cell_text(datetime.datetime(2026, 3, 14, 8, 30)) == "2026-03-14 08:30"
    assert xlsx.cell_date(datetime.datetime(2026, 3, 14)) == datetime.date(2026, 3, 14)
    assert [xlsx.cell_date(t) for t in ("14/03/2026", "2026-03-14", "14-03-2026", None)] == [
        datetime.date(2026, 3, 14)] * 3 + [None]
    with pytest.raises(ValueError):
        xlsx.cell_date("besok")


def test_a_nip_or_long_code_typed_as_a_number_is_refused():
    as_excel_keeps_it = float(198010242006042009)  # what openpyxl reads: 1.98010242006042e+17
    assert "Format the column as Text" in xlsx.number_as_code_problem(as_excel_keeps_it, nip=True)
    assert "NIP" in xlsx.number_as_code_problem(12345, nip=True)
    assert xlsx.number_as_code_problem("198010242006042009", nip=True) is None  # typed as text: fine
    assert "15 digits" in xlsx.number_as_code_problem(as_excel_keeps_it)
    assert xlsx.number_as_code_problem(20328002) is None  # an 8-digit NPSN survives
    assert "(33.7)" in xlsx.number_as_code_problem(33.7)
    assert xlsx.number_as_code_problem(3373, strict=True) is not None


def test_header_found_under_a_title_whatever_its_spelling():
    rows = [("Daftar ide",), (), ("No", "UNIT", " Judul ", "Akar Masalah"), (1, "Kel. A", "Ide", "x"), (2, "Kel. B")]
    header = xlsx.locate_header(iter(rows), COLUMNS, "Ide")
    assert header.row == 3
    assert header.positions == {"unit": 1, "judul": 2, "akar_masalah": 3}
    assert list(header) == [(4, (1, "Kel. A", "Ide", "x")), (5, (2, "Kel. B"))]


def test_header_problems_name_the_row():
    rows = [("Daftar ide",), ("unit", "judul", "catatan")]
    with pytest.raises(ValidationError) as e:
        xlsx.locate_header(iter(rows), COLUMNS, "Ide")
    message = " ".join(e.value.messages)
    assert "The header row (row 2) is wrong." in message
    assert "Missing columns: akar_masalah." in message and "Unexpected columns: catatan." in message
    with pytest.raises(ValidationError, match="No header row found in the first 10 rows"):
        xlsx.locate_header(iter([("a", "b")] * 20), COLUMNS, "Ide")
    with pytest.raises(ValidationError, match="is empty"):
        xlsx.locate_header(iter([]), COLUMNS, "Ide")


def test_unit_names_as_written():
    assert unit_key("Kel. Noborejo") == unit_key("KELURAHAN  NOBOREJO") == "kelurahan noborejo"
    assert unit_key("Kec. Sidorejo") == "kecamatan sidorejo"
    assert unit_key("SDN Salatiga 1") == unit_key("SD N Salatiga 01") == unit_key("SD Negeri Salatiga 01")
    assert unit_key("SMPN 2 Salatiga") == unit_key("SMP Negeri 2 Salatiga")
    assert unit_key("Pusk. Sidorejo Lor") == unit_key("UPT Puskesmas Sidorejo Lor") == "puskesmas sidorejo lor"
    assert unit_key("Disdukcapil") == unit_key("Dinas Kependudukan dan Pencatatan Sipil")
    names = UnitNames([(1, "Kelurahan Noborejo", ""), (2, "Kecamatan Sidorejo", "KEC-01"), (3, "SD Negeri Salatiga 01", ""),
                       (4, "SD Negeri Salatiga 10", ""), (5, "Kelurahan Noborejo Lor", "")])
    assert names.find("Kel. Noborejo").pk == 1 and names.find("kec-01").pk == 2 and names.find("SDN Salatiga 1").pk == 3
    assert (names.find("Kelurahan Noborjo").pk, names.find("Kelurahan Noborjo").suggestion) == (None, "Kelurahan Noborejo")
    assert names.find("SDN 1").suggestion == "SD Negeri Salatiga 01"  # the one unit holding all its words
    assert names.find("Dinas Pariwisata").suggestion == ""  # nothing close: no suggestion
    assert names.find("").pk is None
