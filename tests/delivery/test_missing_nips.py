"""Issue 9.3: a civil servant without a NIP on record (the sekda, an acting Pj/Plh head of region, the LAN
witness, a PNS unit head) would print an empty "NIP." line: the template, preparation (list) and document
pages and the "make the PDFs" button warn, name who is missing, and let the organiser fix it there.
PPPK, non-ASN and an elected head of region print no NIP line at all."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from labinov.core.models import AuditRecord
from labinov.delivery import commitments as services
from labinov.delivery import documents
from labinov.delivery.models import Commitment, CommitmentTemplate

pytestmark = pytest.mark.django_db
WITNESS_NIP = "197002071996031001"


def _text(w, c) -> str:
    pdf = documents.render_pdfs(program=w.program, commitments=[c])[0][0][1]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _prepare(w, **template):
    fields = dict(place="Salatiga", signing_date=datetime.date(2019, 11, 14), witness_name="Dr. Tri Widodo W. Utomo",
                  witness_nip=WITNESS_NIP, countersigner="sekda")
    services.template_update(actor=w.users["organiser"], program=w.program, **{**fields, **template})
    services.commitments_prepare(actor=w.users["organiser"], program=w.program)
    return Commitment.objects.order_by("sequence").first()


def _who(w) -> list[tuple[str, str]]:
    return [(row["party"], row["name"]) for row in services.missing_nips(program=w.program)]


def test_nothing_is_missing_when_every_civil_servant_has_a_nip(deliver_world):
    w = deliver_world
    c = _prepare(w)
    assert _who(w) == []
    assert _text(w, c).count("NIP.") == 3  # the sekda, the unit head, the witness


def test_the_missing_ones_are_named(deliver_world):
    w = deliver_world
    c = _prepare(w, witness_nip="")
    Commitment.objects.filter(pk=c.pk).update(unit_head_nip="")
    w.own.sekda_nip = ""
    w.own.save()
    w.program.pemda.refresh_from_db()
    assert _who(w) == [("countersigner", "Fakruroji"), ("witness", "Dr. Tri Widodo W. Utomo"), ("unit_head", "Sri Lestari")]
    roles = [row["role"] for row in services.missing_nips(program=w.program)]
    assert roles[0] == "Sekda (a.n. Wali Kota Salatiga)" and roles[2] == "Unit head of Kelurahan Kalicacing"


def test_pppk_and_non_asn_unit_heads_print_no_nip_line_and_are_not_missing(deliver_world):
    w = deliver_world
    c = _prepare(w)
    for employment in ("pppk", "non_asn"):
        c = services.commitment_update_party(actor=w.users["organiser"], commitment=c, unit_head_nip="", unit_head_employment=employment)
        assert _who(w) == []
        text = _text(w, c)
        assert text.count("NIP.") == 2 and "Sri Lestari" in text  # the sekda and the witness only


def test_a_nip_for_a_pppk_is_refused(deliver_world):
    from django.core.exceptions import ValidationError

    w = deliver_world
    c = _prepare(w)
    with pytest.raises(ValidationError) as e:
        services.commitment_update_party(actor=w.users["organiser"], commitment=c, unit_head_employment="pppk")
    assert "Only a civil servant (PNS) has a NIP printed" in str(e.value)
    assert Commitment.objects.get().unit_head_employment == "pns"


def test_an_elected_head_prints_no_nip_and_an_acting_pj_without_one_is_missing(deliver_world):
    w = deliver_world
    c = _prepare(w, countersigner="head")
    assert _who(w) == [] and _text(w, c).count("NIP.") == 2  # the unit head and the witness
    w.own.head_acting, w.own.head_name = "pj", "Sumadi"
    w.own.save()
    w.program.pemda.refresh_from_db()
    assert _who(w) == [("countersigner", "Sumadi")]
    assert services.missing_nips(program=w.program)[0]["role"] == "Pj Wali Kota Salatiga"
    assert _text(w, c).count("NIP.") == 3  # an empty line under the Pj, which the warning is about


def test_a_private_school_head_is_prepared_as_non_asn(deliver_world):
    w = deliver_world
    w.sd.ownership = "swasta"
    w.sd.save()
    w.sd_plan.status = "approved"
    w.sd_plan.save()
    _prepare(w)
    assert Commitment.objects.get(unit=w.sd).unit_head_employment == "non_asn"
    assert Commitment.objects.get(unit=w.kel).unit_head_employment == "pns"


def _list(client, w) -> str:
    return client.get(reverse("commitment_list", args=[w.own.slug, w.program.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_list_template_and_document_pages_warn_and_name_who(deliver_world, login):
    w = deliver_world
    c = _prepare(w, witness_nip="")
    client = login(w.users["organiser"])
    for url in (reverse("commitment_list", args=[w.own.slug, w.program.pk]), reverse("commitment_settings", args=[w.own.slug, w.program.pk]),
                reverse("commitment_detail", args=[w.own.slug, w.program.pk, c.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'id="missing-nips"' in page and "Dr. Tri Widodo W. Utomo" in page and 'data-party="witness"' in page, url
    # the unit head sees his document without the organiser's warning
    assert 'id="missing-nips"' not in login(w.users["unit_head"]).get(
        reverse("commitment_detail", args=[w.own.slug, w.program.pk, c.pk])).content.decode()


def test_making_the_pdfs_warns_about_who_gets_an_empty_line(deliver_world, login, django_capture_on_commit_callbacks):
    w = deliver_world
    _prepare(w, witness_nip="")
    client = login(w.users["organiser"])
    page = client.get(reverse("commitment_list", args=[w.own.slug, w.program.pk]))
    token = page.context["form"]["submission_token"].value()
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post(reverse("commitment_generate", args=[w.own.slug, w.program.pk]), {"submission_token": token},
                        follow=True, HTTP_ACCEPT_LANGUAGE="en")
    text = r.content.decode()
    assert "1 signatory has no NIP on record and gets an empty “NIP.” line: Witness (LAN)." in text


def _fix(client, w, **data):
    from labinov.delivery.forms import NipForm

    token = NipForm().initial["submission_token"]
    return client.post(reverse("commitment_nip", args=[w.own.slug, w.program.pk]),
                       {"submission_token": token, "back": "list", **data}, follow=True, HTTP_ACCEPT_LANGUAGE="en")


def test_the_organiser_fixes_each_missing_nip_from_the_list(deliver_world, login):
    w = deliver_world
    c = _prepare(w, witness_nip="")
    Commitment.objects.filter(pk=c.pk).update(unit_head_nip="")
    w.own.sekda_nip = ""
    w.own.save()
    client = login(w.users["organiser"])
    _fix(client, w, party="witness", nip="19700207 199603 1 001")
    assert CommitmentTemplate.objects.get().witness_nip == WITNESS_NIP
    _fix(client, w, party="countersigner", nip="196506071990031008")
    w.own.refresh_from_db()
    assert w.own.sekda_nip == "196506071990031008"
    r = _fix(client, w, party="unit_head", commitment=str(c.pk), nip="", employment="pppk")
    assert (Commitment.objects.get().unit_head_employment, Commitment.objects.get().unit_head_nip) == ("pppk", "")
    assert 'id="missing-nips"' not in r.content.decode()
    w.program.pemda.refresh_from_db()
    assert _who(w) == []
    assert AuditRecord.objects.filter(action__in=["commitment.template", "pemda.update", "commitment.party"]).count() >= 3


@pytest.mark.parametrize("data, message", [
    ({"party": "witness", "nip": "123"}, "NIP"),
    ({"party": "witness", "nip": ""}, "Enter the NIP (18 digits)."),
    ({"party": "unit_head", "nip": "", "employment": "pns"}, "Enter the NIP (18 digits), or say that the unit head is PPPK or non-ASN."),
])
def test_a_bad_nip_is_refused_with_a_message_and_changes_nothing(deliver_world, login, data, message):
    w = deliver_world
    c = _prepare(w, witness_nip="")
    Commitment.objects.filter(pk=c.pk).update(unit_head_nip="")
    if data["party"] == "unit_head":
        data = {**data, "commitment": str(c.pk)}
    audits = AuditRecord.objects.count()
    r = _fix(login(w.users["organiser"]), w, **data)
    text = r.content.decode()
    assert 'class="msg-error"' in text and message in text
    assert CommitmentTemplate.objects.get().witness_nip == "" and Commitment.objects.get().unit_head_nip == ""
    assert AuditRecord.objects.count() == audits


def test_a_signed_document_is_no_longer_listed(deliver_world):
    w = deliver_world
    c = _prepare(w)
    Commitment.objects.filter(pk=c.pk).update(unit_head_nip="")
    assert _who(w) == [("unit_head", "Sri Lestari")]
    services.commitment_sign(actor=w.users["organiser"], commitment=Commitment.objects.get(), party="unit_head", signed_by="Sri Lestari",
                             signed_on=datetime.date(2019, 11, 14))
    assert _who(w) == []
