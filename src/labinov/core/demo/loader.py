"""Loads the demo: the five seed stories as pemda, units, people, accounts, programs and events.

Everything goes through the services (so the audit trail and the rules apply to demo data too),
except bulk rows whose service would only repeat the same checks thousands of times.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from labinov.core.roles import Role
from labinov.people.models import Person, User
from labinov.people.services import membership_grant
from labinov.programs.models import Attendance, Participation, StageTransition
from labinov.programs.services import (
    event_create,
    program_advance,
    program_assign_coach,
    program_create,
    program_set_units,
)
from labinov.regions.models import Pemda, Unit
from labinov.regions.services import pemda_enable, pemda_update, units_generate_from_regions

from . import data

PASSWORD = "labinov-demo"

# The sekda's NIPs are invented (the seeds give none) but valid (people/nip.py): the commitment
# documents a sekda countersigns "a.n." the head of region show them.
SEKDA_NIP = {"34.71": "196803141994032004", "33.73": "196605121992031001", "63.03": "196507201991031002"}
# Salatiga's action plans revised during Deliver: the README, docs/demo-data.md and the user guide say 30.
SALATIGA_REVISIONS = 30

ACCOUNTS = [
    # (email, full name, role, pemda code or None, unit name or None)
    ("admin@labinov.demo", "Admin Nasional", Role.NATIONAL_ADMIN, None, None),
    ("coach@lan.demo", "Eli Fatimah (LAN)", Role.NATIONAL_COACH, None, None),
    ("organiser@salatiga.demo", "Jumiarto (Bagian Organisasi)", Role.ORGANISER, "33.73", None),
    ("coach@salatiga.demo", "Coach Kota Salatiga", Role.COACH, "33.73", None),
    ("lurah@salatiga.demo", "Lurah Kalicacing", Role.UNIT_HEAD, "33.73", "Kelurahan Kalicacing"),
    ("inovator@salatiga.demo", "Inovator Kelurahan Kalicacing", Role.INNOVATOR, "33.73", "Kelurahan Kalicacing"),
    ("verifikator@salatiga.demo", "Tim Independen Salatiga", Role.VERIFIER, "33.73", None),
    ("sekda@salatiga.demo", "Fakruroji (Sekda)", Role.LEADER, "33.73", None),
    ("organiser@yogyakarta.demo", "Organiser Kota Yogyakarta", Role.ORGANISER, "34.71", None),
    ("organiser@banjar.demo", "Organiser Kabupaten Banjar", Role.ORGANISER, "63.03", None),
    ("organiser@cilegon.demo", "Rina Fatwa Aulia (Bappedalitbang)", Role.ORGANISER, "36.72", None),
]


def _nip(rng: random.Random, seq: int) -> str:
    birth = datetime.date(rng.randint(1965, 1992), rng.randint(1, 12), rng.randint(1, 28))
    tmt_year = birth.year + rng.randint(22, 30)
    return f"{birth:%Y%m%d}{tmt_year}{rng.randint(1, 12):02d}{rng.choice('12')}{seq % 999 + 1:03d}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"


def _heads(pemda: Pemda, units, rng: random.Random, title: str = "Kepala") -> list[Person]:
    people = []
    for i, unit in enumerate(units):
        jabatan = {
            "kelurahan": f"Lurah {unit.name.removeprefix('Kelurahan ')}",
            "desa": f"Kepala Desa {unit.name.removeprefix('Desa ')}",
            "kecamatan": f"Camat {unit.name.removeprefix('Kecamatan ')}",
            "sd": f"Kepala {unit.name}",
            "smp": f"Kepala {unit.name}",
        }.get(unit.kind, f"{title} {unit.name}")
        people.append(Person(pemda=pemda, name=_name(rng), nip=_nip(rng, i), jabatan=jabatan, unit=unit))
    Person.objects.bulk_create(people)
    return people


def _add_units(actor, pemda: Pemda, rows) -> list[Unit]:
    units = [Unit(pemda=pemda, name=name, kind=kind) for name, kind in rows]
    Unit.objects.bulk_create(units)
    return units


def _history(program, dates: list[tuple[str, datetime.date]], actor) -> None:
    """Walks the program through its stages and back-dates the transitions to the seed's dates."""
    for stage, day in dates:
        program_advance(actor=actor, program=program, to_stage=stage, confirmed=True)
        t = StageTransition.objects.filter(program=program, to_stage=stage).latest("id")
        StageTransition.objects.filter(pk=t.pk).update(
            created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        )


