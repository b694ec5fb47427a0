"""Advancing a stage in the browser: the program page leads to a confirmation page that lists what
the current stage leaves incomplete and asks for an explicit tick; without it nothing moves."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from labinov.ideas.models import Idea
from labinov.programs.models import Participation, Program, StageTransition
from tests.e2e.test_organiser_flow import SLUG, log_in, make_salatiga, url

pytestmark = [pytest.mark.e2e]


def test_advance_shows_what_is_incomplete_and_asks(page, shot, live_server, make_user):
    pemda, units, people, organiser = make_salatiga(make_user)
    program = Program.objects.create(pemda=pemda, name="Lab Inovasi Salatiga 2026", year=2026, stage="diagnose")
    for key in ("kalicacing", "kutowinangun", "sd01"):
        Participation.objects.create(program=program, unit=units[key])
    Idea.objects.create(pemda=pemda, program=program, unit=units["kalicacing"], title="Surat pengantar daring",
                        problem="Antre lama", proposed_change="Layanan daring", status="submitted")
    log_in(page, live_server, organiser.email)

    page.goto(f"/pemda/{SLUG}/programs/{program.pk}/")
    page.click("#advance-link")
    expect(page).to_have_url(url(live_server, f"/pemda/{SLUG}/programs/{program.pk}/advance/"))
    expect(page.locator("#advance-incomplete li")).to_have_count(1)
    expect(page.locator("#advance-incomplete li").first).to_have_text("2 dari 3 unit peserta belum mengajukan ide.")
    shot("01-confirm-page")

    # Without the tick: an error, and the program stays in Diagnose.
    page.click("#advance-confirm-form button[type=submit]")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#advance-incomplete li")).to_have_count(1)
    program.refresh_from_db()
    assert program.stage == "diagnose" and not StageTransition.objects.exists()
    shot("02-not-ticked")

    # Cancel goes back without moving.
    page.click("#advance-confirm-form a.button.secondary")
    expect(page).to_have_url(url(live_server, f"/pemda/{SLUG}/programs/{program.pk}/"))
    program.refresh_from_db()
    assert program.stage == "diagnose"

    # With the tick: the program moves to Design.
    page.click("#advance-link")
    page.fill("#advance-confirm-form input[name=note]", "Dua unit menyusul saat klinik Design.")
    page.check("#advance-confirm-form input[name=confirm]")
    page.click("#advance-confirm-form button[type=submit]")
    expect(page).to_have_url(url(live_server, f"/pemda/{SLUG}/programs/{program.pk}/"))
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    program.refresh_from_db()
    assert program.stage == "design"
    assert StageTransition.objects.get(program=program).note == "Dua unit menyusul saat klinik Design."
    assert page.js_errors == []
    shot("03-moved")
