"""Evidence files and signed documents are judged by their content, limited in size, and refused with a
clear message when they are executables, web pages, SVG, archives, active PDFs or not what their name says."""

from __future__ import annotations

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from labinov.core.files import (
    MAX_EVIDENCE_BYTES,
    CleanFile,
    _pdf_active_content,
    clean_evidence,
    clean_signed_document,
    clean_video_link,
)

ACCEPTED = "Accepted: PDF, PNG or JPEG"


# --------------------------------------------------------------------------- helpers


def _pdf(change=None, pages=1, password=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if change:
        change(writer)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_with_object_stream(catalog_extra: bytes = b"", *, compress: bool = True) -> bytes:
    """A PDF 1.5 whose catalog, page tree and page sit in a (compressed) object stream, found through an
    xref stream: what modern writers produce, and where a script can hide from a plain byte search."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(b"%d %d" % (i + 1, off) for i, off in enumerate(offsets)) + b"\n"
    data = zlib.compress(header + body) if compress else header + body
    flate = b"/Filter /FlateDecode " if compress else b""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    obj_stream_at = len(out)
    out += (b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d %s/Length %d >>\nstream\n" % (len(header), flate, len(data))
            + data + b"\nendstream\nendobj\n")
    xref_at = len(out)
    rows = [(0, 0, 65535), (2, 4, 0), (2, 4, 1), (2, 4, 2), (1, obj_stream_at, 0), (1, xref_at, 0)]
    xref = b"".join(bytes([t]) + f.to_bytes(4, "big") + g.to_bytes(2, "big") for t, f, g in rows)
    out += (b"5 0 obj\n<< /Type /XRef /Size 6 /Root 1 0 R /W [1 4 2] /Length %d >>\nstream\n" % len(xref)
            + xref + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _png(size=(8, 6), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "PNG", **save)
    return out.getvalue()


def _jpeg(size=(8, 6), exif=None) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", size, (200, 120, 30))
    if exif is not None:
        img.save(out, "JPEG", exif=exif)
    else:
        img.save(out, "JPEG")
    return out.getvalue()


def _refusal(content: bytes, name: str = "bukti", *, clean=clean_evidence, **kwargs) -> str:
    """The one message a refused upload gets, in English."""
    with override("en"), pytest.raises(ValidationError) as caught:
        clean(SimpleUploadedFile(name, content), **kwargs)
    messages = caught.value.message_dict[kwargs.get("field", "file")]
    assert len(messages) == 1
    return messages[0]


def _set_root(key, value):
    def change(writer):
        writer.root_object[NameObject(key)] = value

    return change


# --------------------------------------------------------------------------- accepted files


def test_a_pdf_is_accepted_and_kept_as_uploaded():
    data = _pdf()
    clean = clean_evidence(SimpleUploadedFile("laporan.pdf", data))
    assert clean == CleanFile(kind="pdf", content=data, content_type="application/pdf", extension=".pdf",
                              original_name="laporan.pdf")


def test_a_pdf_with_object_streams_is_accepted():
    data = _pdf_with_object_stream()
    assert clean_evidence(SimpleUploadedFile("modern.pdf", data)).content == data


def test_a_png_is_accepted_and_re_encoded_without_its_text_chunks():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    data = _png(pnginfo=info)
    assert b"<script>" in data
    clean = clean_evidence(SimpleUploadedFile("foto.png", data))
    assert (clean.kind, clean.content_type, clean.extension) == ("png", "image/png", ".png")
    assert clean.content.startswith(b"\x89PNG\r\n\x1a\n") and b"<script>" not in clean.content
    assert Image.open(io.BytesIO(clean.content)).size == (8, 6)


def test_a_jpeg_is_accepted_and_re_encoded_without_its_metadata():
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    data = _jpeg(exif=exif.tobytes())
    assert b"KameraRahasia" in data
    clean = clean_evidence(SimpleUploadedFile("foto.JPG", data))
    assert (clean.kind, clean.content_type, clean.extension) == ("jpeg", "image/jpeg", ".jpg")
    assert clean.content.startswith(b"\xff\xd8\xff") and b"KameraRahasia" not in clean.content


def test_a_phone_photo_is_stored_upright():
    """Re-encoding drops EXIF, so the orientation it gave is applied to the pixels."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    clean = clean_evidence(SimpleUploadedFile("foto.jpg", _jpeg(size=(20, 10), exif=exif.tobytes())))
    assert Image.open(io.BytesIO(clean.content)).size == (10, 20)


def test_the_content_decides_when_the_name_claims_no_accepted_type():
    clean = clean_evidence(SimpleUploadedFile("foto.html", _png()))
    assert (clean.kind, clean.content_type, clean.extension) == ("png", "image/png", ".png")
    clean = clean_evidence(SimpleUploadedFile("tanpa-nama", _pdf()))
    assert clean.kind == "pdf" and clean.extension == ".pdf"


def test_a_name_in_capitals_with_the_right_type_is_accepted():
    assert clean_evidence(SimpleUploadedFile("LAPORAN.PDF", _pdf())).kind == "pdf"
    assert clean_evidence(SimpleUploadedFile("foto.jpeg", _jpeg())).kind == "jpeg"


# --------------------------------------------------------------------------- the original name


class _RawUpload(io.BytesIO):
    """An upload whose name was not cleaned by Django on the way in."""

    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name, self.size = name, len(content)


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd\x00.pdf", "passwd.pdf"),
    ("C:\\Users\\dinas\\Desktop\\laporan akhir.pdf", "laporan akhir.pdf"),
    ("laporan\u202efdp.exe.pdf", "laporanfdp.exe.pdf"),
    ("bukti\r\nSet-Cookie: x.pdf", "buktiSet-Cookie: x.pdf"),
    ("", "file.pdf"),
    ("../", "file.pdf"),
])
def test_the_original_name_keeps_no_path_and_no_control_characters(name, expected):
    clean = clean_evidence(_RawUpload(_pdf(), name))
    assert clean.original_name == expected
    assert "/" not in clean.original_name and "\\" not in clean.original_name and "\x00" not in clean.original_name


