"""The commitment documents as A4 PDFs, always in Indonesian (they are official letters).

Rendering is done by a background task (`build_commitments`), never in a request: WeasyPrint lays
out a chunk of documents as one HTML document and writes it once; each document's pages (found by
its anchor) are then cut out of that PDF with pypdf. Writing a PDF per document with WeasyPrint would
subset the fonts again for every one: this way 140 documents take about 20 s instead of 27 s
(bench/bench_commitments.py). The chunks are joined into one merged PDF for printing and every
document also goes into a ZIP. The browser preview renders the same template as HTML.
"""

from __future__ import annotations

import io
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record
from labinov.core.pdf import logo_data_uri, url_fetcher
from labinov.innovations.models import ActionPlan, Indicator, Innovation, Milestone

from .commitments import (
    TEXT_FIELDS,
    approved_plan_ids,
    fill,
    short_pemda_name,
    tanggal,
    template_for,
)
from .models import Commitment, CommitmentBatch, CommitmentStatus, Countersigner

CHUNK = 20  # documents laid out together: the progress bar moves per chunk
#: which documents get a (new) PDF: those not signed yet, and signed ones that have none
MAKEABLE = Q(status=CommitmentStatus.DRAFTED) | Q(document="")
MAX_BATCH = 5000


def _innovation_rows(commitments: list[Commitment]) -> dict[int, list[dict]]:
    """commitment id -> its innovations with their indicators (targets) and completion date, from each
    innovation's latest approved plan. A fixed number of queries for any number of documents."""
    per_unit = [c for c in commitments if c.innovation_id is None]
    programs = {c.program_id for c in commitments}
    innovations = list(Innovation.objects.filter(pk__in=[c.innovation_id for c in commitments if c.innovation_id]))
    if per_unit:
        innovations += list(Innovation.objects.filter(program_id__in=programs, unit_id__in={c.unit_id for c in per_unit}))
    plan_of = approved_plan_ids({i.pk for i in innovations})
    plans = ActionPlan.objects.in_bulk(list(plan_of.values()))
    indicators: dict[int, list] = {}
    for row in Indicator.objects.filter(plan_id__in=plans).order_by("plan_id", "order", "id"):
        indicators.setdefault(row.plan_id, []).append(row)
    ends: dict[int, object] = {}
    for plan_id, end in Milestone.objects.filter(plan_id__in=plans).order_by().values_list("plan_id", "ends_on"):
        ends[plan_id] = max(end, ends.get(plan_id, end))
    by_unit: dict[tuple, list] = {}
    by_id = {}
    for innovation in sorted(innovations, key=lambda i: (i.name, i.pk)):
        plan_id = plan_of.get(innovation.pk)
        if plan_id is None:
            continue
        row = {"innovation": innovation, "objective": plans[plan_id].objective, "indicators": indicators.get(plan_id, []),
               "completion": ends.get(plan_id), "completion_text": tanggal(ends.get(plan_id))}
        by_id[innovation.pk] = row
        by_unit.setdefault((innovation.program_id, innovation.unit_id), []).append(row)
    return {c.pk: ([by_id[c.innovation_id]] if c.innovation_id in by_id else [])
            if c.innovation_id else by_unit.get((c.program_id, c.unit_id), []) for c in commitments}


def documents_context(*, program, commitments: list[Commitment]) -> dict:
    """What the template needs to print `commitments` of one program (in Indonesian)."""
    with translation.override("id"):
        return _documents_context(program, commitments)


