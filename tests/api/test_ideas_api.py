"""The ideas endpoints: writing ideas in Diagnose, screening and deciding in Design, the funnel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labinov.core.models import AuditRecord
from labinov.ideas.models import Consolidation, Idea
from labinov.innovations.models import Innovation
from labinov.programs.models import Participation
from labinov.regions.models import Unit

from .conftest import fields_of, purl

SCORES = {"renewal": 4, "benefit": 5, "no_burden": 3, "authority": 4, "replicable": 3, "feasible": 4, "rpjmd": 2}


def pp(world, path: str = "", program=None) -> str:
    """/api/v1/pemda/<own>/programs/<program><path>."""
    return purl(world.own, f"/programs/{(program or world.program).pk}{path}")


def _body(world, **extra):
    return {"unit_id": world.kel.pk, "title": "Pengaduan warga lewat WhatsApp", "problem": "Aduan warga tidak tercatat",
            "proposed_change": "Nomor WhatsApp pengaduan untuk kelurahan", "form": "pelayanan_publik",
            "urusan": ["kominfo", "trantibum"], "initiator": "asn", **extra}


def _design(world):
    world.program.stage = "design"
    world.program.save()


@pytest.fixture
def org(ideas_world):
    return ideas_world.users["organiser"]


@pytest.fixture
def innovator(ideas_world):
    return ideas_world.users["innovator"]


# --- writing ideas -------------------------------------------------------------------------------


def test_innovator_writes_a_draft_then_submits_it(ideas_world, call, innovator):
    world = ideas_world
    r = call("POST", pp(world, "/ideas"), _body(world), user=innovator)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["status"] == "draft" and data["submitted_at"] is None
    assert data["unit_id"] == world.kel.pk and data["unit_name"] == "Kelurahan Kalicacing"
    assert data["urusan"] == ["trantibum", "kominfo"]  # in the order of UU 23/2014
    idea = Idea.objects.get(pk=data["id"])
    assert idea.pemda == world.own and idea.created_by == innovator and idea.search_text

    r = call("PATCH", pp(world, f"/ideas/{idea.pk}"), {"beneficiaries": "Warga Kalicacing"}, user=innovator)
    assert r.status_code == 200, r.content
    assert r.json()["beneficiaries"] == "Warga Kalicacing" and r.json()["title"] == "Pengaduan warga lewat WhatsApp"

    r = call("POST", pp(world, f"/ideas/{idea.pk}/submit"), user=innovator)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted" and r.json()["submitted_at"]
    # Submitting again changes nothing.
    r = call("POST", pp(world, f"/ideas/{idea.pk}/submit"), user=innovator)
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert list(AuditRecord.objects.filter(object_type="ideas.idea", object_id=str(idea.pk)).values_list("action", flat=True).order_by("pk")) == [
        "idea.create", "idea.update", "idea.submit"]

    # The organiser now sees it; the draft of the unit stays hidden from them.
    ids = [i["id"] for i in call("GET", pp(world, "/ideas"), user=world.users["organiser"]).json()["items"]]
    assert idea.pk in ids and world.draft.pk not in ids


def test_create_submitted_at_once_and_validation(ideas_world, call, innovator, org):
    world = ideas_world
    r = call("POST", pp(world, "/ideas"), _body(world, submit=True), user=innovator)
    assert r.status_code == 201 and r.json()["status"] == "submitted"

    r = call("POST", pp(world, "/ideas"), _body(world, urusan=["astrologi"]), user=innovator)
    assert r.status_code == 422 and fields_of(r) == ["urusan"]
    r = call("POST", pp(world, "/ideas"), _body(world, form="lain"), user=innovator)
    assert r.status_code == 422 and fields_of(r) == ["form"]
    r = call("POST", pp(world, "/ideas"), _body(world, is_replication=True), user=innovator)
    assert r.status_code == 422 and fields_of(r) == ["replication_source"]
    r = call("POST", pp(world, "/ideas"), _body(world, unit_id=world.other_unit.pk), user=innovator)
    assert r.status_code == 422 and fields_of(r) == ["unit_id"]  # another pemda's unit does not exist here
    r = call("POST", pp(world, "/ideas"), {"unit_id": world.kel.pk, "title": "Tanpa isi"}, user=innovator)
    assert r.status_code == 422 and set(fields_of(r)) == {"problem", "proposed_change", "form"}
    # An innovator writes for their own unit only; an organiser for any participating unit.
    r = call("POST", pp(world, "/ideas"), _body(world, unit_id=world.sd.pk), user=innovator)
    assert r.status_code == 403
    r = call("POST", pp(world, "/ideas"), _body(world, unit_id=world.sd.pk, title="Kantin sehat"), user=org)
    assert r.status_code == 201, r.content
    outsider = Unit.objects.create(pemda=world.own, name="Dinas Pariwisata", kind="dinas")
    r = call("POST", pp(world, "/ideas"), _body(world, unit_id=outsider.pk), user=org)
    assert r.status_code == 403
    r = call("PATCH", pp(world, f"/ideas/{world.idea.pk}"), {"unit_id": world.sd.pk}, user=innovator)
    assert r.status_code == 403
    assert Idea.objects.filter(program=world.program).count() == 5


def test_ideas_are_written_in_diagnose_only(ideas_world, call, innovator):
    world = ideas_world
    _design(world)
    assert call("POST", pp(world, "/ideas"), _body(world), user=innovator).status_code == 403
    r = call("PATCH", pp(world, f"/ideas/{world.idea.pk}"), {"title": "Baru"}, user=innovator)
    assert r.status_code == 403
    assert call("POST", pp(world, f"/ideas/{world.draft.pk}/submit"), user=innovator).status_code == 403
    world.idea.refresh_from_db()
    assert world.idea.title == "Layanan surat pengantar online"


def test_other_pemda_and_other_programs_are_not_found(ideas_world, call, org):
    world = ideas_world
    # The other pemda's program under this pemda's URL, and an idea of another program.
    assert call("GET", pp(world, "/ideas", program=world.other_program), user=org).status_code == 404
    assert call("GET", pp(world, f"/ideas/{world.other_idea.pk}"), user=org).status_code == 404
    assert call("GET", pp(world, "/ideas/abc"), user=org).status_code == 422
    other = world.users["other_organiser"]
    assert call("GET", pp(world, "/ideas"), user=other).status_code == 404
    assert call("GET", pp(world, f"/ideas/{world.idea.pk}"), user=other).status_code == 404


def test_list_filters(ideas_world, call, org):
    world = ideas_world
    url = pp(world, "/ideas")
    assert call("GET", url, user=org).json()["count"] == 2  # the two submitted ideas, not the draft
    assert [i["id"] for i in call("GET", url + f"?unit={world.sd.pk}", user=org).json()["items"]] == [world.sd_idea.pk]
    assert call("GET", url + "?status=draft", user=org).json()["count"] == 0
    assert [i["id"] for i in call("GET", url + "?q=surat", user=org).json()["items"]] == [world.idea.pk]
    items = call("GET", url, user=world.users["innovator"]).json()["items"]
    assert sorted(i["id"] for i in items) == sorted([world.idea.pk, world.draft.pk])


# --- who sees what -------------------------------------------------------------------------------


def test_units_see_other_units_ideas_only_after_publication(ideas_world, call, innovator, org):
    world = ideas_world
    url = pp(world, f"/ideas/{world.sd_idea.pk}")
    assert call("GET", url, user=innovator).status_code == 404
    assert call("GET", pp(world, f"/ideas/{world.idea.pk}"), user=innovator).status_code == 200
    assert call("GET", pp(world, f"/ideas/{world.draft.pk}"), user=org).status_code == 404  # a unit's own draft

    _design(world)
    r = call("POST", pp(world, "/decisions"), {"action": "reject", "idea_ids": [world.sd_idea.pk],
                                               "reason": "Sudah ada program serupa"}, user=org)
    assert r.status_code == 200, r.content
    assert call("POST", pp(world, "/decisions"), {"action": "select", "idea_ids": [world.idea.pk]}, user=org).status_code == 200
    assert call("GET", url, user=innovator).status_code == 404  # decided, not yet published
    r = call("POST", pp(world, "/decisions/publish"), user=org)
    assert r.status_code == 200, r.content
    assert r.json()["published_at"] and r.json()["published_by_id"] == org.pk

    r = call("GET", url, user=innovator)
    assert r.status_code == 200
    # the decision is published to every unit, its reason only to the idea's own unit (issue 9.14)
    assert r.json()["status"] == "rejected" and r.json()["decision_reason"] == ""
    assert call("GET", url, user=org).json()["decision_reason"] == "Sudah ada program serupa"
    assert call("GET", pp(world, f"/ideas/{world.draft.pk}"), user=org).status_code == 404  # drafts stay the unit's
    ids = {i["id"] for i in call("GET", pp(world, "/ideas"), user=innovator).json()["items"]}
    assert ids == {world.idea.pk, world.draft.pk, world.sd_idea.pk}


def test_similar_ideas_respect_visibility(ideas_world, call, innovator, org, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # no catalogue index: nothing published to suggest
    world = ideas_world
    text = "Layanan surat pengantar online lewat WhatsApp untuk warga"
    for unit, title in ((world.sd, "Surat pengantar online siswa"), (world.kel, "Surat pengantar RT daring")):
        r = call("POST", pp(world, "/ideas"), _body(world, unit_id=unit.pk, title=title, submit=True,
                                                     proposed_change="Surat pengantar lewat WhatsApp"), user=org)
        assert r.status_code == 201, r.content
    sd_new = Idea.objects.get(title="Surat pengantar online siswa")

    r = call("GET", pp(world, "/ideas/similar") + f"?text={text}", user=org)
    assert r.status_code == 200, r.content
    found = {i["idea"]["id"]: i["score"] for i in r.json()["ideas"]}
    assert world.idea.pk in found and sd_new.pk in found
    assert all(0 < s <= 100 for s in found.values())
    assert r.json()["innovations"] == []  # nothing published in the catalogue

    found = {i["idea"]["id"] for i in call("GET", pp(world, "/ideas/similar") + f"?text={text}", user=innovator).json()["ideas"]}
    assert world.idea.pk in found and sd_new.pk not in found  # another unit's idea, before publication
    r = call("GET", pp(world, "/ideas/similar") + f"?text={text}&exclude={world.idea.pk}", user=innovator)
    assert world.idea.pk not in {i["idea"]["id"] for i in r.json()["ideas"]}
    assert call("GET", pp(world, "/ideas/similar") + "?text=surat", user=org).json() == {"ideas": [], "innovations": []}


# --- rubric and reviews --------------------------------------------------------------------------


def test_rubric_default_replace_and_fixed_once_scoring_starts(ideas_world, call, org):
    world = ideas_world
    r = call("GET", pp(world, "/rubric"), user=world.users["innovator"])
    assert r.status_code == 200
    assert [c["key"] for c in r.json()["criteria"]] == list(SCORES)
    assert sum(c["weight"] for c in r.json()["criteria"]) == 100

    body = {"criteria": [{"key": "manfaat", "label": "Bermanfaat", "weight": 60},
                         {"key": "rpjmd", "label": "Selaras dengan RPJMD", "weight": 40}]}
    r = call("PUT", pp(world, "/rubric"), body, user=org)
    assert r.status_code == 200, r.content
    assert [(c["key"], c["weight"]) for c in r.json()["criteria"]] == [("manfaat", 60), ("rpjmd", 40)]
    r = call("PUT", pp(world, "/rubric"), {"criteria": [{"key": "a", "label": "A", "weight": 0}]}, user=org)
    assert r.status_code == 422
    r = call("PUT", pp(world, "/rubric"), {"criteria": [{"key": "a b", "label": "A", "weight": 10}]}, user=org)
    assert r.status_code == 422 and fields_of(r) == ["criteria.0.key"]
    assert call("PUT", pp(world, "/rubric"), body, user=world.users["coach"]).status_code == 403

    _design(world)
    r = call("PUT", pp(world, f"/ideas/{world.idea.pk}/review"), {"scores": {"manfaat": 5, "rpjmd": 1}},
             user=world.users["coach"])
    assert r.status_code == 200, r.content
    assert r.json()["score"] == 60.0  # (60 × 4 + 40 × 0) / (100 × 4)
    assert call("PUT", pp(world, "/rubric"), body, user=org).status_code == 403  # scoring has started


def test_review_scores_out_of_range_name_the_criterion(ideas_world, call):
    world = ideas_world
    _design(world)
    coach = world.users["coach"]
    url = pp(world, f"/ideas/{world.idea.pk}/review")
    r = call("PUT", url, {"scores": {**SCORES, "benefit": 7}}, user=coach)
    assert r.status_code == 422
    (detail,) = r.json()["detail"]
    assert "Memberi manfaat bagi daerah/masyarakat" in detail["message"]
    r = call("PUT", url, {"scores": {k: v for k, v in SCORES.items() if k != "rpjmd"}}, user=coach,
             headers={"Accept-Language": "en"})
    assert r.status_code == 422 and "Selaras dengan RPJMD" in r.json()["detail"][0]["message"]
    r = call("PUT", url, {"scores": {**SCORES, "renewal": "banyak"}}, user=coach)
    assert r.status_code == 422 and fields_of(r) == ["scores.renewal"]
    assert not world.idea.reviews.exists()

    r = call("PUT", url, {"scores": SCORES, "comment": " Layak dilanjutkan "}, user=coach)
    assert r.status_code == 200, r.content
    assert r.json()["comment"] == "Layak dilanjutkan" and 0 <= r.json()["score"] <= 100
    # By criterion id, too; a second review by the same person replaces the first.
    criteria = call("GET", pp(world, "/rubric"), user=coach).json()["criteria"]
    r = call("PUT", url, {"scores": {str(c["id"]): 5 for c in criteria}}, user=coach)
    assert r.status_code == 200 and r.json()["score"] == 100.0
    assert world.idea.reviews.count() == 1
    assert call("PUT", url, {"scores": SCORES}, user=world.users["innovator"]).status_code == 403
    r = call("PUT", pp(world, f"/ideas/{world.draft.pk}/review"), {"scores": SCORES}, user=coach)
    assert r.status_code == 404  # a draft is the unit's own


def test_screening_ranks_ideas_with_agreement(ideas_world, call, org):
    world = ideas_world
    _design(world)
    url = lambda i: pp(world, f"/ideas/{i.pk}/review")  # noqa: E731
    assert call("PUT", url(world.idea), {"scores": {k: 5 for k in SCORES}}, user=world.users["coach"]).status_code == 200
    assert call("PUT", url(world.idea), {"scores": {k: 3 for k in SCORES}}, user=world.users["verifier"]).status_code == 200
    assert call("PUT", url(world.sd_idea), {"scores": {k: 2 for k in SCORES}}, user=org).status_code == 200

    r = call("GET", pp(world, "/screening"), user=world.users["leader"])
    assert r.status_code == 200, r.content
    rows = r.json()["items"]
    assert [row["id"] for row in rows] == [world.idea.pk, world.sd_idea.pk]
    assert (rows[0]["mean_score"], rows[0]["review_count"], rows[0]["spread"]) == (75.0, 2, 50.0)
    assert (rows[1]["mean_score"], rows[1]["review_count"], rows[1]["spread"]) == (25.0, 1, 0.0)
    assert rows[1]["unit_kind"] == "sd"
    assert call("GET", pp(world, "/screening?unit_kind=sd"), user=org).json()["count"] == 1
    assert call("GET", pp(world, "/screening"), user=world.users["innovator"]).status_code == 403


# --- decisions -----------------------------------------------------------------------------------


def test_merge_two_ideas_into_one_innovation_and_undo(ideas_world, call, org):
    world = ideas_world
    _design(world)
    ids = [world.idea.pk, world.sd_idea.pk]
    r = call("POST", pp(world, "/decisions"), {"action": "merge", "idea_ids": ids, "title": " "}, user=org)
    assert r.status_code == 422 and fields_of(r) == ["title"]
    r = call("POST", pp(world, "/decisions"), {"action": "merge", "idea_ids": ids, "title": "Layanan Warga Terpadu",
                                               "unit_id": world.sd.pk}, user=org)
    assert r.status_code == 200, r.content
    assert r.json()["action"] == "merge" and sorted(r.json()["idea_ids"]) == sorted(ids)
    (innovation_id,) = r.json()["innovation_ids"]
    innovation = Innovation.objects.get(pk=innovation_id)
    assert innovation.name == "Layanan Warga Terpadu" and innovation.unit == world.sd
    assert set(Idea.objects.filter(pk__in=ids).values_list("status", "innovation_id")) == {("merged", innovation_id)}

    r = call("GET", pp(world, "/innovations"), user=org)
    assert r.status_code == 200
    (item,) = r.json()["items"]
    assert item["id"] == innovation_id and item["source_idea_ids"] == sorted(ids) and item["unit_name"] == world.sd.name
    funnel = call("GET", pp(world, "/funnel"), user=org).json()
    assert (funnel["merged"], funnel["innovations"]) == (2, 1)
    r = call("POST", pp(world, "/decisions"), {"action": "select", "idea_ids": [world.idea.pk]}, user=org)
    assert r.status_code == 422  # already an innovation: undo first

    # Undoing both merged ideas at once undoes the merge once.
    r = call("POST", pp(world, "/decisions"), {"action": "undo", "idea_ids": ids}, user=org)
    assert r.status_code == 200, r.content
    assert set(Idea.objects.filter(pk__in=ids).values_list("status", "innovation_id")) == {("submitted", None)}
    assert not Innovation.objects.filter(pk=innovation_id).exists()
    consolidation = Consolidation.objects.get()
    assert consolidation.undone_at and consolidation.idea_ids == sorted(ids)  # provenance kept
    assert call("GET", pp(world, "/innovations"), user=org).json()["count"] == 0
    r = call("POST", pp(world, "/decisions"), {"action": "undo", "idea_ids": [world.idea.pk]}, user=org)
    assert r.status_code == 422  # nothing left to undo


def test_select_reject_in_bulk_and_undo(ideas_world, call, org):
    world = ideas_world
    _design(world)
    url = pp(world, "/decisions")
    r = call("POST", url, {"action": "reject", "idea_ids": [world.idea.pk]}, user=org)
    assert r.status_code == 422 and fields_of(r) == ["reason"]
    r = call("POST", url, {"action": "select", "idea_ids": [world.idea.pk, world.sd_idea.pk]}, user=org)
    assert r.status_code == 200, r.content
    assert len(r.json()["innovation_ids"]) == 2
    assert Innovation.objects.filter(program=world.program).count() == 2
    r = call("POST", url, {"action": "undo", "idea_ids": [world.sd_idea.pk]}, user=org)
    assert r.status_code == 200 and r.json()["innovation_ids"] == []
    assert Innovation.objects.filter(program=world.program).count() == 1
    r = call("POST", url, {"action": "reject", "idea_ids": [world.sd_idea.pk], "reason": "Di luar kewenangan"}, user=org)
    assert r.status_code == 200
    world.sd_idea.refresh_from_db()
    assert (world.sd_idea.status, world.sd_idea.decision_reason) == ("rejected", "Di luar kewenangan")

    # All or none: a draft, an unknown id or another program's idea is a 404 and changes nothing.
    for bad in (world.draft.pk, 999999, world.other_idea.pk):
        r = call("POST", url, {"action": "undo", "idea_ids": [world.idea.pk, bad]}, user=org)
        assert r.status_code == 404, bad
    assert Idea.objects.get(pk=world.idea.pk).status == "selected"
    r = call("POST", url, {"action": "promote", "idea_ids": [world.idea.pk]}, user=org)
    assert r.status_code == 422 and fields_of(r) == ["action"]
    r = call("POST", url, {"action": "select", "idea_ids": []}, user=org)
    assert r.status_code == 422 and fields_of(r) == ["idea_ids"]
    assert call("POST", url, {"action": "select", "idea_ids": [world.idea.pk]},
                user=world.users["coach"]).status_code == 403


def test_undo_in_bulk_is_all_or_nothing(ideas_world, call, org):
    world = ideas_world
    _design(world)
    url = pp(world, "/decisions")
    assert call("POST", url, {"action": "select", "idea_ids": [world.idea.pk]}, user=org).status_code == 200
    # world.sd_idea has no decision: the whole undo is refused, world.idea keeps its innovation.
    r = call("POST", url, {"action": "undo", "idea_ids": [world.idea.pk, world.sd_idea.pk]}, user=org)
    assert r.status_code == 422
    world.idea.refresh_from_db()
    assert world.idea.status == "selected" and world.idea.innovation_id


def test_publish_with_undecided_ideas_is_refused(ideas_world, call, org):
    world = ideas_world
    _design(world)
    url = pp(world, "/decisions")
    assert call("POST", url, {"action": "select", "idea_ids": [world.idea.pk]}, user=org).status_code == 200
    r = call("POST", pp(world, "/decisions/publish"), user=org)
    assert r.status_code == 422
    assert fields_of(r) == [None] and "1" in r.json()["detail"][0]["message"]
    assert call("GET", pp(world, "/funnel"), user=org).json()["published"] is False
    assert call("GET", pp(world, f"/ideas/{world.sd_idea.pk}"), user=world.users["innovator"]).status_code == 404

    assert call("POST", url, {"action": "reject", "idea_ids": [world.sd_idea.pk], "reason": "Belum layak"},
                user=org).status_code == 200
    assert call("POST", pp(world, "/decisions/publish"), user=org).status_code == 200
    assert call("GET", pp(world, "/funnel"), user=org).json()["published"] is True


# --- funnel --------------------------------------------------------------------------------------


def test_funnel_numbers(ideas_world, call, org):
    world = ideas_world
    extra = Unit.objects.create(pemda=world.own, name="Kelurahan Tegalrejo", kind="kelurahan")
    Participation.objects.create(program=world.program, unit=extra)
    r = call("GET", pp(world, "/funnel"), user=world.users["innovator"])
    assert r.status_code == 200, r.content
    f = r.json()
    assert (f["units"], f["units_with_idea"], f["ideas"], f["drafts"], f["submitted"]) == (3, 2, 2, 1, 2)
    # a unit does not see decision counts before publication
    assert (f["selected"], f["merged"], f["rejected"], f["innovations"], f["conversion"]) == (None, None, None, None, None)
    assert f["ideas_per_unit"] == pytest.approx(2 / 3) and f["published"] is False
    f = call("GET", pp(world, "/funnel"), user=org).json()
    assert (f["selected"], f["merged"], f["rejected"], f["innovations"]) == (0, 0, 0, 0)

    _design(world)
    body = {"action": "merge", "idea_ids": [world.idea.pk, world.sd_idea.pk], "title": "Layanan Warga Terpadu"}
    assert call("POST", pp(world, "/decisions"), body, user=org).status_code == 200
    f = call("GET", pp(world, "/funnel"), user=org).json()
    assert (f["ideas"], f["submitted"], f["merged"], f["innovations"]) == (2, 0, 2, 1)
    assert f["conversion"] == 50.0
    by_kind = {row["kind"]: row for row in f["by_kind"]}
    assert by_kind["Kelurahan"]["participating"] == 2 and by_kind["Kelurahan"]["units"] == 1
    assert by_kind["Kelurahan"]["merged"] == 1 and by_kind["SD"]["ideas"] == 1


# --- queries -------------------------------------------------------------------------------------


def _add_ideas(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        unit = Unit.objects.create(pemda=world.own, name=f"Unit {i:03d}", kind="kelurahan")
        Participation.objects.create(program=world.program, unit=unit)
        Idea.objects.create(pemda=world.own, program=world.program, unit=unit, status="submitted",
                            title=f"Ide {i:03d}", problem="Masalah", proposed_change="Gagasan", form="tata_kelola")


def _count(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url + "?limit=200")
    assert r.status_code == 200, r.content
    return len(ctx.captured_queries), r.json()["count"]


@pytest.mark.parametrize("path,role", [("/ideas", "organiser"), ("/ideas", "innovator"), ("/screening", "coach"),
                                       ("/innovations", "organiser")])
def test_list_queries_do_not_grow_with_ideas(ideas_world, client, path, role):
    world = ideas_world
    client.force_login(world.users[role])
    url = pp(world, path)
    _add_ideas(world, 10, 0)
    if path == "/innovations":
        from labinov.ideas.services import ideas_select

        world.program.stage = "design"
        ideas_select(actor=world.users["organiser"], program=world.program, ideas=Idea.objects.filter(title__startswith="Ide"))
    client.get(url)
    queries_10, count_10 = _count(client, url)
    _add_ideas(world, 30, 10)
    if path == "/innovations":
        ideas_select(actor=world.users["organiser"], program=world.program,
                     ideas=Idea.objects.filter(title__startswith="Ide", status="submitted"))
    queries_40, count_40 = _count(client, url)
    if role != "innovator":
        assert count_40 == count_10 + 30
    assert queries_40 == queries_10, (queries_10, queries_40)
