"""Benchmark: Indonesian normalisation, similarity search and clustering (labinov.core.textsim).

Run: `.venv/bin/python bench/bench_similarity.py [--n 100000] [--queries 200]` (no Django setup, no
database). Generates synthetic but realistic idea texts (a service, a problem, a solution, places,
an agency and an outcome, 15-40 words, with a long tail of village names so that the vocabulary
keeps growing with the corpus like real text does) and prints timings with the ratio to each
target (ratio < 1 means within target):

  (a) normalising 1,000 texts, cold and warm stem cache        (ms per text)
  (b) clustering 400 ideas                                       target 2 s
  (c) building an index over 100,000 texts                       (time, matrix and vocabulary size)
  (d) query latency against 100,000 texts, median and p95        target 100 ms
  (e) loading the saved 100,000-text index                       (time, file size)
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from labinov.core import textsim  # noqa: E402
from labinov.core.textsim import SimilarityIndex, cluster, normalize  # noqa: E402

SERVICES = [
    "perizinan usaha", "izin mendirikan bangunan", "akta kelahiran", "kartu keluarga", "KTP elektronik",
    "kartu identitas anak", "pajak bumi dan bangunan", "retribusi pasar", "air bersih", "pengelolaan sampah",
    "bank sampah", "posyandu balita", "pelayanan puskesmas", "rujukan rumah sakit daerah", "penerimaan siswa baru",
    "perpustakaan desa", "angkutan umum perdesaan", "parkir tepi jalan", "irigasi sawah", "distribusi pupuk bersubsidi",
    "penyaluran bantuan sosial", "jaminan kesehatan daerah", "imunisasi anak", "penanganan stunting",
    "pemadam kebakaran", "penanggulangan bencana", "peringatan dini banjir", "tata ruang wilayah",
    "pelayanan lansia", "layanan penyandang disabilitas", "pembinaan UMKM", "koperasi simpan pinjam",
    "tiket wisata", "promosi pariwisata", "pasar tradisional", "pelelangan ikan", "kesehatan hewan ternak",
    "perbaikan jalan desa", "penerangan jalan umum", "pengaduan masyarakat", "administrasi kepegawaian",
    "pengadaan barang dan jasa", "keuangan desa", "kearsipan daerah", "pencatatan perkawinan", "surat keterangan miskin",
]
PROBLEMS = [
    "antrean panjang di loket", "data penduduk tidak akurat", "biaya transportasi warga tinggi", "jarak kantor layanan jauh",
    "informasi yang terlambat sampai ke warga", "pengaduan yang tidak ditanggapi", "rendahnya partisipasi masyarakat",
    "berkas persyaratan sering hilang", "proses yang berbelit dan lama", "pungutan liar", "kurangnya tenaga petugas",
    "angka kematian ibu dan bayi", "banjir tahunan di musim hujan", "sampah menumpuk di sungai", "rendahnya literasi digital",
    "pendapatan asli daerah yang rendah", "tumpang tindih data antarinstansi", "keterlambatan pencairan anggaran",
    "kemacetan di pusat kota", "harga komoditas yang tidak stabil", "rendahnya cakupan imunisasi",
    "gizi buruk pada balita", "keterbatasan akses internet", "arsip kertas yang rusak", "lambatnya respon darurat",
]
SOLUTIONS = [
    "aplikasi daring berbasis android", "loket terpadu satu pintu", "layanan jemput bola ke desa", "sistem informasi terpadu",
    "pembayaran nontunai melalui QRIS", "papan informasi digital", "pelatihan kader desa", "pesan singkat otomatis lewat WhatsApp",
    "dasbor data real time", "kios layanan mandiri", "mobil layanan keliling", "pendampingan oleh relawan",
    "tanda tangan elektronik", "peta digital berbasis GIS", "sensor ketinggian air", "kartu pintar warga",
    "pusat panggilan darurat", "forum warga bulanan", "gerakan gotong royong", "integrasi data kependudukan",
    "kanal pengaduan terpadu", "sistem antrean daring", "kelas literasi digital", "koperasi digital",
]
BENEFICIARIES = [
    "warga desa terpencil", "pelaku usaha mikro", "ibu hamil", "petani", "nelayan", "pelajar", "lansia",
    "penyandang disabilitas", "pedagang pasar", "kader posyandu", "perangkat desa", "aparatur sipil negara",
    "wisatawan", "pekerja migran", "keluarga miskin", "pemuda",
]
AGENCIES = [
    "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kesehatan", "BPBD", "Bappeda", "Dinas Pertanian",
    "Dinas Perhubungan", "Dinas Lingkungan Hidup", "DPMPTSP", "Dinas Sosial", "Dinas Pendidikan",
    "Dinas Pariwisata", "Dinas Koperasi dan UKM", "Badan Pendapatan Daerah", "Kecamatan", "RSUD",
]
OUTCOMES = [
    "waktu layanan turun dari tiga hari menjadi satu jam", "kepuasan masyarakat meningkat", "biaya layanan menjadi gratis",
    "jumlah pengaduan turun separuh", "cakupan layanan naik dua kali lipat", "data menjadi akurat dan mutakhir",
    "warga tidak perlu datang ke kantor", "pendapatan daerah meningkat", "respon darurat lebih cepat",
    "angka stunting menurun", "kunjungan wisatawan bertambah",
]
REGIONS = [
    "Salatiga", "Sleman", "Bantul", "Kulon Progo", "Gunungkidul", "Cilegon", "Klaten", "Magelang", "Boyolali",
    "Wonosobo", "Banyumas", "Pekalongan", "Kudus", "Jepara", "Sragen", "Wonogiri", "Purworejo", "Temanggung",
    "Banjarnegara", "Cilacap", "Kebumen", "Rembang", "Blora", "Grobogan", "Demak", "Kendal", "Batang", "Pemalang",
    "Tegal", "Brebes", "Malang", "Kediri", "Madiun", "Jember", "Gorontalo", "Bone", "Gowa", "Maros", "Sumbawa", "Ende",
]
OPENERS = ["Inovasi", "Program", "Gerakan", "Layanan", "Sistem", "Aplikasi", "Klinik", "Pojok", "Rumah", "Kampung"]
LINKS = ["untuk", "bagi", "guna mempercepat", "demi meningkatkan", "dalam rangka memperbaiki"]


def village_names(rng: random.Random, n: int) -> list[str]:
    """A long tail of plausible Javanese-style village names (Heaps-law vocabulary growth)."""
    first = ["suka", "karang", "sido", "tanjung", "wono", "banyu", "giri", "mulyo", "sri", "tegal", "purwo", "jati",
             "ngadi", "cempaka", "kali", "watu", "sumber", "krajan", "pandan", "wringin", "gedong", "tirto", "bumi"]
    cons, vows = "bcdgjklmnprstw", "aiuoe"
    names = set()
    while len(names) < n:
        tail = "".join(rng.choice(cons) + rng.choice(vows) for _ in range(rng.randint(2, 3)))
        names.add((rng.choice(first) + tail).capitalize())
    return sorted(names)


class IdeaGenerator:
    def __init__(self, seed: int = 2026, villages: int = 30_000):
        self.rng = random.Random(seed)
        self.villages = village_names(self.rng, villages)
        # Zipf-like: a few villages come up often, most rarely.
        self.cum_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(self.villages))))

    def village(self) -> str:
        return self.rng.choices(self.villages, cum_weights=self.cum_weights, k=1)[0]

    def idea(self) -> str:
        r = self.rng
        service = r.choice(SERVICES)
        parts = [
            f"{r.choice(OPENERS)} {r.choice(SOLUTIONS)} {r.choice(LINKS)} {service} di Desa {self.village()}, "
            f"Kabupaten {r.choice(REGIONS)}.",
        ]
        if r.random() < 0.85:
            parts.append(f"Masalahnya {r.choice(PROBLEMS)} sehingga {r.choice(BENEFICIARIES)} dirugikan.")
        if r.random() < 0.6:
            parts.append(f"Dikelola oleh {r.choice(AGENCIES)} bersama {r.choice(BENEFICIARIES)}.")
        if r.random() < 0.5:
            parts.append(f"Hasilnya {r.choice(OUTCOMES)}.")
        if r.random() < 0.3:
            parts.append(f"Direplikasi ke Desa {self.village()} dan Desa {self.village()}.")
        return " ".join(parts)

    def ideas(self, n: int) -> list[str]:
        return [self.idea() for _ in range(n)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="texts in the large index (default 100,000)")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"labinov textsim benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    gen = IdeaGenerator()

    # (a) normalisation ------------------------------------------------------------------------
    texts = gen.ideas(1000)
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    textsim._get_stemmer()
    stemmer_load = time.perf_counter() - t0
    textsim._stem_token.cache_clear()
    t0 = time.perf_counter()
    for t in texts:
        normalize(t)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        normalize(t)
    warm = time.perf_counter() - t0
    info = textsim._stem_token.cache_info()
    print(f"\n(a) normalize 1,000 texts ({words / len(texts):.0f} words each; stemmer load {ms(stemmer_load)})")
    print(f"    cold cache: {ms(cold / len(texts))}/text ({cold:.2f} s total, {info.currsize} distinct tokens stemmed)")
    print(f"    warm cache: {ms(warm / len(texts))}/text ({warm:.3f} s total)")

    # (b) clustering ---------------------------------------------------------------------------
    items = [(i, normalize(t)) for i, t in enumerate(gen.ideas(400))]
    t0 = time.perf_counter()
    groups = cluster(items)
    first = time.perf_counter() - t0
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        assert cluster(items) == groups
        runs.append(time.perf_counter() - t0)
    took = statistics.median(runs)
    print(f"\n(b) cluster 400 ideas: {took:.2f} s (target 2 s, ratio {took / 2:.3f})")
    print(f"    median of 5 runs ({min(runs) * 1000:.0f}-{max(runs) * 1000:.0f} ms); the first call in a process also"
          f" imports scikit-learn and scipy.cluster: {first:.2f} s (ratio {first / 2:.2f}; textsim.warm_up() does it ahead)")
    print(f"    {len(groups)} groups of >= 2, {sum(map(len, groups))} ideas grouped, largest {len(groups[0]) if groups else 0}")

    # (c) index over N texts -------------------------------------------------------------------
    n = args.n
    t0 = time.perf_counter()
    raw = gen.ideas(n)
    gen_time = time.perf_counter() - t0
    t0 = time.perf_counter()
    corpus = [(i, normalize(t)) for i, t in enumerate(raw)]
    norm_time = time.perf_counter() - t0
    del raw
    gc.collect()
    t0 = time.perf_counter()
    index = SimilarityIndex(corpus)
    build = time.perf_counter() - t0
    nnz = index._matrix.nnz
    print(f"\n(c) build index over {n:,} texts: {build:.2f} s"
          f" (generating {gen_time:.1f} s, normalizing {norm_time:.1f} s = {ms(norm_time / n)}/text)")
    print(f"    {index.n_terms:,} terms (unigrams + bigrams), {nnz:,} non-zeros ({nnz / n:.0f}/text)")
    m = index._matrix
    matrix_bytes = m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
    print(f"    in memory {index.nbytes / 2**20:.1f} MiB: matrix {matrix_bytes / 2**20:.1f} MiB (float32 data + int32"
          f" indices), vocabulary and IDF {(index.nbytes - matrix_bytes) / 2**20:.1f} MiB (numpy arrays)")

    # (d) query latency ------------------------------------------------------------------------
    qgen = IdeaGenerator(seed=99)
    queries_raw = qgen.ideas(args.queries)
    # Half the queries are paraphrase-like: a stored text with its words shuffled and trimmed.
    rng = random.Random(5)
    for i in range(0, len(queries_raw), 2):
        words_ = corpus[rng.randrange(n)][1].split()
        rng.shuffle(words_)
        queries_raw[i] = " ".join(words_[: max(5, len(words_) * 2 // 3)])
    for q in queries_raw[:20]:
        index.query(normalize(q))  # warm-up
    q_only, q_full, hits = [], [], 0
    for q in queries_raw:
        t0 = time.perf_counter()
        text = normalize(q)
        t1 = time.perf_counter()
        result = index.query(text, k=5)
        t2 = time.perf_counter()
        q_only.append(t2 - t1)
        q_full.append(t2 - t0)
        hits += bool(result)
    med, p95 = statistics.median(q_only), percentile(q_only, 95)
    print(f"\n(d) query against {n:,} texts ({len(queries_raw)} queries, k=5): median {ms(med)}, p95 {ms(p95)}"
          f" (target 100 ms, ratio {p95 / 0.1:.3f})")
    print(f"    with normalize(): median {ms(statistics.median(q_full))}, p95 {ms(percentile(q_full, 95))};"
          f" {hits} queries had a match >= 0.25")

    # (e) save / load --------------------------------------------------------------------------
    with tempfile.TemporaryDirectory(prefix="labinov-textsim-") as tmp:
        path = Path(tmp) / "ideas.npz"
        t0 = time.perf_counter()
        index.save(path)
        save = time.perf_counter() - t0
        size = path.stat().st_size
        del index
        gc.collect()
        loads = []
        for _ in range(2):
            t0 = time.perf_counter()
            loaded = SimilarityIndex.load(path)
            loads.append(time.perf_counter() - t0)
            del loaded
            gc.collect()
        t0 = time.perf_counter()
        for _ in range(100):
            SimilarityIndex.stored_version(path)
        check = (time.perf_counter() - t0) / 100
    print(f"\n(e) load saved {n:,}-text index: {min(loads):.2f} s (file {size / 2**20:.1f} MiB, save {save:.2f} s);"
          f" version check {ms(check)}")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
