"""The organiser's flow in a real browser: log in, create a program, choose units, move through the
stages, schedule a combined Drum-up + Diagnose event and record its attendance.

The UI is in Bahasa Indonesia (the default language). Visible strings will change when the Indonesian
catalogue lands, so elements are found by id, name, value, URL or ARIA attribute, never by text;
what the user typed (program name, event title) is the only text asserted on.
"""

from __future__ import annotations

import datetime
import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from labinov.core.models import AuditRecord
from labinov.core.roles import Role
from labinov.people.models import Person
from labinov.programs.models import Attendance, Event, Participation, Program, StageTransition
from labinov.regions.models import Pemda, Unit
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e]

SLUG = "3373"
SUBMIT = "#main form.form button[type=submit]"  # the page's own form, never the log-out button in the header


# --- helpers -------------------------------------------------------------------------------------

def make_salatiga(make_user):
    """Kota Salatiga with four units, people in each and an organiser account."""
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota", head_name="Yuliyanto")
    units = {
        "kalicacing": Unit.objects.create(pemda=pemda, name="Kelurahan Kalicacing", kind="kelurahan"),
        "kutowinangun": Unit.objects.create(pemda=pemda, name="Kelurahan Kutowinangun Lor", kind="kelurahan"),
        "sd01": Unit.objects.create(pemda=pemda, name="SD Negeri Salatiga 01", kind="sd", ownership="negeri"),
        "dinkes": Unit.objects.create(pemda=pemda, name="Dinas Kesehatan", kind="dinas"),
    }
    people = {
        "sri": Person.objects.create(pemda=pemda, name="Sri Lestari", nip="198010242006042009", unit=units["kalicacing"]),
        "budi": Person.objects.create(pemda=pemda, name="Budi Santoso", unit=units["kalicacing"]),
        "wahyu": Person.objects.create(pemda=pemda, name="Wahyu Hidayat", unit=units["kutowinangun"]),
        "ani": Person.objects.create(pemda=pemda, name="Ani Rahmawati", unit=units["sd01"]),
        "agus": Person.objects.create(pemda=pemda, name="Agus Prasetyo", unit=units["dinkes"]),  # unit not in the program
    }
    organiser = make_user("organiser@salatiga.test", Role.ORGANISER, pemda, full_name="Dewi Kartika")
    return pemda, units, people, organiser


def log_in(page, live_server, email):
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")


def current_step(page) -> int:
    """Index in the stage bar of the one step marked aria-current="step"."""
    expect(page.locator("ol.stagebar li[aria-current=step]")).to_have_count(1)
    return page.locator("ol.stagebar li").evaluate_all(
        "els => els.findIndex(e => e.getAttribute('aria-current') === 'step')"
    )


def url(live_server, path: str) -> re.Pattern:
    return re.compile("^" + re.escape(live_server.url) + path + "$")


# --- the flow ------------------------------------------------------------------------------------

