"""At phone width (390 px) no page scrolls sideways (issue 9 walkthrough): the header's account links
wrap under a long name, and the printable attendance sheet scrolls inside its own box on screen."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from labinov.core.roles import Role
from labinov.programs.models import Event, Participation, Program
from tests.e2e.conftest import PHONE
from tests.e2e.test_organiser_flow import SLUG, log_in, make_salatiga

pytestmark = [pytest.mark.e2e]

WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def test_header_and_attendance_sheet_fit_a_phone(page, shot, live_server, make_user):
    pemda, units, _people, _organiser = make_salatiga(make_user)
    # A real organiser's name as the demo shows it: long enough to push the account links off a phone.
    make_user("bappeda@salatiga.test", Role.ORGANISER, pemda, full_name="Jumiarto Adiprasetyo (Bagian Organisasi)")
    program = Program.objects.create(pemda=pemda, name="Lab INAGARA 2026", year=2026, stage="drum_up")
    for key in ("kalicacing", "kutowinangun", "sd01"):
        Participation.objects.create(program=program, unit=units[key])
    event = Event.objects.create(pemda=pemda, program=program, title="Drum-up Lab INAGARA", stages=["drum_up"],
                                 starts_on="2026-03-10", ends_on="2026-03-10", venue="Aula Setda")
    log_in(page, live_server, "bappeda@salatiga.test")
    page.set_viewport_size(PHONE)

    page.goto("/")
    wide, view = page.evaluate(WIDTHS)
    assert wide <= view, f"the home page is {wide}px wide in a {view}px viewport"
    logout = page.locator("header.topbar form[action='/logout/'] button")
    box = logout.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= view, "the log-out button is off the screen"
    shot("01-home-phone")

    page.goto(f"/pemda/{SLUG}/events/{event.pk}/attendance/sheet/")
    expect(page.locator("#attendance-sheet-table")).to_be_visible()
    wide, view = page.evaluate(WIDTHS)
    assert wide <= view, f"the attendance sheet is {wide}px wide in a {view}px viewport"
    # the table keeps its columns (signatures need room) and scrolls inside its box
    scrolls = page.locator("#attendance-sheet-table").evaluate(
        "t => getComputedStyle(t.parentElement).overflowX")
    assert scrolls == "auto"
    shot("02-sheet-phone")
    page.emulate_media(media="print")
    assert page.locator("#attendance-sheet-table").evaluate(
        "t => getComputedStyle(t.parentElement).overflowX") == "visible"  # printed whole, never cut
    assert page.js_errors == []


def test_innovation_timeline_scrolls_inside_its_card_on_a_phone(page, shot, live_server, make_user):
    import datetime

    from django.utils import timezone

    from labinov.ideas.models import Screening
    from labinov.innovations.models import Innovation
    from tests.delivery.conftest import make_plan

    pemda, units, _people, organiser = make_salatiga(make_user)
    program = Program.objects.create(pemda=pemda, name="Lab INAGARA 2019", year=2019, stage="design",
                                     starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 12, 31))
    Participation.objects.create(program=program, unit=units["kalicacing"])
    Screening.objects.create(program=program, published_at=timezone.now())
    innovation = Innovation.objects.create(pemda=pemda, program=program, unit=units["kalicacing"],
                                           name="Pojok Baca Warga", form="pelayanan_publik")
    make_plan(innovation, status="approved")
    log_in(page, live_server, organiser.email)
    page.set_viewport_size(PHONE)
    page.goto(f"/pemda/{SLUG}/innovations/{innovation.pk}/")
    expect(page.locator("#timeline .gantt")).to_be_visible()
    wide, view = page.evaluate(WIDTHS)
    assert wide <= view, f"the innovation page is {wide}px wide in a {view}px viewport"
    shot("01-innovation-timeline-phone")
    assert page.js_errors == []


def test_status_badge_beside_a_long_reason_stays_a_pill_on_a_phone(page, shot, live_server, ideas_world):
    """A responsive table's cell lays its parts out in a row: a badge beside a reason that wraps over
    several lines was stretched to the reason's height and drawn as a grey circle (screening, Design)."""
    from labinov.ideas.models import Idea

    w = ideas_world
    w.program.stage = "design"
    w.program.save(update_fields=["stage"])
    Idea.objects.filter(pk=w.idea.pk).update(
        status="rejected", decision_reason="Sudah ada layanan serupa di Dinas Kependudukan dan Pencatatan Sipil yang "
                                           "melayani surat pengantar secara daring sejak tahun lalu")
    log_in(page, live_server, "organiser@salatiga.test")
    page.set_viewport_size(PHONE)
    page.goto(f"/pemda/{w.own.slug}/programs/{w.program.pk}/screening/")
    badge = page.locator(f"tr:has(a[href$='/ideas/{w.idea.pk}/']) td[data-label] .badge").first
    expect(badge).to_be_visible()
    box = badge.bounding_box()
    assert box["height"] < 32, f"the status badge is {box['height']}px high: stretched beside the wrapped reason"
    shot("01-screening-phone")
    assert page.js_errors == []


def test_filter_with_a_long_unit_name_fits_a_phone(page, shot, live_server, ideas_world):
    """The ideas list's unit filter is as wide as its longest unit name; on a phone it must not push
    the page sideways (Kota Cilegon's 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia')."""
    from labinov.programs.models import Participation
    from labinov.regions.models import Unit

    w = ideas_world
    long_unit = Unit.objects.create(pemda=w.own, kind="badan",
                                    name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah Kota Salatiga")
    Participation.objects.create(program=w.program, unit=long_unit)
    log_in(page, live_server, "organiser@salatiga.test")
    page.set_viewport_size(PHONE)
    page.goto(f"/pemda/{w.own.slug}/programs/{w.program.pk}/ideas/")
    expect(page.locator("form.toolbar select").first).to_be_visible()
    wide, view = page.evaluate(WIDTHS)
    assert wide <= view, f"the ideas list is {wide}px wide in a {view}px viewport"
    shot("01-ideas-filter-phone")
    assert page.js_errors == []
