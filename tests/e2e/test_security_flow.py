"""Security in a real browser: the strict Content-Security-Policy breaks nothing (no violation on the
pages, the print buttons and the live word count work from labinov.js), a brute-forced account is
locked with a message in Indonesian and the organiser unlocks it, and the API tokens page shows a new
token once. Elements are found by id, name, URL or data attribute, not by translated text, except the
lock message this test is about."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from labinov.api.models import ApiToken
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e]
SUBMIT = "#main form.form button[type=submit]"


@pytest.fixture
def csp_violations(page):
    found = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def log_in(page, live_server, email, password=PASSWORD):
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():  # the answer has come back before the next attempt starts
        page.click(SUBMIT)


def test_a_locked_account_is_refused_and_its_organiser_unlocks_it(page, shot, live_server, world, csp_violations):
    innovator, organiser = world.users["innovator"], world.users["organiser"]
    for i in range(10):
        log_in(page, live_server, innovator.email, f"tebakan-{i}")
    log_in(page, live_server, innovator.email)  # the right password, too late
    expect(page.locator(".errorbox")).to_contain_text("Terlalu banyak percobaan masuk yang gagal")
    expect(page).to_have_url(re.compile(r"/login/$"))
    shot("01-login-locked")

    log_in(page, live_server, organiser.email)
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"/pemda/{world.own.slug}/members/")
    unlock = page.locator(f"form[action$='/unlock/'] button")
    expect(unlock).to_have_count(1)
    shot("02-members-locked")
    unlock.click()
    expect(page.locator("form[action$='/unlock/']")).to_have_count(0)
    expect(page.locator(".messages")).to_be_visible()
    shot("03-members-unlocked")

    page.locator("form[action='/logout/'] button").click()
    log_in(page, live_server, innovator.email)
    expect(page).to_have_url(f"{live_server.url}/")
    assert not csp_violations, csp_violations
    assert not page.js_errors, page.js_errors


def test_pages_work_under_the_policy_and_a_token_is_shown_once(page, shot, live_server, world, csp_violations):
    log_in(page, live_server, world.users["organiser"].email)
    expect(page).to_have_url(f"{live_server.url}/")
    for path in ("/", f"/pemda/{world.own.slug}/", f"/pemda/{world.own.slug}/programs/{world.program.pk}/",
                 f"/pemda/{world.own.slug}/people/", "/account/password/"):
        page.goto(path)
        expect(page.locator("main h1").first).to_be_visible()

    # the print button is wired by labinov.js, not by an onclick attribute
    page.goto(f"/pemda/{world.own.slug}/programs/{world.program.pk}/plans/timeline/")
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    page.locator("button[data-print]").click()
    assert page.evaluate("() => window.__printed === true")
    shot("04-timeline")

    page.locator("header a[href='/account/tokens/']").click()
    page.fill("#id_name", "Sinkron SIPD")
    page.locator("#main form.form button[type=submit]").click()
    value = page.locator("code.token-value").inner_text()
    token = ApiToken.objects.get(user=world.users["organiser"])
    assert value.startswith(token.prefix) and len(value) > 30
    shot("05-token-made")
    page.goto("/account/tokens/")
    expect(page.locator("code.token-value")).to_have_count(0)
    expect(page.locator("#main table")).to_contain_text(token.prefix)
    assert not csp_violations, csp_violations
    assert not page.js_errors, page.js_errors


def test_the_word_count_and_the_api_docs_work_under_the_policy(page, live_server, world, csp_violations):
    from labinov.innovations.models import Innovation

    world.program.stage = "design"
    world.program.save(update_fields=["stage"])
    innovation = Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel, name="Surat pengantar online")
    log_in(page, live_server, world.users["organiser"].email)
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto(f"/pemda/{world.own.slug}/innovations/{innovation.pk}/profile/")
    box = page.locator("[data-word-count]")
    ids = box.get_attribute("data-word-count").split()
    assert len(ids) >= 2
    page.fill(f"#{ids[0]}", "satu dua tiga")
    page.fill(f"#{ids[1]}", "empat lima")
    expect(page.locator("[data-word-count-out]")).to_have_text("5")  # counted while typing, by labinov.js

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    assert not csp_violations, csp_violations
    assert not page.js_errors, page.js_errors