def _documents_context(program, commitments: list[Commitment]) -> dict:
    pemda = program.pemda
    template = template_for(program=program)
    head_title = pemda.head_full_title  # "Pj Wali Kota Yogyakarta": the one way documents name the head
    sekda = template.countersigner == Countersigner.SEKDA
    counter = {
        "on_behalf": f"a.n. {head_title}" if sekda else "",
        "title": "Sekretaris Daerah" if sekda else head_title,
        "name": pemda.sekda_name if sekda else pemda.head_name,
        # the sekda and an acting head who is a civil servant sign with a NIP; an elected head has none
        "nip": pemda.sekda_nip if sekda else (pemda.head_nip if pemda.head_is_asn else None),
    }
    rows = _innovation_rows(commitments)
    items = []
    for c in commitments:
        values = {
            "judul": template.title, "unit_head": c.unit_head_name or "……………………", "nip": c.unit_head_nip,
            "jabatan": c.unit_head_position or _("Head of %(unit)s") % {"unit": c.unit.name}, "unit": c.unit.name,
            "kepala_daerah": pemda.head_name, "jabatan_kepala_daerah": pemda.head_office,
            "pemda": short_pemda_name(pemda), "program": program.name, "tahun": program.year,
            "akhir_periode": tanggal(template.period_ends_on or program.ends_on) or "……………………",
        }
        assert set(values) == set(TEXT_FIELDS)
        items.append({
            "commitment": c, "anchor": f"c-{c.pk}", "frozen": c.frozen_section, "opening": fill(template.opening, values), "closing": fill(template.closing, values),
            "innovations": rows.get(c.pk, []), "unit_head_position": values["jabatan"],
        })
    return {
        "program": program, "pemda": pemda, "template": template, "items": items, "counter": counter,
        "logo": logo_data_uri(pemda), "place_date": ", ".join(x for x in (template.place, tanggal(template.signing_date)) if x),
    }


def freeze(commitments: list[Commitment]) -> None:
    """Keeps each document's section as it reads now (called when the first party signs): from then
    on the preview and the PDFs show what was signed, whatever later happens to the template or plans."""
    if not commitments:
        return
    program = commitments[0].program
    for c in commitments:
        c.frozen_section = ""
    context = documents_context(program=program, commitments=commitments)
    with translation.override("id"):
        for item in context["items"]:
            item["commitment"].frozen_section = render_to_string("delivery/_commitment_section.html", {**context, "item": item})
    Commitment.objects.bulk_update(commitments, ["frozen_section"])


def render_html(context: dict) -> str:
    with translation.override("id"):
        return render_to_string("delivery/commitment_document.html", context)


