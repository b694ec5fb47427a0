"""Program pages: once-only form posts, stage advance, history, and errors tied to their fields."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import gettext

from labinov.core.models import SubmissionToken
from labinov.core.stages import StageKey
from labinov.programs.models import Attendance, Program, StageTransition

NEW = "/pemda/3373/programs/new/"
ALREADY = "This form was already submitted; nothing was changed the second time."


def _program_data(token, **extra):
    data = {"name": "Lab Inovasi Sekolah 2021", "year": "2021", "partner": "lan", "starts_on": "2021-02-01",
            "ends_on": "2021-11-30", "submission_token": token}
    data.update(extra)
    return data


def _shown_messages(response) -> list[tuple[str, str]]:
    """(level, text) of the messages rendered on the page."""
    return [(level, unescape(text).strip()) for level, text in re.findall(r'<li class="msg-(\w+)"[^>]*>(.*?)</li>', response.content.decode(), re.S)]


def _in_id(text: str) -> str:
    """What the page shows in the default language (Indonesian), whether or not the catalogue is compiled."""
    with translation.override("id"):
        return gettext(text)


# --- once-only posts -----------------------------------------------------------------------------


def test_posting_the_same_program_form_twice_creates_one_program(world, login):
    client = login(world.users["organiser"])
    token = client.get(NEW).context["form"]["submission_token"].value()
    assert token

    first = client.post(NEW, _program_data(token))
    program = Program.objects.get(name="Lab Inovasi Sekolah 2021")
    assert first.status_code == 302 and first.url == f"/pemda/3373/programs/{program.pk}/"

    second = client.post(NEW, _program_data(token), follow=True)
    assert second.status_code == 200
    assert Program.objects.filter(pemda=world.own, name="Lab Inovasi Sekolah 2021").count() == 1
    assert ("info", _in_id(ALREADY)) in _shown_messages(second)


def test_a_post_with_a_form_error_does_not_burn_the_token(world, login):
    client = login(world.users["organiser"])
    token = "tok-dates-once"
    bad = client.post(NEW, _program_data(token, starts_on="2021-11-30", ends_on="2021-02-01"))
    assert bad.status_code == 200 and bad.context["form"].errors.get("ends_on")
    assert not Program.objects.filter(name="Lab Inovasi Sekolah 2021").exists()
    assert not SubmissionToken.objects.filter(token=token).exists()

    good = client.post(NEW, _program_data(token))
    assert good.status_code == 302
    assert Program.objects.filter(name="Lab Inovasi Sekolah 2021").count() == 1


def test_a_post_refused_by_the_service_does_not_burn_the_token(world, login):
    """The token is claimed in the same transaction as the write: a failed write rolls it back."""
    client = login(world.users["organiser"])
    token = "tok-name-once"
    bad = client.post(NEW, _program_data(token, name="lab inagara 2019"))  # the world's program, other case
    assert bad.status_code == 200 and bad.context["form"].errors.get("name")
    assert not SubmissionToken.objects.filter(token=token).exists()

    good = client.post(NEW, _program_data(token))
    assert good.status_code == 302
    assert Program.objects.filter(name="Lab Inovasi Sekolah 2021").count() == 1
    assert SubmissionToken.objects.filter(token=token).count() == 1


# --- advancing the stage -------------------------------------------------------------------------


def _advance(client, world, to_stage, token="", note=""):
    return client.post(f"/pemda/3373/programs/{world.program.pk}/advance/",
                       {"to_stage": to_stage, "note": note, "submission_token": token, "confirm": "on"}, follow=True)


def test_advance_moves_one_step_and_says_so(world, login):
    client = login(world.users["organiser"])
    response = _advance(client, world, "drum_up", token="adv-1")
    world.program.refresh_from_db()
    assert world.program.stage == "drum_up"
    assert response.redirect_chain[-1][0] == f"/pemda/3373/programs/{world.program.pk}/"
    with translation.override("id"):
        expected = gettext("The program is now in %(stage)s.") % {"stage": StageKey.DRUM_UP.label}
    assert _shown_messages(response) == [("success", expected)]


@pytest.mark.parametrize("tampered", ["diagnose", "closed", "planned", "nonsense", ""])
def test_advance_with_a_tampered_stage_shows_an_error_and_changes_nothing(world, login, tampered):
    client = login(world.users["organiser"])
    response = _advance(client, world, tampered)
    assert response.status_code == 200
    shown = _shown_messages(response)
    assert shown and {level for level, _text in shown} == {"error"}
    if tampered == "diagnose":
        with translation.override("id"):
            assert str(StageKey.DIAGNOSE.label) in shown[0][1] and str(StageKey.DRUM_UP.label) in shown[0][1]
    world.program.refresh_from_db()
    assert world.program.stage == "planned"
    assert not StageTransition.objects.exists()


def test_posting_the_advance_form_twice_moves_only_once(world, login):
    client = login(world.users["organiser"])
    _advance(client, world, "drum_up", token="adv-twice")
    _advance(client, world, "drum_up", token="adv-twice")
    world.program.refresh_from_db()
    assert world.program.stage == "drum_up"
    assert StageTransition.objects.filter(program=world.program).count() == 1


def test_advance_is_not_for_a_coach(world, login):
    client = login(world.users["coach"])
    response = client.post(f"/pemda/3373/programs/{world.program.pk}/advance/", {"to_stage": "drum_up"})
    assert response.status_code == 403
    world.program.refresh_from_db()
    assert world.program.stage == "planned"


def test_program_detail_lists_the_stage_history(world, login):
    client = login(world.users["organiser"])
    empty = client.get(f"/pemda/3373/programs/{world.program.pk}/")
    assert list(empty.context["transitions"]) == []
    _advance(client, world, "drum_up", token="h1", note="Dibuka oleh Walikota Salatiga")
    _advance(client, world, "diagnose", token="h2", note="Klinik diagnosa")
    page = client.get(f"/pemda/3373/programs/{world.program.pk}/")
    html = page.content.decode()
    history = [(t.from_stage, t.to_stage) for t in page.context["transitions"]]
    assert history == [("planned", "drum_up"), ("drum_up", "diagnose")]
    assert "Dibuka oleh Walikota Salatiga" in html and "Klinik diagnosa" in html
    with translation.override("id"):
        diagnose, drum_up = str(StageKey.DIAGNOSE.label), str(StageKey.DRUM_UP.label)
    assert f"{drum_up} → <strong>{diagnose}</strong>" in html
    assert world.users["organiser"].full_name in html
    assert html.index("Dibuka oleh") < html.index("Klinik diagnosa")  # oldest first


# --- errors tied to their fields (Django 6.1 renders aria-invalid and aria-describedby) -----------


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.inputs: dict[str, dict] = {}
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": ""}
        if "id" in el["attrs"]:
            assert el["attrs"]["id"] not in self.by_id, f"duplicate id {el['attrs']['id']}"
            self.by_id[el["attrs"]["id"]] = el
        if tag in ("input", "select", "textarea") and "name" in el["attrs"]:
            self.inputs[el["attrs"]["name"]] = el
        if tag not in ("input", "br", "meta", "link", "img"):
            self._open.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for el in self._open:
            el["text"] += data


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def test_date_error_is_tied_to_the_input(world, login):
    client = login(world.users["organiser"])
    response = client.post(NEW, _program_data("aria-1", starts_on="2021-11-30", ends_on="2021-02-01"))
    assert response.status_code == 200
    page = _parse(response.content.decode())
    ends_on = page.inputs["ends_on"]["attrs"]
    assert ends_on.get("aria-invalid") == "true"
    described = ends_on.get("aria-describedby", "").split()
    assert described == ["id_ends_on_error"]
    with translation.override("id"):
        expected = gettext("The end date must not be before the start date.")
    assert page.by_id["id_ends_on_error"]["text"].strip() == expected
    # The valid field next to it is not marked.
    assert "aria-invalid" not in page.inputs["starts_on"]["attrs"]
    assert "aria-describedby" not in page.inputs["starts_on"]["attrs"]


def test_service_error_is_tied_to_the_input_next_to_its_help_text(world, login):
    client = login(world.users["organiser"])
    response = client.post(NEW, _program_data("aria-2", name="LAB INAGARA 2019"))
    page = _parse(response.content.decode())
    name = page.inputs["name"]["attrs"]
    assert name.get("aria-invalid") == "true"
    described = name["aria-describedby"].split()
    assert described == ["id_name_helptext", "id_name_error"]
    for ref in described:
        assert ref in page.by_id, ref
    assert "LAB INAGARA 2019" in page.by_id["id_name_error"]["text"]
    assert page.by_id["form-errors"]["attrs"].get("role") == "alert"


def test_required_field_error_is_tied_to_the_input(world, login):
    client = login(world.users["organiser"])
    response = client.post(NEW, _program_data("aria-3", year=""))
    page = _parse(response.content.decode())
    year = page.inputs["year"]["attrs"]
    assert year.get("aria-invalid") == "true"
    assert year.get("aria-describedby") == "id_year_error"
    assert page.by_id["id_year_error"]["text"].strip()


# --- attendance page -----------------------------------------------------------------------------


def test_attendance_page_records_and_a_second_save_changes_nothing(world, login):
    client = login(world.users["organiser"])
    url = f"/pemda/3373/events/{world.event.pk}/attendance/"
    assert client.get(url).status_code == 200
    first = client.post(url, {"person": [str(world.person.pk)], "submission_token": "att-1"})
    assert first.status_code == 302
    second = client.post(url, {"person": [str(world.person.pk)], "submission_token": "att-2"})
    assert second.status_code == 302
    assert Attendance.objects.filter(event=world.event).count() == 1


def test_attendance_page_with_a_person_posted_twice_does_not_crash(world, login):
    client = login(world.users["organiser"])
    url = f"/pemda/3373/events/{world.event.pk}/attendance/"
    response = client.post(url, {"person": [str(world.person.pk), str(world.person.pk)], "submission_token": "att-dup"})
    assert response.status_code in (200, 302)
    assert Attendance.objects.filter(event=world.event).count() <= 1
