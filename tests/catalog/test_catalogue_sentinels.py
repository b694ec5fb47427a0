"""No private data ever reaches the public catalogue (issue 12, non-functional).

A unique sentinel string is planted in EVERY text field that is not one of the catalogue's public fields —
of a published innovation (contacts, NIP, phone, team, plans, reports, evidence, coach notes, commitments,
the launching's note, its ideas' search text), of unpublished innovations (all their fields), of ideas
(drafts and submitted), of people, users and of both pemda. The fields are found by introspection, so a
field added later is covered without editing this test. Then every catalogue page is crawled, and every
sentinel searched for, and the CSV and JSON downloads read, anonymously and as a user of another pemda: none may appear, none may be found.
"""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.db import models
from django.utils import timezone

from labinov.catalog.models import CatalogEntry
from labinov.catalog.services import PUBLIC_PROFILE_FIELDS

from .conftest import make_innovation

#: what the catalogue may show, per model (for a PUBLISHED innovation only)
PUBLIC = {
    "innovations.innovation": {"name", "description"},
    "innovations.innovationprofile": set(PUBLIC_PROFILE_FIELDS) | {"decree_number", "urusan_primary"},
    "regions.pemda": {"name", "region_code", "head_title"},
    "regions.unit": {"name", "region_code", "code"},
    "delivery.launch": {"place", "launched_by", "decree_number"},
    "delivery.launchedinnovation": {"decree_number"},
}
_counter = itertools.count(1)
SENTINEL = re.compile(r"zq\d{5}x")


def plant(obj, *, public: set[str] | None = None) -> list[str]:
    """Writes a fresh sentinel into every private text field of obj (saved without validation)."""
    label = obj._meta.label_lower
    keep = PUBLIC.get(label, set()) if public is None else public
    values, planted = {}, []
    for field in obj._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)) or field.choices or field.primary_key or field.name in keep:
            continue
        if field.max_length is not None and field.max_length < 20:
            token = f"zq{next(_counter):05d}x"
            if field.max_length < len(token):
                continue
        else:
            token = f"zq{next(_counter):05d}x"
        value = token
        if isinstance(field, models.EmailField):
            value = f"{token}@zq.test"
        elif isinstance(field, models.URLField):
            value = f"https://zq.test/{token}"
        values[field.attname] = value
        planted.append(token)
    type(obj)._base_manager.filter(pk=obj.pk).update(**values)
    return planted