def test_the_original_name_through_django_has_no_path_or_nul():
    clean = clean_evidence(SimpleUploadedFile("../../etc/passwd\x00.pdf", _pdf()))
    assert "/" not in clean.original_name and "\x00" not in clean.original_name
    assert clean.original_name.endswith(".pdf")


def test_a_long_original_name_is_cut_to_120_characters_keeping_the_extension():
    clean = clean_evidence(_RawUpload(_pdf(), "laporan-" + "x" * 300 + ".pdf"))
    assert len(clean.original_name) == 120 and clean.original_name.endswith("x.pdf")


# --------------------------------------------------------------------------- size


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit():
    message = _refusal(b"%PDF-" + b"0" * (1536 * 1024), "laporan.pdf", max_bytes=1024 * 1024)
    assert message == "The file is 1.5 MB; at most 1 MB is allowed."


def test_the_size_is_checked_before_the_file_is_read():
    class Huge:
        name, size = "video.pdf", int(12.3 * 1024 * 1024)

        def read(self, *args):
            raise AssertionError("a file over the limit must not be read")

        seek = read

    with override("en"), pytest.raises(ValidationError) as caught:
        clean_evidence(Huge())
    assert caught.value.message_dict == {"file": ["The file is 12.3 MB; at most 10 MB is allowed."]}
    assert MAX_EVIDENCE_BYTES == 10 * 1024 * 1024


def test_a_file_just_over_the_limit_is_not_shown_as_the_limit():
    message = _refusal(b"0" * (1024 * 1024 + 1), max_bytes=1024 * 1024)
    assert message.startswith("The file is 1.00 MB;") or message.startswith("The file is 1.01 MB;")
    assert "at most 1 MB" in message