def test_organiser_runs_a_program_from_planned_to_diagnose(page, shot, live_server, make_user):
    pemda, units, people, organiser = make_salatiga(make_user)
    assert pemda.slug == SLUG

    # 2. Log in; the home page greets the organiser, in Indonesian.
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    shot("01-login")
    log_in(page, live_server, organiser.email)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("header .who")).to_have_text("Dewi Kartika")
    shot("02-home")

    # 3. Create a program; the form redirects to the program page.
    page.goto(f"/pemda/{SLUG}/programs/new/")
    page.fill("#id_name", "Lab Inovasi Salatiga 2026")
    page.fill("#id_year", "2026")
    page.select_option("#id_partner", "lan")
    page.fill("#id_partner_name", "Pusat Inovasi Administrasi Negara LAN")
    page.fill("#id_starts_on", "2026-03-02")
    page.fill("#id_ends_on", "2026-11-30")
    page.check("input[name=target_unit_kinds][value=kelurahan]")
    page.check("input[name=target_unit_kinds][value=sd]")
    page.fill("#id_target_ideas", "20")
    page.fill("#id_target_innovations", "10")
    shot("03-program-new")
    page.click(SUBMIT)
    expect(page).to_have_url(url(live_server, rf"/pemda/{SLUG}/programs/\d+/"))
    program = Program.objects.get(pemda=pemda, name="Lab Inovasi Salatiga 2026")
    assert page.url == f"{live_server.url}/pemda/{SLUG}/programs/{program.pk}/"
    assert (program.year, program.partner, program.stage) == (2026, "lan", "planned")
    assert (program.starts_on, program.ends_on) == (datetime.date(2026, 3, 2), datetime.date(2026, 11, 30))
    assert sorted(program.target_unit_kinds) == ["kelurahan", "sd"]
    expect(page.locator("h1")).to_have_text("Lab Inovasi Salatiga 2026")
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    assert current_step(page) == 0  # Planned
    shot("04-program-planned")

    # 4. Choose the participating units (the first form of the units page, prefix "units-").
    page.click(f"a[href='/pemda/{SLUG}/programs/{program.pk}/units/']")
    expect(page).to_have_url(url(live_server, f"/pemda/{SLUG}/programs/{program.pk}/units/"))
    # The program's target types (kelurahan, SD) are ticked to start with; Dinkes is not.
    for key in ("kalicacing", "kutowinangun", "sd01"):
        expect(page.locator(f"input[name=units-units][value='{units[key].pk}']")).to_be_checked()
        page.check(f"input[name=units-units][value='{units[key].pk}']")
    page.click("#units-save")
    expect(page).to_have_url(url(live_server, f"/pemda/{SLUG}/programs/{program.pk}/units/"))
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    assert set(Participation.objects.filter(program=program).values_list("unit__name", flat=True)) == {
        "Kelurahan Kalicacing", "Kelurahan Kutowinangun Lor", "SD Negeri Salatiga 01"}
    expect(page.locator(f"input[name=units-units][value='{units['dinkes'].pk}']")).not_to_be_checked()
    expect(page.locator("input[name=coach-units]")).to_have_count(3)  # the coach form now offers the participants
    shot("05-program-units")

    # 5. Planned -> Drum-up with the advance form; the stage bar moves one step.
    # The button leads to a confirmation page (what is incomplete, an explicit tick).
    page.goto(f"/pemda/{SLUG}/programs/{program.pk}/")
    page.click("#advance-link")
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/programs/{program.pk}/advance/")
    expect(page.locator("#advance-confirm-form input[name=to_stage]")).to_have_value("drum_up")
    page.fill("#advance-confirm-form input[name=note]", "Peserta sudah ditetapkan dengan SK Walikota.")
    page.check("#advance-confirm-form input[name=confirm]")
    page.click("#advance-confirm-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/programs/{program.pk}/")
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    assert current_step(page) == 1  # Drum-up
    expect(page.locator("ol.stagebar li.done")).to_have_count(1)
    expect(page.locator("#advance-link")).to_have_count(1)
    program.refresh_from_db()
    assert program.stage == "drum_up"
    shot("06-program-drum-up")

    # 6. Schedule a combined Drum-up + Diagnose event from the program page.
    page.click(f"a[href='/pemda/{SLUG}/events/new/?program={program.pk}']")
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/events/new/?program={program.pk}")
    expect(page.locator("#id_program")).to_have_value(str(program.pk))
    expect(page.locator("#id_kind")).to_have_value("stage")
    expect(page.locator("input[name=stages][value=drum_up]")).to_be_checked()  # the program's current stage
    page.fill("#id_title", "Drum-up dan Diagnose Lab Inovasi 2026")
    page.check("input[name=stages][value=diagnose]")
    page.fill("#id_starts_on", "2026-03-10")
    page.fill("#id_ends_on", "2026-03-12")
    page.fill("#id_venue", "Aula Kantor Walikota Salatiga")
    page.select_option("#id_mode", "hybrid")
    page.fill("#id_speakers", "Dr. Tri Widodo W. Utomo\nWalikota Salatiga")
    page.select_option("#id_organiser_unit", str(units["kalicacing"].pk))
    page.fill("#id_stream_url", "https://www.youtube.com/live/labinov-salatiga")
    shot("07-event-new")
    page.click(SUBMIT)
    expect(page).to_have_url(url(live_server, rf"/pemda/{SLUG}/events/\d+/"))
    event = Event.objects.get(pemda=pemda, title="Drum-up dan Diagnose Lab Inovasi 2026")
    assert page.url == f"{live_server.url}/pemda/{SLUG}/events/{event.pk}/"
    assert event.program_id == program.pk
    assert event.stages == ["drum_up", "diagnose"]
    assert (event.starts_on, event.ends_on, event.mode) == (datetime.date(2026, 3, 10), datetime.date(2026, 3, 12), "hybrid")
    assert (event.ends_on - event.starts_on).days + 1 == 3
    expect(page.locator("h1")).to_have_text("Drum-up dan Diagnose Lab Inovasi 2026")
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    shot("08-event-scheduled")

    # 7. Record attendance: three people present, one of them online, plus stream viewers.
    page.click(f"a[href='/pemda/{SLUG}/events/{event.pk}/attendance/']")
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/events/{event.pk}/attendance/")
    expect(page.locator("input[name=person]")).to_have_count(4)  # people of the three participating units
    expect(page.locator(f"#att-{people['agus'].pk}")).to_have_count(0)  # Dinas Kesehatan is not in the program
    for key in ("sri", "budi", "wahyu"):
        page.check(f"#att-{people[key].pk}")
    page.select_option(f"#mode-{people['wahyu'].pk}", "daring")
    page.fill("#id_online_viewers", "125")
    shot("09-attendance")
    shot("09-attendance-phone", phone=True)
    page.click(SUBMIT)
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/events/{event.pk}/")
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    # present, units, joined online, stream viewers
    expect(page.locator(".stats .stat b")).to_have_text(["3", "2", "1", "125"])
    expect(page.locator("main table.responsive tbody tr")).to_have_count(3)
    rows = {(a.person.name, a.mode, a.present) for a in Attendance.objects.filter(event=event).select_related("person")}
    assert rows == {("Sri Lestari", "luring", True), ("Budi Santoso", "luring", True), ("Wahyu Hidayat", "daring", True)}
    event.refresh_from_db()
    assert event.online_viewers == 125
    shot("10-event-attendance")
    shot("10-event-attendance-phone", phone=True)

    # 8. Back on the program page: the event is listed; move on to Diagnose.
    page.click(f"p.crumb a[href='/pemda/{SLUG}/programs/{program.pk}/']")
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/programs/{program.pk}/")
    expect(page.locator(f"main a[href='/pemda/{SLUG}/events/{event.pk}/']")).to_have_count(1)
    page.click("#advance-link")
    expect(page.locator("#advance-confirm-form input[name=to_stage]")).to_have_value("diagnose")
    page.check("#advance-confirm-form input[name=confirm]")
    page.click("#advance-confirm-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/programs/{program.pk}/")
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    assert current_step(page) == 2  # Diagnose
    expect(page.locator("ol.stagebar li.done")).to_have_count(2)
    program.refresh_from_db()
    assert program.stage == "diagnose"
    transitions = list(StageTransition.objects.filter(program=program).values_list("from_stage", "to_stage", "actor_id", "note"))
    assert transitions == [
        ("planned", "drum_up", organiser.pk, "Peserta sudah ditetapkan dengan SK Walikota."),
        ("drum_up", "diagnose", organiser.pk, ""),
    ]
    audit = AuditRecord.objects.filter(pemda=pemda, actor=organiser)
    actions = list(audit.values_list("action", flat=True))
    for action in ("program.create", "program.set_units", "program.advance", "event.create", "event.record_attendance"):
        assert action in actions, f"no audit record for {action}: {actions}"
    assert actions.count("program.advance") == 2
    assert audit.get(action="event.create").object_id == str(event.pk)
    shot("11-program-diagnose")
    shot("12-program-phone", phone=True)

    # 9. Tampering: post the advance form for a stage further on. Refused with a message, nothing moves.
    page.click("#advance-link")
    page.evaluate("document.querySelector('#advance-confirm-form input[name=to_stage]').value = 'display'")
    page.check("#advance-confirm-form input[name=confirm]")
    page.click("#advance-confirm-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/programs/{program.pk}/")
    expect(page.locator(".messages li.msg-error")).to_have_count(1)
    expect(page.locator(".messages li.msg-error")).not_to_be_empty()
    expect(page.locator(".messages li.msg-success")).to_have_count(0)
    assert current_step(page) == 2
    program.refresh_from_db()
    assert program.stage == "diagnose"
    assert StageTransition.objects.filter(program=program).count() == 2
    assert AuditRecord.objects.filter(pemda=pemda, action="program.advance").count() == 2
    shot("13-advance-refused")

    assert page.js_errors == []


