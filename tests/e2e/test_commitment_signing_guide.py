"""Browser test of issues 9.3 and 9.5 on the commitment pages.

Before the launching the lurah opens his unit's document and reads when and as whom he signs (no form);
at the launching the form is there, dated with the document's date of signing. The organiser sees who
has no NIP on record and records the witness's NIP on the list itself.
"""

from __future__ import annotations

import datetime

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from django.utils import timezone

from labinov.core.roles import Role
from labinov.delivery import commitments as services
from labinov.delivery.models import Commitment, CommitmentTemplate
from labinov.ideas.models import Screening
from labinov.innovations.models import ActionPlan, Indicator, Innovation, Milestone
from labinov.people.models import Person
from labinov.programs.models import Participation, Program
from labinov.regions.models import Pemda, Unit
from tests.e2e.test_deliver_flow import log_in

pytestmark = [pytest.mark.e2e]


def test_lurah_reads_when_he_signs_and_organiser_fixes_a_missing_nip(page, shot, live_server, make_user):
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="wali_kota", head_name="Yuliyanto",
                                 sekda_name="Drs. Fakruroji", sekda_nip="196506071990031008")
    unit = Unit.objects.create(pemda=pemda, name="Kelurahan Kalicacing", kind="kelurahan")
    program = Program.objects.create(pemda=pemda, name="Lab INAGARA 2019", year=2019, stage="deliver_monitoring",
                                     starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 12, 31))
    Participation.objects.create(program=program, unit=unit)
    Screening.objects.create(program=program, published_at=timezone.now())
    innovation = Innovation.objects.create(pemda=pemda, program=program, unit=unit, name="Pengaduan Warga Satu Pintu",
                                           form="pelayanan_publik")
    plan = ActionPlan.objects.create(innovation=innovation, status="approved", objective="Satu pintu pengaduan")
    Indicator.objects.create(plan=plan, name="Pengaduan ditindaklanjuti", unit_of_measure="%", baseline="40", target="90")
    Milestone.objects.create(plan=plan, order=0, activity="Uji coba", starts_on=datetime.date(2019, 8, 1),
                             ends_on=datetime.date(2019, 11, 30), pic="Tim")
    organiser = make_user("organiser@salatiga.test", Role.ORGANISER, pemda, full_name="Jumiarto")
    lurah = make_user("lurah@salatiga.test", Role.UNIT_HEAD, pemda, unit, full_name="Sri Susanti")
    Person.objects.create(pemda=pemda, name="Sri Susanti", nip="197410172000111014", jabatan="Lurah Kalicacing", unit=unit, user=lurah)
    services.template_update(actor=organiser, program=program, place="Salatiga", signing_date=datetime.date(2019, 11, 14),
                             countersigner="sekda", witness_name="Dra. Eli Fatimah, M.Si")
    services.commitments_prepare(actor=organiser, program=program)
    commitment = Commitment.objects.get()
    base = f"/pemda/3373/programs/{program.pk}/commitments/"

    # 1. Deliver: monitoring: the lurah reads when signing opens and that he signs first; no form yet.
    log_in(page, live_server, lurah.email)
    page.goto(f"{base}{commitment.pk}/")
    expect(page.locator("#signing-stage")).to_contain_text("Penandatanganan dibuka pada tahap")
    expect(page.locator("#signing-guide")).to_contain_text("Anda menandatangani sebagai Kepala unit")
    expect(page.locator("#sign-form")).to_have_count(0)
    expect(page.locator("#signatures tr[data-party=unit_head]")).to_contain_text("Anda")
    shot("01-lurah-before-the-launching")

    # 2. Deliver: launching: his turn; the form is dated with the document's date of signing.
    Program.objects.filter(pk=program.pk).update(stage="deliver_launching")
    page.reload()
    expect(page.locator("#signing-turn")).to_contain_text("Giliran Anda")
    expect(page.locator("#sign-form [name=signed_on]")).to_have_value("2019-11-14")
    shot("02-lurah-his-turn")
    page.click("#sign-form button[type=submit]")
    expect(page.locator("#signatures tr[data-party=unit_head]")).to_contain_text("14")
    assert Commitment.objects.get().status == "signed_unit"

    # 3. The organiser sees the witness without a NIP on the list and records it there.
    page.context.clear_cookies()
    log_in(page, live_server, organiser.email)
    page.goto(base)
    card = page.locator("#missing-nips")
    expect(card).to_contain_text("Dra. Eli Fatimah, M.Si")
    shot("03-organiser-missing-nip")
    row = card.locator("li[data-party=witness]")
    row.locator("input[name=nip]").fill("12345")
    row.locator("button[type=submit]").click()
    expect(page.locator(".messages .msg-error")).to_have_count(1)  # a bad NIP: a message, nothing saved
    assert CommitmentTemplate.objects.get().witness_nip == ""
    page.locator("#missing-nips li[data-party=witness] input[name=nip]").fill("197002071996031001")
    page.locator("#missing-nips li[data-party=witness] button[type=submit]").click()
    expect(page.locator("#missing-nips")).to_have_count(0)
    assert CommitmentTemplate.objects.get().witness_nip == "197002071996031001"
    shot("04-organiser-nip-recorded")
    assert page.js_errors == []
