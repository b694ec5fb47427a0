"""Indonesian normalisation, similarity search and near-duplicate clustering (no database)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading

import numpy as np
import pytest
from scipy import sparse

from labinov.core import textsim
from labinov.core.textsim import SimilarityIndex, cluster, cluster_title, normalize, similar

# Four pairs of paraphrases: each pair is one idea said twice.
PARAPHRASES = [
    ("izin-a", "Pendaftaran perizinan usaha secara paralel"),
    ("izin-b", "Perizinan usaha didaftarkan paralel dalam satu loket"),
    ("tiket-a", "Layanan tiket online Taman Pintar"),
    ("tiket-b", "Penjualan tiket daring untuk wahana Taman Pintar"),
    ("merapi-a", "Pemantauan bahaya banjir lahar dingin Merapi"),
    ("merapi-b", "Sistem peringatan dini lahar dingin Gunung Merapi"),
    ("lahir-a", "One stop kelahiran: akta kelahiran, KK dan KIA sekaligus"),
    ("lahir-b", "Layanan satu pintu dokumen kelahiran bayi"),
]
PARTNER = {a: b for (a, _), (b, _) in zip(PARAPHRASES[::2], PARAPHRASES[1::2])}
PARTNER |= {b: a for a, b in PARTNER.items()}

UNRELATED = [
    ("u-sampah", "Bank sampah digital berbasis RT"),
    ("u-stunting", "Posyandu remaja untuk pencegahan stunting"),
    ("u-umkm", "Pelatihan UMKM pemasaran digital"),
    ("u-jalan", "Aplikasi pengaduan jalan rusak"),
    ("u-sehat", "Layanan kesehatan keliling ke desa terpencil"),
    ("u-pegawai", "Sistem informasi kepegawaian terpadu"),
    ("u-pustaka", "Perpustakaan keliling untuk sekolah dasar"),
    ("u-air", "Pengelolaan air bersih berbasis masyarakat"),
    ("u-pajak", "Pembayaran pajak bumi dan bangunan lewat kantor pos"),
    ("u-lansia", "Pendampingan lansia oleh kader kelurahan"),
]

ALL = PARAPHRASES + UNRELATED
TITLES = dict(ALL)


def normalized(items):
    return [(key, normalize(text)) for key, text in items]


@pytest.fixture(scope="module")
def index():
    return SimilarityIndex(normalized(ALL))


# ---------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("word", "stem"),
    [("pelayanan", "layan"), ("perizinan", "izin"), ("pendaftaran", "daftar"), ("didaftarkan", "daftar"),
     ("kelahiran", "lahir"), ("pemantauan", "pantau"), ("anak-anak", "anak")],
)
def test_normalize_stems(word, stem):
    assert normalize(word) == stem


def test_normalize_lowercases_and_drops_stop_words_punctuation_and_numbers():
    assert normalize("Inovasi #1: PELAYANAN perizinan 24 jam, untuk   semua!!!") == "inovasi layan izin jam"
    assert normalize("Pendaftaran sekolah\tsecara\nonline") == "daftar sekolah daring"


def test_normalize_keeps_meaningful_words_sastrawi_would_drop():
    # PySastrawi's stop list drops "satu" and "dini"; for innovation ideas they carry the meaning.
    assert normalize("Layanan satu pintu") == "layan satu pintu"
    assert normalize("peringatan dini") == "ingat dini"


def test_normalize_maps_loan_words():
    assert normalize("tiket online") == normalize("tiket daring") == "tiket daring"
    assert normalize("One stop service") == normalize("one-stop service") == "satu pintu service"


@pytest.mark.parametrize("empty", [None, "", "   ", "🚀🔥🙏", "123 456", "!!! ??? ...", "\u200b\u00a0"])
def test_normalize_empty_inputs(empty):
    assert normalize(empty) == ""


def test_normalize_emoji_accents_and_apostrophes():
    assert normalize("Layanan 🚀 daring ✨") == "layan daring"
    assert normalize("Café kopi Jum’at") == "cafe kopi jumat"
    assert normalize("e-KTP dan KIA") == "ktp kia"
    assert normalize("Kupu-kupu") == "kupu"


def test_normalize_is_deterministic_and_idempotent():
    texts = [text for _, text in ALL]
    first = [normalize(t) for t in texts]
    textsim._stem_token.cache_clear()
    assert [normalize(t) for t in texts] == first
    assert [normalize(t) for t in first] == first  # normalising twice is harmless


def test_normalize_is_the_same_in_another_process():
    text = "Perizinan usaha didaftarkan paralel dalam satu loket; layanan online 24 jam"
    code = "from labinov.core.textsim import normalize; import sys; print(normalize(sys.argv[1]))"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == normalize(text)


def test_normalize_from_many_threads():
    texts = [text for _, text in ALL] * 5
    expected = [normalize(t) for t in texts]
    textsim._stem_token.cache_clear()
    results: dict[int, list[str]] = {}

    def work(n):
        results[n] = [normalize(t) for t in texts]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())


def test_normalize_drops_absurdly_long_tokens():
    assert normalize("kode " + "x" * 200 + " inovasi") == "kode inovasi"


# ---------------------------------------------------------------------------- SimilarityIndex


@pytest.mark.parametrize("key", [key for key, _ in PARAPHRASES])
def test_query_returns_the_paraphrase_first(index, key):
    results = index.query(normalize(TITLES[key]), k=3, exclude=[key])
    assert results, key
    assert results[0][0] == PARTNER[key]


def test_query_scores_are_sorted_cosines(index):
    results = index.query(normalize("tiket daring Taman Pintar"), k=10, min_score=0.0)
    scores = [s for _, s in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 + 1e-6 for s in scores)
    # The text itself scores ~1.
    assert index.query(normalize(TITLES["tiket-a"]), k=1)[0] == ("tiket-a", pytest.approx(1.0, abs=1e-5))


def test_query_exclude_k_and_min_score(index):
    q = normalize(TITLES["izin-a"])
    assert index.query(q, k=1)[0][0] == "izin-a"
    excluded = index.query(q, k=10, min_score=0.0, exclude={"izin-a", "not-a-key"})
    assert "izin-a" not in [key for key, _ in excluded]
    assert excluded[0][0] == "izin-b"
    assert len(index.query(q, k=1, min_score=0.0)) == 1
    assert index.query(q, k=0) == []
    assert index.query(q, k=10, min_score=0.99) == [("izin-a", pytest.approx(1.0, abs=1e-5))]


def test_query_with_unknown_or_empty_text(index):
    assert index.query(normalize("xyzzy plugh")) == []
    assert index.query("") == []


def test_unknown_words_count_against_a_long_query(index):
    # One shared word among many unknown ones is not a match.
    query = normalize("Pelatihan tari tradisional, gamelan, batik tulis dan kuliner khas untuk pemuda")
    assert index.query(query, min_score=0.25) == []


def test_query_vector_matches_sklearn(index):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [t for _, t in normalized(ALL)]
    vec = TfidfVectorizer(lowercase=False, token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True)
    vec.fit(texts)
    query = normalize("Layanan tiket daring Taman Pintar")
    expected = vec.transform([query]).toarray()[0]
    terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    assert list(index._columns(terms)) == list(range(len(terms)))  # same vocabulary, same columns
    assert list(index._columns(["xyzzy", "taman xyzzy"])) == [-1, -1]
    assert np.allclose(index._query_vector(query).toarray()[0], expected, atol=1e-6)


def test_ties_are_broken_by_insertion_order():
    idx = SimilarityIndex([(3, "taman pintar"), (1, "taman pintar"), (2, "taman pintar")])
    assert [key for key, _ in idx.query("taman pintar", k=2)] == [3, 1]


def test_len_keys_contains_and_version(index):
    assert len(index) == len(ALL)
    assert index.keys == [key for key, _ in ALL]
    assert "izin-a" in index and "nope" not in index
    again = SimilarityIndex(normalized(ALL))
    assert again.version == index.version
    other = SimilarityIndex(normalized(ALL[:-1]))
    assert other.version != index.version
    renamed = SimilarityIndex([("x" if k == "izin-a" else k, t) for k, t in normalized(ALL)])
    assert renamed.version != index.version


def test_empty_and_blank_indexes():
    empty = SimilarityIndex([])
    assert len(empty) == 0
    assert empty.query("taman pintar") == []
    blank = SimilarityIndex([(1, ""), (2, None)])
    assert len(blank) == 2
    assert blank.query("taman pintar") == []


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        SimilarityIndex([(1, "taman"), (1, "pintar")])


def test_save_load_round_trip(index, tmp_path):
    path = index.save(tmp_path / "ideas.npz")
    loaded = SimilarityIndex.load(path)
    assert len(loaded) == len(index)
    assert loaded.version == index.version == SimilarityIndex.stored_version(path)
    assert loaded.keys == index.keys
    for key, text in normalized(ALL):
        assert loaded.query(text, k=5, min_score=0.0, exclude=[key]) == index.query(text, k=5, min_score=0.0, exclude=[key])
    # The matrix is stored in scipy.sparse.save_npz layout.
    assert (sparse.load_npz(path) != index._matrix).nnz == 0
    # No temporary file is left behind.
    assert [p.name for p in tmp_path.iterdir()] == ["ideas.npz"]


def test_save_load_int_keys_and_empty_index(tmp_path):
    idx = SimilarityIndex([(10, "taman pintar"), (20, "lahar dingin")])
    loaded = SimilarityIndex.load(idx.save(tmp_path / "int.npz"))
    assert loaded.query("lahar dingin", k=1)[0][0] == 20
    empty = SimilarityIndex.load(SimilarityIndex([]).save(tmp_path / "empty.npz"))
    assert len(empty) == 0 and empty.query("lahar") == []
    # Any file name works, with or without the .npz suffix (and missing folders are created).
    bare = SimilarityIndex.load(idx.save(tmp_path / "index" / "catalogue"))
    assert bare.version == idx.version and bare.query("taman pintar", k=1)[0][0] == 10


def test_save_refuses_keys_json_cannot_round_trip(tmp_path):
    with pytest.raises(TypeError):
        SimilarityIndex([((1, 2), "taman pintar")]).save(tmp_path / "bad.npz")


def test_load_refuses_foreign_npz(tmp_path):
    path = tmp_path / "other.npz"
    sparse.save_npz(path, sparse.csr_matrix(np.eye(2)))
    with pytest.raises(KeyError):
        SimilarityIndex.load(path)
    assert SimilarityIndex.stored_version(tmp_path / "missing.npz") is None


def test_load_cached_reloads_when_the_file_changes(tmp_path):
    path = tmp_path / "ideas.npz"
    assert textsim.load_cached(path) is None
    SimilarityIndex([(1, "taman pintar")]).save(path)
    first = textsim.load_cached(path)
    assert textsim.load_cached(path) is first
    SimilarityIndex([(1, "taman pintar"), (2, "lahar dingin")]).save(path)
    second = textsim.load_cached(path)
    assert second is not first and len(second) == 2


def test_index_path_lives_in_the_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert textsim.index_path("ideas") == tmp_path / "textsim" / "ideas.npz"
    for bad in ["../etc/passwd", "a/b", "", "Ideas"]:
        with pytest.raises(ValueError):
            textsim.index_path(bad)


# ---------------------------------------------------------------------------- similar()


def test_similar_on_a_small_candidate_list():
    candidates = normalized(ALL)
    results = similar(normalize("Pemantauan lahar dingin di lereng Merapi"), candidates, k=2)
    assert [key for key, _ in results][:2] == ["merapi-a", "merapi-b"]
    assert similar(normalize("tiket online Taman Pintar"), candidates, k=1, exclude=["tiket-a"])[0][0] == "tiket-b"
    assert similar("", candidates) == []
    assert similar("taman", []) == []


# ---------------------------------------------------------------------------- cluster()


def test_cluster_groups_the_paraphrase_pairs_and_leaves_the_rest_out():
    groups = cluster(normalized(ALL))
    assert sorted(sorted(g) for g in groups) == sorted(sorted(pair) for pair in PARTNER.items() if pair[0] < pair[1])
    clustered = {key for g in groups for key in g}
    assert not clustered & {key for key, _ in UNRELATED}


def test_cluster_is_deterministic_and_ordered():
    items = normalized(ALL) + [("izin-c", normalize("Perizinan usaha paralel satu loket terpadu"))]
    first = cluster(items)
    assert all(cluster(items) == first for _ in range(3))
    # Largest first; within a group, the most central member first.
    assert [len(g) for g in first] == sorted((len(g) for g in first), reverse=True)
    group = first[0]
    assert set(group) == {"izin-a", "izin-b", "izin-c"}
    sim = textsim._similarity_matrix([dict(items)[k] for k in group])
    centrality = (sim.sum(axis=1) - 1) / (len(group) - 1)
    assert list(centrality) == sorted(centrality, reverse=True)


def test_cluster_threshold_and_edge_cases():
    items = normalized(ALL)
    assert cluster(items, threshold=1.0) == []
    assert cluster([]) == [] and cluster(items[:1]) == []
    assert cluster([(1, ""), (2, ""), (3, None)]) == []
    assert cluster([(1, "taman pintar"), (2, "taman pintar")]) == [[1, 2]]
    with pytest.raises(ValueError):
        cluster(items, threshold=0)
    with pytest.raises(ValueError, match="duplicate"):
        cluster([(1, "taman"), (1, "taman")])


def _generated_ideas(n, seed=7):
    rng = random.Random(seed)
    services = ["perizinan usaha", "akta kelahiran", "pajak daerah", "air bersih", "pengelolaan sampah", "posyandu",
                "perpustakaan desa", "angkutan umum", "pasar tradisional", "irigasi sawah", "puskesmas", "sekolah dasar"]
    problems = ["antrean panjang", "data tidak akurat", "biaya tinggi", "jarak jauh", "informasi terlambat",
                "pengaduan tidak ditanggapi", "kurangnya partisipasi warga", "berkas hilang"]
    solutions = ["aplikasi daring", "loket terpadu", "layanan jemput bola", "sistem informasi terpadu",
                 "pembayaran nontunai", "papan informasi digital", "pelatihan kader", "pesan singkat otomatis"]
    places = ["Salatiga", "Sleman", "Bantul", "Cilegon", "Klaten", "Magelang", "Boyolali", "Wonosobo"]
    ideas = []
    for i in range(n):
        ideas.append((i, normalize(
            f"{rng.choice(solutions).capitalize()} untuk {rng.choice(services)} di {rng.choice(places)}: "
            f"mengatasi {rng.choice(problems)} dan {rng.choice(problems)} bagi warga {rng.choice(places)}"
        )))
    return ideas


def test_cluster_400_generated_ideas():
    ideas = _generated_ideas(400)
    groups = cluster(ideas)  # how fast: bench/bench_similarity.py (not asserted here: flaky on a busy machine)
    keys = [key for g in groups for key in g]
    assert len(keys) == len(set(keys))
    assert all(len(g) >= 2 for g in groups)
    assert groups == cluster(ideas)


def test_cluster_refuses_more_than_the_limit(monkeypatch):
    monkeypatch.setattr(textsim, "MAX_CLUSTER_ITEMS", 3)
    with pytest.raises(ValueError, match="at most"):
        cluster([(i, "taman") for i in range(4)])


# ---------------------------------------------------------------------------- cluster_title()


def test_cluster_title_is_the_most_central_original_title():
    items = normalized(ALL) + [("izin-c", normalize("Perizinan usaha paralel satu loket terpadu"))]
    titles = TITLES | {"izin-c": "Perizinan usaha paralel satu loket terpadu"}
    group = next(g for g in cluster(items) if "izin-a" in g)
    assert cluster_title([titles[k] for k in group]) == titles[group[0]]


def test_cluster_title_tidies_and_skips_blank_titles():
    assert cluster_title(["  ", None, "  Layanan   tiket\nonline "]) == "Layanan tiket online"
    assert cluster_title([]) == ""


def test_warm_up_loads_the_stemmer():
    textsim.warm_up()
    assert textsim._stemmer is not None


def test_a_loaded_index_is_memory_mapped_and_answers_like_the_original(tmp_path):
    """Worker processes share a saved index through the OS page cache instead of each copying it."""
    texts = [(i, textsim.normalize(t)) for i, t in enumerate(
        ["Antrean daring puskesmas", "Bank sampah sekolah", "Pendaftaran antrean pasien lewat WhatsApp",
         "Perpustakaan keliling kelurahan", "Tabungan sampah siswa"] * 3)]
    index = textsim.SimilarityIndex(texts)
    path = index.save(tmp_path / "i.npz")
    loaded = textsim.SimilarityIndex.load(path)
    assert isinstance(loaded._matrix.data, np.memmap) or isinstance(loaded._matrix.data.base, np.memmap)
    query = textsim.normalize("antrian online di puskesmas")
    assert loaded.query(query, k=3) == index.query(query, k=3)