@transaction.atomic
def load(stdout=None) -> dict:
    rng = random.Random(2019)
    say = (lambda m: stdout.write(m)) if stdout else (lambda m: None)

    admin = User.objects.create_user(email=ACCOUNTS[0][0], password=PASSWORD, full_name=ACCOUNTS[0][1], is_staff=True)
    membership_grant(actor=None, user=admin, role=Role.NATIONAL_ADMIN)

    # --- Kota Yogyakarta: Laboratorium Inovasi 2015 (seed 000) and the diklat of 2024 (seed 004) ---
    yk = pemda_enable(actor=admin, region_code="34.71", head_name="Haryadi Suyuti", coordinating_unit="Bagian Organisasi Setda")
    pemda_update(actor=admin, pemda=yk, **{f: getattr(yk, f) for f in ("name", "head_title", "head_name", "coordinating_unit")},
                 sekda_name="Titik Sulastri", sekda_nip=SEKDA_NIP["34.71"], address="Jl. Kenari No. 56, Yogyakarta")
    units_generate_from_regions(actor=admin, pemda=yk)  # 14 kecamatan + 45 kelurahan
    yk_opd = _add_units(admin, yk, data.YOGYAKARTA_OPD)
    yk_units = list(Unit.objects.filter(pemda=yk))
    _heads(yk, yk_units, rng)
    yk_prog = program_create(
        actor=admin, pemda=yk, name="Laboratorium Inovasi Kota Yogyakarta 2015", year=2015, partner="lan",
        partner_name="Pusat Inovasi Tata Pemerintahan LAN", starts_on=datetime.date(2015, 2, 1), ends_on=datetime.date(2015, 11, 30),
        target_unit_kinds=[], target_ideas=120, target_innovations=87,
        description="Kota pertama dari lima daerah Laboratorium Inovasi 2015 yang melakukan launching.",
    )
    program_set_units(actor=admin, program=yk_prog, units=yk_units)
    event_create(actor=admin, pemda=yk, program=yk_prog, title="Launching Laboratorium Inovasi Kota Yogyakarta",
                 stages=["deliver_launching"], starts_on=datetime.date(2015, 5, 22), ends_on=datetime.date(2015, 5, 22),
                 venue="Ruang Rapat Bima, Balaikota Yogyakarta", mode="luring",
                 speakers="Prof. Agus Dwiyanto (Kepala LAN)\nDr. Tri Widodo Wahyu Utomo\nHaryadi Suyuti (Walikota Yogyakarta)")
    _history(yk_prog, [("drum_up", datetime.date(2015, 2, 10)), ("diagnose", datetime.date(2015, 2, 11)),
                       ("design", datetime.date(2015, 3, 20)), ("deliver_monitoring", datetime.date(2015, 4, 15)),
                       ("deliver_launching", datetime.date(2015, 5, 22)), ("display", datetime.date(2015, 11, 2))], admin)
    bkpsdm = Unit.objects.get(pemda=yk, name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
    diklat = event_create(
        actor=admin, pemda=yk, kind="training", title="Pelatihan Inisiasi Inovasi Daerah 2024",
        starts_on=datetime.date(2024, 3, 5), ends_on=datetime.date(2024, 3, 6), venue="Abadi Hotel Malioboro, Yogyakarta",
        mode="hybrid", organiser_unit=bkpsdm, online_viewers=100, stream_url="https://www.youtube.com/",
        speakers="Singgih Raharjo (Pj Wali Kota Yogyakarta)",
        description="Diklat BKPSDM: luring untuk 26 OPD dan daring lewat YouTube.",
    )
    diklat_units = [u for u in yk_opd if u.name in set(data.YOGYAKARTA_DIKLAT_OPD)]
    diklat_people = Person.objects.filter(unit__in=diklat_units)
    Attendance.objects.bulk_create([Attendance(event=diklat, person=p, unit_id=p.unit_id, mode="luring") for p in diklat_people])
    say(f"  Kota Yogyakarta: {len(yk_units)} units in the 2015 lab, diklat 2024 with {len(diklat_units)} OPD\n")

    # --- Kota Salatiga: Lab INAGARA 2019 for kelurahan and schools (seed 002) ---
    sl = pemda_enable(actor=admin, region_code="33.73", head_name="Yuliyanto", coordinating_unit="Bagian Organisasi dan Kepegawaian Setda")
    pemda_update(actor=admin, pemda=sl, **{f: getattr(sl, f) for f in ("name", "head_title", "head_name", "coordinating_unit")},
                 sekda_name="Drs. Fakruroji", sekda_nip=SEKDA_NIP["33.73"], address="Jl. Letjend Sukowati No. 51, Salatiga")
    units_generate_from_regions(actor=admin, pemda=sl)  # 4 kecamatan + 23 kelurahan
    _add_units(admin, sl, data.SALATIGA_OPD)
    schools = [(f"SD Negeri Salatiga {i:02d}", "sd", "negeri") for i in range(1, 61)]
    schools += [(f"SD {n} Salatiga", "sd", "swasta") for n in
                ["Kristen Satya Wacana", "Muhammadiyah Plus", "Islam Terpadu Nidaul Hikmah", "Kanisius Cungkup", "Negeri Mangunsari Unggulan"][:4]]
    schools += [(f"SD Swasta Salatiga {i:02d}", "sd", "swasta") for i in range(1, 17)]
    schools += [(f"SMP Negeri {i} Salatiga", "smp", "negeri") for i in range(1, 14)]
    schools += [(f"SMP Swasta Salatiga {i:02d}", "smp", "swasta") for i in range(1, 25)]
    school_units = [Unit(pemda=sl, name=n, kind=k, ownership=o) for n, k, o in schools]
    Unit.objects.bulk_create(school_units)
    kelurahan = list(Unit.objects.filter(pemda=sl, kind="kelurahan"))
    sl_participants = kelurahan + list(Unit.objects.filter(pemda=sl, kind__in=["sd", "smp"]))
    _heads(sl, list(Unit.objects.filter(pemda=sl)), rng)
    sl_prog = program_create(
        actor=admin, pemda=sl, name="Lab INAGARA 2019", year=2019, partner="lan",
        partner_name="Pusat Inovasi Administrasi Negara LAN", starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 12, 31),
        target_unit_kinds=["kelurahan", "sd", "smp"], target_ideas=365, target_innovations=140,
        description="Sasaran unit kerja kelurahan dan sekolah (SD, SMP negeri dan swasta) se-Kota Salatiga; "
                    "mendukung misi ke-3 RPJPD dan misi ke-9 RPJMD.",
    )
    program_set_units(actor=admin, program=sl_prog, units=sl_participants)
    events = [
        ("Drum-up dan Diagnose Lab INAGARA 2019", ["drum_up", "diagnose"], (2019, 3, 13), (2019, 3, 15)),
        ("Design Lab INAGARA 2019", ["design"], (2019, 6, 19), (2019, 6, 20)),
        ("Deliver Monitoring Lab INAGARA 2019", ["deliver_monitoring"], (2019, 8, 28), (2019, 8, 30)),
        ("Deliver Launching Lab INAGARA 2019", ["deliver_launching"], (2019, 11, 14), (2019, 11, 14)),
    ]
    sl_events = []
    for title, stages, start, end in events:
        sl_events.append(event_create(
            actor=admin, pemda=sl, program=sl_prog, title=title, stages=stages, starts_on=datetime.date(*start),
            ends_on=datetime.date(*end), venue="Ruang Kaloka, Gedung Setda Pemkot Salatiga", mode="luring",
            speakers="Dra. Eli Fatimah, M.Si (Plt Kepala Pusat Inovasi Administrasi Negara LAN)",
        ))
    sl_heads = Person.objects.filter(pemda=sl, unit__in=sl_participants)
    Attendance.objects.bulk_create([Attendance(event=sl_events[0], person=p, unit_id=p.unit_id) for p in sl_heads])
    Attendance.objects.bulk_create([Attendance(event=sl_events[3], person=p, unit_id=p.unit_id) for p in sl_heads])
    _history(sl_prog, [("drum_up", datetime.date(2019, 3, 13)), ("diagnose", datetime.date(2019, 3, 14)),
                       ("design", datetime.date(2019, 6, 19)), ("deliver_monitoring", datetime.date(2019, 8, 28)),
                       ("deliver_launching", datetime.date(2019, 11, 14))], admin)
    say(f"  Kota Salatiga: Lab INAGARA 2019 with {len(sl_participants)} units, 4 stage events\n")
    # A cycle that is about to start, so the home pages have something upcoming to show.
    today = timezone.localdate()
    sl_next = program_create(
        actor=admin, pemda=sl, name=f"Lab INAGARA {today.year + (1 if today.month >= 11 else 0)}", year=today.year + (1 if today.month >= 11 else 0),
        partner="lan", partner_name="Pusat Inovasi Administrasi Negara LAN", starts_on=today, ends_on=today + datetime.timedelta(days=270),
        target_unit_kinds=["kecamatan", "badan", "dinas", "setda_bagian"], target_ideas=30, target_innovations=12,
        description="Siklus berikutnya untuk perangkat daerah dan kecamatan (One Agency One Innovation).",
    )
    program_set_units(actor=admin, program=sl_next, units=Unit.objects.filter(pemda=sl, kind__in=["kecamatan", "badan", "dinas", "setda_bagian"]))
    event_create(
        actor=admin, pemda=sl, program=sl_next, title="Drum-up dan Diagnose", stages=["drum_up", "diagnose"],
        starts_on=today + datetime.timedelta(days=21), ends_on=today + datetime.timedelta(days=23),
        venue="Ruang Kaloka, Gedung Setda Pemkot Salatiga", mode="hybrid", stream_url="https://www.youtube.com/",
        speakers="Coach LAN\nBagian Organisasi dan Kepegawaian Setda",
    )

    # --- Kabupaten Banjar: Laboratorium Inovasi 2017 (seed 003) ---
    bj = pemda_enable(actor=admin, region_code="63.03", head_name="H. Khalilurrahman", coordinating_unit="Bapelitbangda")
    pemda_update(actor=admin, pemda=bj, **{f: getattr(bj, f) for f in ("name", "head_title", "head_name", "coordinating_unit")},
                 sekda_name="H.M. Hilman", sekda_nip=SEKDA_NIP["63.03"], address="Martapura")
    units_generate_from_regions(actor=admin, pemda=bj)
    _add_units(admin, bj, data.BANJAR_OPD)
    bj_units = list(Unit.objects.filter(pemda=bj).exclude(kind="desa"))
    _heads(bj, bj_units, rng)
    bj_prog = program_create(
        actor=admin, pemda=bj, name="Laboratorium Inovasi Kabupaten Banjar 2017", year=2017, partner="lan",
        partner_name="Lembaga Administrasi Negara RI", mou_number="MoU Pemkab Banjar – LAN RI", mou_date=datetime.date(2017, 3, 16),
        starts_on=datetime.date(2017, 3, 16), ends_on=datetime.date(2019, 12, 31), target_ideas=268, target_innovations=104,
        description="268 ide inovasi tersaring menjadi 104 inovasi, diluncurkan 2018.",
    )
    program_set_units(actor=admin, program=bj_prog, units=bj_units)
    event_create(actor=admin, pemda=bj, program=bj_prog, title="Laboratorium Inovasi Kabupaten Banjar: Design dan Deliver",
                 stages=["design", "deliver_monitoring"], starts_on=datetime.date(2019, 9, 10), ends_on=datetime.date(2019, 9, 10),
                 venue="Mahligai Sultan Adam, Martapura", mode="luring",
                 speakers="Suripto (LAN)\nMarsono (LAN)\nAntun Nastri Sidik (LAN)\nTim Road Map Inovasi Kabupaten Banjar")
    _history(bj_prog, [("drum_up", datetime.date(2017, 4, 10)), ("diagnose", datetime.date(2017, 4, 11)),
                       ("design", datetime.date(2017, 7, 1)), ("deliver_monitoring", datetime.date(2017, 10, 1)),
                       ("deliver_launching", datetime.date(2018, 3, 1)), ("display", datetime.date(2018, 6, 1))], admin)
    say(f"  Kabupaten Banjar: {len(bj_units)} units\n")

    # --- Kota Cilegon: Executive Laboratorium Inovasi 2022, kepala OPD only (seed 001) ---
    cg = pemda_enable(actor=admin, region_code="36.72", head_name="Helldy Agustian", coordinating_unit="Bappedalitbang")
    cg_units = _add_units(admin, cg, data.CILEGON_OPD)
    cg_heads = _heads(cg, cg_units, rng)
    cg_prog = program_create(
        actor=admin, pemda=cg, name="Executive Laboratorium Inovasi 2022", year=2022, partner="lan",
        partner_name="Deputi Bidang Kajian dan Inovasi Administrasi Negara LAN", starts_on=datetime.date(2022, 11, 2),
        ends_on=datetime.date(2023, 3, 31), target_unit_kinds=["dinas", "badan", "inspektorat", "setwan"],
        description="Peserta kepala OPD (eselon II). Dasar: PP 38/2017 dan Instruksi Walikota Cilegon No. 1/2022. "
                    "Design dan Deliver direncanakan triwulan I 2023, launching Maret 2023.",
    )
    program_set_units(actor=admin, program=cg_prog, units=cg_units)
    exec_lab = event_create(
        actor=admin, pemda=cg, program=cg_prog, title="Executive Laboratorium Inovasi (Drum-up dan Diagnose)",
        stages=["drum_up", "diagnose"], starts_on=datetime.date(2022, 11, 2), ends_on=datetime.date(2022, 11, 4),
        venue="Hotel di Yogyakarta", mode="luring", speakers="Tri Widodo Wahyu Utomo (Deputi Bidang Kajian dan Inovasi LAN)",
    )
    # Three kepala OPD were represented by their sekretaris.
    reps = [Person(pemda=cg, name=_name(rng), jabatan=f"Sekretaris {u.name}", unit=u) for u in cg_units[:3]]
    Person.objects.bulk_create(reps)
    attendees = reps + cg_heads[3:]
    Attendance.objects.bulk_create([Attendance(event=exec_lab, person=p, unit_id=p.unit_id) for p in attendees])
    _history(cg_prog, [("drum_up", datetime.date(2022, 11, 2)), ("diagnose", datetime.date(2022, 11, 3))], admin)
    say(f"  Kota Cilegon: executive lab with {len(cg_units)} kepala OPD\n")

    # --- accounts ---
    pemda_by_code = {p.region_code: p for p in Pemda.objects.all()}
    for email, full_name, role, code, unit_name in ACCOUNTS[1:]:
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name)
        pemda = pemda_by_code.get(code) if code else None
        unit = Unit.objects.get(pemda=pemda, name=unit_name) if unit_name else None
        membership_grant(actor=admin, user=user, role=role, pemda=pemda, unit=unit)
    lan_coach = User.objects.get(email="coach@lan.demo")
    local_coach = User.objects.get(email="coach@salatiga.demo")
    participants = list(sl_prog.units.order_by("name"))
    program_assign_coach(actor=admin, program=sl_prog, coach=lan_coach, units=participants[:70])
    program_assign_coach(actor=admin, program=sl_prog, coach=local_coach, units=participants[70:])
    program_assign_coach(actor=admin, program=yk_prog, coach=lan_coach, units=list(yk_prog.units.all()))
    program_assign_coach(actor=admin, program=bj_prog, coach=lan_coach, units=list(bj_prog.units.all()))

    from labinov.ideas.models import Idea
    from labinov.innovations.models import Innovation
    from labinov.innovations.similarity import catalogue_index_rebuild

    from . import ideas_loader

    ideas_loader.load_yogyakarta(yk_prog, admin, rng, data.YOGYAKARTA_SEED_IDEAS)
    ideas_loader.load_salatiga(sl_prog, admin, rng)
    ideas_loader.load_cilegon(cg_prog, admin, rng)

    from labinov.innovations.models import ActionPlan

    from .plans_loader import load_plans

    load_plans(yk_prog, datetime.date(2015, 4, 1), ["approved"] * 87, ideas_loader._coaches(yk_prog), admin)
    from .deliver_loader import load_banjar_deliver, load_salatiga_deliver, load_yogyakarta_launch

    load_yogyakarta_launch(yk_prog, admin)
    # Salatiga: every plan approved in Design; 30 revised during Deliver (version 2 on its way through review):
    # every fourth innovation in unit order, the first 30 of them (every fifth gave only 28).
    load_plans(sl_prog, datetime.date(2019, 7, 1), ["approved"] * 140, ideas_loader._coaches(sl_prog), admin)
    revised = list(sl_prog.innovations.select_related("unit").order_by("unit__name", "pk"))[::4][:SALATIGA_REVISIONS]
    load_plans(sl_prog, datetime.date(2019, 7, 1), ["coach_approved"] * 12 + ["in_review"] * 10 + ["changes_requested"] * 5 + ["draft"] * 3,
               ideas_loader._coaches(sl_prog), admin, innovations=revised, version=2,
               reason="Hasil monitoring 28-30 Agustus 2019: jadwal uji coba disesuaikan.")
    lurah = User.objects.get(email="lurah@salatiga.demo")
    ActionPlan.objects.filter(innovation__program=sl_prog, innovation__unit=lurah.memberships.get().unit, status="approved").update(approved_by=lurah)
    load_salatiga_deliver(sl_prog, admin, rng)
    # Banjar 2017 (seed 003): 268 ideas → 104 innovations with approved plans, launched in 2018. Its own
    # random generator, so that adding it changed nothing in the other pemda's data.
    ideas_loader.load_banjar(bj_prog, admin, random.Random(2017))
    load_plans(bj_prog, datetime.date(2017, 9, 4), ["approved"] * bj_prog.target_innovations, ideas_loader._coaches(bj_prog), admin)
    load_banjar_deliver(bj_prog, admin)
    catalogue_index_rebuild()  # the launched innovations are in the catalogue now
    from labinov.catalog.services import catalogue_rebuild

    catalogue_rebuild()  # and in its public search (those published without a launching record too)
    for prog in (yk_prog, sl_prog, bj_prog, cg_prog):
        say(f"  {prog.name}: {Idea.objects.filter(program=prog).count()} ideas → {Innovation.objects.filter(program=prog).count()} innovations"
            f" → {ActionPlan.objects.filter(innovation__program=prog).count()} action plans\n")
    return {"pemda": Pemda.objects.count(), "units": Unit.objects.count(), "people": Person.objects.count(),
            "participations": Participation.objects.count()}
