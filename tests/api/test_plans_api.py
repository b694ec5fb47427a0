"""The Design endpoints: an innovation's profile and its action plan through the review loop."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from labinov.core.models import AuditRecord
from labinov.core.roles import Role
from labinov.ideas.models import Screening
from labinov.innovations.models import ActionPlan, Innovation, Milestone, PlanComment, PlanStatus

from .conftest import fields_of, purl

EN = {"Accept-Language": "en"}


def _milestone(n: int, start: str = "2019-07-01", end: str = "2019-07-15", **extra) -> dict:
    return {"activity": f"Kegiatan {n}", "starts_on": start, "ends_on": end, "pic": "Lurah", **extra}


def _content(**over) -> dict:
    content = {
        "objective": "Surat pengantar selesai dalam satu hari",
        "indicators": [{"name": "Waktu layanan", "unit_of_measure": "hari", "baseline": "3", "target": "1"}],
        "milestones": [
            {"activity": "Sosialisasi ke RT", "starts_on": "2019-07-01", "ends_on": "2019-07-15", "pic": "Lurah",
             "quick_win": True},
            {"activity": "Uji coba layanan WhatsApp", "starts_on": "2019-07-16", "ends_on": "2019-08-31",
             "pic": "Sekretaris", "output": "Laporan uji coba", "budget_source": "APBD"},
        ],
        "risks": [{"risk": "Warga belum terbiasa", "mitigation": "Pendampingan oleh RT"}],
        "stakeholders": [{"name": "Ketua RT/RW", "contribution": "Sosialisasi"}],
    }
    content.update(over)
    return content


@pytest.fixture
def design(ideas_world):
    """The own program in Design, its screening decisions published, and an innovation of Kelurahan Kalicacing
    (world.innovation); world.other_innovation: one of Kota Cilegon."""
    world = ideas_world
    for program in (world.program, world.other_program):
        program.stage = "design"
        program.save(update_fields=["stage"])
        Screening.objects.create(program=program, published_at=timezone.now())
    world.innovation = Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel,
                                                 name="Surat pengantar online", form="pelayanan_publik", urusan=["adminduk"])
    world.other_innovation = Innovation.objects.create(pemda=world.other, program=world.other_program, unit=world.other_unit,
                                                       name="Antrean puskesmas daring", form="pelayanan_publik")
    return world


def iu(world, path: str = "", innovation=None) -> str:
    """/api/v1/pemda/<own>/innovations/<innovation><path>."""
    return purl(world.own, f"/innovations/{(innovation or world.innovation).pk}{path}")


def _written(world, call, content=None) -> str:
    """Version 1 started and written by the innovator; its URL."""
    innovator = world.users["innovator"]
    r = call("POST", iu(world, "/plan"), user=innovator)
    assert r.status_code == 201, r.content
    r = call("PUT", iu(world, "/plan/1"), content or _content(), user=innovator)
    assert r.status_code == 200, r.content
    return iu(world, "/plan/1")


# --- the review loop -----------------------------------------------------------------------------


def test_the_full_review_loop_through_the_api(design, call):
    world = design
    innovator, coach, head = world.users["innovator"], world.users["coach"], world.users["unit_head"]
    r = call("GET", iu(world), user=innovator)
    assert r.status_code == 200 and r.json()["plan_status"] == "none" and r.json()["versions"] == []

    r = call("POST", iu(world, "/plan"), user=innovator)
    assert r.status_code == 201, r.content
    assert (r.json()["version"], r.json()["status"], r.json()["milestones"]) == (1, "draft", [])
    assert call("POST", iu(world, "/plan"), user=innovator).status_code == 422  # one plan per innovation
    url = iu(world, "/plan/1")
    r = call("PUT", url, _content(), user=innovator)
    assert r.status_code == 200, r.content
    plan = r.json()
    assert [(m["order"], m["activity"], m["quick_win"]) for m in plan["milestones"]] == [
        (0, "Sosialisasi ke RT", True), (1, "Uji coba layanan WhatsApp", False)]
    assert plan["milestones"][1]["starts_on"] == "2019-07-16" and plan["indicators"][0]["target"] == "1"
    r = call("POST", url + "/submit", user=innovator)
    assert r.status_code == 200 and r.json()["status"] == "in_review" and r.json()["submitted_at"]

    # The coach requests a change on the first milestone: the plan goes back to the unit.
    body = {"text": "Tambahkan jadwal per RW", "milestone_order": 0, "requests_change": True}
    r = call("POST", url + "/comments", body, user=coach)
    assert r.status_code == 201, r.content
    assert r.json()["milestone_order"] == 0 and r.json()["author_name"] == coach.full_name and not r.json()["resolved"]
    r = call("GET", url, user=innovator)
    assert r.json()["status"] == "changes_requested"
    assert [(c["text"], c["requests_change"]) for c in r.json()["comments"]] == [("Tambahkan jadwal per RW", True)]
    r = call("POST", url + "/coach-approve", user=coach)
    assert r.status_code == 422  # back with the unit: only a plan in review can be approved

    # The innovator fixes the milestone and sends the plan again: the request counts as addressed.
    fixed = _content()
    fixed["milestones"][0]["activity"] = "Sosialisasi ke RT, jadwal per RW"
    assert call("PUT", url, fixed, user=innovator).status_code == 200
    r = call("POST", url + "/submit", user=innovator)
    assert r.status_code == 200 and r.json()["status"] == "in_review"
    assert r.json()["comments"][0]["resolved"] is True

    r = call("POST", url + "/coach-approve", user=coach)
    assert r.status_code == 200 and r.json()["status"] == "coach_approved"
    assert r.json()["coach_approved_by_name"] == coach.full_name
    r = call("POST", url + "/approve", user=head)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved" and r.json()["frozen"] and r.json()["approved_by_name"] == head.full_name

    # Frozen: editing the approved version is a 403, not a 422. edit_plan itself requires an editable
    # version (draft or changes requested), and the API checks the permission before calling the service.
    for who in (innovator, world.users["organiser"]):
        r = call("PUT", url, _content(objective="Diubah setelah disetujui"), user=who)
        assert r.status_code == 403, r.content
        assert call("POST", url + "/submit", user=who).status_code == 403
    assert ActionPlan.objects.get(innovation=world.innovation).objective == "Surat pengantar selesai dalam satu hari"

    actions = list(AuditRecord.objects.filter(object_type="innovations.actionplan").order_by("pk").values_list("action", flat=True))
    assert actions == ["plan.start", "plan.save", "plan.submit", "plan.request_changes", "plan.comment", "plan.save",
                       "plan.submit", "plan.coach_approve", "plan.approve"]

    # A change now starts version 2 as a copy; the differences can be seen.
    r = call("POST", iu(world, "/plan/new-version"), {"reason": ""}, user=innovator)
    assert r.status_code == 201, r.content
    assert (r.json()["version"], r.json()["status"], len(r.json()["milestones"])) == (2, "draft", 2)
    assert r.json()["comments"] == []
    assert call("POST", iu(world, "/plan/new-version"), {}, user=innovator).status_code == 422  # v2 not approved yet
    changed = _content()
    changed["milestones"] = changed["milestones"][:1]
    changed["milestones"][0]["ends_on"] = "2019-07-31"
    assert call("PUT", iu(world, "/plan/2"), changed, user=innovator).status_code == 200
    r = call("GET", iu(world, "/plan/1/diff/2"), user=world.users["leader"])
    assert r.status_code == 200, r.content
    diff = r.json()
    assert (diff["version"], diff["other"]) == (1, 2)
    assert {(c["part"], c["index"], c["field"]) for c in diff["changes"]} == {
        ("milestones", 1, "activity"), ("milestones", 1, "ends_on"), ("milestones", 2, None)}
    removed = next(c for c in diff["changes"] if c["field"] is None)
    assert removed["old"]["activity"] == "Uji coba layanan WhatsApp" and removed["new"] is None
    assert call("GET", iu(world, "/plan/1/diff/3"), user=innovator).status_code == 404

    r = call("GET", iu(world), user=world.users["verifier"])
    assert r.status_code == 200
    assert r.json()["plan_status"] == "draft"
    assert [(v["version"], v["status"]) for v in r.json()["versions"]] == [(2, "draft"), (1, "approved")]
    assert r.json()["versions"][1]["approved_at"] and r.json()["versions"][1]["coach_approved_by_name"] == coach.full_name


def test_an_empty_plan_cannot_be_sent_for_review(design, call):
    world = design
    innovator = world.users["innovator"]
    assert call("POST", iu(world, "/plan"), user=innovator).status_code == 201
    r = call("POST", iu(world, "/plan/1/submit"), user=innovator, headers=EN)
    assert r.status_code == 422
    (detail,) = r.json()["detail"]
    assert detail["field"] is None
    assert "objective" in detail["message"] and "indicator" in detail["message"] and "milestone" in detail["message"]
    r = call("PUT", iu(world, "/plan/1"), _content(indicators=[]), user=innovator)
    assert r.status_code == 200
    r = call("POST", iu(world, "/plan/1/submit"), user=innovator, headers=EN)
    assert r.status_code == 422 and "indicator" in r.json()["detail"][0]["message"]
    assert ActionPlan.objects.get(innovation=world.innovation).status == PlanStatus.DRAFT
    assert not AuditRecord.objects.filter(action="plan.submit").exists()


def test_milestone_dates_out_of_order_name_the_milestones(design, call):
    world = design
    _written(world, call)
    url = iu(world, "/plan/1")
    backwards = _content(milestones=[_milestone(1), _milestone(2, "2019-08-31", "2019-08-01"),
                                     _milestone(3, "2019-09-10", "2019-09-01")])
    r = call("PUT", url, backwards, user=world.users["innovator"], headers=EN)
    assert r.status_code == 422
    assert set(fields_of(r)) == {"milestones"}
    messages = [d["message"] for d in r.json()["detail"]]
    assert messages == ["Milestone 2 ends before it starts.", "Milestone 3 ends before it starts."]
    # In Indonesian (the default) too, naming the milestone.
    r = call("PUT", url, backwards, user=world.users["innovator"])
    assert r.status_code == 422 and "2" in r.json()["detail"][0]["message"]
    # Outside the program period (1 March – 31 December 2019).
    r = call("PUT", url, _content(milestones=[_milestone(1, "2020-01-02", "2020-01-31")]), user=world.users["innovator"],
             headers=EN)
    assert r.status_code == 422 and "Milestone 1 lies outside the program period" in r.json()["detail"][0]["message"]
    # Missing dates and wrong types are input errors on the row's field.
    r = call("PUT", url, _content(milestones=[{"activity": "X", "pic": "Lurah", "starts_on": "2019-07-01"}]),
             user=world.users["innovator"])
    assert r.status_code == 422 and fields_of(r) == ["milestones.0.ends_on"]
    r = call("PUT", url, _content(milestones=[_milestone(1, "1 Juli")]), user=world.users["innovator"])
    assert r.status_code == 422 and fields_of(r) == ["milestones.0.starts_on"]
    # Nothing was changed.
    assert list(Milestone.objects.filter(plan__innovation=world.innovation).values_list("activity", flat=True)) == [
        "Sosialisasi ke RT", "Uji coba layanan WhatsApp"]


def test_the_same_person_cannot_approve_as_coach_and_unit_head(design, call, make_user):
    from labinov.people.services import membership_grant

    world = design
    both = make_user("lurah-pendamping@salatiga.test", Role.UNIT_HEAD, world.own, world.kel)
    membership_grant(actor=None, user=both, role=Role.COACH, pemda=world.own)
    url = _written(world, call)
    assert call("POST", url + "/submit", user=world.users["innovator"]).status_code == 200
    r = call("POST", url + "/coach-approve", user=both)
    assert r.status_code == 200 and r.json()["status"] == "coach_approved"
    r = call("POST", url + "/approve", user=both, headers=EN)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": None, "code": None,
                                   "message": "The same person cannot approve a plan both as coach and as unit head."}]
    assert ActionPlan.objects.get(innovation=world.innovation).status == PlanStatus.COACH_APPROVED
    # Another unit head approves.
    assert call("POST", url + "/approve", user=world.users["unit_head"]).status_code == 200


def test_innovator_cannot_act_as_coach(design, call):
    world = design
    innovator = world.users["innovator"]
    url = _written(world, call)
    # A plain comment on their own draft: yes; a change request: the coach's.
    r = call("POST", url + "/comments", {"text": "Sudah kami perbaiki"}, user=innovator)
    assert r.status_code == 201 and r.json()["milestone_order"] is None
    r = call("POST", url + "/comments", {"text": "Ubah", "milestone_order": 0, "requests_change": True}, user=innovator)
    assert r.status_code == 403
    assert call("POST", url + "/submit", user=innovator).status_code == 200
    assert call("POST", url + "/coach-approve", user=innovator).status_code == 403
    assert call("POST", url + "/approve", user=innovator).status_code == 403  # only the unit head
    # The verifier and the leader see the plan but do not review it.
    for role in ("verifier", "leader"):
        assert call("GET", url, user=world.users[role]).status_code == 200
        assert call("POST", url + "/coach-approve", user=world.users[role]).status_code == 403
    # The coach approves before the unit head, never the other way round.
    r = call("POST", url + "/approve", user=world.users["unit_head"], headers=EN)
    assert r.status_code == 422 and "coach" in r.json()["detail"][0]["message"]
    assert ActionPlan.objects.get(innovation=world.innovation).status == PlanStatus.IN_REVIEW


def test_comments_validate_text_and_milestone(design, call):
    world = design
    url = _written(world, call)
    coach = world.users["coach"]
    r = call("POST", url + "/comments", {"text": "  "}, user=coach)
    assert r.status_code == 422 and fields_of(r) == ["text"]
    r = call("POST", url + "/comments", {"text": "Tanggal?", "milestone_order": 9}, user=coach)
    # (the service names the field "milestone"; errors.FIELD_ALIASES has no alias to "milestone_order" yet)
    assert r.status_code == 422 and len(r.json()["detail"]) == 1
    r = call("POST", url + "/comments", {"text": "Tanggal?", "milestone_order": -1}, user=coach)
    assert r.status_code == 422 and fields_of(r) == ["milestone_order"]
    assert not PlanComment.objects.exists()


def test_another_pemda_and_hidden_innovations_are_not_found(design, call):
    world = design
    _written(world, call)
    # Another pemda's organiser, under this pemda's URL.
    other = world.users["other_organiser"]
    for method, path in (("GET", ""), ("GET", "/plan/1"), ("PUT", "/profile"), ("POST", "/plan/1/submit")):
        assert call(method, iu(world, path), {} if method == "PUT" else None, user=other).status_code == 404, path
    # The other pemda's innovation under this pemda's URL, even for a national administrator.
    for who in ("organiser", "national_admin"):
        assert call("GET", iu(world, innovation=world.other_innovation), user=world.users[who]).status_code == 404
    assert call("GET", purl(world.other, f"/innovations/{world.innovation.pk}"), user=world.users["national_admin"]).status_code == 404
    assert call("GET", iu(world, "/plan/7"), user=world.users["organiser"]).status_code == 404
    # Units see innovations only once the screening decisions are published (an innovation reveals one).
    Screening.objects.filter(program=world.program).update(published_at=None)
    assert call("GET", iu(world), user=world.users["innovator"]).status_code == 404
    assert call("GET", iu(world), user=world.users["coach"]).status_code == 200
    assert call("GET", iu(world)).status_code == 401


def test_plans_are_written_in_design(design, call):
    world = design
    world.program.stage = "deliver_monitoring"
    world.program.save(update_fields=["stage"])
    assert call("POST", iu(world, "/plan"), user=world.users["innovator"]).status_code == 403
    assert call("PUT", iu(world, "/profile"), {}, user=world.users["innovator"]).status_code == 403
    assert call("POST", iu(world, "/plan"), user=world.users["organiser"]).status_code == 403
    assert not ActionPlan.objects.exists()


def test_after_design_only_the_organiser_revises_with_a_reason(design, call):
    world = design
    url = _written(world, call)
    ActionPlan.objects.filter(innovation=world.innovation).update(status="approved")
    world.program.stage = "deliver_monitoring"
    world.program.save(update_fields=["stage"])
    new_version = iu(world, "/plan/new-version")
    assert call("POST", new_version, {"reason": "Jadwal bergeser"}, user=world.users["innovator"]).status_code == 403
    r = call("POST", new_version, {"reason": " "}, user=world.users["organiser"])
    assert r.status_code == 422 and fields_of(r) == ["reason"]
    r = call("POST", new_version, {"reason": "Jadwal uji coba bergeser karena anggaran"}, user=world.users["organiser"])
    assert r.status_code == 201, r.content
    assert (r.json()["version"], r.json()["revision_reason"]) == (2, "Jadwal uji coba bergeser karena anggaran")
    record = AuditRecord.objects.get(action="plan.new_version")
    assert record.changes == {"version": 2, "reason": "Jadwal uji coba bergeser karena anggaran"}
    # After Design the unit no longer edits the new version; the organiser does.
    assert call("PUT", iu(world, "/plan/2"), _content(), user=world.users["innovator"]).status_code == 403
    assert call("PUT", iu(world, "/plan/2"), _content(), user=world.users["organiser"]).status_code == 200
    assert call("GET", url, user=world.users["innovator"]).json()["status"] == "approved"


# --- profile -------------------------------------------------------------------------------------


def _profile(**over) -> dict:
    body = {"urusan_primary": "adminduk", "iid_stage": "uji_coba", "trial_date": "2019-08-01",
            "legal_basis": "Perwali 12/2019", "problem": " ".join(["antre"] * 150), "how_it_works": " ".join(["kerja"] * 160),
            "goals": "Layanan satu hari", "benefits": "Warga tidak antre", "results": "Waktu layanan turun",
            "budget": 15000000, "budget_note": "APBD", "sdgs": [16, 11], "decree_type": "sk_kpd",
            "decree_number": "800/12/2019", "decree_date": "2019-06-03", "contact_name": "Sri Lestari",
            "contact_nip": "198010242006042009", "contact_phone": "081234567890",
            "team": [{"role": "manager", "name": "Sri Lestari", "organisation": "Kelurahan Kalicacing"},
                     {"role": "actor", "name": "Ketua RW 03", "pentahelix": "komunitas"}]}
    body.update(over)
    return body


def test_profile_with_checklist_and_word_count(design, call):
    world = design
    innovator = world.users["innovator"]
    r = call("GET", iu(world), user=innovator)
    assert r.status_code == 200, r.content
    profile = r.json()["profile"]
    assert profile["updated_at"] is None and profile["urusan_primary"] == "adminduk"  # not written yet: nothing stored
    assert profile["design_word_count"] == 0 and profile["min_design_words"] == 300 and not profile["complete"]
    assert len(profile["checklist"]) == 9 and not hasattr(Innovation.objects.get(pk=world.innovation.pk), "profile")

    r = call("PUT", iu(world, "/profile"), _profile(), user=innovator)
    assert r.status_code == 200, r.content
    profile = r.json()
    assert profile["design_word_count"] == 312 and profile["budget"] == 15000000 and profile["sdgs"] == [16, 11]
    assert profile["complete"] and all(item["done"] for item in profile["checklist"])
    assert [(m["role"], m["name"], m["pentahelix"]) for m in profile["team"]] == [
        ("actor", "Ketua RW 03", "komunitas"), ("manager", "Sri Lestari", "pemerintah")]
    assert AuditRecord.objects.filter(action="innovation.profile").count() == 1

    # PUT replaces: what is left out becomes empty, the team too.
    r = call("PUT", iu(world, "/profile"), {"urusan_primary": "kominfo", "iid_stage": "inisiatif"}, user=innovator)
    assert r.status_code == 200
    assert r.json()["team"] == [] and r.json()["budget"] is None and not r.json()["complete"]
    undone = {item["label"] for item in r.json()["checklist"] if not item["done"]}
    assert len(undone) == 7  # only "stage and dates" (inisiatif) and the primary urusan are done
    r = call("GET", iu(world), user=world.users["leader"])
    assert r.json()["profile"]["urusan_primary"] == "kominfo" and r.json()["profile"]["updated_at"]


def test_profile_validation(design, call):
    world = design
    innovator = world.users["innovator"]
    url = iu(world, "/profile")
    r = call("PUT", url, _profile(sdgs=[18], implementation_date="2019-07-01", urusan_primary="astrologi",
                                  contact_nip="123", decree_type="sk_lurah"), user=innovator)
    assert r.status_code == 422
    assert set(fields_of(r)) == {"sdgs", "implementation_date", "urusan_primary", "contact_nip", "decree_type"}
    r = call("PUT", url, _profile(team=[{"role": "bos", "name": "Sri"}]), user=innovator)
    assert r.status_code == 422 and fields_of(r) == ["team"]
    r = call("PUT", url, _profile(team=[{"role": "actor", "name": "Sri", "pentahelix": "partai"}]), user=innovator)
    assert r.status_code == 422 and fields_of(r) == ["team.0.pentahelix"]
    r = call("PUT", url, _profile(budget=-5), user=innovator)
    assert r.status_code == 422 and fields_of(r) == ["budget"]
    assert not world.innovation.team.exists()
    # Only the innovation's unit and organisers; the coach reads.
    assert call("PUT", url, _profile(), user=world.users["coach"]).status_code == 403
    sd_innovation = Innovation.objects.create(pemda=world.own, program=world.program, unit=world.sd, name="Perpustakaan keliling")
    assert call("PUT", iu(world, "/profile", sd_innovation), _profile(), user=innovator).status_code == 403
    assert call("PUT", iu(world, "/profile", sd_innovation), _profile(), user=world.users["organiser"]).status_code == 200


# --- queries -------------------------------------------------------------------------------------


def _plan_with(world, n: int) -> str:
    ActionPlan.objects.filter(innovation=world.innovation).delete()
    plan = ActionPlan.objects.create(innovation=world.innovation, status="in_review", objective="Tujuan")
    for i in range(n):
        Milestone.objects.create(plan=plan, order=i, activity=f"Kegiatan {i}", starts_on="2019-07-01", ends_on="2019-07-15",
                                 pic="Lurah", quick_win=i % 3 == 0)
        PlanComment.objects.create(plan=plan, author=world.users["coach"], text=f"Komentar {i}", milestone_order=i)
    return iu(world, "/plan/1")


def _queries(client, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.content
    return len(ctx.captured_queries), r.json()


@pytest.mark.parametrize("role", ["innovator", "coach"])
def test_plan_detail_queries_do_not_grow_with_milestones(design, client, role):
    world = design
    client.force_login(world.users[role])
    url = _plan_with(world, 5)
    client.get(url)
    queries_5, data = _queries(client, url)
    assert len(data["milestones"]) == 5 and len(data["comments"]) == 5
    url = _plan_with(world, 30)
    queries_30, data = _queries(client, url)
    assert len(data["milestones"]) == 30 and len(data["comments"]) == 30
    assert queries_30 == queries_5, (queries_5, queries_30)


def test_innovation_detail_queries_do_not_grow_with_versions(design, client):
    world = design
    client.force_login(world.users["innovator"])
    url = iu(world)

    def add_versions(start, n):
        for v in range(start, start + n):
            ActionPlan.objects.create(innovation=world.innovation, version=v, status="approved", objective="Tujuan",
                                      coach_approved_by=world.users["coach"], approved_by=world.users["unit_head"])

    add_versions(1, 1)
    client.get(url)
    queries_1, data = _queries(client, url)
    assert len(data["versions"]) == 1
    add_versions(2, 6)
    queries_7, data = _queries(client, url)
    assert [v["version"] for v in data["versions"]] == [7, 6, 5, 4, 3, 2, 1]
    assert queries_7 == queries_1, (queries_1, queries_7)
