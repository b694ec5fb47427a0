"""Issue 10.1: evidence is served through core.files.file_response: photos inline under a sandboxing CSP,
PDFs as attachments (Chrome's PDF viewer does not run sandboxed), always nosniff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from labinov.core import files

from ..core.test_evidence_files import _pdf, _png


@pytest.mark.django_db
def test_evidence_photos_open_sandboxed_and_evidence_pdfs_download(deliver_world, login, tmp_path, settings):
    from django.core.files.base import ContentFile

    from labinov.delivery.models import Evidence, ProgressReport

    settings.MEDIA_ROOT = tmp_path
    w = deliver_world
    from django.utils import timezone

    report = ProgressReport.objects.create(milestone=w.plan.milestones.first(), innovation=w.inno, status="in_progress", percent=10,
                                           reported_at=timezone.now())
    photo = Evidence(report=report, kind="png", content_type="image/png", original_name="foto.png")
    photo.file.save("foto.png", ContentFile(_png()), save=True)
    scan = Evidence(report=report, kind="pdf", content_type="application/pdf", original_name="ba.pdf")
    scan.file.save("ba.pdf", ContentFile(_pdf()), save=True)
    client = login(w.users["organiser"])
    r = client.get(reverse("evidence_download", args=[w.own.slug, w.inno.pk, photo.pk]))
    assert r["Content-Disposition"].startswith("inline") and r["Content-Security-Policy"] == files.INLINE_CSP
    r = client.get(reverse("evidence_download", args=[w.own.slug, w.inno.pk, scan.pk]))
    assert r["Content-Disposition"].startswith("attachment") and r["X-Content-Type-Options"] == "nosniff"