def test_a_file_whose_declared_size_is_wrong_is_still_limited():
    upload = SimpleUploadedFile("laporan.pdf", b"%PDF-" + b"0" * 3000)
    upload.size = 10
    with override("en"), pytest.raises(ValidationError) as caught:
        clean_evidence(upload, max_bytes=2048)
    assert "at most" in caught.value.message_dict["file"][0]


def test_a_signed_document_may_be_up_to_20_mb():
    upload = SimpleUploadedFile("komitmen.pdf", _pdf())
    upload.size = 25 * 1024 * 1024
    with override("en"), pytest.raises(ValidationError) as caught:
        clean_signed_document(upload)
    assert caught.value.message_dict == {"file": ["The file is 25 MB; at most 20 MB is allowed."]}


def test_an_empty_file_is_refused():
    assert _refusal(b"", "laporan.pdf") == "The file is empty."


def test_the_field_name_is_the_one_given():
    with override("en"), pytest.raises(ValidationError) as caught:
        clean_evidence(SimpleUploadedFile("x.pdf", b""), field="files")
    assert caught.value.message_dict == {"files": ["The file is empty."]}


# --------------------------------------------------------------------------- types refused


@pytest.mark.parametrize("content", [
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64,
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
    b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 64,
    b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 64,
    b"#!/bin/sh\nrm -rf ~\n",
])
def test_an_executable_is_refused(content):
    assert _refusal(content, "laporan.pdf") == (
        f"The file looks like an executable program, which is not accepted. {ACCEPTED}.")


@pytest.mark.parametrize("content", [
    b"<!DOCTYPE html><html><body>Laporan</body></html>",
    b"\xef\xbb\xbf  \r\n\t<!doctype html>",
    b"<html lang='id'>",
    b"  <script>fetch('/api/')</script>",
    b"<body onload=alert(1)>",
    b"<iframe src=//evil>",
    b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
])
def test_a_web_page_is_refused(content):
    assert _refusal(content, "laporan.html") == (
        f"The file looks like a web page (HTML), which is not accepted. {ACCEPTED}.")


@pytest.mark.parametrize("content", [
    b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'\n\n<svg>\n<circle r="4"/></svg>',
])
def test_an_svg_is_refused(content):
    assert _refusal(content, "logo.svg") == (
        f"The file looks like an SVG drawing, which is not accepted. {ACCEPTED}.")


def test_other_xml_is_refused():
    assert _refusal(b'<?xml version="1.0"?><laporan/>', "laporan.xml") == (
        f"The file looks like an XML document, which is not accepted. {ACCEPTED}.")


def test_a_zip_or_office_file_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    message = _refusal(out.getvalue(), "laporan.docx")
    assert message.startswith("The file looks like a ZIP archive or an Office document") and ACCEPTED in message
    assert _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "laporan.doc") == message


@pytest.mark.parametrize("content", [b"Laporan kegiatan bulan Maret", b"GIF89a\x01\x00\x01\x00", b"\x00\x00\x00\x18ftypmp42"])
def test_an_unknown_type_is_refused(content):
    assert _refusal(content, "bukti") == f"The type of this file is not recognised. {ACCEPTED}."


@pytest.mark.parametrize("content, name, expected", [
    (_png(), "laporan.pdf", "The file is named .pdf but its content is a PNG image."),
    (_jpeg(), "foto.png", "The file is named .png but its content is a JPEG image."),
    (_pdf(), "foto.jpg", "The file is named .jpg but its content is a PDF document."),
    (_png(), "foto.JPEG", "The file is named .jpeg but its content is a PNG image."),
])
def test_content_that_does_not_match_the_name_is_refused(content, name, expected):
    assert _refusal(content, name) == expected


def test_an_image_header_followed_by_html_is_refused():
    assert _refusal(b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", "foto.png") == (
        "The file is not a readable PNG or JPEG image.")


# --------------------------------------------------------------------------- PDFs refused


def test_a_pdf_that_cannot_be_read_is_refused():
    assert _refusal(b"%PDF-1.7\n" + b"\x00\xff" * 200, "laporan.pdf").startswith("The PDF file cannot be read")


