"""Screening pages: rubric, reviews, the ranked list, decisions, publishing, consolidation of near-duplicates."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from labinov.ideas import selectors, services
from labinov.ideas.consolidation import consolidation_clusters
from labinov.ideas.duplicates import DEFAULT_LEVEL, level_or_default
from labinov.ideas.models import Consolidation, Criterion, Idea, Review, Screening
from labinov.ideas.screening_views import AGREEMENT_HIGH_MAX, AGREEMENT_MEDIUM_MAX, agreement
from labinov.innovations.models import Innovation
from labinov.people.models import User
from labinov.programs.models import Program


def _in_id(text: str) -> str:
    """What the page shows in the default language (Indonesian), whether or not the catalogue is compiled."""
    with translation.override("id"):
        return gettext(text)


def _messages(response) -> list[tuple[str, str]]:
    return [(level, unescape(text).strip())
            for level, text in re.findall(r'<li class="msg-(\w+)"[^>]*>(.*?)</li>', response.content.decode(), re.S)]


@pytest.fixture
def sw(ideas_world):
    """The ideas world with the own program in Design (where screening happens)."""
    w = ideas_world
    w.program.stage = "design"
    w.program.save()
    slug, pk = w.own.slug, w.program.pk
    w.urls = type("Urls", (), dict(
        list=reverse("screening_list", args=[slug, pk]),
        rubric=reverse("rubric_edit", args=[slug, pk]),
        publish=reverse("decisions_publish", args=[slug, pk]),
        consolidation=reverse("consolidation", args=[slug, pk]),
        review=lambda idea: reverse("idea_review", args=[slug, pk, idea.pk]),
        decide=lambda idea: reverse("idea_decide", args=[slug, pk, idea.pk]),
        undo=lambda c: reverse("consolidation_undo", args=[slug, pk, c.pk]),
    ))
    return w


def _review(w, user, idea, value: int, comment=""):
    criteria = services.rubric_get_or_create(program=w.program)
    idea.program = w.program
    return services.review_save(actor=user, idea=idea, scores={str(c.pk): value for c in criteria}, comment=comment)


def _scores(criteria, value):
    return {f"c{c.pk}": str(value) for c in criteria}


# --- the rubric ----------------------------------------------------------------------------------------------


def test_organiser_sees_the_default_rubric_and_edits_it_before_scoring(sw, login):
    client = login(sw.users["organiser"])
    page = client.get(sw.urls.rubric)
    assert page.status_code == 200
    form = page.context["form"]
    assert form is not None and form.n_rows == 7 + 3  # the seven default criteria and three empty rows
    assert [c.key for c in Criterion.objects.filter(program=sw.program)][:2] == ["renewal", "benefit"]

    data = {"submission_token": form["submission_token"].value(), "rows": "4",
            "label_0": "Kebaruan", "weight_0": "40", "key_0": "renewal",
            "label_1": "Manfaat bagi warga", "weight_1": "60", "key_1": "",
            "label_2": "Akan dihapus", "weight_2": "10", "remove_2": "on",
            "label_3": "", "weight_3": "", "key_3": ""}
    saved = client.post(sw.urls.rubric, data)
    assert saved.status_code == 302
    rubric = list(Criterion.objects.filter(program=sw.program).values_list("key", "label", "weight"))
    assert rubric == [("renewal", "Kebaruan", 40), ("manfaat_bagi_warga", "Manfaat bagi warga", 60)]

    again = client.post(sw.urls.rubric, {**data, "label_0": "Lain"}, follow=True)  # the same form, posted twice
    assert ("info", _in_id("This form was already submitted; nothing was changed the second time.")) in _messages(again)
    assert Criterion.objects.get(program=sw.program, key="renewal").label == "Kebaruan"


def test_rubric_errors_are_tied_to_their_row_and_nothing_is_saved(sw, login):
    client = login(sw.users["organiser"])
    client.get(sw.urls.rubric)
    before = list(Criterion.objects.filter(program=sw.program).values_list("key", "weight"))
    bad = client.post(sw.urls.rubric, {"rows": "2", "label_0": "Kebaruan", "weight_0": "150", "label_1": "Manfaat", "weight_1": ""})
    assert bad.status_code == 200
    assert bad.context["form"].errors.get("weight_0") and bad.context["form"].errors.get("weight_1")
    assert list(Criterion.objects.filter(program=sw.program).values_list("key", "weight")) == before

    empty = client.post(sw.urls.rubric, {"rows": "1", "label_0": "", "weight_0": ""})
    assert empty.context["form"].non_field_errors()
    assert list(Criterion.objects.filter(program=sw.program).values_list("key", "weight")) == before


def test_add_more_rows_keeps_what_was_typed_and_saves_nothing(sw, login):
    client = login(sw.users["organiser"])
    client.get(sw.urls.rubric)
    page = client.post(sw.urls.rubric, {"rows": "1", "label_0": "Kebaruan", "weight_0": "40", "more": "1"})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.n_rows == 4 and form["label_0"].value() == "Kebaruan"
    assert Criterion.objects.filter(program=sw.program).count() == 7


def test_the_rubric_is_locked_after_the_first_review(sw, login):
    _review(sw, sw.users["coach"], sw.idea, 4)
    client = login(sw.users["organiser"])
    page = client.get(sw.urls.rubric)
    assert page.status_code == 200 and page.context["form"] is None and not page.context["can_edit"]
    assert 'id="rubric-locked"' in page.content.decode()

    refused = client.post(sw.urls.rubric, {"rows": "1", "label_0": "Baru", "weight_0": "10"}, follow=True)
    assert ("error", _in_id("Scoring has started; the rubric can no longer change.")) in _messages(refused)
    assert Criterion.objects.filter(program=sw.program).count() == 7


def test_reviewers_see_the_rubric_read_only_and_cannot_post_it(sw, login):
    client = login(sw.users["coach"])
    page = client.get(sw.urls.rubric)
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(sw.urls.rubric, {"rows": "1", "label_0": "X", "weight_0": "1"}).status_code == 403


# --- reviews ---------------------------------------------------------------------------------------------------


def test_a_coach_scores_an_idea(sw, login):
    client = login(sw.users["coach"])
    page = client.get(sw.urls.review(sw.idea))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<fieldset" in html and "<legend>" in html and 'type="radio"' in html
    assert sw.idea.problem in html
    criteria = page.context["criteria"]
    token = page.context["form"]["submission_token"].value()

    saved = client.post(sw.urls.review(sw.idea), {**_scores(criteria, 5), "comment": "Bagus", "submission_token": token})
    assert saved.status_code == 302 and saved.url == sw.urls.list
    review = Review.objects.get(idea=sw.idea, reviewer=sw.users["coach"])
    assert review.score == Decimal("100.00") and review.comment == "Bagus"
    assert Screening.objects.get(program=sw.program).started_at is not None

    again = client.get(sw.urls.review(sw.idea))  # the form shows the saved scores
    assert again.context["form"][f"c{criteria[0].pk}"].value() == "5"


def test_scores_out_of_range_are_refused_and_nothing_is_saved(sw, login):
    client = login(sw.users["coach"])
    criteria = client.get(sw.urls.review(sw.idea)).context["criteria"]
    scores = _scores(criteria, 3)
    scores[f"c{criteria[0].pk}"] = "7"
    del scores[f"c{criteria[1].pk}"]
    bad = client.post(sw.urls.review(sw.idea), scores)
    assert bad.status_code == 200
    errors = bad.context["form"].errors
    assert f"c{criteria[0].pk}" in errors and f"c{criteria[1].pk}" in errors
    assert 'role="alert"' in bad.content.decode()
    assert not Review.objects.exists()
    assert not Screening.objects.filter(program=sw.program, started_at__isnull=False).exists()


def test_other_reviews_are_shown_to_organisers_only(sw, login):
    _review(sw, sw.users["verifier"], sw.idea, 2, comment="Kurang jelas")
    organiser = login(sw.users["organiser"]).get(sw.urls.review(sw.idea))
    assert len(organiser.context["others"]) == 1 and "Kurang jelas" in organiser.content.decode()
    assert 'id="decide"' in organiser.content.decode()
    coach = login(sw.users["coach"]).get(sw.urls.review(sw.idea))
    assert coach.context["others"] == [] and "Kurang jelas" not in coach.content.decode()
    assert 'id="decide"' not in coach.content.decode()


def test_reviews_need_the_design_stage(sw, login):
    sw.program.stage = "diagnose"
    sw.program.save()
    assert login(sw.users["coach"]).get(sw.urls.review(sw.idea)).status_code == 403


def test_a_draft_or_another_pemdas_idea_is_not_found(sw, login):
    client = login(sw.users["organiser"])
    assert client.get(sw.urls.review(sw.draft)).status_code == 404
    other = reverse("idea_review", args=[sw.own.slug, sw.program.pk, sw.other_idea.pk])
    assert client.get(other).status_code == 404


# --- the ranked list -------------------------------------------------------------------------------------------


def test_agreement_levels_follow_the_spread():
    assert agreement(None, 0) is None and agreement(Decimal("0"), 1) is None
    assert agreement(Decimal(AGREEMENT_HIGH_MAX), 2) == "high"
    assert agreement(Decimal(AGREEMENT_HIGH_MAX) + Decimal("0.01"), 3) == "medium"
    assert agreement(Decimal(AGREEMENT_MEDIUM_MAX), 2) == "medium"
    assert agreement(Decimal(AGREEMENT_MEDIUM_MAX) + 1, 2) == "low"


def test_the_ranked_list_orders_by_mean_score_and_shows_the_spread(sw, login):
    _review(sw, sw.users["coach"], sw.sd_idea, 5)      # 100
    _review(sw, sw.users["verifier"], sw.sd_idea, 4)   # 75 → mean 87.5, spread 25 (medium)
    _review(sw, sw.users["coach"], sw.idea, 2)         # 25
    _review(sw, sw.users["verifier"], sw.idea, 2)      # 25 → mean 25, spread 0 (high)
    page = login(sw.users["organiser"]).get(sw.urls.list)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r["idea"].pk for r in rows] == [sw.sd_idea.pk, sw.idea.pk]
    assert [r["agreement"] for r in rows] == ["medium", "high"]
    assert rows[0]["idea"].review_count == 2
    html = page.content.decode()
    assert "87,5" in html and "25,0" in html  # id-ID numbers, one decimal
    assert 'id="publish-form"' in html and 'id="bulk-form"' in html
    summary = page.context["summary"]
    assert summary["submitted"] == 2 and summary["ideas"] == 2


def test_the_ranked_list_filters_by_status_and_unit_type(sw, login):
    client = login(sw.users["organiser"])
    assert [r["idea"].pk for r in client.get(sw.urls.list, {"unit_kind": "sd"}).context["rows"]] == [sw.sd_idea.pk]
    assert client.get(sw.urls.list, {"status": "rejected"}).context["rows"] == []
    everything = client.get(sw.urls.list, {"status": "bogus"}).context["rows"]  # unknown values are ignored
    assert {r["idea"].pk for r in everything} == {sw.idea.pk, sw.sd_idea.pk}


def test_leaders_see_the_list_without_decision_controls(sw, login):
    page = login(sw.users["leader"]).get(sw.urls.list)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="bulk-form"' not in html and 'id="publish-form"' not in html
    assert login(sw.users["leader"]).post(sw.urls.list, {"ideas": [sw.idea.pk], "action": "select"}).status_code == 403


def test_bulk_select_creates_one_innovation_per_idea(sw, login):
    client = login(sw.users["organiser"])
    token = client.get(sw.urls.list).context["bulk"]["submission_token"].value()
    data = {"ideas": [sw.idea.pk, sw.sd_idea.pk], "action": "select", "submission_token": token}
    done = client.post(sw.urls.list, data)
    assert done.status_code == 302
    for idea in (sw.idea, sw.sd_idea):
        idea.refresh_from_db()
        assert idea.status == "selected" and idea.innovation is not None
        assert idea.innovation.unit_id == idea.unit_id and idea.innovation.name == idea.title
    assert Innovation.objects.filter(program=sw.program).count() == 2
    client.post(sw.urls.list, data)  # posted twice: nothing more
    assert Innovation.objects.filter(program=sw.program).count() == 2


def test_bulk_reject_without_a_reason_fails_and_changes_nothing(sw, login):
    client = login(sw.users["organiser"])
    bad = client.post(sw.urls.list, {"ideas": [sw.idea.pk, sw.sd_idea.pk], "action": "reject", "reason": "  "})
    assert bad.status_code == 200
    assert bad.context["bulk"].errors.get("reason")
    assert {r["idea"].pk for r in bad.context["rows"] if r["checked"]} == {sw.idea.pk, sw.sd_idea.pk}  # still ticked
    assert set(Idea.objects.filter(pk__in=[sw.idea.pk, sw.sd_idea.pk]).values_list("status", flat=True)) == {"submitted"}

    ok = client.post(sw.urls.list, {"ideas": [sw.idea.pk], "action": "reject", "reason": "Sudah ada layanan serupa"})
    assert ok.status_code == 302
    sw.idea.refresh_from_db()
    assert sw.idea.status == "rejected" and sw.idea.decision_reason == "Sudah ada layanan serupa"


def test_bulk_action_without_ticked_ideas_is_an_error(sw, login):
    bad = login(sw.users["organiser"]).post(sw.urls.list, {"action": "select"})
    assert bad.status_code == 200 and bad.context["bulk"].errors.get("ideas")
    assert not Innovation.objects.exists()


def test_bulk_action_on_a_draft_or_another_pemdas_idea(sw, login):
    client = login(sw.users["organiser"])
    assert client.post(sw.urls.list, {"ideas": [sw.other_idea.pk], "action": "select"}).status_code == 404
    assert client.post(sw.urls.list, {"ideas": [sw.draft.pk], "action": "select"}).status_code == 404  # drafts are invisible
    assert not Innovation.objects.exists()


def test_an_already_selected_idea_is_refused_with_a_non_field_error(sw, login):
    client = login(sw.users["organiser"])
    client.post(sw.urls.list, {"ideas": [sw.idea.pk], "action": "select"})
    again = client.post(sw.urls.list, {"ideas": [sw.idea.pk], "action": "reject", "reason": "x"})
    assert again.status_code == 200 and again.context["bulk"].non_field_errors()
    sw.idea.refresh_from_db()
    assert sw.idea.status == "selected"


# --- one decision ---------------------------------------------------------------------------------------------


def test_decide_select_reject_and_undo_one_idea(sw, login):
    client = login(sw.users["organiser"])
    back = sw.urls.review(sw.idea)
    r = client.post(sw.urls.decide(sw.idea), {"action": "select", "next": back})
    assert r.status_code == 302 and r.url == back
    sw.idea.refresh_from_db()
    assert sw.idea.status == "selected" and sw.idea.innovation_id

    client.post(sw.urls.decide(sw.idea), {"action": "undo"})
    sw.idea.refresh_from_db()
    assert sw.idea.status == "submitted" and sw.idea.innovation_id is None
    assert not Innovation.objects.exists()

    refused = client.post(sw.urls.decide(sw.idea), {"action": "reject", "reason": ""}, follow=True)
    assert ("error", _in_id("Give the reason for rejecting; the units will read it.")) in _messages(refused)
    sw.idea.refresh_from_db()
    assert sw.idea.status == "submitted"

    r = client.post(sw.urls.decide(sw.idea), {"action": "reject", "reason": "Di luar kewenangan", "next": "https://evil.test/"})
    assert r.status_code == 302 and r.url == sw.urls.list  # an outside `next` is ignored
    sw.idea.refresh_from_db()
    assert sw.idea.status == "rejected"


def test_coaches_cannot_decide(sw, login):
    assert login(sw.users["coach"]).post(sw.urls.decide(sw.idea), {"action": "select"}).status_code == 403
    assert login(sw.users["coach"]).get(sw.urls.decide(sw.idea)).status_code in (403, 405)


# --- publishing ------------------------------------------------------------------------------------------------


def test_publishing_with_undecided_ideas_fails_with_the_count(sw, login):
    client = login(sw.users["organiser"])
    r = client.post(sw.urls.publish, follow=True)
    text = _in_id("%(n)s submitted ideas have no decision yet; decide every idea before publishing.") % {"n": 2}
    assert ("error", text) in _messages(r)
    assert not Screening.objects.filter(program=sw.program, published_at__isnull=False).exists()


def test_publishing_after_deciding_shows_the_decisions_to_the_units(sw, login):
    client = login(sw.users["organiser"])
    client.post(sw.urls.list, {"ideas": [sw.idea.pk], "action": "select"})
    client.post(sw.urls.list, {"ideas": [sw.sd_idea.pk], "action": "reject", "reason": "Belum sesuai RPJMD"})

    innovator = sw.users["innovator"]  # of Kelurahan Kalicacing: SD Negeri's idea is not theirs
    with pytest.raises(Http404):
        selectors.idea_get(actor=innovator, program=sw.program, pk=sw.sd_idea.pk)
    detail = reverse("idea_detail", args=[sw.own.slug, sw.program.pk, sw.sd_idea.pk])
    assert login(innovator).get(detail).status_code == 404

    client = login(sw.users["organiser"])
    token = client.get(sw.urls.list).context["publish_form"]["submission_token"].value()
    r = client.post(sw.urls.publish, {"submission_token": token})
    assert r.status_code == 302
    assert Screening.objects.get(program=sw.program).published_at is not None

    fresh_user, fresh_program = User.objects.get(pk=innovator.pk), Program.objects.get(pk=sw.program.pk)  # no cached roles or screening
    seen = selectors.idea_get(actor=fresh_user, program=fresh_program, pk=sw.sd_idea.pk)
    assert seen.status == "rejected" and seen.decision_reason == "Belum sesuai RPJMD"
    page = login(innovator).get(detail)
    # the decision is published to every unit, its reason only to the idea's own unit (issue 9.14)
    assert page.status_code == 200 and sw.sd_idea.title in page.content.decode()
    assert "Belum sesuai RPJMD" not in page.content.decode()


# --- consolidation ---------------------------------------------------------------------------------------------


TOPICS = ["sampah", "air bersih", "posyandu", "perizinan", "pajak", "banjir", "beasiswa", "pasar", "parkir", "jalan",
          "lampu", "taman", "puskesmas", "kependudukan", "nikah", "pangan", "ternak", "nelayan", "wisata", "koperasi"]


def _near_duplicates(w, stop: int, start: int = 0):
    """Ideas number start..stop-1: ideas 2k and 2k+1 are near-duplicates (one per unit), pairs differ in topic."""
    made = []
    for k in range(start, stop):
        pair = k // 2
        topic = f"{TOPICS[pair % len(TOPICS)]} {pair}x"
        unit, title = (w.kel, f"Aplikasi pengaduan {topic} daring") if k % 2 == 0 else (w.sd, f"Pengaduan {topic} lewat aplikasi daring")
        made.append(Idea.objects.create(
            pemda=w.own, program=w.program, unit=unit, status="submitted", title=title,
            problem=f"Pengaduan {topic} warga lambat ditangani", proposed_change=f"Aplikasi pengaduan {topic} daring",
            form="pelayanan_publik", initiator="perangkat_daerah"))
    return made


def test_the_consolidation_view_proposes_near_duplicates(sw, login):
    a, b = _near_duplicates(sw, 2)
    page = login(sw.users["organiser"]).get(sw.urls.consolidation)
    assert page.status_code == 200
    clusters = page.context["clusters"]
    assert len(clusters) == 1 and set(clusters[0].idea_ids) == {a.pk, b.pk}
    form = clusters[0].form
    assert form["title"].value() == clusters[0].suggested_title in (a.title, b.title)
    assert {u.pk for u in clusters[0].units} == {sw.kel.pk, sw.sd.pk}
    assert all(row["checked"] for row in clusters[0].rows)
    html = page.content.decode()
    assert html.count('name="ideas"') == 2 and _in_id("Merge the ticked ideas into one innovation") in html
    # a coach sees the proposals but no merge form
    coach = login(sw.users["coach"]).get(sw.urls.consolidation)
    assert coach.status_code == 200 and coach.context["clusters"][0].form is None
    assert 'name="ideas"' not in coach.content.decode()


def test_an_unknown_setting_is_the_default():
    assert level_or_default("very") == "very" and level_or_default("somewhat") == "somewhat"
    assert level_or_default("0.45") == DEFAULT_LEVEL == level_or_default(None) == level_or_default("nan")


def test_consolidation_falls_back_to_the_text_when_search_text_is_empty(sw):
    a, b = _near_duplicates(sw, 2)
    assert not a.search_text and not b.search_text
    clusters = consolidation_clusters(actor=sw.users["organiser"], program=sw.program)
    assert [set(c.idea_ids) for c in clusters] == [{a.pk, b.pk}]


def test_merging_two_ideas_creates_one_innovation(sw, login):
    client = login(sw.users["organiser"])
    r = client.post(sw.urls.consolidation, {"ideas": [sw.idea.pk, sw.sd_idea.pk], "title": "Layanan surat daring",
                                            "unit": sw.sd.pk, "level": "very"})
    assert r.status_code == 302 and r.url.endswith("?level=very")
    innovation = Innovation.objects.get(program=sw.program)
    assert innovation.name == "Layanan surat daring" and innovation.unit_id == sw.sd.pk
    for idea in (sw.idea, sw.sd_idea):
        idea.refresh_from_db()
        assert idea.status == "merged" and idea.innovation_id == innovation.pk
    merge = Consolidation.objects.get(program=sw.program)
    assert merge.idea_ids == [sw.idea.pk, sw.sd_idea.pk] and merge.innovation_id == innovation.pk


def test_merge_errors_are_shown_on_the_cluster_and_nothing_is_saved(sw, login):
    a, b = _near_duplicates(sw, 2)
    client = login(sw.users["organiser"])
    bad = client.post(sw.urls.consolidation, {"ideas": [a.pk, b.pk], "title": "  ", "unit": sw.kel.pk})
    assert bad.status_code == 200
    cluster = bad.context["clusters"][0]
    assert cluster.form.is_bound and cluster.form.errors.get("title")
    one = client.post(sw.urls.consolidation, {"ideas": [a.pk], "title": "Satu saja"})
    assert one.context["clusters"][0].form.errors.get("ideas")
    assert [r["checked"] for r in one.context["clusters"][0].rows].count(True) == 1
    wrong_unit = client.post(sw.urls.consolidation, {"ideas": [a.pk, b.pk], "title": "X", "unit": sw.other_unit.pk})
    assert wrong_unit.context["clusters"][0].form.errors.get("unit")
    assert not Innovation.objects.exists() and not Consolidation.objects.exists()


def test_a_merge_form_posted_twice_merges_once(sw, login):
    a, b = _near_duplicates(sw, 2)
    client = login(sw.users["organiser"])
    form = client.get(sw.urls.consolidation).context["clusters"][0].form
    data = {"ideas": [a.pk, b.pk], "title": form["title"].value(), "unit": sw.kel.pk,
            "submission_token": form["submission_token"].value(), "level": "similar"}
    assert client.post(sw.urls.consolidation, data).status_code == 302
    second = client.post(sw.urls.consolidation, data, follow=True)
    assert ("info", _in_id("This form was already submitted; nothing was changed the second time.")) in _messages(second)
    assert Consolidation.objects.count() == 1 and Innovation.objects.count() == 1


def test_undo_restores_the_ideas_and_keeps_the_record(sw, login):
    client = login(sw.users["organiser"])
    client.post(sw.urls.consolidation, {"ideas": [sw.idea.pk, sw.sd_idea.pk], "title": "Gabungan"})
    merge = Consolidation.objects.get()
    page = client.get(sw.urls.consolidation)
    row = page.context["history_rows"][0]
    assert row.undo_form is not None and {i.pk for i in row.source_ideas} == {sw.idea.pk, sw.sd_idea.pk}
    assert sw.urls.undo(merge) in page.content.decode()

    r = client.post(sw.urls.undo(merge), {"submission_token": row.undo_form["submission_token"].value()})
    assert r.status_code == 302
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == sw.users["organiser"]
    for idea in (sw.idea, sw.sd_idea):
        idea.refresh_from_db()
        assert idea.status == "submitted" and idea.innovation_id is None
    assert not Innovation.objects.exists()
    again = client.post(sw.urls.undo(merge), follow=True)
    assert ("error", _in_id("This merge was already undone.")) in _messages(again)
    assert client.get(sw.urls.consolidation).context["history_rows"][0].undo_form is None


def test_undo_only_while_the_program_is_in_design(sw, login):
    client = login(sw.users["organiser"])
    client.post(sw.urls.consolidation, {"ideas": [sw.idea.pk, sw.sd_idea.pk], "title": "Gabungan"})
    merge = Consolidation.objects.get()
    sw.program.stage = "deliver_monitoring"
    sw.program.save()
    assert client.get(sw.urls.consolidation).context["history_rows"][0].undo_form is None
    assert client.post(sw.urls.undo(merge)).status_code == 403
    merge.refresh_from_db()
    assert merge.undone_at is None


def test_another_programs_merge_is_not_found(sw, login):
    other = Consolidation.objects.create(program=sw.other_program, title="Lain", idea_ids=[sw.other_idea.pk])
    assert login(sw.users["organiser"]).post(sw.urls.undo(other)).status_code == 404


# --- queries do not grow with ideas ----------------------------------------------------------------------------


def _seed(w, start: int, stop: int):
    ideas = _near_duplicates(w, stop, start)
    for i, idea in enumerate(ideas):
        if i % 3 == 0:
            continue  # some ideas without reviews
        for reviewer, score in ((w.users["coach"], 40 + i % 50), (w.users["verifier"], 60)):
            Review.objects.create(idea=idea, reviewer=reviewer, scores={}, score=Decimal(score))
    services.review_aggregates_refresh(idea_ids=[i.pk for i in ideas])
    return ideas


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["list", "consolidation"])
def test_queries_do_not_grow_with_the_number_of_ideas(sw, login, page):
    client = login(sw.users["organiser"])
    services.rubric_get_or_create(program=sw.program)
    client.post(sw.urls.consolidation, {"ideas": [sw.idea.pk, sw.sd_idea.pk], "title": "Gabungan"})  # one history row
    url = getattr(sw.urls, page)
    _seed(sw, 0, 3)  # 5 ideas with the 2 merged ones
    client.get(url)  # warm caches (sessions, content types)
    few = _count(client, url)
    _seed(sw, 3, 38)  # 40 ideas
    assert Idea.objects.filter(program=sw.program).exclude(status="draft").count() == 40
    many = _count(client, url)
    assert few == many, f"{page}: {few} queries with 5 ideas, {many} with 40"
    if page == "consolidation":
        assert len(client.get(url).context["clusters"]) == 19


def test_rubric_keys_are_checked_and_made_unique(sw, login):
    client = login(sw.users["organiser"])
    client.get(sw.urls.rubric)
    bad = client.post(sw.urls.rubric, {"rows": "1", "label_0": "Kebaruan", "weight_0": "10", "key_0": "bukan kunci!"})
    assert bad.context["form"].errors.get("key_0")
    ok = client.post(sw.urls.rubric, {"rows": "3", "label_0": "Manfaat", "weight_0": "10", "label_1": "Manfaat", "weight_1": "20",
                                      "label_2": "Lain", "weight_2": "5", "key_2": "Lain-2"})
    assert ok.status_code == 302, ok.context["form"].errors
    assert list(Criterion.objects.filter(program=sw.program).values_list("key", flat=True)) == ["manfaat", "manfaat_2", "lain-2"]


# --- stored review aggregates (issue 14) ------------------------------------------------------------------------


def _reference_ranking(program):
    """The ranked list as it was computed before the aggregates were stored: from every review."""
    from django.db.models import Avg, Count, F, Max, Min

    rows = (Idea.objects.filter(program=program).exclude(status="draft")
            .annotate(m=Avg("reviews__score"), n=Count("reviews"), s=Max("reviews__score") - Min("reviews__score"))
            .order_by(F("m").desc(nulls_last=True), "unit__name", "pk").values_list("pk", "m", "n", "s"))
    return [(pk, None if m is None else round(float(m), 2), n, None if s is None else round(float(s), 2)) for pk, m, n, s in rows]


def test_the_ranked_list_from_stored_aggregates_equals_the_one_from_reviews(sw, login):
    ideas = _near_duplicates(sw, 12)
    scores = {0: (1, 5), 1: (3,), 2: (4, 4), 3: (2, 5), 5: (5,), 6: (1, 2), 7: (3, 3), 9: (4, 1), 10: (2,)}
    reviewers = [sw.users["coach"], sw.users["verifier"]]
    for i, values in scores.items():
        for reviewer, value in zip(reviewers, values):
            _review(sw, reviewer, ideas[i], value)
    _review(sw, sw.users["coach"], ideas[3], 4)  # a changed review refreshes the stored values too
    got = [(i.pk, None if i.mean_score is None else round(float(i.mean_score), 2), i.review_count,
            None if i.review_count < 1 else round(float(i.spread), 2))
           for i in selectors.ranked_ideas(actor=sw.users["organiser"], program=sw.program)]
    assert got == _reference_ranking(sw.program)
    assert got[0][2] >= 1 and got[-1][1] is None  # the reviewed ones first, the unreviewed last
    page = login(sw.users["organiser"]).get(sw.urls.list)
    assert [r["idea"].pk for r in page.context["rows"]] == [pk for pk, *_rest in got]


def test_review_save_stores_the_aggregates_in_its_transaction(sw):
    idea = _near_duplicates(sw, 1)[0]
    _review(sw, sw.users["coach"], idea, 5)
    _review(sw, sw.users["verifier"], idea, 2)
    idea.refresh_from_db()
    low, high = sorted(Review.objects.filter(idea=idea).values_list("score", flat=True))
    assert (idea.review_count, idea.score_min, idea.score_max) == (2, low, high)
    assert idea.score_mean == ((low + high) / 2).quantize(Decimal("0.01"))


def test_the_ranked_list_reads_no_review_and_no_funnel(sw, login):
    """The page sorts on the stored mean: no query touches the review table or runs the funnel's per-kind counts."""
    ideas = _seed(sw, 0, 6)
    assert ideas
    client = login(sw.users["organiser"])
    client.get(sw.urls.list)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(sw.urls.list).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [q for q in sql if '"ideas_review"' in q]
    assert not [q for q in sql if '"programs_participation"' in q]
    assert not [q for q in sql if '"ideas_idea"."problem"' in q or '"ideas_idea"."search_text"' in q]  # narrow rows
