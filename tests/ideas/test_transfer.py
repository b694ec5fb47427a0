"""Bulk import (template, upload checks, background parsing, preview, commit) and export of ideas."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook, load_workbook

from labinov.core.models import AuditRecord
from labinov.core.regulation import Initiator, InnovationForm, Urusan
from labinov.ideas import transfer
from labinov.ideas.models import Idea, IdeaImport, ImportStatus

HEADER = list(transfer.COLUMNS)
KEL, SD = "Kelurahan Kalicacing", "SD Negeri Salatiga 01"


def row(unit=KEL, judul="Antrean daring kelurahan", masalah="Warga antre sejak subuh", gagasan="Nomor antrean lewat WhatsApp",
        bentuk="pelayanan_publik", **extra) -> list:
    values = dict(unit=unit, judul=judul, masalah=masalah, gagasan=gagasan, bentuk=bentuk)
    values.update(extra)
    return [values.get(c, "") for c in HEADER]


GOOD_ROWS = [
    row(),
    row(unit=SD, judul="Pojok baca kelas", masalah="Minat baca rendah", gagasan="Rak buku di setiap kelas",
        bentuk="Pelayanan Publik", digital="tidak", urusan="perpustakaan, Pendidikan", inisiator="ASN",
        pengusul="Bu Ani\nPak Budi", akar_masalah="Buku sedikit", penerima_manfaat="Siswa", manfaat="Minat baca naik"),
    row(judul="Surat pengantar online", masalah="Surat pengantar lama", gagasan="Ajukan lewat aplikasi", bentuk="tata_kelola",
        digital="ya", urusan="adminduk;kominfo", inisiator="kepala daerah",
        replikasi_dari="Layanan Tiket Online, Kota Yogyakarta", yang_dimodifikasi="Untuk surat, bukan tiket"),
]


def xlsx(rows, header=HEADER, sheet="Ide") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if header is not None:
        ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def org(ideas_world, login, media):
    client = login(ideas_world.users["organiser"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted in English
    return client


def base(w, program=None) -> str:
    return f"/pemda/{w.own.slug}/programs/{(program or w.program).pk}/ideas/"


def post_file(client, w, content: bytes, name="ideas.xlsx"):
    return client.post(base(w) + "import/", {"file": SimpleUploadedFile(name, content)})


def status_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    assert re.search(r"/ideas/import/\d+/$", response["Location"]), response["Location"]
    return response["Location"]


def job_of(url: str) -> IdeaImport:
    return IdeaImport.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[-1]))


def token_of(page: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


def text(response) -> str:
    return response.content.decode()


def save_all(client, url):
    page = text(client.get(url))
    return client.post(url, {"submission_token": token_of(page)})


def stored_files(media) -> list:
    return list((media / "imports").glob("*")) if (media / "imports").exists() else []


def imported_ideas(w):
    return Idea.objects.filter(program=w.program).exclude(import_key="")


# --------------------------------------------------------------------------- template


def test_template_has_headers_drop_downs_units_and_instructions(ideas_world, org):
    w = ideas_world
    r = org.get(base(w) + "import/template.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Ide", "Daftar", "Petunjuk"]
    assert wb["Daftar"].sheet_state == "hidden"
    ws = wb["Ide"]
    assert [c.value for c in ws[1]] == HEADER
    assert ws.freeze_panes == "A2"
    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    lists = wb["Daftar"]

    def listed(column_letter):
        dv = validations[f"{column_letter}2"]
        assert dv.type == "list"
        ref = dv.formula1
        assert ref.startswith("Daftar!$")
        start, end = ref.split("!")[1].replace("$", "").split(":")
        return [c.value for (c,) in lists[start:end]]

    assert listed("A") == [KEL, SD]  # the participating units, by name; never another pemda's
    assert listed("H") == list(InnovationForm.values)
    assert listed("I") == ["ya", "tidak"]
    assert listed("K") == list(Initiator.values)
    help_text = " ".join(str(c.value) for r_ in wb["Petunjuk"].iter_rows() for c in r_ if c.value)
    for column in HEADER:
        assert column in help_text
    for value in list(Urusan.values) + list(InnovationForm.values) + list(Initiator.values):
        assert value in help_text
    assert "Wajib" in help_text and "dipisahkan koma" in help_text  # in Bahasa Indonesia
    assert "Dinas Kesehatan" not in help_text + " ".join(str(c.value) for r_ in lists.iter_rows() for c in r_ if c.value)
    # the empty template uploads cleanly but has nothing in it
    url = status_url(post_file(org, w, r.content))
    assert job_of(url).status == ImportStatus.INVALID
    assert "has no ideas below the header row" in text(org.get(url))


def test_upload_page_links_to_template_and_export(ideas_world, org):
    body = text(org.get(base(ideas_world) + "import/"))
    assert base(ideas_world) + "import/template.xlsx" in body
    assert base(ideas_world) + "export.xlsx" in body
    assert 'type="file"' in body


# --------------------------------------------------------------------------- the good path


def test_good_file_preview_then_save_all_creates_submitted_ideas(ideas_world, org, media):
    w = ideas_world
    before = Idea.objects.count()
    url = status_url(post_file(org, w, xlsx(GOOD_ROWS), name="ide kelurahan.xlsx"))
    job = job_of(url)
    assert job.program == w.program and job.uploaded_by == w.users["organiser"] and len(job.file_sha256) == 64
    assert job.status == ImportStatus.PREVIEW  # parsed at once by the immediate task backend
    assert len(stored_files(media)) == 1  # kept for the commit
    page = org.get(url)
    body = text(page)
    assert page.context["summary"]["new"] == 3 and page.context["summary"]["existing"] == 0
    assert page.context["summary"]["errors"] == 0
    assert 'name="submission_token"' in body and "Save all" in body
    assert "hx-trigger" not in body  # nothing is running: no polling
    assert Idea.objects.count() == before  # a preview saves nothing

    r = save_all(org, url)
    assert r.status_code == 302 and r["Location"] == url
    ideas = {i.title: i for i in imported_ideas(w)}
    assert len(ideas) == 3 and Idea.objects.count() == before + 3
    first = ideas["Antrean daring kelurahan"]
    assert first.unit == w.kel and first.status == "submitted" and first.submitted_at is not None
    assert first.form == "pelayanan_publik" and first.is_digital is False and first.initiator == "perangkat_daerah"
    assert first.created_by == w.users["organiser"] and first.pemda == w.own
    assert first.search_text and "antre" in first.search_text
    second = ideas["Pojok baca kelas"]
    assert second.unit == w.sd and second.urusan == ["pendidikan", "perpustakaan"]  # ordered as UU 23/2014
    assert second.initiator == "asn" and second.proposers == "Bu Ani\nPak Budi" and second.root_cause == "Buku sedikit"
    assert second.beneficiaries == "Siswa" and second.expected_benefit == "Minat baca naik"
    third = ideas["Surat pengantar online"]
    assert third.form == "tata_kelola" and third.is_digital and third.initiator == "kepala_daerah"
    assert third.urusan == ["adminduk", "kominfo"]
    assert third.is_replication and third.replication_source.startswith("Layanan Tiket Online")
    assert third.replication_changes == "Untuk surat, bukan tiket"
    audit = AuditRecord.objects.get(action="idea.import")
    assert audit.actor == w.users["organiser"] and audit.pemda == w.own
    assert audit.changes["created"] == 3 and audit.changes["existing"] == 0 and audit.changes["file"] == "ide kelurahan.xlsx"
    assert not AuditRecord.objects.filter(action="idea.create").exists()  # one record for the whole import
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.stored_file == ""
    assert stored_files(media) == []  # deleted after the commit
    done = text(org.get(url))
    assert "3 ideas were saved" in done and 'name="submission_token"' not in done


def test_same_file_again_creates_nothing(ideas_world, org, media):
    w = ideas_world
    content = xlsx(GOOD_ROWS)
    save_all(org, status_url(post_file(org, w, content)))
    count = Idea.objects.count()
    url = status_url(post_file(org, w, content))
    page = org.get(url)
    assert page.context["summary"]["existing"] == 3 and page.context["summary"]["new"] == 0
    assert "already imported" in text(page) and 'name="submission_token"' not in text(page)
    assert stored_files(media) == []  # nothing left to save: the file is gone already
    r = org.post(url, {}, follow=True)  # posted anyway
    assert r.status_code == 200
    assert Idea.objects.count() == count
    # the same ideas with other spacing and capitals are the same ideas
    shuffled = [[c.upper() if i in (1, 2) else c for i, c in enumerate(r_)] for r_ in GOOD_ROWS]
    shuffled[0][4] = "  Nomor   antrean lewat WhatsApp "
    url = status_url(post_file(org, w, xlsx(shuffled)))
    assert job_of(url).summary["existing"] == 3


def test_save_all_twice_saves_once(ideas_world, org):
    w = ideas_world
    url = status_url(post_file(org, w, xlsx(GOOD_ROWS)))
    token = token_of(text(org.get(url)))
    assert org.post(url, {"submission_token": token}).status_code == 302
    again = org.post(url, {"submission_token": token}, follow=True)
    assert again.status_code == 200
    assert imported_ideas(w).count() == 3
    assert AuditRecord.objects.filter(action="idea.import").count() == 1


def test_two_previews_of_one_file_save_once(ideas_world, org, login):
    from django.test import Client

    w = ideas_world
    admin = Client()
    admin.force_login(w.users["national_admin"])
    first = status_url(post_file(org, w, xlsx(GOOD_ROWS)))
    second = status_url(post_file(admin, w, xlsx(GOOD_ROWS)))
    first_token, second_token = token_of(text(org.get(first))), token_of(text(admin.get(second)))
    org.post(first, {"submission_token": first_token})
    admin.post(second, {"submission_token": second_token})
    assert imported_ideas(w).count() == 3
    assert [a.changes["created"] for a in AuditRecord.objects.filter(action="idea.import").order_by("pk")] == [3, 0]


def test_tasks_run_twice_do_nothing_twice(ideas_world, org):
    w = ideas_world
    url = status_url(post_file(org, w, xlsx(GOOD_ROWS)))
    job = job_of(url)
    assert transfer.parse_import(job.pk) == "skipped"
    save_all(org, url)
    assert transfer.commit_import(job.pk) == {"created": 0, "existing": 0}
    assert imported_ideas(w).count() == 3


def test_unit_leaving_the_program_between_preview_and_save(ideas_world, org, media):
    from labinov.programs.models import Participation

    w = ideas_world
    url = status_url(post_file(org, w, xlsx(GOOD_ROWS)))
    token = token_of(text(org.get(url)))
    Idea.objects.filter(unit=w.sd).delete()
    Participation.objects.filter(program=w.program, unit=w.sd).delete()
    org.post(url, {"submission_token": token})
    job = job_of(url)
    assert job.status == ImportStatus.INVALID
    assert imported_ideas(w).count() == 0
    assert stored_files(media) == []
    assert "Row 3, column unit:" in text(org.get(url))


def test_bom_in_header_and_values_is_stripped(ideas_world, org):
    w = ideas_world
    header = ["\ufeffunit"] + HEADER[1:]
    rows = [row(unit="\ufeff" + KEL, judul="\ufeffPosyandu keliling", bentuk="\ufeffpelayanan_publik")]
    url = status_url(post_file(org, w, xlsx(rows, header=header)))
    assert job_of(url).summary["new"] == 1
    save_all(org, url)
    assert imported_ideas(w).get().title == "Posyandu keliling"


def test_unit_by_code_columns_in_any_order_and_labels(ideas_world, org):
    w = ideas_world
    w.sd.code = "SDN-01"
    w.sd.save(update_fields=["code"])
    header = list(reversed(HEADER))
    values = row(unit="sdn-01", bentuk="Other innovation within the region's affairs (lainnya sesuai urusan)",
                 inisiator="Member of the DPRD", digital="TRUE", urusan="KESEHATAN")
    url = status_url(post_file(org, w, xlsx([list(reversed(values))], header=header)))
    save_all(org, url)
    idea = imported_ideas(w).get()
    assert idea.unit == w.sd and idea.form == "lainnya" and idea.initiator == "dprd" and idea.is_digital
    assert idea.urusan == ["kesehatan"]


# --------------------------------------------------------------------------- refused files (at upload)


@pytest.mark.parametrize(
    "content, name, expected",
    [
        (b"", "ideas.xlsx", "The file is empty"),
        (b"unit,judul,masalah\nKelurahan Kalicacing,A,B\n", "ideas.xlsx", "text (CSV) file"),
        ("\ufeffunit;judul;masalah\nKelurahan Kalicacing;A;B\n".encode("utf-8"), "ideas.xlsx", "text (CSV) file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "ideas.xls", ".xls"),
        (bytes(range(256)) * 8, "ideas.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04" + b"\x00" * 100, "ideas.xlsx", "damaged"),
    ],
    ids=["empty", "csv-renamed", "csv-with-bom", "xls", "random-bytes", "broken-zip"],
)
def test_not_an_xlsx_is_refused_at_once(ideas_world, org, media, content, name, expected):
    before = Idea.objects.count()
    r = post_file(org, ideas_world, content, name)
    assert r.status_code == 200
    assert expected in text(r)
    assert not IdeaImport.objects.exists() and stored_files(media) == []
    assert Idea.objects.count() == before


def test_oversized_file_is_refused(ideas_world, org, settings, media):
    settings.LABINOV_MAX_IMPORT_BYTES = 1000
    r = post_file(org, ideas_world, xlsx(GOOD_ROWS))
    assert r.status_code == 200
    assert "at most 1000" in text(r).replace("\xa0", " ")
    assert not IdeaImport.objects.exists() and stored_files(media) == []


def test_fifty_megabytes_are_refused(ideas_world, org, media):
    big = b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024)
    r = post_file(org, ideas_world, big)
    assert r.status_code == 200 and "at most" in text(r)
    assert not IdeaImport.objects.exists()


def test_zip_bomb_is_refused(ideas_world, org, media):
    bomb = with_member(xlsx(GOOD_ROWS), "xl/media/padding.bin", b"\x00" * (20 * 1024 * 1024))
    assert len(bomb) < 200_000
    r = post_file(org, ideas_world, bomb)
    assert "zip bomb" in text(r)
    assert not IdeaImport.objects.exists() and Idea.objects.filter(import_key__gt="").count() == 0


def test_macros_are_refused(ideas_world, org, media):
    r = post_file(org, ideas_world, with_member(xlsx(GOOD_ROWS), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really vba"))
    assert "macros" in text(r)
    assert not IdeaImport.objects.exists() and stored_files(media) == []


# --------------------------------------------------------------------------- refused files (while reading)


def refused_file(org, w, media, content) -> str:
    url = status_url(post_file(org, w, content))
    job = job_of(url)
    assert job.status == ImportStatus.INVALID
    assert stored_files(media) == []  # an invalid file is deleted at once
    body = text(org.get(url))
    assert 'name="submission_token"' not in body
    assert org.post(url, {}).status_code == 200  # posting anyway saves nothing
    assert imported_ideas(w).count() == 0
    return body


def test_wrong_headers_are_named(ideas_world, org, media):
    header = ["unit", "title"] + HEADER[2:4] + HEADER[5:]
    body = refused_file(org, ideas_world, media, xlsx([row()], header=header))
    assert "Missing columns: judul, gagasan" in body
    assert "Unexpected columns: title" in body


def test_more_than_5000_rows_are_refused(ideas_world, org, media):
    rows = [row(judul=f"Ide {i}") for i in range(transfer.MAX_ROWS + 1)]
    body = refused_file(org, ideas_world, media, xlsx(rows))
    assert "more than 5" in body and "rows of ideas" in body


# --------------------------------------------------------------------------- row errors


def assert_refused_row(org, w, media, rows, row_number, column, fragment):
    url = status_url(post_file(org, w, xlsx(rows)))
    job = job_of(url)
    assert job.status == ImportStatus.INVALID, job.summary
    body = text(org.get(url))
    assert f"Row {row_number}, column {column}:" in body, body[body.find("import-errors") - 200:][:3000]
    assert fragment in body, body[body.find("import-errors"):][:3000]
    assert "Nothing will be saved until the file is fixed" in body
    assert 'name="submission_token"' not in body
    assert stored_files(media) == []
    forced = org.post(url, {}, follow=True)
    assert forced.status_code == 200
    assert imported_ideas(w).count() == 0
    return job


@pytest.mark.parametrize(
    "bad, column, fragment",
    [
        (dict(judul=""), "judul", "required; the cell is empty"),
        (dict(masalah="   "), "masalah", "required; the cell is empty"),
        (dict(gagasan=None), "gagasan", "required; the cell is empty"),
        (dict(unit=""), "unit", "required; the cell is empty"),
        (dict(bentuk=""), "bentuk", "required; the cell is empty"),
        (dict(unit="Dinas Entah"), "unit", "There is no unit “Dinas Entah”"),
        (dict(unit="Dinas Kesehatan"), "unit", "There is no unit “Dinas Kesehatan”"),  # another pemda's unit
        (dict(judul="=HYPERLINK(\"http://x\")"), "judul", "Formulas are not allowed"),
        (dict(bentuk="inovasi"), "bentuk", "Unknown form “inovasi”"),
        (dict(digital="mungkin"), "digital", "Unknown value “mungkin”; write ya or tidak"),
        (dict(inisiator="presiden"), "inisiator", "Unknown initiator “presiden”"),
        (dict(urusan="kesehatan, luar angkasa"), "urusan", "Unknown urusan: “luar angkasa”"),
        (dict(judul="x" * 300), "judul", "longer than 255 characters"),
        (dict(yang_dimodifikasi="Diubah"), "replikasi_dari", "Name the innovation this idea replicates"),
    ],
    ids=["judul", "masalah", "gagasan", "unit", "bentuk", "unknown-unit", "other-pemda-unit", "formula", "bad-bentuk",
         "bad-digital", "bad-inisiator", "bad-urusan", "long-title", "changes-without-source"],
)
def test_row_errors_name_row_and_column(ideas_world, org, media, bad, column, fragment):
    rows = [GOOD_ROWS[1], row(**bad)]
    assert_refused_row(org, ideas_world, media, rows, 3, column, fragment)


def test_unit_of_the_pemda_outside_the_program(ideas_world, org, media):
    from labinov.regions.models import Unit

    Unit.objects.create(pemda=ideas_world.own, name="Dinas Pendidikan", kind="dinas")
    assert_refused_row(org, ideas_world, media, [row(unit="dinas pendidikan")], 2, "unit", "does not take part in this program")


def test_duplicate_rows_in_the_file_are_an_error(ideas_world, org, media):
    rows = [row(), GOOD_ROWS[1], row(judul=" antrean DARING kelurahan ")]
    assert_refused_row(org, ideas_world, media, rows, 4, "judul", "is already on row 2")


def test_every_error_of_a_row_is_reported(ideas_world, org, media):
    job = assert_refused_row(org, ideas_world, media, [row(unit="=A1", judul="", bentuk="x", digital="?")], 2, "unit", "Formulas")
    assert {e["column"] for e in job.errors} == {"unit", "judul", "bentuk", "digital"}
    assert job.summary["error_rows"] == 1 and job.summary["errors"] == 4


def test_errors_are_all_counted_but_at_most_500_stored(ideas_world, org, media):
    rows = [row(judul=f"Ide {i}", bentuk="?") for i in range(600)]
    url = status_url(post_file(org, ideas_world, xlsx(rows)))
    job = job_of(url)
    assert job.summary["errors"] == 600 and job.summary["error_rows"] == 600
    assert len(job.errors) == transfer.MAX_STORED_ERRORS
    assert "and 100 more errors" in text(org.get(url))


# --------------------------------------------------------------------------- progress and the status page


def test_progress_bar_polls_while_running_and_stops_when_done(ideas_world, org):
    w = ideas_world
    job = IdeaImport.objects.create(program=w.program, uploaded_by=w.users["organiser"], file_name="a.xlsx",
                                    file_sha256="0" * 64, status=ImportStatus.READING, total_rows=1000, processed_rows=250)
    url = base(w) + f"import/{job.pk}/"
    body = text(org.get(url))
    assert re.search(r'<progress[^>]*value="25"', body)
    assert 'role="status"' in body and "250 of 1,000 rows" in body
    assert f'hx-get="{url}"' in body and 'hx-trigger="every 1s"' in body
    partial = org.get(url, headers={"HX-Request": "true"})
    assert "<html" not in text(partial) and 'hx-trigger="every 1s"' in text(partial)
    IdeaImport.objects.filter(pk=job.pk).update(status=ImportStatus.INVALID, message="Broken.")
    partial = text(org.get(url, headers={"HX-Request": "true"}))
    assert "hx-trigger" not in partial and "<progress" not in partial and "Broken." in partial


def test_an_import_belongs_to_its_program(ideas_world, org):
    from labinov.programs.models import Program

    w = ideas_world
    second = Program.objects.create(pemda=w.own, name="Lab 2020", year=2020, stage="diagnose")
    job = IdeaImport.objects.create(program=second, file_name="a.xlsx", file_sha256="0" * 64, status=ImportStatus.PREVIEW)
    assert org.get(base(w) + f"import/{job.pk}/").status_code == 404
    assert org.get(base(w, second) + f"import/{job.pk}/").status_code == 200
    other_job = IdeaImport.objects.create(program=w.other_program, file_name="a.xlsx", file_sha256="0" * 64)
    assert org.get(base(w) + f"import/{other_job.pk}/").status_code == 404


def test_status_page_query_count_does_not_grow(ideas_world, org):
    w = ideas_world

    def job(n_errors):
        errors = [{"row": i + 2, "column": "judul", "message": "This column is required; the cell is empty."} for i in range(n_errors)]
        return IdeaImport.objects.create(
            program=w.program, file_name="a.xlsx", file_sha256="0" * 64, status=ImportStatus.INVALID, errors=errors,
            summary={"rows": n_errors, "new": 0, "existing": 0, "errors": n_errors * 3, "error_rows": n_errors},
            total_rows=n_errors, processed_rows=n_errors)

    def counted(url):
        seen = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: (seen.append(sql), execute(sql, params, many, context))[1]):
            response = org.get(url)
        assert response.status_code == 200
        return len(seen)

    small = counted(base(w) + f"import/{job(2).pk}/")
    big = counted(base(w) + f"import/{job(500).pk}/")
    assert small == big and small < 15


# --------------------------------------------------------------------------- 5,000 rows


def test_five_thousand_rows(ideas_world, org, media):
    w = ideas_world
    rows = [row(unit=KEL if i % 2 else SD, judul=f"Ide inovasi nomor {i}", masalah=f"Masalah pelayanan ke-{i} di kelurahan",
                gagasan=f"Gagasan perubahan {i} dengan aplikasi daring", urusan="kesehatan, adminduk", digital="ya")
            for i in range(5000)]
    content = xlsx(rows)
    # 5,000 rows must work; how fast is measured by bench/bench_import.py, not asserted here (a
    # timed test fails on a busy shared machine).
    url = status_url(post_file(org, w, content))
    assert job_of(url).summary["new"] == 5000
    save_all(org, url)
    job = job_of(url)
    assert job.status == ImportStatus.DONE and job.summary["created"] == 5000
    assert job.processed_rows == job.total_rows == 5000 and job.percent == 100
    assert imported_ideas(w).count() == 5000


# --------------------------------------------------------------------------- export


def exported(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return sheet_rows(response.content)


def sheet_rows(content: bytes) -> list[dict]:
    ws = load_workbook(io.BytesIO(content), read_only=True)["Ide"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_export_lists_visible_ideas_with_all_fields(ideas_world, org):
    w = ideas_world
    rows = exported(org.get(base(w) + "export.xlsx"))
    titles = {r["judul"] for r in rows}
    assert titles == {w.idea.title, w.sd_idea.title}  # no draft of a unit, nothing of another pemda
    first = next(r for r in rows if r["judul"] == w.idea.title)
    assert first["unit"] == KEL and first["masalah"] == w.idea.problem and first["gagasan"] == w.idea.proposed_change
    assert first["status"] == "submitted" and first["bentuk"] == "pelayanan_publik" and first["digital"] == "tidak"
    for column in ("keputusan", "alasan", "inovasi", "inisiator", "urusan", "pengusul", "replikasi_dari"):
        assert column in first


def test_export_shows_decisions(ideas_world, org):
    w = ideas_world
    Idea.objects.filter(pk=w.sd_idea.pk).update(status="rejected", decision_reason="Sudah ada program serupa")
    row_ = next(r for r in exported(org.get(base(w) + "export.xlsx")) if r["judul"] == w.sd_idea.title)
    assert row_["status"] == "rejected" and row_["alasan"] == "Sudah ada program serupa" and row_["keputusan"]


def test_export_neutralises_formula_like_cells(ideas_world, org):
    w = ideas_world
    Idea.objects.filter(pk=w.idea.pk).update(
        title='=HYPERLINK("http://evil.test","klik")', problem="+62 811 000", proposed_change="-1+1",
        beneficiaries="@SUM(A1)", expected_benefit="\tTab", root_cause="\rCR", proposers="Aman = biasa")
    rows = exported(org.get(base(w) + "export.xlsx"))
    r = next(r for r in rows if r["id"] == w.idea.pk)
    assert r["judul"] == '\'=HYPERLINK("http://evil.test","klik")'
    assert r["masalah"] == "'+62 811 000" and r["gagasan"] == "'-1+1" and r["penerima_manfaat"] == "'@SUM(A1)"
    assert r["manfaat"] == "'\tTab" and r["akar_masalah"].startswith("'")
    assert r["pengusul"] == "Aman = biasa"
    # and no cell of the file is stored as a formula
    wb = load_workbook(io.BytesIO(org.get(base(w) + "export.xlsx").content))
    assert not any(c.data_type == "f" for r_ in wb["Ide"].iter_rows() for c in r_)


def test_an_innovators_export_has_only_their_units_ideas(ideas_world):
    w = ideas_world
    rows = sheet_rows(transfer.export_workbook(actor=w.users["innovator"], program=w.program))
    assert {r["judul"] for r in rows} == {w.idea.title, w.draft.title}
    assert {r["unit"] for r in rows} == {KEL}


def test_export_query_count_does_not_grow(ideas_world, org):
    w = ideas_world

    def counted():
        seen = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: (seen.append(sql), execute(sql, params, many, context))[1]):
            assert org.get(base(w) + "export.xlsx").status_code == 200
        return len(seen)

    small = counted()
    Idea.objects.bulk_create([Idea(pemda=w.own, program=w.program, unit=w.sd, status="submitted", title=f"Ide {i}",
                                   problem="p", proposed_change="g", form="lainnya") for i in range(60)])
    assert counted() == small


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("role, status", [("innovator", 403), ("coach", 403), ("other_organiser", 404)])
def test_import_access(ideas_world, login, media, role, status):
    w = ideas_world
    client = login(w.users[role])
    job = IdeaImport.objects.create(program=w.program, file_name="a.xlsx", file_sha256="0" * 64, status=ImportStatus.PREVIEW)
    assert client.get(base(w) + "import/").status_code == status
    assert client.get(base(w) + "import/template.xlsx").status_code == status
    assert client.get(base(w) + f"import/{job.pk}/").status_code == status
    r = client.post(base(w) + "import/", {"file": SimpleUploadedFile("i.xlsx", xlsx(GOOD_ROWS))})
    assert r.status_code == status
    assert client.post(base(w) + f"import/{job.pk}/", {}).status_code == status
    assert IdeaImport.objects.count() == 1 and stored_files(media) == []
    assert imported_ideas(w).count() == 0


@pytest.mark.parametrize("role, status", [("innovator", 403), ("unit_head", 403), ("coach", 200), ("leader", 200),
                                          ("national_coach", 200), ("other_organiser", 404)])
def test_export_access(ideas_world, login, role, status):
    assert login(ideas_world.users[role]).get(base(ideas_world) + "export.xlsx").status_code == status


def test_import_only_in_diagnose(ideas_world, org):
    w = ideas_world
    w.program.stage = "design"
    w.program.save(update_fields=["stage"])
    assert org.get(base(w) + "import/").status_code == 403
    assert org.get(base(w) + "export.xlsx").status_code == 200


def test_commit_refused_once_the_program_left_diagnose(ideas_world, org, media):
    w = ideas_world
    url = status_url(post_file(org, w, xlsx(GOOD_ROWS)))
    job = job_of(url)
    w.program.stage = "design"
    w.program.save(update_fields=["stage"])
    with pytest.raises(ValidationError, match="Diagnose"):
        transfer.commit_request(actor=w.users["organiser"], imp=transfer.import_get(actor=None, program=w.program, pk=job.pk))
    IdeaImport.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTING)
    transfer.commit_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID and "Diagnose" in job.message
    assert imported_ideas(w).count() == 0 and stored_files(media) == []


def test_stale_imports_expire_and_their_files_go(ideas_world, org, media):
    import datetime

    from django.utils import timezone

    w = ideas_world
    url = status_url(post_file(org, w, xlsx(GOOD_ROWS)))
    assert len(stored_files(media)) == 1
    IdeaImport.objects.filter(pk=job_of(url).pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    assert transfer.purge_stale_files() == 1
    job = job_of(url)
    assert job.status == ImportStatus.FAILED and job.stored_file == "" and stored_files(media) == []
    assert "expired" in text(org.get(url))


# --------------------------------------------------------------------------- a messy workbook, as units really send them


def messy_workbook(rows, *, header=None, title_rows=2) -> bytes:
    """A workbook as it comes back from the units: a title above the header, a "No" column, headers written
    "Akar Masalah", abbreviated unit names, yes/no as "Iya"/"Tdk"/"-", dates typed as dates."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Ide"
    if title_rows:
        ws.append(["DAFTAR IDE INOVASI LAB INAGARA 2019 — KOTA SALATIGA"])
        ws.merge_cells("A1:H1")
        for _ in range(title_rows - 1):
            ws.append([])
    ws.append(header or ["No", "Unit", "Judul", "Masalah", "Akar Masalah", "Gagasan", "Penerima Manfaat", "MANFAAT", "Bentuk",
                         "Digital", "Urusan", "Inisiator", "Pengusul", "Replikasi_Dari", "yang dimodifikasi"])
    for number, values in enumerate(rows, start=1):
        ws.append([number] + [values.get(c, "") for c in HEADER])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