def test_a_pdf_without_pages_is_refused():
    assert _refusal(_pdf(pages=0), "laporan.pdf") == "The PDF has no pages."


def test_an_encrypted_pdf_is_refused():
    assert _refusal(_pdf(password="rahasia"), "laporan.pdf") == (
        "The PDF is protected with a password or encrypted; upload an unprotected copy.")


def _open_action(kind, **entries):
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    action.update({NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()})
    return _set_root("/OpenAction", action)


def _rich_media_annotation(writer):
    annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/RichMedia"),
                                   NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4)})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _document_script(writer):
    """A document-level script, in the /Names /JavaScript name tree."""
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hai"), writer._add_object(script)])})
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})


@pytest.mark.parametrize("change, what", [
    (_document_script, "scripts (JavaScript)"),
    (_open_action("/JavaScript", JS="app.alert(1)"), "scripts (JavaScript)"),
    (_open_action("/Launch", F="cmd.exe"), "a command that starts a program"),
    (lambda w: w.add_attachment("virus.exe", b"MZ\x90\x00"), "files embedded in it"),
    (_rich_media_annotation, "embedded media (Flash or video)"),
    (_set_root("/AcroForm", DictionaryObject({NameObject("/Fields"): ArrayObject(),
                                              NameObject("/XFA"): TextStringObject("<xdp/>")})), "an XFA form"),
])
def test_a_pdf_with_active_content_is_refused(change, what):
    message = _refusal(_pdf(change), "laporan.pdf")
    assert message.startswith(f"The PDF contains {what}, which is not accepted.")


def test_a_script_hidden_in_a_compressed_object_stream_is_refused():
    data = _pdf_with_object_stream(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>")
    assert b"JavaScript" not in data
    assert _refusal(data, "laporan.pdf").startswith("The PDF contains scripts (JavaScript)")


def test_a_script_name_written_with_hex_escapes_is_refused():
    data = _pdf_with_object_stream(b"/OpenAction << /S /J#61va#53cript /J#53 (app.alert\\(1\\)) >>", compress=False)
    assert _refusal(data, "laporan.pdf").startswith("The PDF contains scripts (JavaScript)")


@pytest.mark.parametrize("raw, found", [
    (b"<< /S /JavaScript /JS (x) >>", "JavaScript"),
    (b"<</JS(x)>>", "JS"),
    (b"<< /Type /Action /JS 5 0 R >>", "JS"),
    (b"<< /JSomething 1 /JSON (x) /EFX 2 /XFAx 3 /Launcher 4 >>", None),
    (b"<< /F1 1 0 R >>\nstream\nxx/JS (binary noise)/EF 1\nendstream", None),
    (b"<< /Length 12 >>\nstream\r\n/JavaScript\nendstream", "JavaScript"),
    (b"<< /EF << /F 3 0 R >> >>", "EF"),
    (b"<< /Names << /EmbeddedFiles 4 0 R >> >>", "EmbeddedFiles"),
    (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents <3082> >>", None),
])
def test_active_content_is_matched_on_whole_pdf_names(raw, found):
    assert _pdf_active_content(raw) == found


def test_a_pdf_with_an_electronic_signature_dictionary_is_accepted():
    def signature_field(writer):
        sig = DictionaryObject({
            NameObject("/Type"): NameObject("/Sig"), NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/SubFilter"): NameObject("/ETSI.CAdES.detached"),
            NameObject("/ByteRange"): ArrayObject([NumberObject(n) for n in (0, 100, 200, 300)]),
            NameObject("/Contents"): TextStringObject("0"),
        })
        field = DictionaryObject({NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject("Bupati"),
                                  NameObject("/V"): writer._add_object(sig)})
        writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
            NameObject("/Fields"): ArrayObject([writer._add_object(field)]), NameObject("/SigFlags"): NumberObject(3)})

    data = _pdf(signature_field)
    assert b"/ByteRange" in data and b"/Sig" in data
    clean = clean_signed_document(SimpleUploadedFile("komitmen-ttd.pdf", data))
    assert clean.kind == "pdf" and clean.content == data  # byte for byte: the signature stays valid


