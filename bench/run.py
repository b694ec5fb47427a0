"""Benchmarks: how page and API cost grows with the data (run: `make bench`).

Builds a throw-away SQLite database at national scale for one pemda (a kabupaten with every
desa as a unit, thousands of people) next to a small one, then times the hot pages with the
Django test client. Prints milliseconds per request, queries per request and the large/small
ratio: a ratio near 1 means the page does not grow with the data (lists are paginated and
annotated, not looped over).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="labinov-bench-")
os.environ.update(LABINOV_DEV="1", LABINOV_DATA_DIR=TMP, DJANGO_SETTINGS_MODULE="labinov.settings", ALLOWED_HOSTS="testserver", DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def build(code: str, n_people: int):
    from labinov.core.roles import Role
    from labinov.people.models import Person, User
    from labinov.people.services import membership_grant
    from labinov.programs.models import Participation, Program
    from labinov.regions.models import Unit
    from labinov.regions.services import pemda_enable, units_generate_from_regions

    admin = User.objects.filter(email="bench@labinov.test").first() or User.objects.create_user(
        email="bench@labinov.test", password="x", full_name="Bench")
    if not admin.memberships.exists():
        membership_grant(actor=None, user=admin, role=Role.NATIONAL_ADMIN)
    pemda = pemda_enable(actor=admin, region_code=code)
    units_generate_from_regions(actor=admin, pemda=pemda)
    units = list(Unit.objects.filter(pemda=pemda))
    Person.objects.bulk_create(
        [Person(pemda=pemda, name=f"Peserta {i}", unit=units[i % len(units)]) for i in range(n_people)], batch_size=2000
    )
    program = Program.objects.create(pemda=pemda, name="Bench", year=2026)
    Participation.objects.bulk_create([Participation(program=program, unit=u) for u in units], batch_size=2000)
    return admin, pemda, program, len(units)


def measure(client, url, repeat=15):
    client.get(url)  # warm caches
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    with CaptureQueriesContext(connection) as q:
        client.get(url)
    return statistics.median(times), len(q.captured_queries)


def main():
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    admin, small, small_prog, n_small = build("34.71", 200)       # Kota Yogyakarta: 59 units
    _a, large, large_prog, n_large = build("32.01", 20000)        # Kabupaten Bogor: every desa
    print(f"data built in {time.perf_counter() - t:.1f} s: small pemda {n_small} units, large pemda {n_large} units / 20,000 people")
    client = Client()
    client.force_login(admin)
    pages = [
        ("unit list", "/pemda/{slug}/units/"),
        ("people list", "/pemda/{slug}/people/"),
        ("program list", "/pemda/{slug}/programs/"),
        ("program page", "/pemda/{slug}/programs/{prog}/"),
        ("pemda page", "/pemda/{slug}/"),
        ("API units", "/api/v1/pemda/{slug}/units?limit=50"),
    ]
    print(f"{'page':<14} {'small ms':>9} {'large ms':>9} {'ratio':>6} {'queries s/l':>12}")
    for label, pattern in pages:
        s_ms, s_q = measure(client, pattern.format(slug=small.slug, prog=small_prog.pk))
        l_ms, l_q = measure(client, pattern.format(slug=large.slug, prog=large_prog.pk))
        print(f"{label:<14} {s_ms:9.1f} {l_ms:9.1f} {l_ms / s_ms:6.2f} {s_q:>5}/{l_q:<6}")


if __name__ == "__main__":
    main()
