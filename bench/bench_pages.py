"""Page benchmark at scale against the raw-SQL floor (issue 14).

On a dataset written by `labinov bench generate --scale S` (SQLite file or DATABASE_URL), viewed as
the organiser of the very large program (organiser@bench.test), times each page with the Django test
client: p50 and p95 in ms, queries per request. The floor is the same rows fetched by one
hand-written SQL query through the database driver (sqlite3 or psycopg), without Django; the ratio
is page p50 / floor p50. The load average is printed with the numbers: on a shared machine they are
inflated.

    python bench/bench_pages.py --db /tmp/b100k/db.sqlite3            # an existing generated database
    python bench/bench_pages.py --scale 10k                           # generate into a temporary one first
    python bench/bench_pages.py --db ... --src /tmp/before/src        # the same pages with another checkout's code
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", help="a generated SQLite database (default: DATABASE_URL, or generate one with --scale)")
    p.add_argument("--scale", choices=["10k", "100k", "national"], help="generate a dataset of this scale first")
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--src", default=str(ROOT / "src"), help="the code to measure (another checkout's src/)")
    return p.parse_args()


ARGS = parse()
sys.path.insert(0, ARGS.src)
TMP = tempfile.mkdtemp(prefix="labinov-bench-pages-")
os.environ.update(LABINOV_DEV="1", LABINOV_DATA_DIR=TMP, STATIC_ROOT=TMP, DJANGO_SETTINGS_MODULE="labinov.settings", ALLOWED_HOSTS="testserver")
if ARGS.db:
    os.environ["DATABASE_URL"] = f"sqlite:///{ARGS.db}"
elif ARGS.scale:
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
    env = {**os.environ, "PYTHONPATH": ARGS.src}
    subprocess.run([sys.executable, "-m", "labinov.cli", "migrate", "-v0"], check=True, env=env)
    subprocess.run([sys.executable, "-m", "labinov.cli", "bench", "generate", "--scale", ARGS.scale], check=True, env=env)
elif not os.environ.get("DATABASE_URL"):
    sys.exit("Give --db, --scale or DATABASE_URL.")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]


def time_page(client, url, repeat):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # kept across the reconnect at the end of each request
        client.get(url)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), pct(times, 95), len(seen)


def raw_connection():
    """A connection through the driver itself, not Django's."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.connect(settings["NAME"]), "?"
    import psycopg

    return psycopg.connect(host=settings["HOST"], port=settings["PORT"], dbname=settings["NAME"], user=settings["USER"],
                           password=settings["PASSWORD"]), "%s"


def time_floor(raw, sql, params, repeat):
    cursor = raw.cursor()
    cursor.execute(sql, params)
    cursor.fetchall()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), pct(times, 95), len(rows)


def floors(mark: str, program_id: int, last_offset: int):
    """The rows each page shows, by one hand-written query."""
    p = mark
    list_rows = (f"SELECT i.id, i.title, i.status, i.decision_reason, u.name, n.name FROM ideas_idea i "
                 f"JOIN regions_unit u ON u.id = i.unit_id LEFT JOIN innovations_innovation n ON n.id = i.innovation_id "
                 f"WHERE i.program_id = {p} AND i.status <> 'draft' ORDER BY u.name, i.title, i.id LIMIT 50 OFFSET {p}")
    day = "julianday(ms.ends_on) - julianday(ms.starts_on)" if mark == "?" else "(ms.ends_on - ms.starts_on)"
    return {
        "idea list, first page": (list_rows, (program_id, 0)),
        "idea list, last page": (list_rows, (program_id, last_offset)),
        "screening ranked list": (
            f"SELECT i.id, i.title, i.status, u.name, u.kind, i.score_mean, i.review_count, i.score_max - i.score_min "
            f"FROM ideas_idea i JOIN regions_unit u ON u.id = i.unit_id WHERE i.program_id = {p} AND i.status <> 'draft' "
            f"ORDER BY i.score_mean IS NULL, i.score_mean DESC, u.name, i.id LIMIT 50", (program_id,)),
        "funnel": (
            f"SELECT u.kind, COUNT(*), COUNT(DISTINCT i.unit_id), COUNT(*) FILTER (WHERE i.status = 'selected'), COUNT(*) FILTER (WHERE i.status = 'rejected') "
            f"FROM ideas_idea i JOIN regions_unit u ON u.id = i.unit_id WHERE i.program_id = {p} AND i.status <> 'draft' "
            f"GROUP BY u.kind", (program_id,)),
        "Deliver progress dashboard": (
            f"SELECT n.unit_id, COUNT(*), COUNT(*) FILTER (WHERE mp.status = 'done'), MAX(mp.last_report_at), SUM({day}) "
            f"FROM innovations_milestone ms JOIN innovations_actionplan ap ON ap.id = ms.plan_id "
            f"JOIN innovations_innovation n ON n.id = ap.innovation_id LEFT JOIN delivery_milestoneprogress mp ON mp.milestone_id = ms.id "
            f"WHERE n.program_id = {p} AND ap.status = 'approved' GROUP BY n.unit_id", (program_id,)),
        "API idea list": (
            f"SELECT i.*, u.name FROM ideas_idea i JOIN regions_unit u ON u.id = i.unit_id "
            f"WHERE i.program_id = {p} AND i.status <> 'draft' ORDER BY u.name, i.title, i.id LIMIT 50", (program_id,)),
    }


def main():
    from labinov.ideas.models import Idea
    from labinov.people.models import User
    from labinov.programs.models import Program

    program = Program.objects.select_related("pemda").get(name__endswith="(sekolah)")
    user = User.objects.get(email="organiser@bench.test")
    client = Client()
    client.force_login(user)
    slug, pk = program.pemda.slug, program.pk
    n_ideas = Idea.objects.filter(program=program).exclude(status="draft").count()
    last = max(1, math.ceil(n_ideas / 50))
    pages = {
        "idea list, first page": reverse("idea_list", args=[slug, pk]),
        "idea list, last page": reverse("idea_list", args=[slug, pk]) + f"?page={last}",
        "screening ranked list": reverse("screening_list", args=[slug, pk]),
        "funnel": reverse("funnel", args=[slug, pk]),
        "Deliver progress dashboard": reverse("progress_dashboard", args=[slug, pk]),
        "API idea list": f"/api/v1/pemda/{slug}/programs/{pk}/ideas?limit=50",
    }
    raw, mark = raw_connection()
    queries = floors(mark, pk, (last - 1) * 50)
    total = Idea.objects.count()
    load = os.getloadavg()
    print(f"{connection.vendor}, {total:,} ideas in all, program of {n_ideas:,} submitted ideas; code {ARGS.src}; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {ARGS.repeat} requests each")
    head = f"{'operation':<28}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'floor p50':>11}{'floor p95':>11}{'ratio':>8}"
    print(head)
    print("-" * len(head))
    for name, url in pages.items():
        p50, p95, n = time_page(client, url, ARGS.repeat)
        sql, params = queries[name]
        f50, f95, _rows = time_floor(raw, sql, params, ARGS.repeat)
        print(f"{name:<28}{p50:>9.1f}{p95:>9.1f}{n:>9}{f50:>11.1f}{f95:>11.1f}{p50 / max(f50, 0.01):>8.1f}")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
