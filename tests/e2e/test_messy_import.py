"""A unit import as a pemda really sends it, in a real browser: a title above the header, a "No"
column, headers in capitals, abbreviated names; a close name gets a suggestion, the corrected file
is imported.

Elements are found by id or name; only the texts of the file (unit names) and the row number are asserted.
"""

from __future__ import annotations

import io

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from openpyxl import Workbook

from labinov.regions.models import Unit

from .test_organiser_flow import SUBMIT, log_in, make_salatiga

pytestmark = [pytest.mark.e2e]


def _workbook(parent: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Unit"
    ws.append(["DAFTAR UNIT KERJA PEMERINTAH KOTA SALATIGA"])
    ws.append([])
    ws.append(["No", "Nama", "Jenis", "Induk", "Negeri Swasta", "Kode", "Kode Wilayah"])
    ws.append([1, "Kecamatan Sidomukti", "Kec.", "", "", "", "33.73.02"])
    ws.append([2, "Puskesmas Kalicacing", "puskesmas", parent, "", "", ""])
    ws.append([3, "Posyandu Melati", "other", "kec sidomukti", "", "", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(page, content: bytes, name: str):
    page.goto("/pemda/3373/units/import/")
    page.set_input_files("#main input[type=file]", files=[{
        "name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": content}])
    page.click(SUBMIT)
    expect(page.locator("#import-counts")).to_be_visible()


def test_a_messy_unit_workbook_is_previewed_with_a_suggestion_then_imported(page, live_server, make_user, shot):
    pemda, units, _people, organiser = make_salatiga(make_user)
    log_in(page, live_server, organiser.email)

    _upload(page, _workbook("Kelurahan Kalicacin"), "unit-berantakan.xlsx")
    expect(page.locator("#import-header-row")).to_contain_text("3")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Kelurahan Kalicacing?")  # "Maksud Anda: Kelurahan Kalicacing?"
    expect(page.locator("#main form.form")).to_have_count(0)  # nothing can be saved
    shot("01-preview-with-suggestion")
    assert not Unit.objects.filter(pemda=pemda, name="Puskesmas Kalicacing").exists()

    _upload(page, _workbook("Kel. Kalicacing"), "unit-diperbaiki.xlsx")
    expect(page.locator("#import-errors")).to_have_count(0)
    shot("02-preview-clean")
    page.click(SUBMIT)
    expect(page).to_have_url(f"{live_server.url}/pemda/3373/units/")
    shot("03-units")
    kec = Unit.objects.get(pemda=pemda, name="Kecamatan Sidomukti")
    assert kec.kind == "kecamatan" and kec.region_code == "33.73.02"
    assert Unit.objects.get(pemda=pemda, name="Puskesmas Kalicacing").parent_id == units["kalicacing"].pk
    assert Unit.objects.get(pemda=pemda, name="Posyandu Melati").parent_id == kec.pk
    assert not page.js_errors
