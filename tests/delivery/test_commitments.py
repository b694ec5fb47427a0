"""Commitment documents: template, preparation, numbering, PDFs (checked by text extraction),
signing order, signed files and the outcome."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from labinov.core.models import AuditRecord
from labinov.delivery import commitments as services
from labinov.delivery import documents
from labinov.delivery.models import Commitment, CommitmentBatch

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _template(w, **extra):
    return services.template_update(actor=w.users["organiser"], program=w.program, place="Salatiga",
                                    signing_date=datetime.date(2019, 11, 14), witness_name="Dr. Tri Widodo W. Utomo",
                                    witness_nip="197002071996031001", witness_position="Deputi Inovasi Administrasi Negara LAN",
                                    **extra)


def test_per_unit_documents_cover_the_units_innovations_with_approved_plans(deliver_world):
    w = deliver_world
    _template(w)
    assert services.commitments_prepare(actor=w.users["organiser"], program=w.program) == 1  # SD's plan is not approved
    c = Commitment.objects.get()
    assert (c.unit, c.innovation, c.sequence, c.number) == (w.kel, None, 1, "050/001/KK/2019")
    # the unit head comes from the people register: the person whose account heads the unit
    assert (c.unit_head_name, c.unit_head_nip, c.unit_head_position) == ("Sri Lestari", "198010242006042009", "Lurah Kalicacing")
    # preparing again creates nothing; after the SD's plan is approved it creates that one only, numbered next
    assert services.commitments_prepare(actor=w.users["organiser"], program=w.program) == 0
    w.sd_plan.status = "approved"
    w.sd_plan.save()
    assert services.commitments_prepare(actor=w.users["organiser"], program=w.program) == 1
    assert list(Commitment.objects.values_list("number", flat=True)) == ["050/001/KK/2019", "050/002/SNS0/2019"]
    assert AuditRecord.objects.filter(action="commitment.prepare").count() == 3


def test_per_innovation_documents_and_scope_is_fixed_once_prepared(deliver_world):
    w = deliver_world
    _template(w, scope="innovation", number_pattern="{klasifikasi}/{urut}/PKI/{bulan}/{tahun}")
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    assert sorted(Commitment.objects.values_list("innovation__name", "number")) == [
        ("Posyandu digital", "050/001/PKI/XI/2019"), ("Surat pengantar online", "050/002/PKI/XI/2019")]
    with pytest.raises(ValidationError) as e:
        services.template_update(actor=w.users["organiser"], program=w.program, scope="unit")
    assert "can no longer change" in str(e.value)


def test_template_refuses_unknown_placeholders_and_a_pattern_without_sequence(deliver_world):
    w = deliver_world
    with pytest.raises(ValidationError) as e:
        services.template_update(actor=w.users["organiser"], program=w.program, number_pattern="{klasifikasi}/{tahun}",
                                 opening="Saya {nama} berjanji")
    assert "{urut}" in str(e.value.message_dict["number_pattern"])
    assert "{nama}" in str(e.value.message_dict["opening"])
    assert not w.program.__class__.objects.get(pk=w.program.pk).__dict__.get("commitment_template")
    from labinov.delivery.models import CommitmentTemplate

    assert not CommitmentTemplate.objects.exists()  # nothing saved


def test_placeholders_cannot_reach_attributes():
    assert services.fill("{unit.__class__} {unit}", {"unit": "Kelurahan"}) == "{unit.__class__} Kelurahan"


def test_renumbering_follows_the_pattern_for_unsigned_documents_only(deliver_world):
    w = deliver_world
    _template(w)
    w.sd_plan.status = "approved"
    w.sd_plan.save()
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    first = Commitment.objects.get(unit=w.kel)
    services.commitment_sign(actor=w.users["organiser"], commitment=first, party="unit_head", signed_by="Sri Lestari",
                             signed_on=datetime.date(2019, 11, 14))
    _template(w, classification="060")
    assert sorted(Commitment.objects.values_list("number", flat=True)) == ["050/001/KK/2019", "060/002/SNS0/2019"]


def test_pdf_holds_kop_number_parties_innovations_targets_and_indonesian_dates(deliver_world):
    w = deliver_world
    _template(w, countersigner="sekda")
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    c = Commitment.objects.get()
    pdfs, merged = documents.render_pdfs(program=w.program, commitments=[c])
    text = _text(pdfs[0][1])
    for expected in ["PEMERINTAH KOTA SALATIGA", "Jl. Letjend Sukowati", "PERJANJIAN KINERJA INOVASI", "050/001/KK/2019",
                     "Sri Lestari", "NIP. 198010242006042009", "Lurah Kalicacing", "Surat pengantar online", "Posyandu digital",
                     "Waktu layanan surat pengantar: 1 hari", "Balita tercatat digital: 100 %", "30 November 2019",
                     "Salatiga, 14 November 2019", "a.n. Wali Kota Salatiga", "Sekretaris Daerah", "Fakruroji",
                     "NIP. 196506071990031008", "Dr. Tri Widodo W. Utomo", "NIP. 197002071996031001", "PIHAK PERTAMA"]:
        assert expected in text.replace("\n", " ") or expected.upper() in text.upper().replace("\n", " "), expected
    assert merged.startswith(b"%PDF-")


def test_head_of_region_signs_without_nip(deliver_world):
    w = deliver_world
    _template(w)
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    text = _text(documents.render_pdfs(program=w.program, commitments=list(Commitment.objects.all()))[0][0][1])
    assert "Wali Kota Salatiga" in text and "Yuliyanto" in text and "a.n." not in text and "Walikota" not in text
    assert text.count("NIP.") == 2  # the unit head and the witness


def test_an_acting_head_is_named_the_same_way_in_the_text_signature_and_on_behalf(deliver_world):
    """Issue 9.4: "Pj Wali Kota Yogyakarta": the title is the pemda's data, used the same way everywhere."""
    w = deliver_world
    w.own.head_acting, w.own.head_name, w.own.head_nip = "pj", "Sumadi", "196802151990031004"
    w.own.save()
    _template(w)
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    c = Commitment.objects.get()
    text = _text(documents.render_pdfs(program=w.program, commitments=[c])[0][0][1]).replace("\n", " ")
    assert "Pihak Kedua: Sumadi, Pj Wali Kota Salatiga." in text  # the opening text's {jabatan_kepala_daerah} {pemda}
    assert text.count("Pj Wali Kota Salatiga") == 2  # and the signature block
    assert "NIP. 196802151990031004" in text  # a Pj is a civil servant and signs with a NIP
    _template(w, countersigner="sekda")
    text = _text(documents.render_pdfs(program=w.program, commitments=[c])[0][0][1]).replace("\n", " ")
    assert "a.n. Pj Wali Kota Salatiga" in text and "Sekretaris Daerah" in text