def render_pdfs(*, program, commitments: list[Commitment]) -> tuple[list[tuple[Commitment, bytes]], bytes]:
    """Lays `commitments` out once and returns (each document's PDF, the merged PDF of all of them)."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    document = HTML(string=render_html(documents_context(program=program, commitments=commitments)),
                    base_url=None, url_fetcher=url_fetcher()).render()
    starts: dict[str, int] = {}
    for i, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, i)
    bounds = sorted((starts[f"c-{c.pk}"], c) for c in commitments if f"c-{c.pk}" in starts)
    merged = document.write_pdf()
    # Each document's pages are cut from the chunk's PDF (pypdf copies pages in milliseconds; WeasyPrint
    # would subset and write the fonts again for every document).
    reader = PdfReader(io.BytesIO(merged))
    out = []
    for n, (first, commitment) in enumerate(bounds):
        last = bounds[n + 1][0] if n + 1 < len(bounds) else len(document.pages)
        writer = PdfWriter()
        for page in reader.pages[first:last]:
            writer.add_page(page)
        writer.add_metadata({"/Title": f"{commitment.number}", "/Author": program.pemda.name})
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append((commitment, buffer.getvalue()))
    return out, merged


def file_name(commitment: Commitment) -> str:
    """A readable, safe file name for the ZIP: "012-kelurahan-kalicacing.pdf"."""
    from django.utils.text import slugify

    label = commitment.innovation.name if commitment.innovation_id else commitment.unit.name
    return f"{commitment.sequence:03d}-{slugify(label)[:60] or commitment.pk}.pdf"


# --------------------------------------------------------------------------- the background job


def batch_create(*, actor, program, commitment_ids: list[int] | None = None) -> CommitmentBatch:
    """Queues the PDFs of the given documents; by default every document not signed yet (its text may
    have changed) and every one without a PDF."""
    from .tasks import build_commitments

    qs = program.commitments.filter(MAKEABLE)
    if commitment_ids is not None:
        qs = qs.filter(pk__in=commitment_ids)
    ids = list(qs.order_by("sequence").values_list("pk", flat=True))
    if not ids and commitment_ids is not None:
        raise ValidationError(_("A signed document keeps the PDF it was signed from; it is not made again."))
    if not ids:
        raise ValidationError(_("There is no commitment document to make; prepare the documents first."))
    if len(ids) > MAX_BATCH:
        raise ValidationError(_("At most %(n)s documents can be made at once.") % {"n": MAX_BATCH})
    with transaction.atomic():
        batch = CommitmentBatch.objects.create(program=program, requested_by=actor, commitment_ids=ids, total=len(ids))
        audit_record(actor=actor, action="commitment.generate", obj=program, changes={"documents": len(ids), "batch": batch.pk})
    transaction.on_commit(lambda: build_commitments.enqueue(batch.pk))
    return batch


def batch_run(batch_id: int) -> None:
    """The task's work: every document's PDF (kept on the commitment), a ZIP and a merged PDF."""
    from pypdf import PdfWriter

    if not CommitmentBatch.claim(batch_id):
        return  # another worker has it, or it ran already
    batch = CommitmentBatch.objects.select_related("program", "program__pemda").get(pk=batch_id)
    try:
        program = batch.program
        by_id = Commitment.objects.select_related("unit", "innovation").filter(MAKEABLE).in_bulk(batch.commitment_ids)
        commitments = [by_id[pk] for pk in batch.commitment_ids if pk in by_id]
        merged = PdfWriter()
        archive_buffer = io.BytesIO()
        with zipfile.ZipFile(archive_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for start in range(0, len(commitments), CHUNK):
                chunk = commitments[start:start + CHUNK]
                pdfs, chunk_pdf = render_pdfs(program=program, commitments=chunk)
                merged.append(io.BytesIO(chunk_pdf))
                now = timezone.now()
                for commitment, data in pdfs:
                    archive.writestr(file_name(commitment), data)
                    _store_document(commitment, data, now)
                batch.done = min(start + len(chunk), len(commitments))
                batch.save(update_fields=["done", "updated_at"])
        pdf_buffer = io.BytesIO()
        merged.write(pdf_buffer)
        stem = f"commitment-batches/{program.pk}-{batch.pk}-{uuid.uuid4().hex[:8]}"
        batch.zip_name = default_storage.save(f"{stem}.zip", ContentFile(archive_buffer.getvalue()))
        batch.pdf_name = default_storage.save(f"{stem}.pdf", ContentFile(pdf_buffer.getvalue()))
        batch.status = CommitmentBatch.Status.DONE
    except Exception as e:  # the page shows the failure instead of waiting forever
        batch.status, batch.message = CommitmentBatch.Status.FAILED, str(e)[:500]
        raise
    finally:
        batch.save(update_fields=["status", "zip_name", "pdf_name", "message", "updated_at"])


def _store_document(commitment: Commitment, data: bytes, now) -> None:
    """Keeps the new PDF on the commitment, unless it was signed meanwhile with a PDF of its own: that
    one stays (the batch's ZIP still holds the new copy)."""
    name = f"commitments/{commitment.program_id}-{commitment.pk}-{uuid.uuid4().hex[:8]}.pdf"
    with transaction.atomic():
        current = Commitment.objects.select_for_update().filter(pk=commitment.pk).filter(MAKEABLE).first()
        if current is None:
            return
        old = current.document.name
        current.document.name = default_storage.save(name, ContentFile(data))
        current.document_made_at = now
        current.save(update_fields=["document", "document_made_at", "updated_at"])
    if old and current.status == CommitmentStatus.DRAFTED:
        default_storage.delete(old)


def batch_get(*, program, pk) -> CommitmentBatch:
    try:
        return CommitmentBatch.objects.get(program=program, pk=pk)
    except (CommitmentBatch.DoesNotExist, ValueError):
        raise Http404 from None


def latest_batch(*, program) -> CommitmentBatch | None:
    return CommitmentBatch.objects.filter(program=program).first()
