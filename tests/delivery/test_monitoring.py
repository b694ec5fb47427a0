"""Monitoring: progress reports with evidence, coach notes, the dashboard, the daily overdue check."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from labinov.core.models import AuditRecord
from labinov.delivery import monitoring
from labinov.delivery.models import CoachNote, DigestRun, Evidence, MilestoneProgress, ProgressReport

pytestmark = pytest.mark.django_db


def _png():
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _report(w, milestone, **kw):
    args = dict(actor=w.users["innovator"], innovation=w.inno, milestone_id=milestone.pk, status="in_progress", percent=40)
    return monitoring.report_progress(**{**args, **kw})


def test_report_with_evidence_files_and_links_updates_the_milestone(deliver_world, settings):
    w = deliver_world
    first = w.plan.milestones.first()
    report = _report(w, first, note="Sosialisasi di 12 RT", files=[SimpleUploadedFile("foto kegiatan.html", _png())],
                     video_urls=["https://www.youtube.com/watch?v=abc"])
    kinds = sorted(report.evidence.values_list("kind", flat=True))
    assert kinds == ["png", "video"]
    photo = report.evidence.get(kind="png")
    assert photo.original_name == "foto kegiatan.png" and photo.size > 0 and len(photo.sha256) == 64
    assert photo.file.path.startswith(str(settings.MEDIA_ROOT))  # outside the static web root
    state = MilestoneProgress.objects.get(milestone=first)
    assert (state.status, state.percent) == ("in_progress", 40)
    assert AuditRecord.objects.filter(action="monitoring.report").count() == 1


@pytest.mark.parametrize("kw, field", [
    ({"status": "done", "percent": 50}, "percent"),
    ({"status": "blocked", "percent": 10}, "obstacles"),
    ({"percent": 101}, "percent"),
    ({"milestone_id": 999999}, "milestone"),
    ({"files": [SimpleUploadedFile("x.exe", b"MZ" + b"\0" * 64)]}, "files"),
    ({"files": [SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'></svg>")]}, "files"),
    ({"video_urls": ["javascript:alert(1)"]}, "video_urls"),
])
def test_bad_reports_are_refused_and_change_nothing(deliver_world, kw, field):
    w = deliver_world
    with pytest.raises(ValidationError) as e:
        _report(w, w.plan.milestones.first(), **kw)
    assert field in e.value.message_dict
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists() and not MilestoneProgress.objects.exists()


def test_oversized_evidence_is_refused(deliver_world, settings):
    w = deliver_world
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as e:
        _report(w, w.plan.milestones.first(), files=[big])
    assert "at most 10 MB" in str(e.value)


def test_reports_follow_the_approved_plan_only(deliver_world):
    w = deliver_world
    with pytest.raises(ValidationError) as e:
        monitoring.report_progress(actor=w.users["organiser"], innovation=w.sd_inno, milestone_id=w.sd_plan.milestones.first().pk,
                                   status="in_progress", percent=10)
    assert "no approved action plan" in str(e.value)


def test_coach_note_needs_a_rating_and_text(deliver_world):
    w = deliver_world
    with pytest.raises(ValidationError):
        monitoring.coach_note_add(actor=w.users["coach"], innovation=w.inno, rating="blue", text="")
    note = monitoring.coach_note_add(actor=w.users["coach"], innovation=w.inno, rating="yellow", text="Percepat uji coba")
    assert CoachNote.objects.get() == note


def test_dashboard_counts_done_overdue_and_signed(deliver_world):
    w = deliver_world
    ms = list(w.plan.milestones.all())
    _report(w, ms[0], status="done", percent=100)
    data = monitoring.dashboard(program=w.program, today=datetime.date(2019, 10, 15))
    unit = {u["unit"]: u for u in data["units"]}["Kelurahan Kalicacing"]
    # two plans of 3 milestones; one done; milestones ending 31 Jul and 30 Sep are due by 15 Oct (4 due, 1 done)
    assert (unit["total"], unit["done"], unit["overdue"], unit["share"], unit["innovations"]) == (6, 1, 3, 17, 2)
    assert unit["slipping"]
    assert "SD Negeri Salatiga 01" not in {u["unit"] for u in data["units"]}  # its plan is not approved
    assert data["summary"]["overdue"] == 3
    coach = {c["coach"].email: c for c in data["coaches"]}["coach@lan.test"]
    assert (coach["units"], coach["total"]) == (1, 6)


def test_unit_drill_down_shows_evidence_counts(deliver_world):
    w = deliver_world
    first = w.plan.milestones.first()
    _report(w, first, files=[SimpleUploadedFile("a.png", _png())])
    rows = monitoring.unit_progress(program=w.program, unit=w.kel, today=datetime.date(2019, 8, 15))
    row = {r["innovation"].name: r for r in rows}["Surat pengantar online"]
    assert [m.evidence for m in row["milestones"]] == [1, 0, 0]
    assert [m.overdue for m in row["milestones"]] == [True, False, False]


def test_daily_check_flags_overdue_and_mails_each_person_once_a_day(deliver_world, django_capture_on_commit_callbacks):
    w = deliver_world
    ms = list(w.plan.milestones.all())
    _report(w, ms[0], status="done", percent=100)
    with django_capture_on_commit_callbacks(execute=True):
        result = monitoring.overdue_check(today=datetime.date(2019, 10, 15))
    assert result["overdue"] == 3  # Uji coba of both plans, Sosialisasi of Posyandu digital
    assert MilestoneProgress.objects.filter(overdue_since=datetime.date(2019, 10, 15)).count() == 3
    recipients = sorted(m.to[0] for m in mail.outbox)
    # the unit head and innovator of Kalicacing, the LAN coach assigned to it
    assert recipients == ["coach@lan.test", "inovator@salatiga.test", "lurah@salatiga.test"]
    assert "Uji coba layanan" in mail.outbox[0].body
    assert monitoring.overdue_check(today=datetime.date(2019, 10, 15))["skipped"]
    assert len(mail.outbox) == 3 and DigestRun.objects.count() == 1


def test_monitoring_page_report_form_and_evidence_download(deliver_world, login):
    w = deliver_world
    client = login(w.users["innovator"])
    first = w.plan.milestones.first()
    url = reverse("monitoring_detail", args=[w.own.slug, w.inno.pk])
    assert b"report-form" in client.get(url).content
    r = client.post(reverse("progress_report", args=[w.own.slug, w.inno.pk]), {
        "milestone": first.pk, "status": "in_progress", "percent": 30, "note": "Rapat RT", "files": [SimpleUploadedFile("rapat.png", _png())],
    })
    assert r.status_code == 302
    evidence = Evidence.objects.get()
    download = client.get(reverse("evidence_download", args=[w.own.slug, w.inno.pk, evidence.pk]))
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"
    # a bad upload on the page: the form comes back with the reason, nothing saved
    r = client.post(reverse("progress_report", args=[w.own.slug, w.inno.pk]), {
        "milestone": first.pk, "status": "in_progress", "percent": 30, "files": [SimpleUploadedFile("x.html", b"<html><script></script>")]})
    assert r.status_code == 200 and Evidence.objects.count() == 1
    # the verifier sees the page but has no report form
    assert b"report-form" not in login(w.users["verifier"]).get(url).content


def test_dashboard_page_query_count_is_constant(deliver_world, login, django_assert_max_num_queries):
    from labinov.innovations.models import Innovation
    from labinov.regions.models import Unit

    from .conftest import make_plan

    w = deliver_world
    client = login(w.users["organiser"])
    url = reverse("progress_dashboard", args=[w.own.slug, w.program.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(15):
        unit = Unit.objects.create(pemda=w.own, name=f"Kelurahan Uji {i}", kind="kelurahan")
        make_plan(Innovation.objects.create(pemda=w.own, program=w.program, unit=unit, name=f"Inovasi {i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url + "?view=coaches").status_code == 200


def test_check_overdue_command_runs_once_a_day(deliver_world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("check_overdue", stdout=out)
    call_command("check_overdue", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("e-mails") and lines[1] == "already done today"


def test_expected_progress_and_lag():
    start, end = datetime.date(2019, 8, 1), datetime.date(2019, 8, 10)
    assert monitoring.expected_percent(start, end, datetime.date(2019, 7, 31)) == 0
    assert monitoring.expected_percent(start, end, datetime.date(2019, 8, 5)) == 50
    assert monitoring.expected_percent(start, end, datetime.date(2019, 8, 10)) == 100
    assert monitoring.lag_points([(start, end, 20), (start, end, None)], datetime.date(2019, 8, 5)) == 40


def test_digest_warns_of_a_plan_behind_schedule_before_anything_is_overdue(deliver_world, django_capture_on_commit_callbacks):
    w = deliver_world
    ms = list(w.plan.milestones.all())
    for m in ms[:1]:
        _report(w, m, status="done", percent=100)
    # 20 Aug: Sosialisasi done; Uji coba (1 Aug–30 Sep) should be about a third done but has no report.
    # Posyandu digital has nothing reported: its Sosialisasi (ended 31 Jul) is overdue instead.
    with django_capture_on_commit_callbacks(execute=True):
        result = monitoring.overdue_check(today=datetime.date(2019, 8, 20))
    assert (result["overdue"], result["slipping"]) == (1, 0)
    DigestRun.objects.all().delete()
    mail.outbox.clear()
    _report(w, ms[1], status="in_progress", percent=5)
    with django_capture_on_commit_callbacks(execute=True):
        result = monitoring.overdue_check(today=datetime.date(2019, 9, 25))
    # Surat pengantar online: Uji coba ends 30 Sep at 5 %, Evaluasi not started: behind, nothing overdue yet
    assert result["slipping"] == 1
    body = next(m.body for m in mail.outbox if m.to == ["lurah@salatiga.test"])
    assert "Surat pengantar online" in body and "tertinggal" in body and "poin" in body


def test_a_crashed_daily_check_can_run_again(deliver_world, monkeypatch):
    def boom(today):
        raise RuntimeError("database went away")

    monkeypatch.setattr(monitoring, "_check_and_send", boom)
    with pytest.raises(RuntimeError):
        monitoring.overdue_check(today=datetime.date(2019, 10, 15))
    assert not DigestRun.objects.exists()


def test_refused_mails_are_not_counted(deliver_world, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    result = monitoring.overdue_check(today=datetime.date(2019, 10, 15))
    assert result["overdue"] == 4 and result["mails"] == 0
    assert DigestRun.objects.get().mails == 0


def test_a_revised_and_approved_plan_keeps_the_progress(deliver_world):
    from labinov.innovations import plans

    w = deliver_world
    ms = list(w.plan.milestones.all())
    _report(w, ms[0], status="done", percent=100, files=[SimpleUploadedFile("a.png", _png())])
    before = monitoring.innovation_monitoring(innovation=w.inno, today=datetime.date(2019, 8, 15))
    assert (before["done"], before["overdue"]) == (1, 0)
    v2 = plans.plan_new_version(actor=w.users["organiser"], innovation=w.inno, reason="Jadwal uji coba disesuaikan")
    v2.status = "coach_approved"
    v2.coach_approved_by = w.users["coach"]
    v2.save()
    plans.plan_unit_approve(actor=w.users["unit_head"], plan=v2)
    after = monitoring.innovation_monitoring(innovation=w.inno, today=datetime.date(2019, 8, 15))
    assert after["plan"].version == 2
    assert (after["done"], after["overdue"]) == (1, 0)
    assert [len(m.report_list) for m in after["milestones"]] == [1, 0, 0]  # the report written on version 1
    rows = monitoring.unit_progress(program=w.program, unit=w.kel, today=datetime.date(2019, 8, 15))
    assert [m.evidence for m in {r["innovation"].pk: r for r in rows}[w.inno.pk]["milestones"]] == [1, 0, 0]


def _dashboard_by_python(program, today):
    """The dashboard's per-unit numbers the way they were computed before issue 14: every monitored milestone in Python."""
    per: dict = {}
    rows = monitoring.monitored_milestones().filter(plan__innovation__program=program).values_list(
        "plan__innovation__unit_id", "starts_on", "ends_on", "pct", "state")
    for unit_id, start, end, pct, state in rows:
        per.setdefault(unit_id, []).append((start, end, pct, state))
    return {
        unit_id: (len(ms), sum(1 for m in ms if m[3] == "done"),
                  sum(1 for m in ms if m[1] < today and m[3] != "done"),
                  round(monitoring.lag_points([m[:3] for m in ms], today)))
        for unit_id, ms in per.items()
    }


