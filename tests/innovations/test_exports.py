"""Exports of a program's action plans: the XLSX workbook and the PDF booklet."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse

from labinov.core.pdf import url_fetcher
from labinov.innovations import exports
from labinov.innovations.models import ActionPlan, Milestone, PlanStatus, Risk, Stakeholder

from .test_overview import login, plans_world  # noqa: F401  (fixtures)

D = datetime.date


def _url(name, w, **query):
    url = reverse(name, args=[w.own.slug, w.program.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _sheet_rows(data: bytes, title: str) -> list[list]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in wb[title].iter_rows(values_only=True)]


# --------------------------------------------------------------------------- XLSX


def test_xlsx_has_one_row_per_milestone_and_an_indicator_sheet(plans_world, login):
    w = plans_world
    response = login(w.users["coach"]).get(_url("plans_export_xlsx", w))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"rencana-aksi-{w.own.slug}-{w.program.pk}.xlsx" in response["Content-Disposition"]
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(response.content), read_only=True).sheetnames == ["Rencana aksi", "Indikator"]
    rows = _sheet_rows(response.content, "Rencana aksi")
    assert rows[0] == ["Unit", "Innovation", "Version", "Plan status", "Objective", "Activity", "Start", "End",
                       "Person in charge", "Output", "Budget source", "Quick win"]
    body = rows[1:]
    # Kelurahan Kalicacing: Posyandu digital (no plan), Surat pengantar online v2 (2 milestones); SD: 1 milestone
    assert [(r[0], r[1], r[5]) for r in body] == [
        ("Kelurahan Kalicacing", "Posyandu digital", None),
        ("Kelurahan Kalicacing", "Surat pengantar online", "Sosialisasi ke RT"),
        ("Kelurahan Kalicacing", "Surat pengantar online", "Uji coba layanan WhatsApp"),
        ("SD Negeri Salatiga 01", "Perpustakaan keliling", "Rak buku bergilir"),
    ]
    surat = body[1]
    assert surat[2] == 2 and surat[3] == "Approved" and surat[4] == "Tujuan Surat pengantar online"
    assert surat[6].date() == D(2019, 7, 1) and surat[7].date() == D(2019, 7, 15)
    assert (surat[8], surat[11]) == ("Lurah", "yes")
    assert body[0][3] == "No plan yet"
    indicators = _sheet_rows(response.content, "Indikator")
    assert indicators[0][:4] == ["Unit", "Innovation", "Version", "Indicator"]
    assert [(r[1], r[3], r[6]) for r in indicators[1:]] == [
        ("Surat pengantar online", "Waktu layanan", "1"), ("Perpustakaan keliling", "Waktu layanan", "1")]


def test_xlsx_neutralises_formulas(plans_world, login):
    w = plans_world
    plan = ActionPlan.objects.get(innovation=w.perpus)
    Milestone.objects.filter(plan=plan).update(activity="=HYPERLINK(\"http://evil.test\",\"klik\")", pic="+62 812", output="-1",
                                               budget_source="@SUM(A1)")
    w.perpus.name = "=1+1"
    w.perpus.save(update_fields=["name"])
    rows = _sheet_rows(login(w.users["organiser"]).get(_url("plans_export_xlsx", w)).content, "Rencana aksi")
    row = next(r for r in rows if r[1] == "'=1+1")
    assert row[5] == "'=HYPERLINK(\"http://evil.test\",\"klik\")"
    assert (row[8], row[9], row[10]) == ("'+62 812", "'-1", "'@SUM(A1)")
    indicators = _sheet_rows(login(w.users["organiser"]).get(_url("plans_export_xlsx", w)).content, "Indikator")
    assert any(r[1] == "'=1+1" for r in indicators)


def test_xlsx_follows_the_overview_filters(plans_world, login):
    w = plans_world
    rows = _sheet_rows(login(w.users["organiser"]).get(_url("plans_export_xlsx", w, unit_kind="sd")).content, "Rencana aksi")
    assert [r[1] for r in rows[1:]] == ["Perpustakaan keliling"]


# --------------------------------------------------------------------------- PDF booklet


@pytest.fixture
def booklet_world(plans_world):
    w = plans_world
    plan = ActionPlan.objects.get(innovation=w.surat, version=2)
    Risk.objects.create(plan=plan, risk="Warga belum terbiasa", mitigation="Pendampingan oleh RT")
    Stakeholder.objects.create(plan=plan, name="Ketua RT/RW", contribution="Sosialisasi")
    return w


def _pdf_text(data: bytes) -> tuple[int, list[str]]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), [page.extract_text() for page in reader.pages]


def _make_booklet(client, url):
    """Start the booklet (the task runs at once in tests), follow to its status page, download it."""
    from labinov.innovations.models import BookletJob

    page = client.get(url)
    token = page.context["form"]["submission_token"].value()
    response = client.post(url, {"submission_token": token}, follow=True)
    job = BookletJob.objects.latest("pk")
    assert job.status == "done", job.message
    assert 'id="booklet-download"' in response.content.decode()
    return job, client.get(f"{response.redirect_chain[-1][0]}booklet.pdf")


def test_booklet_has_a_title_page_and_one_page_per_plan_in_indonesian(booklet_world, login):
    w = booklet_world
    job, response = _make_booklet(login(w.users["leader"]), _url("plans_export_pdf", w))
    assert response.status_code == 200 and job.plans == 2
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-")
    pages, texts = _pdf_text(data)
    assert pages == 1 + 2  # title page, Surat pengantar online, Perpustakaan keliling (Posyandu digital has no plan)
    title = " ".join(texts[0].split())
    assert "Lab INAGARA 2019" in title and "KOTA SALATIGA" in title.upper()
    assert re.search(r"\b2 (rencana aksi|action plans)\b", title), title  # the catalogue may not have the words yet
    surat = " ".join(texts[1].split())
    assert "Kelurahan Kalicacing" in surat and "Surat pengantar online" in surat
    assert "1 Juli 2019" in surat and "15 Juli 2019" in surat  # "14 November 2019" style, in Indonesian
    assert "Quick win" in surat and "Warga belum terbiasa" in surat and "Ketua RT/RW" in surat
    assert "Kegiatan versi lama" not in surat  # the latest version only
    perpus = " ".join(texts[2].split())
    assert "SD Negeri Salatiga 01" in perpus and "30 September 2019" in perpus


def test_booklet_pages_counted_by_weasyprint(booklet_world):
    """The same check without pypdf: WeasyPrint's own layout has one page per plan after the title page."""
    from weasyprint import HTML

    w = booklet_world
    html = exports.render_booklet_html(exports.booklet_context(program=w.program))
    assert len(HTML(string=html).render().pages) == 3
    assert "1 Juli 2019" in html and "Kelurahan Kalicacing" in html


