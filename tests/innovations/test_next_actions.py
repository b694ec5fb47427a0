"""A unit member's innovations with the next action on each, on the home page and the program page
(issue 9.6), and the upcoming events each user sees (issue 9.19)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from labinov.core.roles import Role
from labinov.innovations.models import Innovation
from labinov.innovations.next_actions import unit_innovations
from tests.delivery.conftest import make_plan


@pytest.fixture
def design_world(world):
    from labinov.ideas.models import Screening

    world.program.stage = "design"
    world.program.save(update_fields=["stage"])
    world.screening = Screening.objects.create(program=world.program, published_at=timezone.now())
    common = dict(pemda=world.own, program=world.program, form="pelayanan_publik", urusan=["adminduk"])
    world.inno = Innovation.objects.create(unit=world.kel, name="Surat pengantar online", **common)
    world.sd_inno = Innovation.objects.create(unit=world.sd, name="Perpustakaan keliling kelas", **common)
    return world


def _actions(user, **kw):
    return {a.innovation.name: a for a in unit_innovations(actor=user, **kw)}


def test_each_plan_status_gives_its_next_action_and_link(design_world):
    w = design_world
    innovator, head = w.users["innovator"], w.users["unit_head"]
    slug = w.own.slug
    got = _actions(innovator)
    assert set(got) == {"Surat pengantar online"}  # not the SD school's innovation
    assert (got["Surat pengantar online"].text, got["Surat pengantar online"].url) == (
        "Write the action plan", reverse("innovation_detail", args=[slug, w.inno.pk]))

    plan = make_plan(w.inno, status="changes_requested")
    a = _actions(innovator)["Surat pengantar online"]
    assert a.text.startswith("Fix the action plan") and a.mine
    assert a.url == reverse("plan_edit", args=[slug, w.inno.pk, plan.version])

    for status, text_innovator, text_head in [
        ("draft", "Finish the action plan and send it for review", "Finish the action plan and send it for review"),
        ("in_review", "Waiting for the coach's review", "Waiting for the coach's review"),
        ("coach_approved", "Waiting for the unit head's approval", "Approve the action plan as unit head"),
        ("approved", "Action plan approved", "Action plan approved"),
    ]:
        plan.status = status
        plan.save(update_fields=["status"])
        assert _actions(innovator)["Surat pengantar online"].text == text_innovator, status
        assert _actions(head)["Surat pengantar online"].text == text_head, status


def test_during_monitoring_an_approved_plan_asks_for_a_progress_report(design_world):
    w = design_world
    make_plan(w.inno, status="approved")
    w.program.stage = "deliver_monitoring"
    w.program.save(update_fields=["stage"])
    a = _actions(w.users["innovator"])["Surat pengantar online"]
    assert a.text == "Report progress on the milestones"
    assert a.url == reverse("monitoring_detail", args=[w.own.slug, w.inno.pk])


def test_at_the_launching_the_unit_head_is_asked_to_sign_the_commitment(design_world):
    from labinov.delivery.models import Commitment

    w = design_world
    make_plan(w.inno, status="approved")
    w.program.stage = "deliver_launching"
    w.program.save(update_fields=["stage"])
    c = Commitment.objects.create(pemda=w.own, program=w.program, unit=w.kel, sequence=1, number="050/1/KLC/2019")
    a = _actions(w.users["unit_head"])["Surat pengantar online"]
    assert a.text == "Sign the commitment document"
    assert a.url == reverse("commitment_detail", args=[w.own.slug, w.program.pk, c.pk])
    assert _actions(w.users["innovator"])["Surat pengantar online"].text != "Sign the commitment document"


def test_nothing_is_listed_before_the_decisions_are_published(design_world):
    design_world.screening.published_at = None
    design_world.screening.save()
    assert unit_innovations(actor=design_world.users["innovator"]) == []


def test_roles_without_a_unit_get_no_list(design_world):
    for role in ("organiser", "coach", "leader", "national_admin"):
        assert unit_innovations(actor=design_world.users[role]) == []


def test_the_home_page_and_the_program_page_link_straight_to_the_plan(design_world, client):
    w = design_world
    plan = make_plan(w.inno, status="changes_requested")
    client.force_login(w.users["innovator"])
    edit = reverse("plan_edit", args=[w.own.slug, w.inno.pk, plan.version])
    home = client.get("/").content.decode()
    assert 'id="my-innovations"' in home and f'href="{edit}"' in home and "Perbaiki rencana aksi" in home
    program = client.get(reverse("program_detail", args=[w.own.slug, w.program.pk])).content.decode()
    assert f'href="{edit}"' in program
    client.force_login(w.users["organiser"])
    assert 'id="my-innovations"' not in client.get(reverse("program_detail", args=[w.own.slug, w.program.pk])).content.decode()


@pytest.mark.parametrize("url", ["home", "program"])
def test_query_count_does_not_grow_with_innovations(design_world, client, url):
    w = design_world
    client.force_login(w.users["innovator"])
    target = "/" if url == "home" else reverse("program_detail", args=[w.own.slug, w.program.pk])
    statuses = ["draft", "in_review", "changes_requested", "coach_approved", "approved"]

    def add(start, stop):
        for i in range(start, stop):
            inno = Innovation.objects.create(pemda=w.own, program=w.program, unit=w.kel, name=f"Inovasi Uji {i:02d}",
                                             form="pelayanan_publik")
            if i % 6:
                make_plan(inno, status=statuses[i % 5])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(target).content.decode()
        return len(ctx.captured_queries), body

    add(0, 5)
    client.get(target)
    small, body = count()
    assert "Inovasi Uji 04" in body
    add(5, 40)
    large, body = count()
    assert "Inovasi Uji 39" in body
    assert large == small


# --- upcoming events (issue 9.19) -----------------------------------------------------------------


@pytest.fixture
def events_world(world, make_user):
    from labinov.programs.models import Event, Participation, Program

    w = world
    soon = timezone.localdate() + datetime.timedelta(days=10)
    w.program.stage = "drum_up"
    w.program.save(update_fields=["stage"])
    # Lab INAGARA 2027: only the kelurahan takes part
    w.future = Program.objects.create(pemda=w.own, name="Lab INAGARA 2027", year=2027, stage="planned")
    Participation.objects.create(program=w.future, unit=w.kel)
    w.future_event = Event.objects.create(pemda=w.own, program=w.future, title="Drum-up 2027", stages=["drum_up"],
                                          starts_on=soon, ends_on=soon)
    w.shared_event = Event.objects.create(pemda=w.own, program=w.program, title="Klinik Diagnose", stages=["diagnose"],
                                          starts_on=soon, ends_on=soon)
    w.training = Event.objects.create(pemda=w.own, kind="training", title="Diklat Inovasi", starts_on=soon, ends_on=soon)
    w.other_future = Event.objects.create(pemda=w.other, program=w.other_program, title="Executive Lab 2027", stages=["drum_up"],
                                          starts_on=soon, ends_on=soon)
    w.sd_innovator = make_user("guru@sd01.test", Role.INNOVATOR, w.own, w.sd)
    return w


def _events(client, user):
    client.force_login(user)
    return {e.title for e in client.get("/").context["events"]}


def test_each_user_sees_the_events_of_the_programs_they_take_part_in(events_world, client):
    w = events_world
    everything = {"Drum-up 2027", "Klinik Diagnose", "Diklat Inovasi"}
    for role in ("organiser", "coach", "verifier", "leader"):
        assert _events(client, w.users[role]) == everything, role
    assert _events(client, w.users["innovator"]) == everything  # the kelurahan is in both programs
    assert _events(client, w.sd_innovator) == {"Klinik Diagnose", "Diklat Inovasi"}  # not in Lab INAGARA 2027
    assert _events(client, w.users["other_organiser"]) == {"Executive Lab 2027"}
    # national roles: what they are assigned to (the national coach coaches the kelurahan in the 2019 program)
    assert _events(client, w.users["national_coach"]) == {"Klinik Diagnose"}
    assert _events(client, w.users["national_admin"]) == set()
    assert _events(client, w.users["no_role"]) == set()


def test_a_unit_member_sees_only_the_programs_of_their_unit_and_their_steps(events_world, client):
    w = events_world
    client.force_login(w.sd_innovator)
    context = client.get("/").context
    assert {p.name for p in context["programs"]} == {"Lab INAGARA 2019"}
    client.force_login(w.users["innovator"])
    assert {p.name for p in client.get("/").context["programs"]} == {"Lab INAGARA 2019", "Lab INAGARA 2027"}