def test_old_free_word_titles_are_migrated_to_a_choice_and_an_acting_status(db):
    import importlib

    from django.apps import apps

    from labinov.regions.models import Pemda

    migration = importlib.import_module("labinov.regions.migrations.0002_head_title_choices_and_acting")
    rows = [("33.73", "Kota Salatiga", "Walikota"), ("34.71", "Kota Yogyakarta", "Pj Walikota"),
            ("33.22", "Kabupaten Semarang", "Plt. Bupati"), ("33", "Jawa Tengah", "Gubernur"), ("63.03", "Kabupaten Banjar", "?")]
    for code, name, title in rows:
        Pemda.objects.create(region_code=code, name=name, head_title=title)
    migration.forwards(apps, None)
    got = {p.region_code: (p.head_title, p.head_acting, p.head_full_title) for p in Pemda.objects.all()}
    assert got == {"33.73": ("wali_kota", "", "Wali Kota Salatiga"), "34.71": ("wali_kota", "pj", "Pj Wali Kota Yogyakarta"),
                   "33.22": ("bupati", "plt", "Plt Bupati Semarang"), "33": ("gubernur", "", "Gubernur Jawa Tengah"),
                   "63.03": ("bupati", "", "Bupati Banjar")}
    migration.backwards(apps, None)
    assert Pemda.objects.get(region_code="34.71").head_title == "Pj Walikota"


