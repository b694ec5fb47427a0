"""Checking PAdES signatures in uploaded commitment documents (signed here with throwaway certificates)."""

from __future__ import annotations

import asyncio
import datetime
import io
import json
import os

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pypdf import PdfWriter
from pyhanko.pdf_utils.generic import NameObject, NumberObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from labinov.delivery.signatures import SignatureError, signatures_summary, verify_pdf_signatures


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject, issuer, public_key, signing_key, *, ca):
    now = datetime.datetime.now(datetime.UTC)
    usage = dict(digital_signature=True, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
                 key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .sign(signing_key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def pki():
    """A self-signed CA and a signer certificate for "Yuliyanto" issued by it."""
    ca_key, signer_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Uji Root CA")
    ca_cert = _cert(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    signer_cert = _cert(_name("Yuliyanto"), ca_name, signer_key.public_key(), ca_key, ca=False)
    return ca_cert, signer_cert, signer_key


def _blank_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _sign(pdf, pki, field_name="Signature1"):
    ca_cert, signer_cert, signer_key = pki
    der = serialization.Encoding.DER
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(signer_cert.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(signer_key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(ca_cert.public_bytes(der))]),
    )
    # pyHanko's sign_pdf calls asyncio.run(): in a thread of its own, so that it also works when the
    # browser tests' Playwright loop is running in the main thread of the same pytest process.
    def sign():
        return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                                signers.PdfSignatureMetadata(field_name=field_name), signer=signer).getvalue()

    return _in_thread(sign)


def _in_thread(fn, *args):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


@pytest.fixture(scope="module")
def signed_pdf(pki):
    return _sign(_blank_pdf(), pki)


def _ca_pem(pki):
    return pki[0].public_bytes(serialization.Encoding.PEM)


def test_signed_pdf_is_intact_but_untrusted_without_roots(signed_pdf, settings):
    """Without configured roots the signature is intact and covers the file, but is not trusted."""
    settings.LABINOV_SIGNATURE_TRUST_ROOTS = ""
    [check] = verify_pdf_signatures(signed_pdf)
    assert check.field_name == "Signature1"
    assert check.signer == "Yuliyanto"
    assert "Yuliyanto" in check.signer_subject
    assert check.issuer == "Uji Root CA"
    assert check.signed_at is not None and check.signed_at.tzinfo is not None
    assert check.intact and check.covers_document
    assert not check.trusted
    assert check.summary


def test_trusted_with_root_passed_directly(signed_pdf, pki):
    """The CA given as a trust root (PEM or DER) makes the signature trusted."""
    [check] = verify_pdf_signatures(signed_pdf, trust_roots=[_ca_pem(pki)])
    assert check.intact and check.covers_document and check.trusted
    [check] = verify_pdf_signatures(signed_pdf, trust_roots=[pki[0].public_bytes(serialization.Encoding.DER)])
    assert check.trusted


def test_trusted_with_root_from_settings(signed_pdf, pki, settings, tmp_path):
    """settings.LABINOV_SIGNATURE_TRUST_ROOTS names PEM file(s) whose certificates are trusted."""
    pem = tmp_path / "bsre-root.pem"
    pem.write_bytes(_ca_pem(pki))
    settings.LABINOV_SIGNATURE_TRUST_ROOTS = str(pem)
    [check] = verify_pdf_signatures(signed_pdf)
    assert check.trusted
    settings.LABINOV_SIGNATURE_TRUST_ROOTS = os.pathsep.join([str(tmp_path / "other.pem"), str(pem)])
    [check] = verify_pdf_signatures(signed_pdf)
    assert check.trusted


def test_missing_root_file_means_untrusted(signed_pdf, settings, tmp_path):
    """A misconfigured root path is logged, not fatal: signatures are checked but untrusted."""
    settings.LABINOV_SIGNATURE_TRUST_ROOTS = str(tmp_path / "missing.pem")
    [check] = verify_pdf_signatures(signed_pdf)
    assert check.intact and not check.trusted


def test_unsigned_pdf_has_no_signatures():
    """A PDF without signatures gives an empty list and a summary that is not valid."""
    assert verify_pdf_signatures(_blank_pdf(), trust_roots=[]) == []
    assert signatures_summary([]) == {"count": 0, "valid": False, "trusted": False, "signatures": []}


def test_changed_signed_byte_breaks_signature(signed_pdf, pki):
    """Changing one byte inside the signed range (the page width) makes the signature not intact."""
    position = signed_pdf.index(b"595")
    tampered = signed_pdf[:position] + b"596" + signed_pdf[position + 3:]
    [check] = verify_pdf_signatures(tampered, trust_roots=[_ca_pem(pki)])
    assert not check.intact
    assert not check.trusted


def test_damaged_signature_value_is_reported_not_raised(signed_pdf):
    """A signature whose CMS blob is garbage is listed as broken instead of failing the whole check."""
    start = signed_pdf.index(b"/Contents <") + len(b"/Contents <")
    damaged = signed_pdf[:start] + b"00" * 20 + signed_pdf[start + 40:]
    [check] = verify_pdf_signatures(damaged, trust_roots=[])
    assert check.field_name == "Signature1"
    assert not (check.intact or check.covers_document or check.trusted)
    assert check.summary


def test_content_changed_in_later_update_is_not_covered(signed_pdf, pki):
    """An incremental update after signing that changes the page is detected: covers_document is False."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[NameObject("/Rotate")] = NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    [check] = verify_pdf_signatures(out.getvalue(), trust_roots=[_ca_pem(pki)])
    assert check.intact
    assert not check.covers_document


def test_second_signature_keeps_the_first_covering(signed_pdf, pki):
    """A second signature is an allowed incremental update: both signatures cover the document."""
    checks = verify_pdf_signatures(_sign(signed_pdf, pki, field_name="Signature2"), trust_roots=[_ca_pem(pki)])
    assert [check.field_name for check in checks] == ["Signature1", "Signature2"]
    assert all(check.intact and check.covers_document and check.trusted for check in checks)


def test_works_inside_a_running_event_loop(signed_pdf, pki):
    """pyHanko calls asyncio.run(); called from async code the check still gives the real result."""

    async def check_in_loop():
        return verify_pdf_signatures(signed_pdf, trust_roots=[_ca_pem(pki)])

    [check] = _in_thread(asyncio.run, check_in_loop())
    assert check.intact and check.covers_document and check.trusted


def test_garbage_raises_signature_error():
    """Bytes that are not a PDF raise SignatureError with a message."""
    for data in (b"", b"not a pdf at all", b"%PDF-1.7\n" + bytes(range(256)) * 4):
        with pytest.raises(SignatureError) as error:
            verify_pdf_signatures(data, trust_roots=[])
        assert str(error.value)


def test_summary_is_json_serialisable(signed_pdf, pki):
    """signatures_summary gives plain data, with signed_at as an ISO string."""
    summary = signatures_summary(verify_pdf_signatures(signed_pdf, trust_roots=[_ca_pem(pki)]))
    assert json.loads(json.dumps(summary)) == summary
    assert summary["count"] == 1 and summary["valid"] and summary["trusted"]
    signature = summary["signatures"][0]
    assert signature["signer"] == "Yuliyanto"
    assert datetime.datetime.fromisoformat(signature["signed_at"])
    assert set(signature) == {"field_name", "signer", "signer_subject", "issuer", "signed_at", "intact",
                              "covers_document", "trusted", "summary"}
