"""Choosing the participating units in the browser: start from the target types, filter by name and
by type, "select all shown", save; then the attendance page's "select all" and the printable sheet."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from labinov.programs.models import Event, Participation, Program
from labinov.regions.models import Unit
from tests.e2e.test_organiser_flow import SLUG, log_in, make_salatiga, url

pytestmark = [pytest.mark.e2e]


def test_units_chooser_filter_select_shown_and_save(page, shot, live_server, make_user):
    pemda, units, people, organiser = make_salatiga(make_user)
    for i in range(1, 13):
        Unit.objects.create(pemda=pemda, name=f"SD Negeri Salatiga {i + 1:02d}", kind="sd", ownership="negeri")
    for name in ("Kelurahan Tegalrejo", "Kelurahan Mangunsari", "Kecamatan Sidorejo"):
        Unit.objects.create(pemda=pemda, name=name, kind="kelurahan" if name.startswith("Kel") else "kecamatan")
    program = Program.objects.create(pemda=pemda, name="Lab INAGARA 2026", year=2026, stage="planned",
                                     target_unit_kinds=["kelurahan"])
    log_in(page, live_server, organiser.email)

    # 1. No unit yet: the target type (kelurahan) is ticked to start with; nothing saved.
    page.goto(f"/pemda/{SLUG}/programs/{program.pk}/units/")
    expect(page.locator("#units-preselected")).to_be_visible()
    kelurahan = Unit.objects.filter(pemda=pemda, kind="kelurahan")
    expect(page.locator("#units-list input:checked")).to_have_count(kelurahan.count())
    assert not Participation.objects.filter(program=program).exists()
    shot("01-preselected")
    page.click("#units-save")
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    assert set(Participation.objects.filter(program=program).values_list("unit_id", flat=True)) == set(kelurahan.values_list("pk", flat=True))

    # 2. Filter by type (SD) and by name, then "select all shown": only those are added.
    page.select_option("#id_kind", "sd")
    page.fill("#id_q", "Salatiga 1")
    page.click("#units-filter button[type=submit]")
    # every word of the search must occur in the name: "Salatiga" and "1" (so also "… 01")
    shown = Unit.objects.filter(pemda=pemda, kind="sd", name__icontains="salatiga").filter(name__contains="1")
    expect(page.locator("#units-list li")).to_have_count(shown.count())
    expect(page.locator("#units-list input:checked")).to_have_count(0)
    shot("02-filtered")
    page.click("#units-select-shown")
    expect(page).to_have_url(url(live_server, rf"/pemda/{SLUG}/programs/{program.pk}/units/\?q=Salatiga\+1&kind=sd"))
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    expect(page.locator("#units-list input:checked")).to_have_count(shown.count())
    chosen = set(Participation.objects.filter(program=program).values_list("unit_id", flat=True))
    assert chosen == set(kelurahan.values_list("pk", flat=True)) | set(shown.values_list("pk", flat=True))
    shot("03-selected-shown")

    # 3. Untick one in the filtered list and save: the kelurahan (not shown) stay.
    first = shown.order_by("name").first()
    page.uncheck(f"#unit-{first.pk}")
    page.click("#units-save")
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    chosen = set(Participation.objects.filter(program=program).values_list("unit_id", flat=True))
    assert first.pk not in chosen and set(kelurahan.values_list("pk", flat=True)) <= chosen

    # 4. Show all units again: the choice is kept.
    page.click("#units-filter a")
    expect(page.locator("#units-list input:checked")).to_have_count(len(chosen))
    assert page.js_errors == []
    shot("04-all-units")


def test_attendance_select_all_and_sheet(page, shot, live_server, make_user):
    pemda, units, people, organiser = make_salatiga(make_user)
    program = Program.objects.create(pemda=pemda, name="Lab INAGARA 2026", year=2026, stage="drum_up")
    for key in ("kalicacing", "kutowinangun", "sd01"):
        Participation.objects.create(program=program, unit=units[key])
    event = Event.objects.create(pemda=pemda, program=program, title="Drum-up Lab INAGARA", stages=["drum_up"],
                                 starts_on="2026-03-10", ends_on="2026-03-10", venue="Aula Setda")
    log_in(page, live_server, organiser.email)
    page.goto(f"/pemda/{SLUG}/events/{event.pk}/attendance/")
    boxes = page.locator("#attendance-form input[name=person]")
    expect(boxes).to_have_count(4)  # Sri, Budi, Wahyu, Ani; not Agus (Dinkes does not take part)
    expect(page.locator("#attendance-select-all")).to_be_visible()
    page.check("#attendance-select-all")
    for i in range(4):
        expect(boxes.nth(i)).to_be_checked()
    page.uncheck(f"#att-{people['budi'].pk}")
    assert page.evaluate("document.getElementById('attendance-select-all').indeterminate") is True
    shot("01-attendance")
    page.click("#attendance-form button[type=submit]")
    expect(page).to_have_url(url(live_server, f"/pemda/{SLUG}/events/{event.pk}/"))
    assert event.attendances.filter(present=True).count() == 3

    page.goto(f"/pemda/{SLUG}/events/{event.pk}/attendance/")
    page.click("#attendance-sheet-link")
    expect(page).to_have_url(url(live_server, f"/pemda/{SLUG}/events/{event.pk}/attendance/sheet/"))
    expect(page.locator("#attendance-sheet h1")).to_have_text("Daftar hadir")
    expect(page.locator("#attendance-sheet-table tbody tr:not(.blank)")).to_have_count(4)
    expect(page.locator("#attendance-sheet-table")).to_contain_text("198010242006042009")
    expect(page.locator("button[data-print]")).to_be_visible()
    shot("02-sheet")
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    shot("03-sheet-print")
    assert page.js_errors == []
