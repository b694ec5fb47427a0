"""Personal data in a real browser: a member opens *Data saya* from the header and downloads it as
JSON; an organiser anonymises a person after confirming, and the people list shows the neutral name.
Elements are found by id, URL or attribute, never by translated text."""

from __future__ import annotations

import json

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from labinov.core.roles import Role
from labinov.people.models import Person
from tests.e2e.test_organiser_flow import log_in, make_salatiga

pytestmark = [pytest.mark.e2e]


@pytest.mark.django_db(transaction=True)
def test_a_member_downloads_their_data_and_an_organiser_anonymises_a_person(page, live_server, make_user, shot, tmp_path):
    pemda, units, people, organiser = make_salatiga(make_user)
    member = make_user("sri.lestari@salatiga.test", Role.INNOVATOR, pemda, units["kalicacing"], full_name="Sri Lestari")
    Person.objects.filter(pk=people["sri"].pk).update(user=member, email="sri.lestari@salatiga.test", phone="081234567890")

    log_in(page, live_server, "sri.lestari@salatiga.test")
    page.click("header a[href='/account/data/']")
    expect(page).to_have_url(f"{live_server.url}/account/data/")
    expect(page.locator("#my-people")).to_contain_text("198010242006042009")
    expect(page.locator("#my-people")).to_contain_text("081234567890")
    shot("01-my-data")
    shot("02-my-data-phone", phone=True)
    with page.expect_download() as download:
        page.click("#my-data-json")
    path = tmp_path / "data.json"
    download.value.save_as(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["account"]["email"] == "sri.lestari@salatiga.test"
    assert doc["people_records"][0]["nip"] == "198010242006042009"
    assert page.js_errors == []

    page.context.clear_cookies()
    log_in(page, live_server, "organiser@salatiga.test")
    budi = people["budi"]
    page.goto(f"/pemda/3373/people/")
    page.click(f"a[href='/pemda/3373/people/{budi.pk}/anonymise/']")
    expect(page.locator("#anonymise-warning")).to_be_visible()
    shot("03-anonymise-confirm")
    page.click("#main form.form button[type=submit]")  # without ticking the box: refused, nothing changed
    expect(page.locator("#main form.form .has-error, #main form.form [role=alert], .errorlist").first).to_be_visible()
    assert Person.objects.get(pk=budi.pk).name == "Budi Santoso"
    page.check("#id_confirm")
    page.click("#main form.form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/pemda/3373/people/")
    expect(page.locator("#main table")).to_contain_text(f"Anonim {budi.pk}")
    expect(page.locator("#main table")).not_to_contain_text("Budi Santoso")
    shot("04-people-after")
    # a person with an account is refused to the organiser, with the reason, before anything is asked
    page.goto(f"/pemda/3373/people/{people['sri'].pk}/anonymise/")
    expect(page.locator("#anonymise-refused")).to_be_visible()
    shot("05-anonymise-refused")
    assert page.js_errors == []
