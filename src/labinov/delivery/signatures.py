"""Checking the electronic signatures (BSrE / PAdES) in an uploaded commitment document PDF.

For every /Sig signature (with pyHanko): *intact* = the /ByteRange bytes hash to the signed digest
and the CMS signature verifies with the embedded certificate; *covers_document* = the signature
covers the whole file, or only incremental updates that pyHanko's difference analysis accepts
(more signatures, form filling, validation data) and the DocMDP level allows follow it; *trusted* =
the certificate chains to a configured root, is valid now and has digitalSignature/nonRepudiation.

Not checked: revocation. Nothing goes to the network (no OCSP/CRL fetching, soft-fail), so a revoked
certificate still shows as trusted; validity is judged at the current time, so an expired one does
not. No root is built in: the deployer must put the BSrE root in the PEM file(s) named by
settings.LABINOV_SIGNATURE_TRUST_ROOTS (separated by os.pathsep), else every signature is untrusted.
Document timestamps (/DocTimeStamp) are not listed. pyHanko calls asyncio.run(), so inside a
running event loop the check runs in a worker thread (still blocking the caller).
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer: str
    signer_subject: str
    issuer: str
    signed_at: datetime | None
    intact: bool
    covers_document: bool
    trusted: bool
    summary: str


class SignatureError(ValueError):
    """The file cannot be read as a PDF; the message is shown to the user."""


def _common_name(name) -> str:
    value = name.native.get("common_name", "")
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _load_roots(trust_roots: list[bytes] | None) -> list:
    """asn1crypto certificates from DER/PEM bytes, or from the files named in the settings."""
    from pyhanko.keys import load_certs_from_pemder_data

    sources = [(data, "trust_roots") for data in trust_roots or []]
    if trust_roots is None:
        for path in (getattr(settings, "LABINOV_SIGNATURE_TRUST_ROOTS", "") or "").split(os.pathsep):
            try:
                if path.strip():
                    with open(path.strip(), "rb") as f:
                        sources.append((f.read(), path.strip()))
            except OSError:
                logger.error("Cannot read signature trust roots from %s", path, exc_info=True)
    roots = []
    for data, origin in sources:
        try:  # parse now: a bad root must not make every signature look broken later
            roots += [cert for cert in load_certs_from_pemder_data(data) if cert.subject.human_friendly]
        except Exception:  # noqa: BLE001 - asn1crypto raises ValueError, TypeError, ...
            logger.error("Invalid signature trust root in %s", origin, exc_info=True)
    return roots


def _summary(signer: str, intact: bool, covers: bool, trusted: bool) -> str:
    if not intact:
        return _("The signature is broken: the signed content was changed or the signature is damaged.")
    if not covers:
        message = _("The signature by %(name)s is intact, but the document was changed after signing.")
    elif trusted:
        message = _("Valid signature by %(name)s, with a certificate from a trusted authority.")
    else:
        message = _("The signature by %(name)s is intact, but its certificate is not from a trusted authority.")
    return message % {"name": signer}


def _check(reader, field_name: str, sig_field, roots: list) -> SignatureCheck | None:
    from pyhanko.sign.validation import EmbeddedPdfSignature, validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel as Coverage
    from pyhanko_certvalidator import ValidationContext

    cert = status = None
    try:
        embedded = EmbeddedPdfSignature(reader, sig_field, field_name)
        if embedded.sig_object_type != "/Sig":
            return None  # a document timestamp, not somebody's signature
        cert = embedded.signer_cert
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=ValidationContext(trust_roots=roots, allow_fetching=False),
            key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}),
        )
    except Exception:  # noqa: BLE001 - pyHanko/asn1crypto raise many types on malformed signatures
        logger.warning("Unverifiable signature in field %s", field_name, exc_info=True)
    intact = bool(status and status.intact and status.valid)
    whole = status and status.coverage == Coverage.ENTIRE_FILE
    allowed_updates = status and status.coverage == Coverage.ENTIRE_REVISION and status.docmdp_ok
    covers = intact and bool(whole or allowed_updates)
    trusted = bool(status and status.trusted)
    signed_at = status.signer_reported_dt if status else None
    if signed_at is None and status and status.timestamp_validity:
        signed_at = status.timestamp_validity.timestamp
    if signed_at is not None and signed_at.tzinfo is None:  # a PDF /M date without offset
        signed_at = signed_at.replace(tzinfo=UTC)
    signer = _common_name(cert.subject) if cert else ""
    return SignatureCheck(
        field_name=field_name, signer=signer, signer_subject=cert.subject.human_friendly if cert else "",
        issuer=_common_name(cert.issuer) if cert else "", signed_at=signed_at, intact=intact,
        covers_document=covers, trusted=trusted, summary=_summary(signer, intact, covers, trusted),
    )


def verify_pdf_signatures(data: bytes, *, trust_roots: list[bytes] | None = None) -> list[SignatureCheck]:
    """Every signature in the PDF, checked ([] when there is none); SignatureError for a non-PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # pyHanko calls asyncio.run(), impossible inside a running loop: work in a thread of our own
        language = translation.get_language()

        def work():
            with translation.override(language):
                return verify_pdf_signatures(data, trust_roots=trust_roots)

        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(work).result()
    roots = _load_roots(trust_roots)
    try:
        reader = PdfFileReader(io.BytesIO(data))  # strict: a hybrid-xref file's signatures show as broken
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a readable PDF"
        raise SignatureError(_("The file is not a readable PDF.")) from exc
    checks = [_check(reader, name, sig_field, roots) for name, _value, sig_field in fields]
    return [check for check in checks if check is not None]


def signatures_summary(checks: list[SignatureCheck]) -> dict:
    """A JSON-serialisable summary of the checks, to store on the model (not valid when unsigned)."""
    signatures = [
        {**asdict(check), "signed_at": check.signed_at.isoformat() if check.signed_at else None} for check in checks
    ]
    return {
        "count": len(checks),
        "valid": bool(checks) and all(check.intact and check.covers_document for check in checks),
        "trusted": bool(checks) and all(check.trusted for check in checks),
        "signatures": signatures,
    }
