"""Shared fixtures: two pemda, one account per role in the first, an organiser in the second."""

from __future__ import annotations

import datetime

import pytest

from labinov.core.roles import Role

PASSWORD = "Rahasia-Tes-2026"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Indonesian is the default language; tests that want English switch explicitly.
    settings.LANGUAGE_CODE = "id"
    # A fast hasher: the suite creates hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, inside the test.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Indexes and uploads of a test go to its own folder, never to the developer's ./var.
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "files"
    # No sentence encoder unless a test asks for one (tests/ideas/test_duplicates.py): embedding every
    # idea the fixtures write would slow the suite; the TF-IDF fallback is what most tests exercise.
    settings.LABINOV_ENCODER = "none"


@pytest.fixture
def make_user(db):
    from labinov.people.models import User
    from labinov.people.services import membership_grant

    def make(email, role=None, pemda=None, unit=None, full_name=None):
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name or email.split("@")[0].title())
        if role:
            membership_grant(actor=None, user=user, role=role, pemda=pemda, unit=unit)
        return user

    return make


@pytest.fixture
def world(db, make_user):
    """Kota Salatiga (own) and Kota Cilegon (other), each with units, a person and a program."""
    from labinov.people.models import Person
    from labinov.programs.models import CoachAssignment, Event, Participation, Program
    from labinov.regions.models import Pemda, Unit

    own = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota", head_name="Yuliyanto")
    other = Pemda.objects.create(region_code="36.72", name="Kota Cilegon", head_title="Walikota")
    kel = Unit.objects.create(pemda=own, name="Kelurahan Kalicacing", kind="kelurahan")
    sd = Unit.objects.create(pemda=own, name="SD Negeri Salatiga 01", kind="sd", ownership="negeri")
    other_unit = Unit.objects.create(pemda=other, name="Dinas Kesehatan", kind="dinas")
    program = Program.objects.create(pemda=own, name="Lab INAGARA 2019", year=2019, stage="planned",
                                     starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 12, 31))
    other_program = Program.objects.create(pemda=other, name="Executive Lab 2022", year=2022, stage="planned")
    Participation.objects.create(program=program, unit=kel)
    Participation.objects.create(program=program, unit=sd)
    person = Person.objects.create(pemda=own, name="Sri Lestari", nip="198010242006042009", unit=kel)
    other_person = Person.objects.create(pemda=other, name="Agus Santoso", unit=other_unit)
    event = Event.objects.create(pemda=own, program=program, title="Drum-up dan Diagnose", stages=["drum_up", "diagnose"],
                                 starts_on=datetime.date(2019, 3, 13), ends_on=datetime.date(2019, 3, 15))
    other_event = Event.objects.create(pemda=other, program=other_program, title="Executive Lab", stages=["drum_up"],
                                       starts_on=datetime.date(2022, 11, 2), ends_on=datetime.date(2022, 11, 4))
    users = {
        "national_admin": make_user("admin@lan.test", Role.NATIONAL_ADMIN),
        "national_coach": make_user("coach@lan.test", Role.NATIONAL_COACH),
        "organiser": make_user("organiser@salatiga.test", Role.ORGANISER, own),
        "coach": make_user("coach@salatiga.test", Role.COACH, own),
        "unit_head": make_user("lurah@salatiga.test", Role.UNIT_HEAD, own, kel),
        "innovator": make_user("inovator@salatiga.test", Role.INNOVATOR, own, kel),
        "verifier": make_user("verifikator@salatiga.test", Role.VERIFIER, own),
        "leader": make_user("sekda@salatiga.test", Role.LEADER, own),
        "other_organiser": make_user("organiser@cilegon.test", Role.ORGANISER, other),
        "no_role": make_user("nobody@example.test"),
    }
    CoachAssignment.objects.create(program=program, unit=kel, coach=users["national_coach"])
    return type("World", (), dict(
        own=own, other=other, kel=kel, sd=sd, other_unit=other_unit, program=program, other_program=other_program,
        person=person, other_person=other_person, event=event, other_event=other_event, users=users,
    ))


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def ideas_world(world):
    """The world with the own program in Diagnose and ideas of both pemda.

    world.idea: submitted idea of Kelurahan Kalicacing (the unit of the unit head and innovator);
    world.draft: a draft of the same unit; world.sd_idea: submitted idea of SD Negeri Salatiga 01;
    world.other_idea: a submitted idea in Kota Cilegon's program.
    """
    from labinov.ideas.models import Idea
    from labinov.programs.models import Participation

    world.program.stage = "diagnose"
    world.program.save(update_fields=["stage"])
    world.other_program.stage = "diagnose"
    world.other_program.save(update_fields=["stage"])
    Participation.objects.get_or_create(program=world.other_program, unit=world.other_unit)
    common = dict(form="pelayanan_publik", initiator="perangkat_daerah")
    world.idea = Idea.objects.create(
        pemda=world.own, program=world.program, unit=world.kel, status="submitted", title="Layanan surat pengantar online",
        problem="Warga antre lama untuk surat pengantar", proposed_change="Surat pengantar diajukan lewat WhatsApp",
        search_text="layan surat antar online warga antre lama", **common)
    world.draft = Idea.objects.create(
        pemda=world.own, program=world.program, unit=world.kel, status="draft", title="Posyandu digital",
        problem="Data balita tercatat manual", proposed_change="Pencatatan posyandu dengan aplikasi", **common)
    world.sd_idea = Idea.objects.create(
        pemda=world.own, program=world.program, unit=world.sd, status="submitted", title="Perpustakaan keliling kelas",
        problem="Minat baca siswa rendah", proposed_change="Rak buku bergilir antar kelas", **common)
    world.other_idea = Idea.objects.create(
        pemda=world.other, program=world.other_program, unit=world.other_unit, status="submitted", title="Antrean puskesmas daring",
        problem="Antrean panjang", proposed_change="Nomor antrean lewat aplikasi", **common)
    return world
