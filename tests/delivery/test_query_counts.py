"""Deliver's list pages and API lists cost the same number of queries for 3 rows as for 25."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from labinov.delivery import commitments, launching, monitoring
from labinov.innovations.models import Innovation
from labinov.regions.models import Unit

from .conftest import make_plan

pytestmark = pytest.mark.django_db


def _grow(w, n, start=0):
    """n more units, each with an innovation with an approved plan, a progress report and a coach note."""
    for i in range(start, start + n):
        unit = Unit.objects.create(pemda=w.own, name=f"Kelurahan Uji {i:03d}", kind="kelurahan")
        innovation = Innovation.objects.create(pemda=w.own, program=w.program, unit=unit, name=f"Inovasi {i:03d}")
        plan = make_plan(innovation)
        monitoring.report_progress(actor=w.users["organiser"], innovation=innovation, milestone_id=plan.milestones.first().pk,
                                   status="in_progress", percent=10, video_urls=["https://youtu.be/x"])
        monitoring.coach_note_add(actor=w.users["coach"], innovation=innovation, rating="green", text="Baik")
    commitments.commitments_prepare(actor=w.users["organiser"], program=w.program)


def _png_upload():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 0)).save(out, "PNG")
    return SimpleUploadedFile("bukti.png", out.getvalue())


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.content[:300]
    return len(ctx.captured_queries)


def _urls(w, launch):
    program = [w.own.slug, w.program.pk]
    api = f"/api/v1/pemda/{w.own.slug}/programs/{w.program.pk}"
    return [
        reverse("commitment_list", args=program), reverse("progress_dashboard", args=program),
        reverse("progress_dashboard", args=program) + "?view=coaches", reverse("launch_list", args=program),
        reverse("launch_detail", args=[*program, launch.pk]), reverse("progress_unit", args=[*program, w.kel.pk]),
        reverse("monitoring_detail", args=[w.own.slug, w.inno.pk]),
        f"{api}/commitments?limit=200", f"{api}/progress", f"{api}/launches?limit=200",
    ]


def test_deliver_lists_cost_the_same_for_few_and_many_rows(deliver_world, login):
    w = deliver_world
    _grow(w, 3)
    launch = launching.launch_record(actor=w.users["organiser"], program=w.program, held_on=datetime.date(2019, 11, 14),
                                     place="Salatiga", launched_by="Walikota", innovation_ids=[w.inno.pk],
                                     decree_type="sk_kdh", decree_number="050/1/2019")
    monitoring.report_progress(actor=w.users["innovator"], innovation=w.inno, milestone_id=w.plan.milestones.all()[0].pk,
                               status="in_progress", percent=10)
    client = login(w.users["organiser"])
    few = {url: _queries(client, url) for url in _urls(w, launch)}
    _grow(w, 22, start=3)
    more = launching.launch_record(actor=w.users["organiser"], program=w.program, held_on=timezone.localdate(), place="Salatiga",
                                   launched_by="Walikota", innovation_ids=[i.pk for i in launching.launchable(program=w.program)],
                                   decree_type="sk_kdh", decree_number="050/2/2019")
    for i in range(3):  # the measured monitoring page and unit drill-down get more reports, evidence and notes
        for _ in range(4):
            monitoring.report_progress(actor=w.users["innovator"], innovation=w.inno, milestone_id=w.plan.milestones.all()[i].pk,
                                       status="done", percent=100, video_urls=["https://youtu.be/y"], files=[_png_upload()])
        monitoring.coach_note_add(actor=w.users["coach"], innovation=w.inno, rating="yellow", text="Percepat")
    urls = _urls(w, more)
    many = {url: _queries(client, url) for url in urls}
    assert list(many.values()) == list(few.values()), {u: (few[a], many[u]) for a, u in zip(few, urls)}