def test_booklet_embeds_the_logo_and_fetches_nothing(booklet_world, settings, tmp_path):
    from django.core.files.base import ContentFile
    from PIL import Image

    w = booklet_world
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (138, 28, 28)).save(buffer, "PNG")
    w.own.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    context = exports.booklet_context(program=w.program)
    assert context["logo"].startswith("data:image/png;base64,")
    # a file: or http: URL in the page would not be read
    fetcher = url_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1/"):
        with pytest.raises(ValueError):
            fetcher(url)
    assert exports.plans_booklet_pdf(program=w.program).startswith(b"%PDF-")


def test_booklet_numbers_are_formatted_in_indonesian(booklet_world):
    from labinov.innovations.models import InnovationProfile

    w = booklet_world
    InnovationProfile.objects.create(innovation=w.surat, budget=150000000)
    html = exports.render_booklet_html(exports.booklet_context(program=w.program))
    assert "Rp 150.000.000" in html


def test_booklet_is_made_in_the_background_and_filters_carry_over(booklet_world, login):
    w = booklet_world
    job, response = _make_booklet(login(w.users["organiser"]), _url("plans_export_pdf", w, unit_kind="sd"))
    assert job.plans == 1 and job.filters["unit_kind"] == "sd"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_another_program_cannot_download_the_booklet(booklet_world, login):
    from labinov.innovations.models import BookletJob

    w = booklet_world
    _make_booklet(login(w.users["organiser"]), _url("plans_export_pdf", w))
    job = BookletJob.objects.latest("pk")
    url = _url("plans_export_pdf", w).replace(f"/programs/{w.program.pk}/", f"/programs/{w.program.pk}/") + f"{job.pk}/booklet.pdf"
    assert login(w.users["innovator"]).get(url).status_code == 403


def test_no_booklet_without_plans(booklet_world, login):
    from labinov.innovations.models import BookletJob

    w = booklet_world
    client = login(w.users["organiser"])
    url = _url("plans_export_pdf", w, status="none")
    token = client.get(url).context["form"]["submission_token"].value()
    response = client.post(url, {"submission_token": token})
    assert response.status_code == 200 and "There is no action plan to put in a booklet yet." in response.content.decode()
    assert not BookletJob.objects.exists()


@pytest.mark.parametrize("role,status", [("innovator", 403), ("unit_head", 403), ("other_organiser", 404), ("no_role", 404)])
def test_export_permissions(plans_world, login, role, status):
    w = plans_world
    client = login(w.users[role])
    assert client.get(_url("plans_export_xlsx", w)).status_code == status
    assert client.get(_url("plans_export_pdf", w)).status_code == status


def test_a_coach_plan_statuses_in_the_workbook_match_the_overview(plans_world, login):
    w = plans_world
    ActionPlan.objects.filter(innovation=w.perpus).update(status=PlanStatus.CHANGES_REQUESTED)
    rows = _sheet_rows(login(w.users["national_coach"]).get(_url("plans_export_xlsx", w)).content, "Rencana aksi")
    assert [r[3] for r in rows[1:] if r[1] == "Perpustakaan keliling"] == ["Changes requested"]
