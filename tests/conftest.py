"""Shared fixtures: two pemda, one account per role in the first, an organiser in the second."""

from __future__ import annotations

import datetime

import pytest

from labinov.core.roles import Role

PASSWORD = "Rahasia-Tes-2026"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Indonesian is the default language; tests that want English switch explicitly.
    settings.LANGUAGE_CODE = "id"
    # A fast hasher: the suite creates hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