@pytest.fixture
def planted(catalog_world):
    from labinov.delivery.models import (CoachNote, Commitment, Evidence, Launch, LaunchedInnovation, MilestoneProgress,
                                         ProgressReport)
    from labinov.ideas.models import Idea
    from labinov.innovations.models import (ActionPlan, Indicator, InnovationProfile, Milestone, PlanComment, Risk, Stakeholder,
                                            TeamMember)
    from labinov.people.models import Person

    w = catalog_world
    tokens: list[str] = []
    # a published innovation of the own pemda, with everything an innovation gathers on its way
    inno = w.izin
    inno.program = w.program
    inno.save(update_fields=["program"])
    tokens += plant(inno)
    tokens += plant(inno.profile)
    tokens += plant(TeamMember.objects.create(innovation=inno, role="manager", name="x", organisation="x"), public=set())
    plan = ActionPlan.objects.create(innovation=inno, status="approved", objective="x", revision_reason="x")
    tokens += plant(plan, public=set())
    milestone = Milestone.objects.create(plan=plan, activity="x", starts_on=datetime.date(2019, 7, 1), ends_on=datetime.date(2019, 8, 1),
                                         pic="x", output="x", budget_source="x")
    for obj in (Indicator.objects.create(plan=plan, name="x", unit_of_measure="x", baseline="x", target="x"), milestone,
                Risk.objects.create(plan=plan, risk="x", mitigation="x"), Stakeholder.objects.create(plan=plan, name="x", contribution="x"),
                PlanComment.objects.create(plan=plan, text="x")):
        tokens += plant(obj, public=set())
    report = ProgressReport.objects.create(milestone=milestone, innovation=inno, status="done", percent=100, reported_at=timezone.now())
    tokens += plant(report, public=set())
    tokens += plant(Evidence.objects.create(report=report, kind="video", video_url="https://x.test/", original_name="x"), public=set())
    MilestoneProgress.objects.create(milestone=milestone, innovation=inno, status="done", percent=100)
    tokens += plant(CoachNote.objects.create(innovation=inno, rating="green", text="x", created_at=timezone.now()), public=set())
    tokens += plant(Commitment.objects.create(pemda=w.own, program=w.program, unit=w.kel, innovation=inno, sequence=1, number="x"),
                    public=set())
    launch = Launch.objects.create(pemda=w.own, program=w.program, held_on=datetime.date(2019, 11, 14), place="Salatiga",
                                   launched_by="Wali Kota", note="x")
    tokens += plant(launch)
    tokens += plant(LaunchedInnovation.objects.create(launch=launch, innovation=inno))
    # unpublished innovations, of the own and of the other pemda: every field is private
    other_hidden = make_innovation(w.other, w.other_unit, "x", urusan="kesehatan")
    for hidden in (w.hidden, other_hidden):
        tokens += plant(hidden, public=set())
        tokens += plant(InnovationProfile.objects.get(innovation=hidden), public=set())
    # ideas (a draft and a submitted one, in each pemda), people, users, both pemda and their units
    common = dict(form="pelayanan_publik", problem="x", proposed_change="x", title="x")
    for pemda, program, unit, status in ((w.own, w.program, w.kel, "draft"), (w.own, w.program, w.kel, "submitted"),
                                         (w.other, w.other_program, w.other_unit, "submitted")):
        tokens += plant(Idea.objects.create(pemda=pemda, program=program, unit=unit, status=status, **common), public=set())
    for person in (w.person, w.other_person, Person.objects.create(pemda=w.other, name="x", unit=w.other_unit)):
        tokens += plant(person, public=set())
    for role in ("innovator", "unit_head", "coach"):
        tokens += plant(w.users[role], public={"password"})
    for pemda in (w.own, w.other):
        tokens += plant(pemda)
    for unit in (w.kel, w.sd, w.other_unit):
        tokens += plant(unit)
    assert len(tokens) > 80 and len(set(tokens)) == len(tokens)
    w.tokens = tokens
    return w


def _crawl_urls(client):
    """Every page of the catalogue a visitor can reach from the list: filtered lists, pemda and innovation pages."""
    from labinov.catalog.views import innovation_url

    urls = {"/katalog/"}
    first = client.get("/katalog/")
    for name, options in first.context["facets"].items():
        urls.update(f"/katalog/?{name}={o.value}" for o in options)
    for row in first.context["rows"]:
        urls.add(innovation_url(row["innovation"]))
    for pemda in ("3373-kota-salatiga", "3672-kota-cilegon"):
        urls.add(f"/katalog/{pemda}/")
    urls.update({"/katalog/data.csv", "/katalog/data.json", "/katalog/data.csv?province=33", "/katalog/data.json?q=izin"})
    return sorted(urls)


@pytest.mark.parametrize("viewer", ["anonymous", "other_organiser"])
def test_no_private_data_in_any_catalogue_page_or_search(planted, client, viewer):
    w = planted
    if viewer != "anonymous":
        client.force_login(w.users[viewer])
    tokens = set(w.tokens)
    urls = _crawl_urls(client)
    assert len(urls) > 10
    leaks = []
    for url in urls:
        for language in ("id", "en"):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            found = set(SENTINEL.findall(body.decode())) & tokens
            leaks += [f"{url}: {t}" for t in sorted(found)]
    assert not leaks, "private data in the catalogue:\n" + "\n".join(leaks)
    # the pages did show the published innovations (the crawl reached them)
    assert b"Layanan izin usaha daring" in client.get("/katalog/").content
    assert b"Layanan izin usaha daring" in b"".join(client.get("/katalog/data.csv").streaming_content)
    # searching for any sentinel finds nothing, and the page echoes nothing but the query
    for token in sorted(tokens):
        response = client.get("/katalog/", {"q": token})
        assert response.context["total"] == 0, token
        assert set(SENTINEL.findall(response.content.decode())) & tokens <= {token}


def test_no_private_data_in_the_search_index(planted):
    from labinov.catalog.services import catalogue_rebuild

    catalogue_rebuild()
    texts = " ".join(CatalogEntry.objects.values_list("text", flat=True))
    assert "layan" in texts and "izin" in texts  # the public text is there
    assert not set(SENTINEL.findall(texts)) & set(planted.tokens)