def test_batch_makes_every_pdf_a_zip_and_a_merged_pdf_with_progress(deliver_world, settings, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    w = deliver_world
    _template(w, scope="innovation")
    w.sd_plan.status = "approved"
    w.sd_plan.save()
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    monkeypatch.setattr(documents, "CHUNK", 2)  # two chunks for three documents
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued once the batch is committed
        batch = documents.batch_create(actor=w.users["organiser"], program=w.program)  # ImmediateBackend: runs now
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total, batch.percent) == ("done", 3, 3, 100)
    from django.core.files.storage import default_storage

    with default_storage.open(batch.zip_name, "rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    names = sorted(archive.namelist())
    assert names == ["001-posyandu-digital.pdf", "002-surat-pengantar-online.pdf", "003-perpustakaan-keliling-kelas.pdf"]
    assert "Perpustakaan keliling kelas" in _text(archive.read(names[2]))
    with default_storage.open(batch.pdf_name, "rb") as f:
        merged = PdfReader(f)
        assert len(merged.pages) == sum(len(PdfReader(io.BytesIO(archive.read(n))).pages) for n in names)
    assert all(c.document for c in Commitment.objects.all())
    assert str(settings.MEDIA_ROOT) in default_storage.path(batch.zip_name)


def test_nothing_to_generate_is_refused(deliver_world):
    w = deliver_world
    with pytest.raises(ValidationError):
        documents.batch_create(actor=w.users["organiser"], program=w.program)
    assert not CommitmentBatch.objects.exists()


def _prepared(w):
    _template(w)
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    return Commitment.objects.get()


def test_signing_order_dates_and_audit(deliver_world):
    w = deliver_world
    c = _prepared(w)
    org = w.users["organiser"]
    with pytest.raises(ValidationError) as e:
        services.commitment_sign(actor=org, commitment=c, party="witness", signed_by="X", signed_on=datetime.date(2019, 11, 14))
    assert "Unit head" in str(e.value)
    c = services.commitment_sign(actor=org, commitment=c, party="unit_head", signed_by="Sri Lestari", signed_on=datetime.date(2019, 11, 14))
    assert c.status == "signed_unit"
    with pytest.raises(ValidationError) as e:
        services.commitment_sign(actor=org, commitment=c, party="countersigner", signed_by="Yuliyanto", signed_on=datetime.date(2019, 11, 13))
    assert "before the previous one" in str(e.value)
    with pytest.raises(ValidationError):
        services.commitment_sign(actor=org, commitment=c, party="countersigner", signed_by="Yuliyanto", signed_on=datetime.date(2999, 1, 1))
    c = services.commitment_sign(actor=org, commitment=c, party="countersigner", signed_by="Yuliyanto", signed_on=datetime.date(2019, 11, 14))
    c = services.commitment_sign(actor=org, commitment=c, party="witness", signed_by="Dr. Tri Widodo", signed_on=datetime.date(2019, 11, 14))
    assert c.status == "witnessed"
    with pytest.raises(ValidationError) as e:
        services.commitment_activate(actor=org, commitment=c)
    assert "Upload the signed document" in str(e.value)
    with pytest.raises(ValidationError):
        services.commitment_update_party(actor=org, commitment=c, unit_head_name="Orang Lain")
    assert AuditRecord.objects.filter(action="commitment.sign").count() == 3


def _pdf() -> bytes:
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(out)
    return out.getvalue()


def test_scan_upload_then_active_then_outcome_after_the_period(deliver_world):
    w = deliver_world
    c = _prepared(w)
    org = w.users["organiser"]
    for party, name in (("unit_head", "Sri Lestari"), ("countersigner", "Yuliyanto"), ("witness", "Tri Widodo")):
        c = services.commitment_sign(actor=org, commitment=c, party=party, signed_by=name, signed_on=datetime.date(2019, 11, 14))
    c = services.commitment_upload_signed(actor=org, commitment=c, upload=SimpleUploadedFile("scan.pdf", _pdf()))
    assert (c.signed_file_kind, c.signed_file_type, c.signature_report) == ("scan", "application/pdf", {})
    c = services.commitment_activate(actor=org, commitment=c)
    assert c.status == "active"
    with pytest.raises(ValidationError) as e:
        services.commitment_close(actor=org, commitment=c, fulfilled=False)
    assert "Say why" in str(e.value)
    c = services.commitment_close(actor=org, commitment=c, fulfilled=True, note="Semua target tercapai")
    assert c.status == "fulfilled"
    with pytest.raises(ValidationError):
        services.commitment_upload_signed(actor=org, commitment=c, upload=SimpleUploadedFile("scan.pdf", _pdf()))


def test_outcome_waits_for_the_end_of_the_period(deliver_world):
    w = deliver_world
    c = _prepared(w)
    _template(w, period_ends_on=datetime.date(2999, 12, 31))
    Commitment.objects.filter(pk=c.pk).update(status="active")
    with pytest.raises(ValidationError) as e:
        services.commitment_close(actor=w.users["organiser"], commitment=c, fulfilled=True)
    assert "31 Desember 2999" in str(e.value)


@pytest.mark.parametrize("name, content, message", [
    ("scan.pdf", b"MZ\x90\x00" + b"\0" * 100, "executable"),
    ("scan.html", b"<html><script>alert(1)</script></html>", "web page"),
    ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "named .pdf"),
])
def test_bad_signed_files_are_refused_and_change_nothing(deliver_world, name, content, message):
    w = deliver_world
    c = services.commitment_sign(actor=w.users["organiser"], commitment=_prepared(w), party="unit_head", signed_by="Sri Lestari",
                                 signed_on=datetime.date(2019, 11, 14))
    with pytest.raises(ValidationError) as e:
        services.commitment_upload_signed(actor=w.users["organiser"], commitment=c, upload=SimpleUploadedFile(name, content))
    assert message in str(e.value)
    c.refresh_from_db()
    assert not c.signed_file and not AuditRecord.objects.filter(action="commitment.upload").exists()