MESSY_ROWS = [
    dict(unit="Kel. Kalicacing", judul="Antrean daring kelurahan", masalah="Warga antre sejak subuh", gagasan="Nomor antrean",
         bentuk="Pelayanan Publik", digital="Iya", manfaat=datetime.datetime(2026, 3, 14)),
    dict(unit="SDN Salatiga 1", judul="Pojok baca kelas", masalah="Minat baca rendah", gagasan="Rak buku di kelas",
         bentuk="pelayanan_publik", digital="Tdk", akar_masalah="Buku\x85 sedikit\x9c"),  # C1 controls of a mis-decoded paste
    dict(unit="kel kalicacing", judul="Posyandu remaja", masalah="Remaja jarang ke posyandu", gagasan="Posyandu sore hari",
         bentuk="tata_kelola", digital="-"),
    dict(unit="KELURAHAN  KALICACING", judul="Kartu sehat digital", masalah="Kartu hilang", gagasan="Kartu di aplikasi",
         bentuk="tata_kelola", digital="Y"),
]


def test_a_messy_workbook_is_read_and_saved(ideas_world, org, media):
    w = ideas_world
    url = status_url(post_file(org, w, messy_workbook(MESSY_ROWS)))
    job = job_of(url)
    assert job.status == ImportStatus.PREVIEW, (job.message, job.errors)
    assert (job.summary["new"], job.summary["header_row"]) == (4, 3)
    assert "Column names taken from row 3 of the sheet “Ide”" in text(org.get(url))
    save_all(org, url)
    ideas = {i.title: i for i in imported_ideas(w)}
    assert {t: (i.unit_id, i.is_digital) for t, i in ideas.items()} == {
        "Antrean daring kelurahan": (w.kel.pk, True), "Pojok baca kelas": (w.sd.pk, False),
        "Posyandu remaja": (w.kel.pk, False), "Kartu sehat digital": (w.kel.pk, True)}
    assert ideas["Antrean daring kelurahan"].expected_benefit == "2026-03-14"  # not "2026-03-14 00:00:00"
    assert ideas["Pojok baca kelas"].root_cause == "Buku sedikit"  # the control character is gone


