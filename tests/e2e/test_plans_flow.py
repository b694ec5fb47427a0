"""Issue 4 in a real browser: a coach requests a change on a milestone of an action plan, the
innovator fixes it and sends the plan again, the coach approves, the unit head approves (the version
is then frozen), and the program's timeline shows the plan's milestones with the quick win.

Each person works in a browser context of their own (their own cookies), as three people would.
As in the other browser tests, elements are found by id, name, value, URL or stable class, never by
visible text (the Indonesian catalogue is still being completed). The only text asserted on is data
the test typed.
"""

from __future__ import annotations

import datetime
import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from django.utils import timezone

from labinov.core.models import AuditRecord
from labinov.core.roles import Role
from labinov.ideas.models import Screening
from labinov.innovations.models import ActionPlan, Innovation, PlanStatus
from labinov.programs.models import Participation, Program
from labinov.regions.models import Pemda, Unit
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP

pytestmark = [pytest.mark.e2e]

SLUG = "3373"
INNOVATION_NAME = "Surat Pengantar Kelurahan lewat WhatsApp"
OBJECTIVE = "Warga Kalicacing mendapat surat pengantar tanpa antre di kantor kelurahan"
INDICATOR = dict(name="Waktu layanan surat pengantar", unit_of_measure="menit", baseline="60", target="10")
# Both inside the program period (2019-03-01 – 2019-12-31); the first is the quick win.
MILESTONES = [
    dict(activity="Nomor WhatsApp layanan dan format pesan", starts_on="2019-04-01", ends_on="2019-04-30",
         pic="Sekretaris Kelurahan", output="Nomor layanan aktif", budget_source="APBD", quick_win=True),
    dict(activity="Sosialisasi ke RT dan RW", starts_on="2019-05-01", ends_on="2019-05-15",
         pic="Kasi Pelayanan", output="Semua RT tahu layanan", budget_source="APBD", quick_win=False),
]
CHANGE_REQUEST = "Dua minggu terlalu singkat untuk menjangkau semua RT; perpanjang sampai akhir Juni."
NEW_END = "2019-06-30"


# --- helpers -------------------------------------------------------------------------------------

def log_in(page, live_server, email):
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")


def fill_milestone(page, i: int, m: dict):
    for name in ("activity", "starts_on", "ends_on", "pic", "output", "budget_source"):
        page.fill(f"#plan-form [name='milestones-{i}-{name}']", m[name])
    page.locator(f"#plan-form [name='milestones-{i}-quick_win']").set_checked(m["quick_win"])


def status_badge(page, status: str):
    """The status badge in the lead paragraph shows `status` (class plan-<status>)."""
    expect(page.locator(f"p.lead .plan-status.plan-{status}")).to_have_count(1)


# --- the flow ------------------------------------------------------------------------------------

