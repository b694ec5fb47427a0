"""Benchmark of the commitment documents: Salatiga's 140 Perjanjian Kinerja Inovasi as PDFs
(run: `python bench/bench_commitments.py`; target: under 60 s on the 2-core reference machine).

Loads the demo into a throw-away SQLite database, then times the background task's work
(`documents.batch_run`): laying the documents out in chunks, writing each document's PDF, the ZIP
and the merged PDF. For comparison it times one WeasyPrint layout per document on a sample and
extrapolates it to the whole batch. Prints seconds, documents per second and the ratio to the target.

Options: ``--sample N`` (default 10, 0 to skip the comparison).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="labinov-bench-commitments-")
os.environ.update(LABINOV_DEV="1", LABINOV_DATA_DIR=TMP, DJANGO_SETTINGS_MODULE="labinov.settings", ALLOWED_HOSTS="testserver",
                  DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3", TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

TARGET_S = 60.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    call_command("load_demo", force=True, verbosity=0, stdout=open(os.devnull, "w"))
    print(f"demo loaded in {time.perf_counter() - t:.1f} s")

    from django.core.files.storage import default_storage

    from labinov.delivery import documents
    from labinov.delivery.models import Commitment, CommitmentBatch
    from labinov.people.models import User
    from labinov.programs.models import Program

    program = Program.objects.get(name="Lab INAGARA 2019")
    admin = User.objects.get(email="admin@labinov.demo")
    batch = documents.batch_create(actor=admin, program=program)  # the dummy backend only records the task
    t = time.perf_counter()
    documents.batch_run(batch.pk)
    elapsed = time.perf_counter() - t
    batch = CommitmentBatch.objects.get(pk=batch.pk)
    assert batch.status == "done", batch.message
    size_zip = default_storage.size(batch.zip_name) / 1e6
    size_pdf = default_storage.size(batch.pdf_name) / 1e6
    print(f"commitments: {batch.total} PDFs in {elapsed:.1f} s ({batch.total / elapsed:.1f} per s; chunks of {documents.CHUNK}); "
          f"ZIP {size_zip:.1f} MB, merged PDF {size_pdf:.1f} MB")
    print(f"  target {TARGET_S:.0f} s for 140: ratio {elapsed / TARGET_S * 140 / batch.total:.2f} (below 1 is within the target)")
    if args.sample:
        from weasyprint import HTML

        from labinov.core.pdf import url_fetcher

        sample = list(Commitment.objects.filter(program=program).select_related("unit", "innovation")[: args.sample])
        t = time.perf_counter()
        for c in sample:
            html = documents.render_html(documents.documents_context(program=program, commitments=[c]))
            HTML(string=html, base_url=None, url_fetcher=url_fetcher()).write_pdf()
        per_doc = (time.perf_counter() - t) / len(sample)
        print(f"  one layout per document (sample of {len(sample)}): {per_doc:.2f} s each, "
              f"{per_doc * batch.total:.1f} s for {batch.total}: chunked layout is {per_doc * batch.total / elapsed:.1f}× faster")


if __name__ == "__main__":
    main()
