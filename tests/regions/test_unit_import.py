"""Importing units from the XLSX template: template, upload checks, row validation, preview, commit."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries
from openpyxl import Workbook, load_workbook

from labinov.core.models import AuditRecord
from labinov.regions import unit_import
from labinov.regions.models import Unit, UnitKind

HEADER = ["nama", "jenis", "induk", "negeri_swasta", "kode", "kode_wilayah"]

GOOD_ROWS = [
    # children before their parents on purpose: the order of rows does not matter
    ["SD Negeri Blotongan 01", "SD", "Kelurahan Blotongan", "Negeri", "", ""],
    ["Kelurahan Blotongan", "kelurahan", "Kecamatan Sidorejo", "", "", "33.73.01.1001"],
    ["Kecamatan Sidorejo", "Kecamatan", "", "", "KEC-01", "33.73.01"],
    ["Puskesmas Kalicacing", "puskesmas", "kelurahan kalicacing", "", "", ""],  # an existing parent
    ["Dinas Pendidikan", "Dinas", "", "", "DIK", ""],
    ["SD Negeri Salatiga 01", "sd", "", "negeri", "", ""],  # already exists: skipped
]


def xlsx(rows, header=HEADER, sheet="Unit") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if header is not None:
        ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def org(world, login):
    client = login(world.users["organiser"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted in English, whatever the catalogue
    return client


def urls(world):
    slug = world.own.slug
    return {
        "upload": f"/pemda/{slug}/units/import/",
        "template": f"/pemda/{slug}/units/import/template.xlsx",
        "list": f"/pemda/{slug}/units/",
    }


def post_file(client, world, content: bytes, name="units.xlsx"):
    return client.post(urls(world)["upload"], {"file": SimpleUploadedFile(name, content)})


def preview_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert re.search(r"/units/import/\d+/$", response["Location"]), response["Location"]
    return response["Location"]


def token_of(page: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


def commit(client, url):
    page = client.get(url).content.decode()
    return client.post(url, {"submission_token": token_of(page)})


def text(response) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------- template


def test_template_has_headers_drop_downs_and_instructions(world, org):
    r = org.get(urls(world)["template"])
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"] == 'attachment; filename="unit-3373.xlsx"'
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Unit", "Petunjuk"]
    ws = wb["Unit"]
    assert [c.value for c in ws[1]] == HEADER
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    kinds = next(dv for ref, dv in validations.items() if ref.startswith("B2:"))
    assert kinds.type == "list"
    assert kinds.formula1.strip('"').split(",") == list(UnitKind.values)
    ownership = next(dv for ref, dv in validations.items() if ref.startswith("D2:"))
    assert ownership.formula1.strip('"').split(",") == ["negeri", "swasta"]
    help_text = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    for column in HEADER:
        assert column in help_text
    for value in UnitKind.values:
        assert value in help_text
    assert "Wajib" in help_text  # in Bahasa Indonesia
    # the template itself uploads cleanly (but has no units yet)
    refused = post_file(org, world, r.content)
    assert refused.status_code == 200 and "has no units below the header row" in text(refused)


def test_upload_page_links_to_template(world, org):
    r = org.get(urls(world)["upload"])
    assert r.status_code == 200
    assert urls(world)["template"] in text(r)
    assert 'type="file"' in text(r)


# --------------------------------------------------------------------------- the good path


def test_good_file_preview_then_commit_creates_units_with_parents(world, org):
    before = Unit.objects.count()
    url = preview_url(post_file(org, world, xlsx(GOOD_ROWS)))
    page = org.get(url)
    body = text(page)
    assert "already exists — skipped" in body
    assert "submission_token" in body  # the commit button is there
    assert page.context["counts"]["new"] == 5 and page.context["counts"]["skipped"] == 1
    assert Unit.objects.count() == before  # a preview saves nothing

    r = commit(org, url)
    assert r.status_code == 302 and r["Location"] == urls(world)["list"]
    assert Unit.objects.count() == before + 5
    units = {u.name: u for u in Unit.objects.filter(pemda=world.own).select_related("parent")}
    assert units["Kecamatan Sidorejo"].kind == "kecamatan" and units["Kecamatan Sidorejo"].parent is None
    assert units["Kecamatan Sidorejo"].code == "KEC-01" and units["Kecamatan Sidorejo"].region_code == "33.73.01"
    assert units["Kelurahan Blotongan"].parent == units["Kecamatan Sidorejo"]
    assert units["SD Negeri Blotongan 01"].parent == units["Kelurahan Blotongan"]
    assert units["SD Negeri Blotongan 01"].ownership == "negeri"
    assert units["Puskesmas Kalicacing"].parent == world.kel
    assert units["Dinas Pendidikan"].kind == "dinas"
    audit = AuditRecord.objects.get(action="unit.import")
    assert audit.pemda == world.own and audit.actor == world.users["organiser"]
    assert audit.changes["created"] == 5 and audit.changes["skipped"] == 1
    listing = text(org.get(urls(world)["list"]))
    assert "5 units imported, 1 already existed" in listing


def test_same_file_again_creates_nothing(world, org):
    content = xlsx(GOOD_ROWS)
    commit(org, preview_url(post_file(org, world, content)))
    count = Unit.objects.count()
    url = preview_url(post_file(org, world, content))
    page = org.get(url)
    assert page.context["counts"]["skipped"] == 6 and page.context["counts"]["new"] == 0
    assert page.context["counts"]["error"] == 0
    assert "there is nothing to import" in text(page)
    r = org.post(url, {})  # posted anyway
    assert r.status_code == 302
    assert Unit.objects.count() == count


def test_posting_commit_twice_creates_nothing_twice(world, org):
    url = preview_url(post_file(org, world, xlsx(GOOD_ROWS)))
    token = token_of(text(org.get(url)))
    before = Unit.objects.count()
    assert org.post(url, {"submission_token": token}).status_code == 302
    assert Unit.objects.count() == before + 5
    again = org.post(url, {"submission_token": token}, follow=True)
    assert again.status_code == 200
    assert Unit.objects.count() == before + 5
    assert AuditRecord.objects.filter(action="unit.import").count() == 1


def test_two_previews_of_one_file_commit_once(world, org):
    from django.test import Client

    other = Client()  # a second organiser session previews the same file before the first saves it
    other.force_login(world.users["national_admin"])
    before = Unit.objects.count()
    first = preview_url(post_file(org, world, xlsx(GOOD_ROWS)))
    second = preview_url(post_file(other, world, xlsx(GOOD_ROWS)))
    first_page, second_page = org.get(first), other.get(second)
    assert first_page.context["counts"]["new"] == second_page.context["counts"]["new"] == 5
    org.post(first, {"submission_token": token_of(text(first_page))})
    other.post(second, {"submission_token": token_of(text(second_page))})
    assert Unit.objects.count() == before + 5
    assert [a.changes["created"] for a in AuditRecord.objects.filter(action="unit.import").order_by("pk")] == [5, 0]


def test_commit_service_is_idempotent(world):
    rows = unit_import.read_upload(SimpleUploadedFile("u.xlsx", xlsx(GOOD_ROWS)))["rows"]
    assert unit_import.commit(actor=world.users["organiser"], pemda=world.own, rows=rows) == {"created": 5, "skipped": 1}
    assert unit_import.commit(actor=world.users["organiser"], pemda=world.own, rows=rows) == {"created": 0, "skipped": 6}


def test_name_taken_between_preview_and_commit_is_skipped(world, org):
    url = preview_url(post_file(org, world, xlsx(GOOD_ROWS)))
    token = token_of(text(org.get(url)))
    Unit.objects.create(pemda=world.own, name="DINAS PENDIDIKAN", kind="dinas")
    before = Unit.objects.count()
    r = org.post(url, {"submission_token": token}, follow=True)
    assert Unit.objects.count() == before + 4
    assert "4 units imported, 2 already existed" in text(r)


def test_bom_in_header_and_values_is_stripped(world, org):
    header = ["\ufeffnama"] + HEADER[1:]
    url = preview_url(post_file(org, world, xlsx([["\ufeffDinas Sosial", "dinas", "", "", "", ""]], header=header)))
    assert org.get(url).context["counts"]["new"] == 1
    commit(org, url)
    assert Unit.objects.filter(pemda=world.own, name="Dinas Sosial").exists()


def test_columns_may_come_in_any_order_and_labels_are_accepted(world, org):
    header = ["jenis", "nama", "kode_wilayah", "kode", "negeri_swasta", "induk"]
    rows = [["SMA/SMK", "SMA Kristen Satya Wacana", "", "", "Swasta (private)", ""]]
    url = preview_url(post_file(org, world, xlsx(rows, header=header)))
    commit(org, url)
    unit = Unit.objects.get(name="SMA Kristen Satya Wacana")
    assert unit.kind == "sma" and unit.ownership == "swasta"


# --------------------------------------------------------------------------- refused files


@pytest.mark.parametrize(
    "content, name, expected",
    [
        (b"", "units.xlsx", "The file is empty"),
        (b"nama,jenis,induk\nDinas A,dinas,\n", "units.xlsx", "text (CSV) file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "units.xls", ".xls"),
        (bytes(range(256)) * 8, "units.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04" + b"\x00" * 100, "units.xlsx", "damaged"),
    ],
    ids=["empty", "csv-renamed", "xls", "random-bytes", "broken-zip"],
)
def test_not_an_xlsx_is_refused(world, org, content, name, expected):
    before = Unit.objects.count()
    r = post_file(org, world, content, name)
    assert r.status_code == 200
    assert expected in text(r)
    assert "Nothing was saved" in text(r)
    assert Unit.objects.count() == before


def test_zip_that_is_not_a_workbook_is_refused(world, org):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    r = post_file(org, world, out.getvalue())
    assert "ZIP archive but not an Excel workbook" in text(r)


def test_oversized_file_is_refused(world, org, settings):
    settings.LABINOV_MAX_IMPORT_BYTES = 1000
    before = Unit.objects.count()
    r = post_file(org, world, xlsx(GOOD_ROWS))
    assert r.status_code == 200
    assert "at most 1000" in text(r).replace("\xa0", " ")
    assert Unit.objects.count() == before


def test_zip_bomb_is_refused(world, org):
    before = Unit.objects.count()
    bomb = with_member(xlsx(GOOD_ROWS), "xl/media/padding.bin", b"\x00" * (20 * 1024 * 1024))
    assert len(bomb) < 200_000
    r = post_file(org, world, bomb)
    assert "zip bomb" in text(r)
    assert Unit.objects.count() == before


def test_workbook_unpacking_past_the_limit_is_refused(world, org):
    huge = with_member(xlsx(GOOD_ROWS), "xl/media/padding.bin", b"\x00" * (51 * 1024 * 1024))
    r = post_file(org, world, huge)
    assert "unpacks to" in text(r)
    assert not Unit.objects.filter(name="Dinas Pendidikan").exists()


def test_macros_are_refused(world, org):
    before = Unit.objects.count()
    r = post_file(org, world, with_member(xlsx(GOOD_ROWS), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really vba"))
    assert "macros" in text(r)
    assert Unit.objects.count() == before


def test_wrong_headers_are_named(world, org):
    before = Unit.objects.count()
    r = post_file(org, world, xlsx([["Dinas A", "dinas", "", "", ""]], header=["name", "jenis", "induk", "negeri_swasta", "kode"]))
    body = text(r)
    assert "Missing columns: nama, kode_wilayah" in body
    assert "Unexpected columns: name" in body
    assert Unit.objects.count() == before


def test_empty_sheet_is_refused(world, org):
    r = post_file(org, world, xlsx([], header=None))
    assert "is empty" in text(r)


def test_more_than_5000_rows_is_refused(world, org):
    rows = [[f"Unit {i}", "other", "", "", "", ""] for i in range(unit_import.MAX_ROWS + 1)]
    before = Unit.objects.count()
    r = post_file(org, world, xlsx(rows))
    assert r.status_code == 200
    assert "more than 5" in text(r) and "rows of units" in text(r)
    assert Unit.objects.count() == before


# --------------------------------------------------------------------------- row errors


def preview_with(org, world, rows):
    url = preview_url(post_file(org, world, xlsx(rows)))
    page = org.get(url)
    return url, page, text(page)


def assert_refused_row(org, world, rows, row, column, fragment):
    before = Unit.objects.count()
    url, page, body = preview_with(org, world, rows)
    assert f"Row {row}, column {column}:" in body, body[body.find("import-errors") - 200:][:3000]
    assert fragment in body
    assert "Nothing will be saved until the file is fixed" in body
    assert 'name="submission_token"' not in body  # no commit button
    forced = org.post(url, {}, follow=True)  # posting anyway saves nothing
    assert forced.status_code == 200
    assert Unit.objects.count() == before
    return page


def test_formula_cell_is_an_error(world, org):
    rows = [["Dinas A", "dinas", "", "", "", ""], ["=A2", "dinas", "", "", "", ""]]
    assert_refused_row(org, world, rows, 3, "nama", "Formulas are not allowed")


def test_empty_name_is_an_error(world, org):
    rows = [["Dinas A", "dinas", "", "", "", ""], ["", "dinas", "", "", "K9", ""]]
    assert_refused_row(org, world, rows, 3, "nama", "The name is empty")


def test_unknown_kind_is_an_error(world, org):
    rows = [["Dinas A", "dinas", "", "", "", ""], ["Dinas B", "kementerian", "", "", "", ""]]
    assert_refused_row(org, world, rows, 3, "jenis", "Unknown type “kementerian”")


def test_ownership_for_a_non_school_is_an_error(world, org):
    rows = [["Dinas A", "dinas", "", "negeri", "", ""]]
    assert_refused_row(org, world, rows, 2, "negeri_swasta", "schools only")


def test_duplicate_names_in_the_file_are_an_error(world, org):
    rows = [["Dinas A", "dinas", "", "", "", ""], ["Dinas B", "dinas", "", "", "", ""], ["  dinas a ", "badan", "", "", "", ""]]
    assert_refused_row(org, world, rows, 4, "nama", "The same name is already on row 2")


def test_unknown_parent_is_an_error(world, org):
    rows = [["Kelurahan Entah", "kelurahan", "Kecamatan Entah", "", "", ""]]
    assert_refused_row(org, world, rows, 2, "induk", "There is no unit named “Kecamatan Entah”")


def test_parent_cycle_is_an_error(world, org):
    rows = [["Unit A", "other", "Unit C", "", "", ""], ["Unit B", "other", "Unit A", "", "", ""],
            ["Unit C", "other", "Unit B", "", "", ""], ["Unit D", "other", "Unit D", "", "", ""]]
    page = assert_refused_row(org, world, rows, 2, "induk", "form a cycle")
    assert "Row 5, column induk:" in text(page) and "its own parent" in text(page)


def test_unknown_region_code_is_an_error(world, org):
    rows = [["Kelurahan X", "kelurahan", "", "", "", "33.73.09.9999"]]
    assert_refused_row(org, world, rows, 2, "kode_wilayah", "Unknown Kemendagri region code “33.73.09.9999”")


def test_duplicate_codes_are_an_error(world, org):
    Unit.objects.create(pemda=world.own, name="Badan Keuangan", kind="badan", code="BKD")
    rows = [["Dinas A", "dinas", "", "", "D1", ""], ["Dinas B", "dinas", "", "", "D1", ""], ["Dinas C", "dinas", "", "", "BKD", ""]]
    page = assert_refused_row(org, world, rows, 3, "kode", "The same code is already on row 2")
    assert "Row 4, column kode:" in text(page) and "already belongs to the unit “Badan Keuangan”" in text(page)


def test_every_error_of_a_row_is_reported(world, org):
    rows = [["=1+1", "nope", "Missing Parent", "swasta", "", "99.99"]]
    url, page, body = preview_with(org, world, rows)
    for column in ("nama", "jenis", "induk", "kode_wilayah"):
        assert f"Row 2, column {column}:" in body
    assert page.context["counts"]["error"] == 1


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("role, status", [("innovator", 403), ("other_organiser", 404)])
def test_access(world, login, role, status):
    client = login(world.users[role])
    slug = world.own.slug
    assert client.get(f"/pemda/{slug}/units/import/").status_code == status
    assert client.get(f"/pemda/{slug}/units/import/template.xlsx").status_code == status
    assert client.get(f"/pemda/{slug}/units/import/1/").status_code == status
    before = Unit.objects.count()
    r = client.post(f"/pemda/{slug}/units/import/", {"file": SimpleUploadedFile("u.xlsx", xlsx(GOOD_ROWS))})
    assert r.status_code == status
    assert client.post(f"/pemda/{slug}/units/import/1/", {}).status_code == status
    assert Unit.objects.count() == before


def test_a_batch_is_only_visible_under_its_own_pemda(world, org, login):
    url = preview_url(post_file(org, world, xlsx(GOOD_ROWS)))
    batch = url.rstrip("/").rsplit("/", 1)[-1]
    admin = login(world.users["national_admin"])  # another session: the batch is not there
    r = admin.get(url)
    assert r.status_code == 302 and r["Location"].endswith("/units/import/")
    r = admin.get(f"/pemda/{world.other.slug}/units/import/{batch}/")
    assert r.status_code == 302


# --------------------------------------------------------------------------- queries


def test_preview_query_count_does_not_grow_with_rows(world, org, django_assert_num_queries):
    def rows(n):
        out = [["Kecamatan Baru", "kecamatan", "", "", "", "33.73.01"]]
        out += [[f"Kelurahan Baru {i}", "kelurahan", "Kecamatan Baru", "", f"K{i}", "33.73.01.1001"] for i in range(n - 1)]
        return out

    def counted(url):
        # request_started resets connection.queries, so count through an execute wrapper instead
        seen = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: (seen.append(sql), execute(sql, params, many, context))[1]):
            response = org.get(url)
        assert response.status_code == 200
        return len(seen), response

    small, _r = counted(preview_url(post_file(org, world, xlsx(rows(10)))))
    big_url = preview_url(post_file(org, world, xlsx(rows(300))))
    big, response = counted(big_url)
    assert response.context["counts"]["new"] == 300
    assert big == small
    assert small < 15
    reset_queries()  # the fixture counts from the query log, which each request clears at its start
    with django_assert_num_queries(small):
        org.get(big_url)


def test_long_preview_is_paginated_but_counts_and_errors_cover_every_row(world, org):
    rows = [[f"Unit {i}", "other", "", "", "", ""] for i in range(600)]
    rows.append(["Unit 0", "other", "", "", "", ""])  # row 602: a duplicate, on the second page
    url = preview_url(post_file(org, world, xlsx(rows)))
    first = org.get(url)
    assert first.context["counts"]["total"] == 601
    assert "Row 602, column nama:" in text(first)  # listed above the table
    assert '<td data-label="Row">602</td>' not in text(first)
    second = org.get(url + "?page=2")
    assert '<td data-label="Row">602</td>' in text(second)


# --------------------------------------------------------------------------- a messy workbook, as pemda really send them


def messy_xlsx(rows, header=("No", "Nama", "JENIS", "Induk", "Negeri/Swasta", "Kode", "Kode Wilayah")) -> bytes:
    """A title above the header, a "No" column, headers in capitals and with spaces."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Unit"
    ws.append(["DAFTAR UNIT KERJA PEMERINTAH KOTA SALATIGA"])
    ws.append(["Keadaan per 1 Maret 2026"])
    ws.append(list(header))
    for number, values in enumerate(rows, start=1):
        ws.append([number, *values])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_messy_workbook_is_read_and_committed(world, org):
    rows = [
        ["Kecamatan Sidomukti", "Kec.", "", "", "", "33.73.02"],
        ["Kelurahan Dukuh", "Kel", "Kec. Sidomukti", "", "", ""],  # its parent: a row of the file, abbreviated
        ["Puskesmas Kalicacing", "puskesmas", "Kel. Kalicacing", "", "", ""],  # an existing parent, abbreviated
        ["SDN Salatiga 1", "sd", "", "negeri", "", ""],  # "SD Negeri Salatiga 01" exists: skipped
        ["SD Negeri Dukuh 02", "sd", "kel dukuh", "Negeri", 20328002, ""],  # an NPSN typed as a number is whole
    ]
    url = preview_url(post_file(org, world, messy_xlsx(rows)))
    page = org.get(url)
    body = text(page)
    assert "Column names taken from row 3 of the sheet “Unit”" in body
    assert page.context["counts"]["error"] == 0, page.context["report"].errors()
    assert (page.context["counts"]["new"], page.context["counts"]["skipped"]) == (4, 1)
    assert "Row 7," not in body
    commit(org, url)
    kec = Unit.objects.get(pemda=world.own, name="Kecamatan Sidomukti")
    dukuh = Unit.objects.get(pemda=world.own, name="Kelurahan Dukuh")
    assert (kec.kind, dukuh.kind, dukuh.parent_id) == ("kecamatan", "kelurahan", kec.pk)
    assert Unit.objects.get(pemda=world.own, name="Puskesmas Kalicacing").parent_id == world.kel.pk
    assert Unit.objects.get(pemda=world.own, name="SD Negeri Dukuh 02").code == "20328002"
    assert not Unit.objects.filter(name="SDN Salatiga 1").exists()


