"""Issue 9.6 in a real browser, as in the demo: a coach requests a change on the innovator's action
plan; the innovator logs in, finds the innovation on the home page with its next action (fix the
plan) and reaches the plan's edit page, with the coach's request on it, in one click.

Elements are found by id, data attribute or URL; the only text asserted on is data the test typed.
"""

from __future__ import annotations

import datetime

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from django.utils import timezone

from labinov.core.roles import Role
from labinov.ideas.models import Screening
from labinov.innovations.models import Innovation
from labinov.programs.models import Participation, Program
from labinov.regions.models import Pemda, Unit
from tests.delivery.conftest import make_plan
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_plans_flow import log_in

pytestmark = [pytest.mark.e2e]

SLUG = "3373"
INNOVATION_NAME = "Surat Pengantar Kelurahan lewat WhatsApp"
CHANGE_REQUEST = "Tambahkan indikator jumlah warga yang memakai layanan per bulan."


def test_innovator_finds_the_plan_to_fix_from_the_home_page(page, shot, browser, live_server, make_user, artifacts):
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota", head_name="Yuliyanto")
    assert pemda.slug == SLUG
    kalicacing = Unit.objects.create(pemda=pemda, name="Kelurahan Kalicacing", kind="kelurahan")
    sd = Unit.objects.create(pemda=pemda, name="SD Negeri Salatiga 01", kind="sd", ownership="negeri")
    program = Program.objects.create(pemda=pemda, name="Lab INAGARA 2019", year=2019, stage="design",
                                     starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 12, 31))
    for unit in (kalicacing, sd):
        Participation.objects.create(program=program, unit=unit)
    Screening.objects.create(program=program, published_at=timezone.now())
    innovation = Innovation.objects.create(pemda=pemda, program=program, unit=kalicacing, name=INNOVATION_NAME,
                                           form="pelayanan_publik")
    other = Innovation.objects.create(pemda=pemda, program=program, unit=sd, name="Perpustakaan keliling kelas",
                                      form="pelayanan_publik")
    plan = make_plan(innovation, status="in_review")
    innovator = make_user("inovator@kalicacing.test", Role.INNOVATOR, pemda, kalicacing,
                          full_name="Dra. Sri Lestari, M.Si")
    coach = make_user("coach@salatiga.test", Role.COACH, pemda, full_name="Dewi Kartika")

    ctx = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(10_000)
    try:
        # 1. The coach requests a change on the plan.
        coach_page = ctx.new_page()
        log_in(coach_page, live_server, coach.email)
        coach_page.goto(f"/pemda/{SLUG}/innovations/{innovation.pk}/plan/{plan.version}/")
        form = coach_page.locator("#comment-form")
        form.locator("textarea[name=text]").fill(CHANGE_REQUEST)
        form.locator("input[name=requests_change]").check()
        form.locator("button[type=submit]").click()
        expect(coach_page.locator(".messages li.msg-success")).to_have_count(1)
        coach_page.screenshot(path=str(artifacts / "innovator_finds_the_plan--01-coach-requests-change.png"), full_page=True)

        # 2. The innovator logs in: the home page greets her by name and lists her unit's innovation
        #    with "fix the action plan" as the next action; the school's innovation is not there.
        log_in(page, live_server, innovator.email)
        expect(page.locator("h1")).to_contain_text("Sri")
        expect(page.locator("h1")).not_to_contain_text("Dra.")
        item = page.locator(f"#my-innovations #my-innovation-{innovation.pk}")
        expect(item).to_contain_text(INNOVATION_NAME)
        expect(page.locator(f"#my-innovation-{other.pk}")).to_have_count(0)
        action = item.locator("a.next-action")
        expect(action).to_have_attribute("data-action", "fix_plan")
        shot("02-home-with-next-action")
        shot("03-home-phone", phone=True)

        # 3. One click reaches the plan's edit page, with the coach's request on it.
        action.click()
        expect(page).to_have_url(f"{live_server.url}/pemda/{SLUG}/innovations/{innovation.pk}/plan/{plan.version}/edit/")
        expect(page.locator("#open-requests li.change-request")).to_contain_text(CHANGE_REQUEST)
        shot("04-plan-edit-with-request")

        # 4. The program page shows the same next action.
        page.goto(f"/pemda/{SLUG}/programs/{program.pk}/")
        expect(page.locator(f"#my-innovation-{innovation.pk} a.next-action")).to_have_attribute("data-action", "fix_plan")
        shot("05-program-page")
        assert page.js_errors == []
    finally:
        ctx.close()
