"""Who sees what inside a pemda (issue 9.14), with a second unit: a unit sees its own work;
organisers, coaches, verifiers, leaders and national roles see all; another unit of the same pemda
sees only what is published (the innovation's page, the screening decision) and gets 404 for the
innovation's plan, monitoring and evidence, 403 for the progress drill-down, and no rejection
reason: on the pages, in the API and in downloads alike. docs/permissions.md says the same.

The main matrix (test_permission_matrix.py) cannot say "404 for some pemda roles"; this one has
its own roles: the Kelurahan Kalicacing people own the work, the SD school's innovator and unit
head are the second unit.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from labinov.core.roles import Role
from tests.delivery.conftest import make_plan

OVERSEERS = ["organiser", "coach", "verifier", "leader", "national_admin", "national_coach"]
OWN_UNIT = ["unit_head", "innovator"]
OTHER_UNIT = ["sd_head", "sd_innovator"]
REASON = "Sudah ada layanan serupa di Disdukcapil"


@pytest.fixture
def unit_world(world, make_user):
    from labinov.delivery.models import Evidence, ProgressReport
    from labinov.ideas.models import Idea, Screening
    from labinov.innovations.models import Innovation

    w = world
    w.program.stage = "deliver_monitoring"
    w.program.save(update_fields=["stage"])
    Screening.objects.create(program=w.program, published_at=timezone.now())
    common = dict(pemda=w.own, program=w.program, form="pelayanan_publik", urusan=["adminduk"])
    w.inno = Innovation.objects.create(unit=w.kel, name="Surat pengantar online", **common)
    w.plan = make_plan(w.inno)
    report = ProgressReport.objects.create(milestone=w.plan.milestones.first(), innovation=w.inno, status="in_progress",
                                           percent=50, reported_at=timezone.now())
    w.evidence = Evidence(report=report, kind="pdf", content_type="application/pdf", original_name="bukti.pdf", size=13)
    w.evidence.file.save("bukti.pdf", ContentFile(b"%PDF-1.7 bukti"), save=True)
    w.rejected = Idea.objects.create(
        pemda=w.own, program=w.program, unit=w.kel, status="rejected", decision_reason=REASON, decided_at=timezone.now(),
        title="Antrean kelurahan daring", problem="Antre lama", proposed_change="Nomor antrean daring",
        form="pelayanan_publik", initiator="perangkat_daerah")
    w.users["sd_innovator"] = make_user("guru@sd01.test", Role.INNOVATOR, w.own, w.sd)
    w.users["sd_head"] = make_user("kepsek@sd01.test", Role.UNIT_HEAD, w.own, w.sd)
    return w


def _slug(w):
    return w.own.slug


PAGES = {
    "innovation page": (lambda w: reverse("innovation_detail", args=[_slug(w), w.inno.pk]), {"*": "ok"}),
    "action plan": (lambda w: reverse("plan_detail", args=[_slug(w), w.inno.pk, 1]), {"other_unit": "404"}),
    "monitoring": (lambda w: reverse("monitoring_detail", args=[_slug(w), w.inno.pk]), {"other_unit": "404"}),
    "evidence download": (lambda w: reverse("evidence_download", args=[_slug(w), w.inno.pk, w.evidence.pk]), {"other_unit": "404"}),
    "progress drill-down": (lambda w: reverse("progress_unit", args=[_slug(w), w.program.pk, w.kel.pk]),
                            {"own_unit": "403", "other_unit": "403"}),
    "API monitoring": (lambda w: f"/api/v1/pemda/{_slug(w)}/innovations/{w.inno.pk}/monitoring", {"other_unit": "404"}),
    "API action plan": (lambda w: f"/api/v1/pemda/{_slug(w)}/innovations/{w.inno.pk}/plan/1", {"other_unit": "404"}),
    "API innovation": (lambda w: f"/api/v1/pemda/{_slug(w)}/innovations/{w.inno.pk}", {"*": "ok"}),
}


def _group(role):
    return "own_unit" if role in OWN_UNIT else "other_unit" if role in OTHER_UNIT else "overseer"


def _outcome(response):
    return "ok" if response.status_code < 400 else str(response.status_code)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_second_unit_sees_only_what_is_published(unit_world, client, page):
    url_of, rule = PAGES[page]
    url = url_of(unit_world)
    mismatches = []
    for role in OVERSEERS + OWN_UNIT + OTHER_UNIT:
        want = rule.get("*") or rule.get(_group(role), "ok")
        with transaction.atomic():
            client.force_login(unit_world.users[role])
            got = _outcome(client.get(url))
            transaction.set_rollback(True)
        if got != want:
            mismatches.append(f"GET {url} as {role}: expected {want}, got {got}")
    assert not mismatches, "\n".join(mismatches)


def test_the_innovation_page_of_another_unit_shows_no_plan_or_monitoring_link(unit_world, client):
    w = unit_world
    url = reverse("innovation_detail", args=[_slug(w), w.inno.pk])
    client.force_login(w.users["sd_innovator"])
    body = client.get(url).content.decode()
    assert w.inno.name in body
    assert reverse("monitoring_detail", args=[_slug(w), w.inno.pk]) not in body
    assert reverse("plan_detail", args=[_slug(w), w.inno.pk, 1]) not in body
    assert "Sosialisasi ke RT/RW" not in body  # a milestone of the plan
    client.force_login(w.users["innovator"])
    body = client.get(url).content.decode()
    assert reverse("monitoring_detail", args=[_slug(w), w.inno.pk]) in body and "Sosialisasi ke RT/RW" in body


@pytest.mark.parametrize("role", OVERSEERS + OWN_UNIT + OTHER_UNIT)
def test_a_rejection_reason_is_for_the_unit_and_the_overseers(unit_world, client, role):
    w = unit_world
    client.force_login(w.users[role])
    sees = _group(role) != "other_unit"
    pages = [
        reverse("idea_detail", args=[_slug(w), w.program.pk, w.rejected.pk]),
        reverse("idea_list", args=[_slug(w), w.program.pk]),
        reverse("idea_unit_sheet", args=[_slug(w), w.program.pk, w.kel.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert w.rejected.title in body, url  # the published decision itself is visible to everyone of the pemda
        assert (REASON in body) == sees, f"{url} as {role}"
    api = client.get(f"/api/v1/pemda/{_slug(w)}/programs/{w.program.pk}/ideas/{w.rejected.pk}").json()
    assert api["status"] == "rejected"
    assert api["decision_reason"] == (REASON if sees else "")
    listed = client.get(f"/api/v1/pemda/{_slug(w)}/programs/{w.program.pk}/ideas").json()
    row = next(i for i in listed["items"] if i["id"] == w.rejected.pk)
    assert row["decision_reason"] == (REASON if sees else "")