def test_a_signed_document_may_be_a_scan_and_gets_the_same_checks():
    assert clean_signed_document(SimpleUploadedFile("scan.jpg", _jpeg())).kind == "jpeg"
    assert _refusal(b"<html>", "komitmen.pdf", clean=clean_signed_document).startswith("The file looks like a web page")
    assert _refusal(_png(), "komitmen.pdf", clean=clean_signed_document) == (
        "The file is named .pdf but its content is a PNG image.")


# --------------------------------------------------------------------------- video links


def _link_refusal(url: str) -> str:
    with override("en"), pytest.raises(ValidationError) as caught:
        clean_video_link(url)
    return caught.value.message_dict["video_url"][0]


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?t=42",
    "http://video.semarangkota.go.id/inovasi/123",
    "https://drive.google.com/file/d/1AbC/view?usp=sharing",
])
def test_a_video_link_is_accepted(url):
    assert clean_video_link(url) == url


def test_a_video_link_is_returned_stripped():
    assert clean_video_link("  https://youtu.be/abc \n") == "https://youtu.be/abc"


@pytest.mark.parametrize("url, expected", [
    ("javascript:alert(document.cookie)", "The link must start with http:// or https://."),
    ("JavaScript://%0aalert(1)", "The link must start with http:// or https://."),
    ("data:text/html,<script>alert(1)</script>", "The link must start with http:// or https://."),
    ("ftp://files.example.com/video.mp4", "The link must start with http:// or https://."),
    ("//www.youtube.com/watch?v=x", "The link must start with http:// or https://."),
    ("http://user:pass@x", "The link must not contain a user name or password."),
    ("https://admin@www.youtube.com/watch", "The link must not contain a user name or password."),
    ("https://", "The link has no web address (host) after http:// or https://."),
    ("http:///watch?v=x", "The link has no web address (host) after http:// or https://."),
    ("https://www.you tube.com/", "The link must not contain spaces or control characters."),
    ("https://youtube", "Enter a valid web address for the video."),
    ("https://www.youtube.com:port/", "Enter a valid web address for the video."),
    ("   ", "Enter the link to the video."),
])
def test_a_bad_video_link_is_refused(url, expected):
    assert _link_refusal(url) == expected


def test_a_video_link_over_500_characters_is_refused():
    url = "https://www.youtube.com/watch?v=" + "a" * 480
    assert len(url) > 500
    assert _link_refusal(url) == f"The link is {len(url)} characters long; at most 500 are allowed."
    assert clean_video_link(url[:500]) == url[:500]


def test_the_video_link_field_name_is_the_one_given():
    with pytest.raises(ValidationError) as caught:
        clean_video_link("javascript:alert(1)", field="video_urls")
    assert list(caught.value.message_dict) == ["video_urls"]


def _one_page_pdf() -> bytes:
    import io as _io

    from pypdf import PdfWriter

    out = _io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(out)
    return out.getvalue()


def test_attachment_hidden_behind_fake_stream_markers_is_refused():
    """Comments that look like stream markers must not hide an attachment from the scan."""
    tail = (b"\n%stream\n7 0 obj\n<< /Type /Annot /Subtype /FileAttachment /FS << /Type /Filespec /F (a.exe) "
            b"/E#46 << /F 8 0 R >> >> >>\nendobj\n%endstream\n")
    with pytest.raises(ValidationError):
        clean_evidence(SimpleUploadedFile("x.pdf", _one_page_pdf() + tail))


def test_active_keys_are_found_in_parsed_objects():
    """The object walk sees a document-level script however the bytes are written."""
    import io as _io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    from labinov.core.files import _pdf_active_in_objects

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    out = _io.BytesIO()
    writer.write(out)
    assert _pdf_active_in_objects(PdfReader(_io.BytesIO(out.getvalue()))) in ("JS", "JavaScript")
    assert _pdf_active_in_objects(PdfReader(_io.BytesIO(_one_page_pdf()))) is None