def test_a_close_unit_name_gets_a_suggestion_not_a_guess(ideas_world, org, media):
    job = assert_refused_row(org, ideas_world, media, [row(unit="Kelurahan Kalicacin")], 2, "unit",
                             "Did you mean: Kelurahan Kalicacing?")
    assert job.summary["error_rows"] == 1


def test_a_wrong_header_under_a_title_names_its_row_and_only_what_is_missing(ideas_world, org, media):
    header = ["No", "Unit", "Judul", "Masalah", "Akar Masalah", "Penerima Manfaat", "Manfaat", "Bentuk", "Digital",
              "Urusan", "Inisiator", "Pengusul", "Replikasi Dari", "Yang Dimodifikasi", "Catatan"]
    body = refused_file(org, ideas_world, media, messy_workbook([MESSY_ROWS[0]], header=header))
    assert "The header row (row 3) is wrong." in body
    assert "Missing columns: gagasan." in body and "Unexpected columns: Catatan." in body
    assert "row 1" not in body


def test_no_header_in_the_first_rows(ideas_world, org, media):
    body = refused_file(org, ideas_world, media, xlsx([["a", "b"]] * 12, header=["Daftar", "ide"]))
    assert "No header row found in the first 10 rows of the sheet “Ide”" in body


def test_a_nip_typed_as_a_number_in_any_text_column_is_refused(ideas_world, org, media):
    """Issue 9.17: an 18-digit NIP typed as a number has lost its last digits before we read it."""
    assert_refused_row(org, ideas_world, media, [row(pengusul=198010242006041009)], 2, "pengusul", "Format the column as Text")


def test_a_unit_code_typed_as_a_long_number_is_refused(ideas_world, org, media):
    from labinov.regions.models import Unit

    Unit.objects.filter(pk=ideas_world.kel.pk).update(code="337301100120190001")
    assert_refused_row(org, ideas_world, media, [row(unit=337301100120190001)], 2, "unit", "Format the column as Text")
