"""Issue 9.5: the commitment page says who signs when and why not yet, shows each party the signature form
when their turn comes, dates it with the document's date of signing, and refuses a scan before anybody
has signed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from labinov.core.models import AuditRecord
from labinov.delivery import commitments as services
from labinov.delivery.models import Commitment

from .test_commitments import _pdf, _prepared

pytestmark = pytest.mark.django_db
DAY = datetime.date(2019, 11, 14)


def _page(client, w, c):
    r = client.get(reverse("commitment_detail", args=[w.own.slug, w.program.pk, c.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    return r.content.decode()


def _stage(w, stage):
    w.program.stage = stage
    w.program.save(update_fields=["stage"])


def test_before_the_launching_the_unit_head_reads_when_and_as_whom_he_signs(deliver_world, login):
    w = deliver_world
    c = _prepared(w)
    _stage(w, "deliver_monitoring")
    page = _page(login(w.users["unit_head"]), w, c)
    assert "Signing opens in the stage Deliver: launching; the program is now in Deliver: monitoring." in page
    assert "You sign as Unit head, first of the three parties." in page
    assert 'id="sign-form"' not in page and "It is your turn" not in page


def test_at_the_launching_each_party_gets_the_form_on_their_turn_only(deliver_world, login):
    w = deliver_world
    c = _prepared(w)
    unit_head, leader = login(w.users["unit_head"]), None
    page = _page(unit_head, w, c)
    assert "It is your turn: record the signature of Unit head." in page and 'id="sign-form"' in page
    assert "Signing opens" not in page
    from django.test import Client

    leader = Client()
    leader.force_login(w.users["leader"])
    page = _page(leader, w, c)
    assert "after Unit head has signed" in page and 'id="sign-form"' not in page
    assert "Waiting for the signature of Unit head (Sri Lestari)." in page
    services.commitment_sign(actor=w.users["unit_head"], commitment=c, party="unit_head", signed_by="Sri Lestari", signed_on=DAY)
    page = _page(leader, w, c)
    assert 'id="sign-form"' in page and "It is your turn: record the signature of Head of region (or sekda a.n.)." in page
    page = _page(unit_head, w, c)
    assert "You signed as Unit head on 14 November 2019." in page and 'id="sign-form"' not in page


def test_after_display_signing_is_over_and_says_so(deliver_world, login):
    w = deliver_world
    c = _prepared(w)
    _stage(w, "closed")
    page = _page(login(w.users["organiser"]), w, c)
    assert "Signing is over: the program is in Closed" in page and 'id="sign-form"' not in page


def test_the_signature_date_starts_at_the_documents_date_not_today(deliver_world, login):
    w = deliver_world
    c = _prepared(w)  # the template's date of signing is 14 November 2019
    page = _page(login(w.users["organiser"]), w, c)
    assert 'name="signed_on" value="2019-11-14"' in page
    list_page = login(w.users["organiser"]).get(
        reverse("commitment_list", args=[w.own.slug, w.program.pk]) + "?status=drafted").content.decode()
    assert 'name="signed_on" value="2019-11-14"' in list_page


def test_a_document_date_still_ahead_falls_back_to_today(deliver_world):
    from django.utils import timezone

    from labinov.delivery.models import CommitmentTemplate

    assert services.default_signing_date(CommitmentTemplate(signing_date=datetime.date(2999, 1, 1))) == timezone.localdate()
    assert services.default_signing_date(CommitmentTemplate(signing_date=DAY)) == DAY
    assert services.default_signing_date(None) == timezone.localdate()


def test_a_scan_of_a_document_nobody_signed_is_refused_and_nothing_changes(deliver_world, login):
    w = deliver_world
    c = _prepared(w)
    with pytest.raises(ValidationError) as e:
        services.commitment_upload_signed(actor=w.users["organiser"], commitment=c, upload=SimpleUploadedFile("scan.pdf", _pdf()))
    assert "Nobody has signed this document yet" in str(e.value)
    client = login(w.users["organiser"])
    page = _page(client, w, c)
    assert 'id="upload-form"' not in page and 'id="upload-not-yet"' in page
    r = client.post(reverse("commitment_upload", args=[w.own.slug, w.program.pk, c.pk]),
                    {"file": SimpleUploadedFile("scan.pdf", _pdf())}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and "Nobody has signed this document yet" in r.content.decode()
    c = Commitment.objects.get(pk=c.pk)
    assert not c.signed_file and not AuditRecord.objects.filter(action="commitment.upload").exists()
    # once the unit head has signed, the scan is taken
    c = services.commitment_sign(actor=w.users["organiser"], commitment=c, party="unit_head", signed_by="Sri Lestari", signed_on=DAY)
    c = services.commitment_upload_signed(actor=w.users["organiser"], commitment=c, upload=SimpleUploadedFile("scan.pdf", _pdf()))
    assert c.signed_file


def test_the_explanation_is_in_indonesian_by_default(deliver_world, login):
    w = deliver_world
    c = _prepared(w)
    _stage(w, "deliver_monitoring")
    page = login(w.users["unit_head"]).get(reverse("commitment_detail", args=[w.own.slug, w.program.pk, c.pk])).content.decode()
    assert "Penandatanganan dibuka pada tahap" in page
    assert "Anda menandatangani sebagai Kepala unit, yang pertama dari tiga pihak." in page