def test_event_with_last_day_before_first_day_is_refused_at_the_field(page, shot, live_server, make_user):
    pemda, units, _people, organiser = make_salatiga(make_user)
    program = Program.objects.create(pemda=pemda, name="Lab Inovasi Salatiga 2026", year=2026, stage="drum_up")
    Participation.objects.create(program=program, unit=units["kalicacing"])
    log_in(page, live_server, organiser.email)

    page.goto(f"/pemda/{SLUG}/events/new/?program={program.pk}")
    page.fill("#id_title", "Drum-up Lab Inovasi 2026")
    expect(page.locator("input[name=stages][value=drum_up]")).to_be_checked()
    page.fill("#id_starts_on", "2026-03-12")
    page.fill("#id_ends_on", "2026-03-10")
    page.select_option("#id_mode", "luring")
    page.click(SUBMIT)

    # The form comes back with the error tied to "Last day" and what was typed kept.
    expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/events/new/?program={program.pk}")
    expect(page.locator("#form-errors[role=alert]")).to_be_visible()
    error = page.locator("#id_ends_on_error")
    expect(error).to_be_visible()
    expect(error.locator("p.error")).to_have_count(1)  # the field's error container holds one message
    expect(error).not_to_be_empty()
    field = page.locator(".field.has-error")
    expect(field).to_have_count(1)
    expect(field.locator("#id_ends_on")).to_have_count(1)
    expect(page.locator("#id_ends_on")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_ends_on")).to_have_attribute("aria-describedby", re.compile(r"\bid_ends_on_error\b"))
    expect(page.locator("#id_starts_on")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_title")).to_have_value("Drum-up Lab Inovasi 2026")
    expect(page.locator("#id_ends_on")).to_have_value("2026-03-10")
    shot("01-event-dates-error")
    assert not Event.objects.exists()
    assert not AuditRecord.objects.filter(action="event.create").exists()

    # Correcting the date saves the event, once.
    page.fill("#id_ends_on", "2026-03-13")
    page.click(SUBMIT)
    expect(page).to_have_url(url(live_server, rf"/pemda/{SLUG}/events/\d+/"))
    event = Event.objects.get()
    assert (event.starts_on, event.ends_on, event.stages) == (datetime.date(2026, 3, 12), datetime.date(2026, 3, 13), ["drum_up"])
    assert AuditRecord.objects.filter(action="event.create").count() == 1
    shot("02-event-saved-after-fix")

    assert page.js_errors == []


def test_pages_load_their_stylesheet_and_scripts(page, live_server, make_user):
    """Every same-origin asset a page links to is served: a missing stylesheet leaves the UI unstyled."""
    _pemda, _units, _people, organiser = make_salatiga(make_user)
    missing = []
    page.on("response", lambda r: missing.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type in ("stylesheet", "script", "image", "font") else None)
    page.on("requestfailed", lambda r: missing.append(f"failed {r.url}"))
    log_in(page, live_server, organiser.email)
    page.goto(f"/pemda/{SLUG}/programs/")
    sheets = page.locator("link[rel=stylesheet]").evaluate_all("els => els.map(e => e.href)")
    assert sheets, "the page links no stylesheet"
    for href in sheets:
        status = page.request.get(href).status
        assert status == 200, f"stylesheet {href} answered {status}"
    assert missing == []
