"""A stale link after a stage closed: the organiser left the units page open, the program was closed
meanwhile; reloading shows the Indonesian error page inside the layout, saying why, with a way back."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from labinov.programs.models import Program
from tests.e2e.test_organiser_flow import SLUG, log_in, make_salatiga, url

pytestmark = [pytest.mark.e2e]


def test_stale_link_after_the_stage_closed_shows_the_error_page(page, shot, live_server, make_user):
    pemda, units, people, organiser = make_salatiga(make_user)
    program = Program.objects.create(pemda=pemda, name="Lab Inovasi Salatiga 2025", year=2025, stage="drum_up")
    log_in(page, live_server, organiser.email)

    units_url = f"/pemda/{SLUG}/programs/{program.pk}/units/"
    page.goto(units_url)
    expect(page.locator("input[name=units-units]").first).to_be_visible()

    Program.objects.filter(pk=program.pk).update(stage="closed")  # someone closed the program meanwhile
    response = page.goto(units_url)
    assert response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("header.topbar")).to_be_visible()  # inside the site's layout
    expect(page.locator("#error-page h1")).to_have_text("Anda tidak dapat membuka halaman ini")
    expect(page.locator("#error-reason")).to_contain_text("kini berada di tahap Selesai")
    assert "Forbidden" not in page.content()
    shot("01-stale-link-403")

    # The way back: the program page (and the pemda, and home).
    back = page.locator(f"#error-links a[href='/pemda/{SLUG}/programs/{program.pk}/']")
    expect(back).to_have_count(1)
    expect(page.locator(f"#error-links a[href='/pemda/{SLUG}/']")).to_have_count(1)
    back.click()
    expect(page).to_have_url(url(live_server, f"/pemda/{SLUG}/programs/{program.pk}/"))
    expect(page.locator("h1")).to_have_text("Lab Inovasi Salatiga 2025")
    assert page.js_errors == []

    # A page that does not exist: the Indonesian 404 inside the layout.
    response = page.goto(f"/pemda/{SLUG}/programs/999999/")
    assert response.status == 404
    expect(page.locator("#error-page h1")).to_have_text("Halaman tidak ditemukan")
    expect(page.locator("header.topbar")).to_be_visible()
    shot("02-not-found-404")