def test_dashboard_in_sql_equals_the_milestone_by_milestone_computation(deliver_world):
    """The current plan is the latest approved version; the lag summed in SQL equals lag_points() over its milestones."""
    from .conftest import make_plan

    w = deliver_world
    ms = list(w.plan.milestones.all())
    _report(w, ms[0], status="done", percent=100)
    _report(w, ms[1], percent=35)
    newer = make_plan(w.inno, version=2, milestones=[
        ("Sosialisasi ulang", datetime.date(2019, 7, 15), datetime.date(2019, 8, 20)),
        ("Penerapan", datetime.date(2019, 8, 21), datetime.date(2019, 12, 31)),
    ])
    assert monitoring.current_plan(w.inno) == newer
    _report(w, newer.milestones.first(), percent=70)
    make_plan(w.inno, version=3, status="draft")  # a draft never counts
    for today in (datetime.date(2019, 6, 1), datetime.date(2019, 7, 20), datetime.date(2019, 8, 21),
                  datetime.date(2019, 10, 15), datetime.date(2020, 1, 1)):
        data = monitoring.dashboard(program=w.program, today=today)
        got = {u["unit_id"]: (u["total"], u["done"], u["overdue"], u["lag"]) for u in data["units"]}
        assert got == _dashboard_by_python(w.program, today), today


def test_dashboard_brings_no_milestone_into_python(deliver_world):
    """The lag is summed in the GROUP BY: no query selects milestone dates row by row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = deliver_world
    with CaptureQueriesContext(connection) as ctx:
        monitoring.dashboard(program=w.program, today=datetime.date(2019, 8, 15))
    heads = [q["sql"].split(" FROM ")[0] for q in ctx.captured_queries]
    assert not [h for h in heads if '"starts_on"' in h and "SUM(" not in h.upper()], heads
