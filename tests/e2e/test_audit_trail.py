"""The audit trail in a real browser: readable on a desktop and on a 390 px phone, without a clipped column.

The page must not scroll sideways at phone width (each record becomes a card), and a long change
wraps inside its card. Screenshots: test-artifacts/e2e/audit_trail_*--*.png.
"""

from __future__ import annotations

import datetime

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from labinov.core.audit import audit_record
from labinov.core.roles import Role
from labinov.programs.models import Program
from labinov.regions.models import Pemda, Unit
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e]


def test_audit_trail_fits_a_phone_and_reads_in_words(page, shot, live_server, make_user):
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="wali_kota", head_name="Yuliyanto")
    unit = Unit.objects.create(pemda=pemda, name="Kelurahan Kalicacing", kind="kelurahan")
    program = Program.objects.create(pemda=pemda, name="Lab INAGARA 2019", year=2019, stage="planned",
                                     starts_on=datetime.date(2019, 3, 1))
    organiser = make_user("organiser@salatiga.test", Role.ORGANISER, pemda, full_name="Dewi Kartika")
    audit_record(actor=organiser, action="program.advance", obj=program, changes={"stage": ["planned", "drum_up"]})
    audit_record(actor=organiser, action="program.update", obj=program, changes={
        "starts_on": ["2019-03-01", "2019-04-01"], "partner": ["lan", "university"],
        "description": ["", "Laboratorium inovasi untuk seluruh kelurahan dan sekolah dasar di Kota Salatiga, " * 6],
    })
    audit_record(actor=organiser, action="unit.update", obj=unit,
                 changes={"name": ["Kel. Kalicacing", "Kelurahan Kalicacing"], "kind": ["desa", "kelurahan"]})

    page.goto("/login/")
    page.fill("#id_username", organiser.email)
    page.fill("#id_password", PASSWORD)
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto("/pemda/3373/audit/")
    rows = page.locator("#audit-records tbody tr[data-record]")
    expect(rows).to_have_count(4)  # with the grant of the organiser's role
    advance = page.locator("tr[data-action='program.advance']")
    expect(advance).to_contain_text("Program maju ke tahap berikutnya")
    expect(advance).to_contain_text("Direncanakan")
    expect(page.locator("tr[data-action='program.update']")).to_contain_text("1 April 2019")
    expect(page.locator("#audit-records code")).to_have_count(0)  # no raw codes, no dictionaries
    shot("01-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    wide, view = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert wide <= view, f"the audit page is {wide}px wide in a {view}px viewport"
    # the changes cell is as wide as its card, not clipped at the edge of the screen
    box = page.locator("tr[data-action='program.update'] td.audit-changes-cell").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= view
    shot("02-phone", phone=True)

    # a bad date gets a message in Indonesian and no records
    page.goto("/pemda/3373/audit/?date_from=31/02/2019")
    expect(page.locator("#audit-filter-errors")).to_contain_text("hh/bb/tttt")
    expect(rows).to_have_count(0)
    shot("03-bad-date")
    assert page.js_errors == []