def test_codes_typed_as_numbers_are_refused(world, org):
    rows = [["Dinas A", "dinas", "", "", 337301100120190001, ""], ["Kelurahan Baru", "kelurahan", "", "", "", 33.73]]
    url = preview_url(post_file(org, world, messy_xlsx(rows)))
    body = text(org.get(url))
    assert "Row 4, column kode: The code was typed as a number, and Excel keeps only 15 digits" in body
    assert "Format the column as Text and type the code again." in body
    assert "Row 5, column kode_wilayah: The code was typed as a number (33.73)" in body


def test_a_close_parent_name_gets_a_suggestion(world, org):
    rows = [["Puskesmas Kalicacing", "puskesmas", "Kelurahan Kalicacin", "", "", ""],
            ["UPT Puskesmas Sidorejo Lor", "puskesmas", "", "", "", ""],
            ["Posyandu Melati", "other", "Pusk. Sidorejo Lor", "", "", ""],  # "UPT" may be left out
            ["Posyandu Mawar", "other", "Puskesmas Sidorejo", "", "", ""]]
    page = assert_refused_row(org, world, [rows[0]], 2, "induk", "Did you mean: Kelurahan Kalicacing?")
    assert page.context["counts"]["error"] == 1
    url, page, body = preview_with(org, world, rows[1:])
    assert "Row 2, column induk" not in body and "Row 3, column induk" not in body
    assert "Row 4, column induk: There is no unit named “Puskesmas Sidorejo”" in body
    assert "Did you mean: UPT Puskesmas Sidorejo Lor?" in body


def test_a_wrong_header_under_a_title_names_its_row(world, org):
    r = post_file(org, world, messy_xlsx([["Dinas A", "dinas", "", "", "", ""]],
                                         header=("No", "Nama", "Jenis", "Induk", "Negeri Swasta", "Kode", "Wilayah")))
    body = text(r)
    assert "The header row (row 3) is wrong." in body
    assert "Missing columns: kode_wilayah." in body and "Unexpected columns: Wilayah." in body


def test_the_suggestion_speaks_indonesian(world):
    from django.utils import translation

    with translation.override("id"):
        report = unit_import.validate(pemda=world.own, rows=[[2, ["Puskesmas Kalicacing", "puskesmas", "Kel Kalicacin", "", "", ""], []]])
    assert report.rows[0].errors["induk"][0].endswith("Maksud Anda: Kelurahan Kalicacing?")
