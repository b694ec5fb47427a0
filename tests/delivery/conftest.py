"""A program in Deliver: Kota Salatiga's program with two innovations whose plans are approved
(Kelurahan Kalicacing, SD Negeri Salatiga 01) and a third with a plan still in review."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read service messages; they are written in English (the msgids)."""
    with translation.override("en"):
        yield


def make_plan(innovation, status="approved", version=1, milestones=None, indicators=None):
    from labinov.innovations.models import ActionPlan, Indicator, Milestone

    plan = ActionPlan.objects.create(innovation=innovation, version=version, status=status, objective="Layanan lebih cepat")
    for i, (name, target, uom) in enumerate(indicators or [("Waktu layanan surat pengantar", "1", "hari")]):
        Indicator.objects.create(plan=plan, order=i, name=name, unit_of_measure=uom, baseline="3", target=target)
    for i, (activity, start, end) in enumerate(milestones or [
        ("Sosialisasi ke RT/RW", datetime.date(2019, 7, 1), datetime.date(2019, 7, 31)),
        ("Uji coba layanan", datetime.date(2019, 8, 1), datetime.date(2019, 9, 30)),
        ("Evaluasi dan penerapan", datetime.date(2019, 10, 1), datetime.date(2019, 11, 30)),
    ]):
        Milestone.objects.create(plan=plan, order=i, activity=activity, starts_on=start, ends_on=end, pic="Lurah")
    return plan


@pytest.fixture
def deliver_world(world):
    from labinov.ideas.models import Screening
    from labinov.innovations.models import Innovation

    w = world
    w.own.head_name, w.own.sekda_name, w.own.sekda_nip = "Yuliyanto", "Fakruroji", "196506071990031008"
    w.own.address = "Jl. Letjend Sukowati No. 51, Salatiga"
    w.own.save()
    w.program.stage = "deliver_launching"
    w.program.save(update_fields=["stage"])
    w.other_program.stage = "deliver_launching"
    w.other_program.save(update_fields=["stage"])
    Screening.objects.create(program=w.program, published_at=timezone.now())
    common = dict(pemda=w.own, program=w.program, form="pelayanan_publik", urusan=["adminduk"])
    w.inno = Innovation.objects.create(unit=w.kel, name="Surat pengantar online", **common)
    w.inno2 = Innovation.objects.create(unit=w.kel, name="Posyandu digital", **common)
    w.sd_inno = Innovation.objects.create(unit=w.sd, name="Perpustakaan keliling kelas", **common)
    w.plan = make_plan(w.inno)
    w.plan2 = make_plan(w.inno2, indicators=[("Balita tercatat digital", "100", "%")])
    w.sd_plan = make_plan(w.sd_inno, status="in_review")
    w.person.jabatan = "Lurah Kalicacing"
    w.person.user = w.users["unit_head"]
    w.person.save()
    return w