def test_coach_requests_change_innovator_fixes_coach_and_unit_head_approve(
    page, shot, browser, live_server, make_user, artifacts, request,
):
    # 1. Kota Salatiga, a program in Design (2019), Kalicacing with a selected innovation, screening published.
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota", head_name="Yuliyanto")
    assert pemda.slug == SLUG
    kalicacing = Unit.objects.create(pemda=pemda, name="Kelurahan Kalicacing", kind="kelurahan")
    program = Program.objects.create(pemda=pemda, name="Lab Inovasi Salatiga 2019", year=2019, stage="design",
                                     starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 12, 31))
    Participation.objects.create(program=program, unit=kalicacing)
    innovation = Innovation.objects.create(pemda=pemda, program=program, unit=kalicacing, name=INNOVATION_NAME,
                                           form="pelayanan_publik", is_digital=True)
    Screening.objects.create(program=program, published_at=timezone.now())
    innovator = make_user("inovator@kalicacing.test", Role.INNOVATOR, pemda, kalicacing, full_name="Sri Lestari")
    unit_head = make_user("lurah@kalicacing.test", Role.UNIT_HEAD, pemda, kalicacing, full_name="Budi Santoso")
    coach = make_user("coach@salatiga.test", Role.COACH, pemda, full_name="Dewi Kartika")

    # The innovator uses the `page` fixture (and `shot`); the coach and the unit head get contexts of their own.
    contexts = []

    def new_page():
        ctx = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jakarta")
        ctx.set_default_timeout(10_000)
        ctx.set_default_navigation_timeout(15_000)
        contexts.append(ctx)
        p = ctx.new_page()
        p.js_errors = []
        p.on("pageerror", lambda exc: p.js_errors.append(str(exc)))
        return p

    # The same file naming as `shot` (conftest.py), for the pages of the coach and the unit head.
    words = re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name).removeprefix("test_").split("_")
    prefix = "_".join(w for w in words[:4] if w)

    def snap(p, name):
        p.screenshot(path=str(artifacts / f"{prefix}--{name}.png"), full_page=True)

    base = f"/pemda/{SLUG}/innovations/{innovation.pk}/"
    plan_path = f"{base}plan/1/"
    try:
        coach_page, head_page = new_page(), new_page()

        # 2. The innovator opens the innovation and starts the plan.
        log_in(page, live_server, innovator.email)
        page.goto(base)
        expect(page).to_have_url(f"{live_server.url}{base}")
        expect(page.locator("#plan-start-form")).to_have_count(1)
        shot("01-innovation-no-plan")
        page.click("#plan-start-form button[type=submit]")
        expect(page).to_have_url(f"{live_server.url}{plan_path}edit/")
        expect(page.locator("#program-period")).to_have_count(1)
        status_badge(page, "draft")

        # 3. Objective, one indicator, two milestones (the first a quick win); save; send for review.
        page.fill("#plan-form [name=objective]", OBJECTIVE)
        for name, value in INDICATOR.items():
            page.fill(f"#plan-form [name='indicators-0-{name}']", value)
        for i, m in enumerate(MILESTONES):
            fill_milestone(page, i, m)
        shot("02-plan-edit-filled")
        page.click("#plan-form button[type=submit][name=action][value=save]")
        expect(page).to_have_url(f"{live_server.url}{plan_path}")
        expect(page.locator(".messages li.msg-success")).to_have_count(1)
        expect(page.locator("#plan-milestones tbody tr")).to_have_count(2)
        expect(page.locator("#milestone-0.quick-win .quick-win-mark")).to_have_count(1)
        expect(page.locator("#milestone-1.quick-win")).to_have_count(0)
        expect(page.locator("#plan-indicators tbody tr")).to_have_count(1)
        plan = ActionPlan.objects.get(innovation=innovation, version=1)
        assert plan.objective == OBJECTIVE
        assert [(m.activity, m.starts_on.isoformat(), m.ends_on.isoformat(), m.quick_win) for m in plan.milestones.order_by("order")] == [
            (m["activity"], m["starts_on"], m["ends_on"], m["quick_win"]) for m in MILESTONES]
        page.click("#plan-submit-form button[type=submit]")
        expect(page).to_have_url(f"{live_server.url}{plan_path}")
        expect(page.locator(".messages li.msg-success")).to_have_count(1)
        status_badge(page, "in_review")
        expect(page.locator("#plan-submit-form")).to_have_count(0)
        expect(page.locator("#plan-edit-link")).to_have_count(0)
        shot("03-plan-sent")

        # 4. The coach opens the plan and requests a change on milestone 2 (order 1).
        log_in(coach_page, live_server, coach.email)
        coach_page.goto(plan_path)
        expect(coach_page).to_have_url(f"{live_server.url}{plan_path}")
        status_badge(coach_page, "in_review")
        expect(coach_page.locator("#plan-coach-approve-form")).to_have_count(1)
        form = coach_page.locator("#comment-form")
        form.locator("select[name=milestone]").select_option("1")
        form.locator("textarea[name=text]").fill(CHANGE_REQUEST)
        form.locator("input[name=requests_change]").check()
        snap(coach_page, "04-coach-requests-change")
        form.locator("button[type=submit]").click()
        expect(coach_page).to_have_url(f"{live_server.url}{plan_path}")
        expect(coach_page.locator(".messages li.msg-success")).to_have_count(1)
        status_badge(coach_page, "changes_requested")
        expect(coach_page.locator("#open-requests")).to_have_count(1)
        expect(coach_page.locator("#milestone-1 .milestone-comments li.change-request:not(.resolved)")).to_have_count(1)
        expect(coach_page.locator("#milestone-0 .milestone-comments")).to_have_count(0)
        expect(coach_page.locator("#plan-coach-approve-form")).to_have_count(0)  # not while changes are requested
        plan.refresh_from_db()
        assert plan.status == PlanStatus.CHANGES_REQUESTED
        assert list(plan.comments.values_list("milestone_order", "requests_change", "resolved", "text")) == [
            (1, True, False, CHANGE_REQUEST)]

        # 5. The innovator sees the request, moves milestone 2's end date, saves and sends the plan again.
        page.goto(plan_path)
        status_badge(page, "changes_requested")
        expect(page.locator("#open-requests")).to_have_count(1)
        request_item = page.locator("#milestone-1 .milestone-comments li.change-request")
        expect(request_item).to_have_count(1)
        expect(request_item).to_contain_text(CHANGE_REQUEST)
        shot("05-innovator-sees-request")
        page.click("#plan-edit-link")
        expect(page).to_have_url(f"{live_server.url}{plan_path}edit/")
        expect(page.locator("#open-requests li.change-request")).to_have_count(1)
        expect(page.locator("#open-requests li.change-request")).to_contain_text(CHANGE_REQUEST)
        end = page.locator("#plan-form [name='milestones-1-ends_on']")
        expect(end).to_have_value(MILESTONES[1]["ends_on"])
        end.fill(NEW_END)
        shot("06-plan-edit-fixed")
        page.click("#plan-form button[type=submit][name=action][value=save]")
        expect(page).to_have_url(f"{live_server.url}{plan_path}")
        expect(page.locator("#milestone-1 > td > time").nth(1)).to_have_attribute("datetime", NEW_END)
        page.click("#plan-submit-form button[type=submit]")
        expect(page).to_have_url(f"{live_server.url}{plan_path}")
        status_badge(page, "in_review")
        expect(page.locator("#open-requests")).to_have_count(0)
        expect(page.locator("#milestone-1 li.change-request.resolved")).to_have_count(1)
        shot("07-plan-sent-again")
        plan.refresh_from_db()
        assert plan.status == PlanStatus.IN_REVIEW
        assert plan.milestones.get(order=1).ends_on == datetime.date.fromisoformat(NEW_END)
        assert plan.comments.get().resolved

        # 6. The coach approves.
        coach_page.goto(plan_path)
        status_badge(coach_page, "in_review")
        coach_page.click("#plan-coach-approve-form button[type=submit]")
        expect(coach_page).to_have_url(f"{live_server.url}{plan_path}")
        expect(coach_page.locator(".messages li.msg-success")).to_have_count(1)
        status_badge(coach_page, "coach_approved")
        expect(coach_page.locator("#coach-approval")).to_contain_text(coach.full_name)
        expect(coach_page.locator("#plan-unit-approve-form")).to_have_count(0)
        snap(coach_page, "08-coach-approved")

        # 7. The unit head approves: the version is final.
        log_in(head_page, live_server, unit_head.email)
        head_page.goto(plan_path)
        status_badge(head_page, "coach_approved")
        expect(head_page.locator("#frozen-note")).to_have_count(0)
        head_page.click("#plan-unit-approve-form button[type=submit]")
        expect(head_page).to_have_url(f"{live_server.url}{plan_path}")
        expect(head_page.locator(".messages li.msg-success")).to_have_count(1)
        status_badge(head_page, "approved")
        expect(head_page.locator("#frozen-note")).to_have_count(1)
        expect(head_page.locator("#unit-approval")).to_contain_text(unit_head.full_name)
        expect(head_page.locator("#plan-unit-approve-form")).to_have_count(0)
        snap(head_page, "09-unit-head-approved")

        plan.refresh_from_db()
        assert (plan.status, plan.frozen) == (PlanStatus.APPROVED, True)
        assert (plan.coach_approved_by_id, plan.approved_by_id) == (coach.pk, unit_head.pk)
        assert plan.coach_approved_at is not None and plan.approved_at is not None
        actions = set(AuditRecord.objects.filter(pemda=pemda).values_list("action", flat=True))
        assert {"plan.start", "plan.save", "plan.submit", "plan.request_changes", "plan.coach_approve", "plan.approve"} <= actions
        who = dict(AuditRecord.objects.filter(pemda=pemda, action__in=["plan.request_changes", "plan.coach_approve", "plan.approve"])
                   .values_list("action", "actor_id"))
        assert who == {"plan.request_changes": coach.pk, "plan.coach_approve": coach.pk, "plan.approve": unit_head.pk}

        # The innovator's view of the frozen plan: no edit, no send; one phone-width screenshot.
        page.goto(plan_path)
        status_badge(page, "approved")
        expect(page.locator("#plan-edit-link")).to_have_count(0)
        expect(page.locator("#plan-submit-form")).to_have_count(0)
        shot("10-plan-approved")
        shot("11-plan-phone", phone=True)

        # 8. The coach opens the program timeline for this innovation: two bars, the first the quick win.
        timeline_path = f"/pemda/{SLUG}/programs/{program.pk}/plans/timeline/"
        coach_page.goto(f"{timeline_path}?innovation={innovation.pk}")
        expect(coach_page).to_have_url(re.compile("^" + re.escape(f"{live_server.url}{timeline_path}") + r"\?innovation=\d+$"))
        expect(coach_page.locator("#gantt-range")).to_have_count(1)
        entry = coach_page.locator(f"article.gantt-innovation[data-innovation='{innovation.pk}']")
        expect(entry).to_have_count(1)
        expect(coach_page.locator("article.gantt-innovation")).to_have_count(1)
        expect(entry.locator(".badge.plan-approved")).to_have_count(1)
        rows = entry.locator("ol.gantt-rows > li.gantt-row")
        expect(rows).to_have_count(2)
        expect(entry.locator(".gantt-bar")).to_have_count(2)
        expect(rows.nth(0)).to_have_class(re.compile(r"\bis-quick-win\b"))
        expect(rows.nth(0).locator(".gantt-bar.quick-win .qw-mark")).to_have_count(1)
        expect(rows.nth(0).locator(".gantt-activity")).to_have_text(MILESTONES[0]["activity"])
        expect(rows.nth(1)).not_to_have_class(re.compile(r"\bis-quick-win\b"))
        expect(rows.nth(1).locator(".gantt-bar.quick-win")).to_have_count(0)
        expect(rows.nth(1).locator(".gantt-activity")).to_have_text(MILESTONES[1]["activity"])
        # Bars inside the program period, none cut; the second one, moved to end of June, is the wider.
        expect(entry.locator(".gantt-bar.cut-before, .gantt-bar.cut-after")).to_have_count(0)
        widths = [b.bounding_box()["width"] for b in entry.locator(".gantt-bar").all()]
        assert all(w > 0 for w in widths) and widths[1] > widths[0], widths
        snap(coach_page, "12-timeline")

        for p in (page, coach_page, head_page):
            assert p.js_errors == []
    finally:
        for ctx in contexts:
            ctx.close()
