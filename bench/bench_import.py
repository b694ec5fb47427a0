"""Benchmark of the idea import: parsing and committing a 5,000-row XLSX file (run: `python bench/bench_import.py`).

Builds a throw-away SQLite database (one pemda, a program in Diagnose with 100 participating
units), writes a 5,000-row file like the template's, then times each step as the background
tasks run it: the upload check and storage (`import_start`), the parsing (`parse_import`: reading
with openpyxl, checking every row, preparing each new idea with its search_text) and the commit
(`commit_import`: loading the prepared rows, one transaction with one bulk INSERT). For comparison it also times the per-row service path (`services.idea_create`,
one full_clean + participation query + INSERT + audit record per idea) on a sample, rolled back,
and extrapolates it to 5,000 rows. Prints ms per row and the totals.

Options: ``--rows N`` (default 5000), ``--service-sample N`` (default 500, 0 to skip).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="labinov-bench-import-")
os.environ.update(LABINOV_DEV="1", LABINOV_DATA_DIR=TMP, DJANGO_SETTINGS_MODULE="labinov.settings", ALLOWED_HOSTS="testserver",
                  DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3", TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402


def build(n_units: int = 100):
    from labinov.core.roles import Role
    from labinov.people.models import User
    from labinov.people.services import membership_grant
    from labinov.programs.models import Participation, Program
    from labinov.regions.models import Pemda, Unit

    admin = User.objects.create_user(email="bench@labinov.test", password="x", full_name="Bench")
    membership_grant(actor=None, user=admin, role=Role.NATIONAL_ADMIN)
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota")
    units = Unit.objects.bulk_create([Unit(pemda=pemda, name=f"Kelurahan {i:03d}", kind="kelurahan", code=f"K{i:03d}")
                                      for i in range(n_units)])
    program = Program.objects.create(pemda=pemda, name="Bench", year=2026, stage="diagnose")
    Participation.objects.bulk_create([Participation(program=program, unit=u) for u in units])
    return admin, program, units


def workbook(units, n_rows: int) -> bytes:
    from openpyxl import Workbook

    from labinov.ideas.transfer import COLUMNS

    # Not write-only: like Excel, this records the sheet's <dimension>; without it openpyxl's read-only
    # mode reads the whole sheet once more just to size it (a file saved by openpyxl write-only parses ~1.5x slower).
    wb = Workbook()
    ws = wb.active
    ws.title = "Ide"
    ws.append(list(COLUMNS))
    for i in range(n_rows):
        unit = units[i % len(units)]
        values = {
            "unit": unit.name if i % 3 else unit.code, "judul": f"Layanan antrean daring nomor {i}",
            "masalah": f"Warga menunggu lama untuk pelayanan surat pengantar di kelurahan, kasus {i}",
            "akar_masalah": "Pencatatan masih manual dan petugas sedikit",
            "gagasan": f"Pendaftaran dan nomor antrean melalui aplikasi WhatsApp, tahap {i}",
            "penerima_manfaat": "Warga kelurahan", "manfaat": "Waktu tunggu berkurang",
            "bentuk": ["pelayanan_publik", "tata_kelola", "lainnya"][i % 3], "digital": "ya" if i % 2 else "tidak",
            "urusan": "adminduk, kominfo", "inisiator": "perangkat_daerah", "pengusul": "Sri Lestari\nAgus Santoso",
            "replikasi_dari": "", "yang_dimodifikasi": "",
        }
        ws.append([values[c] for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--service-sample", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions of parse and commit")
    args = parser.parse_args()
    settings.MEDIA_ROOT = Path(TMP) / "files"

    from labinov.core.textsim import normalize
    from labinov.ideas import services, transfer
    from labinov.ideas.models import Idea, IdeaImport

    call_command("migrate", verbosity=0)
    admin, program, units = build()
    content = workbook(units, args.rows)
    n = args.rows
    print(f"file: {n:,} rows, {len(content) / 1024:.0f} KiB; program with {len(units)} units; SQLite at {TMP}")
    normalize("pemanasan kamus sastrawi")  # the stemmer's dictionary loads once per process

    t0 = time.perf_counter()
    imp = transfer.import_start(actor=admin, program=program, upload=SimpleUploadedFile("bench.xlsx", content))
    t1 = time.perf_counter()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    status = transfer.parse_import(imp.pk)
    t2 = time.perf_counter()
    imp.refresh_from_db()
    assert status == "preview" and imp.summary["new"] == n, (status, imp.message, imp.errors[:3])
    transfer.commit_request(actor=admin, imp=transfer.import_get(actor=admin, program=program, pk=imp.pk))
    t3 = time.perf_counter()
    counts = transfer.commit_import(imp.pk, actor_id=admin.pk)
    t4 = time.perf_counter()
    if profiler:
        profiler.disable()
    assert counts["created"] == n, counts
    assert Idea.objects.filter(program=program).count() == n

    def line(label, seconds, rows=n):
        print(f"{label:<44} {seconds * 1000:9.0f} ms  {seconds * 1000 / rows:6.3f} ms/row")

    line("upload check + store (import_start)", t1 - t0)
    line("parse (parse_idea_import)", t2 - t1)
    line("commit (commit_idea_import)", t4 - t3)
    line("total", t4 - t0)
    imp.refresh_from_db()
    print(f"  of which: parse (read, check, search_text) {imp.summary['read_ms']} ms; commit: loading the prepared rows "
          f"{imp.summary['prepare_ms']} ms, inside the one transaction {imp.summary['save_ms']} ms")
    print(f"progress writes: every {transfer.PROGRESS_EVERY} rows")

    again = transfer.import_start(actor=admin, program=program, upload=SimpleUploadedFile("bench.xlsx", content))
    t5 = time.perf_counter()
    transfer.parse_import(again.pk)
    again.refresh_from_db()
    line("same file again: parse (all already imported)", time.perf_counter() - t5)
    assert again.summary["existing"] == n and again.summary["new"] == 0

    if args.service_sample:
        from labinov.programs.models import Program

        sample = args.service_sample
        fresh = Program.objects.create(pemda=program.pemda, name="Bench service", year=2026, stage="diagnose")
        from labinov.programs.models import Participation

        Participation.objects.bulk_create([Participation(program=fresh, unit=u) for u in units])
        t6 = time.perf_counter()
        with transaction.atomic():
            for i in range(sample):
                services.idea_create(
                    actor=admin, program=fresh, unit=units[i % len(units)], submit=True, import_key=f"{i:064d}",
                    title=f"Layanan antrean daring nomor {i}", problem=f"Warga menunggu lama, kasus {i}",
                    proposed_change=f"Nomor antrean melalui aplikasi, tahap {i}", form="pelayanan_publik",
                    urusan=["adminduk", "kominfo"], initiator="perangkat_daerah",
                )
            transaction.set_rollback(True)
        per_row = (time.perf_counter() - t6) / sample
        print(f"{'service idea_create per row (sample ' + str(sample) + ')':<44} {per_row * sample * 1000:9.0f} ms  "
              f"{per_row * 1000:6.3f} ms/row  → {per_row * n:.1f} s for {n:,} rows (commit step only)")

    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"imports on record: {IdeaImport.objects.count()}")


if __name__ == "__main__":
    main()
