"""Issue 5 in a real browser: the organiser prepares the commitment documents and makes their PDFs
(a background batch with its progress page), the innovator reports progress with a photo (and is
refused an SVG with a script), the coach rates it, the organiser records the three signatures,
uploads the signed scan, activates the commitment and records the launching; the dashboard shows it.

The generated PDF's first page is rendered to PNG (pdftoppm) and kept with the screenshots in
test-artifacts/e2e/. As in the other browser tests, elements are found by id, name, value or URL,
never by visible text; the only text asserted on is data the test typed or the PDF's content.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from django.utils import timezone
from PIL import Image

from labinov.core.roles import Role
from labinov.delivery.models import Commitment, Evidence, Launch
from labinov.ideas.models import Screening
from labinov.innovations.models import ActionPlan, Indicator, Innovation, Milestone
from labinov.people.models import Person
from labinov.programs.models import CoachAssignment, Participation, Program
from labinov.regions.models import Pemda, Unit
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP

pytestmark = [pytest.mark.e2e]

SLUG = "3373"
NAME = "Pengaduan Warga Satu Pintu"


def log_in(page, live_server, email):
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(out, "PNG")
    return out.getvalue()


def test_organiser_prepares_and_signs_commitments_innovator_reports_and_launch(page, shot, browser, live_server, make_user, artifacts, tmp_path):
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota", head_name="Yuliyanto",
                                 sekda_name="Drs. Fakruroji", address="Jl. Letjend Sukowati No. 51, Salatiga")
    unit = Unit.objects.create(pemda=pemda, name="Kelurahan Kalicacing", kind="kelurahan")
    program = Program.objects.create(pemda=pemda, name="Lab INAGARA 2019", year=2019, stage="deliver_launching",
                                     starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 12, 31))
    Participation.objects.create(program=program, unit=unit)
    Screening.objects.create(program=program, published_at=timezone.now())
    innovation = Innovation.objects.create(pemda=pemda, program=program, unit=unit, name=NAME, form="pelayanan_publik")
    plan = ActionPlan.objects.create(innovation=innovation, status="approved", objective="Satu pintu pengaduan")
    Indicator.objects.create(plan=plan, name="Pengaduan ditindaklanjuti", unit_of_measure="%", baseline="40", target="90")
    first = Milestone.objects.create(plan=plan, order=0, activity="Sosialisasi kanal pengaduan", starts_on=datetime.date(2019, 7, 1),
                                     ends_on=datetime.date(2019, 7, 31), pic="Lurah")
    Milestone.objects.create(plan=plan, order=1, activity="Uji coba", starts_on=datetime.date(2019, 8, 1),
                             ends_on=datetime.date(2019, 11, 30), pic="Tim")
    organiser = make_user("organiser@salatiga.test", Role.ORGANISER, pemda, full_name="Jumiarto")
    innovator = make_user("inovator@salatiga.test", Role.INNOVATOR, pemda, unit, full_name="Sri Susanti")
    coach = make_user("coach@salatiga.test", Role.COACH, pemda, full_name="Eli Fatimah")
    CoachAssignment.objects.create(program=program, unit=unit, coach=coach)
    Person.objects.create(pemda=pemda, name="Sri Susanti", nip="197410172000111014", jabatan="Lurah Kalicacing", unit=unit)
    base = f"/pemda/{SLUG}/programs/{program.pk}/"

    # 1. The organiser sets the title and date, prepares the documents and makes the PDFs.
    log_in(page, live_server, organiser.email)
    page.goto(base + "commitments/template/")
    page.fill("[name=place]", "Salatiga")
    page.fill("[name=signing_date]", "2019-11-14")
    page.fill("[name=witness_name]", "Dra. Eli Fatimah, M.Si")
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}{base}commitments/")
    page.click("#commitment-prepare")
    expect(page.locator("#commitments tbody tr[data-status=drafted]")).to_have_count(1)
    shot("01-commitments-prepared")
    page.click("#commitment-generate")
    expect(page.locator("#batch-pdf")).to_have_count(1, timeout=60_000)
    shot("02-batch-done")
    with page.expect_download() as download:
        page.click("#batch-pdf")
    pdf_path = tmp_path / "komitmen.pdf"
    download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                        str(artifacts / "organiser_prepares_and_signs--03-commitment-pdf-page1")], check=True)
        assert (artifacts / "organiser_prepares_and_signs--03-commitment-pdf-page1.png").stat().st_size > 5000
    commitment = Commitment.objects.get()
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf_path).pages).split())
    for expected in (commitment.number, NAME, "Sri Susanti", "NIP. 197410172000111014", "Salatiga, 14 November 2019", "Yuliyanto"):
        assert expected in text, expected

    # 2. The innovator reports progress with a photo; an SVG with a script is refused and nothing is saved.
    innovator_ctx = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jakarta")
    try:
        ipage = innovator_ctx.new_page()
        log_in(ipage, live_server, innovator.email)
        ipage.goto(f"/pemda/{SLUG}/innovations/{innovation.pk}/monitoring/")
        ipage.select_option("#report-form [name=milestone]", str(first.pk))
        ipage.select_option("#report-form [name=status]", "done")
        ipage.fill("#report-form [name=percent]", "100")
        ipage.set_input_files("#report-form [name=files]", files=[{"name": "x.svg", "mimeType": "image/svg+xml",
                                                                     "buffer": b"<svg onload='alert(1)'></svg>"}])
        ipage.click("#report-form button[type=submit]")
        expect(ipage.locator("#report-form .field-files .error")).to_have_count(1)
        assert not Evidence.objects.exists()
        ipage.set_input_files("#report-form [name=files]", files=[{"name": "sosialisasi.png", "mimeType": "image/png", "buffer": _png()}])
        ipage.fill("#report-form [name=percent]", "100")
        ipage.fill("#report-form [name=note]", "Sosialisasi di 12 RT")
        ipage.click("#report-form button[type=submit]")
        expect(ipage.locator(f"#milestone-{first.pk}[data-state=done] a.evidence")).to_have_count(1)
        ipage.screenshot(path=str(artifacts / "organiser_prepares_and_signs--04-monitoring-innovator.png"), full_page=True)
    finally:
        innovator_ctx.close()

    # 3. The organiser records the three signatures, uploads the scan, activates, launches.
    page.goto(base + f"commitments/{commitment.pk}/")
    for signer in ("Sri Susanti", "Yuliyanto", "Dra. Eli Fatimah, M.Si"):
        page.fill("#sign-form [name=signed_by]", signer)
        page.fill("#sign-form [name=signed_on]", "2019-11-14")
        page.click("#sign-form button[type=submit]")
        expect(page.locator(".messages li.msg-success")).to_have_count(1)
    page.set_input_files("#upload-form [name=file]", files=[{"name": "ttd.png", "mimeType": "image/png", "buffer": _png()}])
    page.click("#upload-form button[type=submit]")
    page.click("#commitment-activate")
    expect(page.locator("#commitment-status.commitment-active")).to_have_count(1)
    shot("05-commitment-active")
    page.goto(base + "launches/new/")
    page.fill("[name=held_on]", "2019-11-14")
    page.fill("[name=place]", "Ruang Kaloka")
    page.select_option("[name=decree_type]", "sk_kdh")
    page.fill("[name=decree_number]", "060/417/2019")
    page.click("#main form button[type=submit]")
    expect(page.locator("#launch-items tbody tr")).to_have_count(1)
    shot("06-launch-list")
    assert Launch.objects.get().items.get().innovation.profile.iid_stage == "penerapan"
    page.goto(base + "progress/")
    expect(page.locator(f"#progress-units tr[data-unit='{unit.pk}']")).to_have_count(1)
    shot("07-dashboard")
    shot("07-dashboard-phone", phone=True)
    assert not page.js_errors
