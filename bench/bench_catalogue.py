"""Benchmark of the public catalogue (issue 12): a search or a filtered list answers in <= 200 ms at the
95th percentile with 300,000 published innovations, on SQLite (FTS5) and on PostgreSQL (GIN tsvector).

Run: `python bench/bench_catalogue.py [--n 300000]` (a throw-away SQLite database), or against PostgreSQL:
`scripts/with-postgres.sh python bench/bench_catalogue.py` (it uses DATABASE_URL when set).

Makes N published innovations over 500 pemda, each with a unit, a profile and its catalogue entry (texts
drawn from the words of real innovation titles), then times whole catalogue pages through Django's test
client — the search, the facets, the count and the page of rows, as a visitor gets them — for a mix of
queries: one word, several words, a variant (antrian), an abbreviation (KTP), a problem statement,
nothing matching, and filters with and without words. Prints p50/p95 per kind and overall.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="labinov-bench-catalogue-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.update(LABINOV_DEV="1", LABINOV_DATA_DIR=TMP, DJANGO_SETTINGS_MODULE="labinov.settings", ALLOWED_HOSTS="testserver",
                  TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

TARGET_MS = 200.0
WORDS = """layanan izin usaha daring online antrean puskesmas pasien rumah sakit kartu tanda penduduk ktp keluarga akta kelahiran
sampah bank daur ulang sekolah siswa guru perpustakaan buku baca posyandu balita gizi stunting ibu hamil imunisasi pajak retribusi
pendapatan asli daerah umkm pasar pedagang pelatihan petani pupuk irigasi air bersih sanitasi jalan rusak lampu penerangan banjir
bencana tanggap darurat ambulans kesehatan jiwa lansia disabilitas beasiswa anak yatim pengaduan masyarakat whatsapp aplikasi
sistem informasi data terpadu satu pintu surat pengantar kelurahan kecamatan desa wisata budaya batik kuliner tiket parkir
transportasi angkutan sekolah demam berdarah dbd nyamuk jentik kebersihan taman hutan kota pohon energi surya nomor induk
berusaha nib investasi penanaman modal tenaga kerja pencari kerja magang koperasi digital arsip dokumen tanda tangan elektronik""".split()
URUSAN = ["kesehatan", "pendidikan", "adminduk", "penanaman_modal", "lingkungan_hidup", "sosial", "perhubungan", "pariwisata"]
KINDS = ["dinas", "badan", "kecamatan", "kelurahan", "puskesmas", "sd", "smp", "rsud"]
STAGES = ["inisiatif", "uji_coba", "penerapan"]
QUERIES = {
    "one word": ["perizinan", "sampah", "posyandu", "pajak", "wisata"],
    "several words": ["layanan izin usaha", "bank sampah sekolah", "antrean pasien puskesmas", "air bersih desa"],
    "variant/abbreviation": ["antrian", "KTP", "UMKM", "DBD", "online"],
    "problem statement": ["antrean panjang di puskesmas setiap pagi", "warga sulit mengurus akta kelahiran anak"],
    "nothing matches": ["kapal selam nuklir", "qwzx"],
}
FILTERS = [{"province": "33"}, {"urusan": "kesehatan", "stage": "penerapan"}, {"year": "2021", "digital": "yes"},
           {"unit_kind": "puskesmas", "q": "antrean"}, {"region": "3301", "q": "sampah"}]


def populate(n: int, rng: random.Random) -> None:
    import datetime

    from django.utils import timezone

    from labinov.catalog.models import CatalogEntry
    from labinov.core import textsim
    from labinov.innovations.models import Innovation, InnovationProfile
    from labinov.regions.models import Pemda, Unit

    pemdas = Pemda.objects.bulk_create([Pemda(region_code=f"{11 + i // 20:02d}.{1 + i % 20:02d}", name=f"Kabupaten Uji {i:03d}",
                                              head_title="bupati") for i in range(500)])
    units = Unit.objects.bulk_create([Unit(pemda=p, name=f"{k.title()} {j}", kind=k) for p in pemdas for j, k in enumerate(KINDS)])
    now = timezone.now()
    batch = 5000
    for start in range(0, n, batch):
        size = min(batch, n - start)
        rows = []
        for _ in range(size):
            unit = rng.choice(units)
            name = " ".join(rng.sample(WORDS, rng.randint(3, 6))).capitalize()
            description = " ".join(rng.choices(WORDS, k=rng.randint(12, 30)))
            rows.append(Innovation(pemda_id=unit.pemda_id, unit=unit, name=name, description=description, form="pelayanan_publik",
                                   is_digital=rng.random() < 0.4, urusan=[rng.choice(URUSAN)], status="launched", published_at=now))
        made = Innovation.objects.bulk_create(rows)
        InnovationProfile.objects.bulk_create([
            InnovationProfile(innovation=i, urusan_primary=i.urusan[0], iid_stage=rng.choice(STAGES),
                              implementation_date=datetime.date(rng.randint(2015, 2025), 1, 1),
                              problem=" ".join(rng.choices(WORDS, k=15))) for i in made])
        units_by_id = {u.pk: u for u in units}
        CatalogEntry.objects.bulk_create([
            CatalogEntry(innovation=i, text=textsim.normalize(f"{i.name}\n{i.description}\n{units_by_id[i.unit_id].name}"))
            for i in made])
        print(f"\r  {start + size:,} innovations", end="", flush=True)
    print()


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    populate(args.n, random.Random(12))
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    print(f"{connection.vendor}: {args.n:,} published innovations made in {time.perf_counter() - t:.0f} s")
    client = Client()
    kinds = {**{k: [{"q": q} for q in qs] for k, qs in QUERIES.items()}, "filters": FILTERS, "browse (no words)": [{}, {"page": "50"}]}
    everything = []
    for kind, params_list in kinds.items():
        times = []
        for params in params_list:
            client.get("/katalog/", params)  # warm
            for _ in range(args.repeat):
                t = time.perf_counter()
                response = client.get("/katalog/", params)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
        everything += times
        print(f"  {kind:22s} p50 {statistics.median(times):7.1f} ms   p95 {p95(times):7.1f} ms")
    worst = p95(everything)
    print(f"all pages: p95 {worst:.1f} ms (target {TARGET_MS:.0f} ms): {'OK' if worst <= TARGET_MS else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