def test_pages_preview_and_sign_as_unit_head(deliver_world, login):
    w = deliver_world
    c = _prepared(w)
    client = login(w.users["unit_head"])
    r = client.get(reverse("commitment_detail", args=[w.own.slug, w.program.pk, c.pk]))
    assert r.status_code == 200 and b"sign-form" in r.content
    preview = client.get(reverse("commitment_preview", args=[w.own.slug, w.program.pk, c.pk]))
    assert b"050/001/KK/2019" in preview.content and "default-src 'none'" in preview["Content-Security-Policy"]
    # the unit head may record their own signature, not the countersignature
    url = reverse("commitment_sign", args=[w.own.slug, w.program.pk, c.pk])
    assert client.post(url, {"party": "countersigner", "signed_by": "Yuliyanto", "signed_on": "2019-11-14"}).status_code == 403
    r = client.post(url, {"party": "unit_head", "signed_by": "Sri Lestari", "signed_on": "2019-11-14"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.unit_head_signed_by) == ("signed_unit", "Sri Lestari")


def test_bad_signature_form_shows_its_errors_in_indonesian(deliver_world, login):
    from django.utils import translation

    w = deliver_world
    c = _prepared(w)
    client = login(w.users["organiser"])
    with translation.override("id"):
        r = client.post(reverse("commitment_sign", args=[w.own.slug, w.program.pk, c.pk]),
                        {"party": "unit_head", "signed_by": "Sri", "signed_on": "2999-01-01"}, HTTP_ACCEPT_LANGUAGE="id")
    assert r.status_code == 200
    with translation.override("id"):
        message = translation.gettext("A signature cannot be dated in the future.")
    assert message != "A signature cannot be dated in the future." and message in r.content.decode()
    c.refresh_from_db()
    assert c.status == "drafted"


def test_sign_many_records_each_documents_usual_signer_all_or_nothing(deliver_world):
    w = deliver_world
    _template(w, scope="innovation", countersigner="sekda")
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    ids = list(Commitment.objects.values_list("pk", flat=True))
    org, day = w.users["organiser"], datetime.date(2019, 11, 14)
    assert services.commitments_sign_many(actor=org, program=w.program, ids=ids, party="unit_head", signed_on=day) == 2
    assert set(Commitment.objects.values_list("unit_head_signed_by", flat=True)) == {"Sri Lestari"}
    # one of them countersigned alone first: the bulk countersignature is refused for both
    first = Commitment.objects.get(pk=ids[0])
    services.commitment_sign(actor=org, commitment=first, party="countersigner", signed_by="Fakruroji", signed_on=day)
    with pytest.raises(ValidationError) as e:
        services.commitments_sign_many(actor=org, program=w.program, ids=ids, party="countersigner", signed_on=day)
    assert "not waiting" in str(e.value)
    assert Commitment.objects.filter(status="countersigned").count() == 1
    assert services.commitments_sign_many(actor=org, program=w.program, ids=ids[1:], party="countersigner", signed_on=day) == 1
    assert set(Commitment.objects.values_list("countersigned_by", flat=True)) == {"Fakruroji"}


def test_sign_many_page_for_the_leader(deliver_world, login):
    w = deliver_world
    _template(w, scope="innovation", countersigner="sekda")
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    ids = list(Commitment.objects.values_list("pk", flat=True))
    services.commitments_sign_many(actor=w.users["organiser"], program=w.program, ids=ids, party="unit_head",
                                   signed_on=datetime.date(2019, 11, 14))
    client = login(w.users["leader"])
    page = client.get(reverse("commitment_list", args=[w.own.slug, w.program.pk]) + "?status=signed_unit").content.decode()
    assert "sign-many-form" in page
    url = reverse("commitment_sign_many", args=[w.own.slug, w.program.pk])
    # the leader may not record the unit heads' party
    assert client.post(url, {"party": "unit_head", "ids": ids, "signed_on": "2019-11-14"}).status_code == 403
    r = client.post(url, {"party": "countersigner", "ids": ids, "signed_on": "2019-11-14", "status": "signed_unit"})
    assert r.status_code == 302
    assert set(Commitment.objects.values_list("status", flat=True)) == {"countersigned"}
    # the innovator (who may see a document of the unit, not the list) gets no form and may not post
    assert login(w.users["innovator"]).post(url, {"party": "countersigner", "ids": ids, "signed_on": "2019-11-14"}).status_code == 403


def test_a_signed_document_keeps_its_text_and_its_pdf(deliver_world, django_capture_on_commit_callbacks):
    w = deliver_world
    c = _prepared(w)
    with django_capture_on_commit_callbacks(execute=True):
        documents.batch_create(actor=w.users["organiser"], program=w.program)
    c.refresh_from_db()
    signed_pdf = c.document.name
    services.commitment_sign(actor=w.users["organiser"], commitment=c, party="unit_head", signed_by="Sri Lestari",
                             signed_on=datetime.date(2019, 11, 14))
    _template(w, title="Kontrak Kerja Inovasi")
    w.plan.status = "changes_requested"  # (as if) a later revision: the signed text does not follow it
    w.plan.save()
    c.refresh_from_db()
    html = documents.render_html(documents.documents_context(program=w.program, commitments=[c]))
    assert "PERJANJIAN KINERJA INOVASI" in html.upper() and "Surat pengantar online" in html
    with pytest.raises(ValidationError) as e:
        documents.batch_create(actor=w.users["organiser"], program=w.program, commitment_ids=[c.pk])
    assert "keeps the PDF" in str(e.value)
    c.refresh_from_db()
    assert c.document.name == signed_pdf


def test_outcome_needs_an_end_of_period(deliver_world):
    w = deliver_world
    c = _prepared(w)
    from labinov.delivery.models import CommitmentTemplate

    CommitmentTemplate.objects.filter(program=w.program).update(period_ends_on=None)
    w.program.ends_on = None
    w.program.save()
    Commitment.objects.filter(pk=c.pk).update(status="active")
    c = Commitment.objects.select_related("program").get(pk=c.pk)
    with pytest.raises(ValidationError) as e:
        services.commitment_close(actor=w.users["organiser"], commitment=c, fulfilled=True)
    assert "end of the commitment period" in str(e.value)


def test_sign_many_ignores_non_ascii_digits(deliver_world):
    w = deliver_world
    _prepared(w)
    with pytest.raises(ValidationError):
        services.commitments_sign_many(actor=w.users["organiser"], program=w.program, ids=["²"], party="unit_head",
                                       signed_on=datetime.date(2019, 11, 14))


from .test_signatures import _sign, pki  # noqa: E402,F401  (the fixture: a CA and a signer made at test time)


def test_electronically_signed_pdf_is_verified_and_matched_to_its_number(deliver_world, pki):  # noqa: F811
    w = deliver_world
    c = _prepared(w)
    for party, name in (("unit_head", "Sri Lestari"), ("countersigner", "Yuliyanto"), ("witness", "Tri Widodo")):
        c = services.commitment_sign(actor=w.users["organiser"], commitment=c, party=party, signed_by=name,
                                     signed_on=datetime.date(2019, 11, 14))
    pdfs, _merged = documents.render_pdfs(program=w.program, commitments=[c])
    signed = _sign(pdfs[0][1], pki)
    c = services.commitment_upload_signed(actor=w.users["organiser"], commitment=c, upload=SimpleUploadedFile("ttd.pdf", signed))
    report = c.signature_report
    assert c.signed_file_kind == "electronic"
    assert (report["count"], report["valid"], report["trusted"], report["matches_number"]) == (1, True, False, True)
    assert report["signatures"][0]["signer"] == "Yuliyanto"
    # another signed PDF (not this document) is flagged
    c = services.commitment_upload_signed(actor=w.users["organiser"], commitment=c, upload=SimpleUploadedFile("lain.pdf", _sign(_pdf(), pki)))
    assert c.signature_report["matches_number"] is False and c.signature_report["valid"] is True


@pytest.mark.parametrize("stage, can_sign, can_manage", [
    ("deliver_monitoring", False, True), ("deliver_launching", True, True), ("display", True, True), ("closed", False, False),
])
def test_what_each_stage_allows_on_commitments(deliver_world, stage, can_sign, can_manage):
    w = deliver_world
    c = _prepared(w)
    w.program.stage = stage
    w.program.save()
    c.program = w.program
    for role in ("organiser", "national_admin"):
        user = w.users[role]
        assert user.has_perm("delivery.sign_commitment", c) is can_sign
        assert user.has_perm("delivery.manage_commitments", w.program) is can_manage
        assert user.has_perm("delivery.close_commitments", w.program)
    assert w.users["leader"].has_perm("delivery.sign_commitment", c) is can_sign
    assert not w.users["coach"].has_perm("delivery.sign_commitment", c)
