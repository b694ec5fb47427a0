"""Design pages: the innovation and its profile, the action plan, the review loop, versions and their differences."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from labinov.core.models import AuditRecord
from labinov.ideas.models import Idea, Screening
from labinov.innovations import plans
from labinov.innovations.models import ActionPlan, Innovation, InnovationProfile, Milestone, PlanComment, PlanStatus, TeamMember

D = datetime.date
ALREADY = "This form was already submitted; nothing was changed the second time."
def _real_pdf() -> bytes:
    """A one-page PDF: the decree goes through the same content check as every upload (it must open)."""
    import io

    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(595, 842)
    writer.write(out)
    return out.getvalue()


PDF = _real_pdf()


@pytest.fixture
def design(world):
    """The world's program in Design, its screening published, one innovation of Kelurahan Kalicacing born from an idea."""
    w = world
    w.program.stage = "design"
    w.program.save(update_fields=["stage"])
    Screening.objects.create(program=w.program, published_at=timezone.now())
    w.innovation = Innovation.objects.create(pemda=w.own, program=w.program, unit=w.kel, name="Surat pengantar online",
                                             urusan=["adminduk"], form="pelayanan_publik")
    w.idea = Idea.objects.create(pemda=w.own, program=w.program, unit=w.kel, status="selected", title="Layanan surat pengantar online",
                                 problem="Warga antre lama", proposed_change="Surat lewat WhatsApp", form="pelayanan_publik",
                                 innovation=w.innovation)
    return w


@pytest.fixture
def en(db):
    """A new client per user, logged in, reading the pages in English (the msgids)."""

    def do(user):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return do


def _url(name, w, **kw):
    return reverse(name, kwargs={"pemda": w.own.slug, "innovation": w.innovation.pk, **kw})


def _html(response) -> str:
    return unescape(response.content.decode())


def _messages(response) -> list[tuple[str, str]]:
    return [(level, unescape(text).strip())
            for level, text in re.findall(r'<li class="msg-(\w+)"[^>]*>(.*?)</li>', response.content.decode(), re.S)]


def _token(client, url, form="form") -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    token = response.context[form]["submission_token"].value()
    assert token
    return token


def _rows(part: str, rows: list[dict], extra: int = 2) -> dict:
    data = {part: str(len(rows) + extra)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            if isinstance(value, bool):
                if value:
                    data[f"{part}-{i}-{key}"] = "on"
            else:
                data[f"{part}-{i}-{key}"] = value.isoformat() if isinstance(value, D) else value
    return data


MILESTONES = [
    {"activity": "Sosialisasi ke RT", "starts_on": D(2019, 7, 1), "ends_on": D(2019, 7, 15), "pic": "Lurah", "output": "Berita acara",
     "budget_source": "APBD", "quick_win": True},
    {"activity": "Uji coba layanan WhatsApp", "starts_on": D(2019, 7, 16), "ends_on": D(2019, 8, 31), "pic": "Sekretaris"},
]


def _plan_data(token="", objective="Surat pengantar selesai dalam satu hari", milestones=None, **extra) -> dict:
    data = {"submission_token": token, "objective": objective}
    data.update(_rows("indicators", [{"name": "Waktu layanan", "unit_of_measure": "hari", "baseline": "3", "target": "1"}]))
    data.update(_rows("milestones", MILESTONES if milestones is None else milestones))
    data.update(_rows("risks", [{"risk": "Warga belum terbiasa", "mitigation": "Pendampingan oleh RT"}]))
    data.update(_rows("stakeholders", [{"name": "Ketua RT/RW", "contribution": "Sosialisasi"}]))
    data.update(extra)
    return data


def _plan_state(plan):
    plan.refresh_from_db()
    return (plan.status, plan.objective, plans.plan_as_dict(plan),
            AuditRecord.objects.filter(action__startswith="plan.").count())


def _written_plan(w, client=None):
    """Version 1 written through the pages by the innovator."""
    client = client or _client(w, "innovator")
    response = client.post(_url("plan_start", w), {"submission_token": "start-1"})
    plan = ActionPlan.objects.get(innovation=w.innovation, version=1)
    assert response.status_code == 302 and response["Location"] == _url("plan_edit", w, version=1)
    token = _token(client, _url("plan_edit", w, version=1))
    assert client.post(_url("plan_edit", w, version=1), _plan_data(token)).status_code == 302
    plan.refresh_from_db()
    return plan


def _client(w, role):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(w.users[role])
    return client


def _press(client, w, name, plan, form):
    """Presses a button of the plan page: posts the form's fields as the page renders them (with its once-only token)."""
    page = client.get(_url("plan_detail", w, version=plan.version))
    bound = page.context[form]
    data = {f.html_name: f.value() for f in bound if f.value() not in (None, "")}
    kwargs = {} if name == "plan_new_version" else {"version": plan.version}
    return client.post(_url(name, w, **kwargs), data, follow=True)


# --- the innovation page and the profile ---------------------------------------------------------


def test_the_innovation_page_shows_provenance_profile_checklist_and_no_plan_yet(design, en):
    w = design
    response = en(w.users["innovator"]).get(_url("innovation_detail", w))
    html = _html(response)
    assert response.status_code == 200
    assert "Surat pengantar online" in html and "Kelurahan Kalicacing" in html and "Lab INAGARA 2019" in html
    idea_url = reverse("idea_detail", kwargs={"pemda": w.own.slug, "program": w.program.pk, "idea": w.idea.pk})
    assert f'href="{idea_url}"' in html
    assert "The design description has 0 words; IID asks for at least 300." in html
    assert 'id="plan-start-form"' in html and 'id="profile-edit-link"' in html
    assert not InnovationProfile.objects.exists(), "reading the page writes nothing"


def test_the_innovator_edits_the_profile_and_the_checklist_updates(design, en):
    w = design
    client = en(w.users["innovator"])
    url = _url("profile_edit", w)
    page = client.get(url)
    html = _html(page)
    assert "IID asks for at least 300 words." in html and 'id="design-word-count"' in html
    assert 'type="date"' in html and 'name="sdgs"' in html and "16. Perdamaian, Keadilan dan Kelembagaan yang Tangguh" in html
    token = page.context["form"]["submission_token"].value()
    text = " ".join(["kata"] * 150)
    data = {
        "submission_token": token, "urusan_primary": "adminduk", "iid_stage": "uji_coba", "trial_date": "2019-08-01",
        "implementation_date": "", "problem": text, "how_it_works": text, "goals": "Layanan cepat", "benefits": "Warga hemat waktu",
        "results": "Surat selesai sehari", "budget": "150000000", "budget_note": "APBD 2019", "sdgs": ["11", "16"],
        "decree_type": "sk_kpd", "decree_number": "800/12/2019", "decree_date": "2019-06-01",
        "decree_file": SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf"),
        "contact_name": "Sri Lestari", "contact_nip": "19801024 200604 2 009", "contact_position": "Lurah",
        "contact_phone": "081234567890",
        **_rows("team", [{"role": "manager", "name": "Sri Lestari", "organisation": "Kelurahan Kalicacing", "pentahelix": "pemerintah"},
                         {"role": "actor", "name": "Karang Taruna", "organisation": "", "pentahelix": "komunitas"}]),
    }
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == _url("innovation_detail", w)
    assert ("success", "The profile was saved. The design description has 300 words.") in _messages(response)
    html = _html(response)
    assert "The design description has 300 words; IID asks for at least 300." in html
    assert re.search(r'<li class="done">.*Design description of at least 300 words', html)
    assert not re.search(r'<li class="missing">', html), "every item of the checklist is done"
    assert "Rp 150,000,000" in html and "11. Kota dan Permukiman yang Berkelanjutan" in html and "Karang Taruna" in html
    profile = InnovationProfile.objects.get(innovation=w.innovation)
    assert (profile.sdgs, profile.contact_nip, profile.budget, profile.trial_date) == (
        [11, 16], "198010242006042009", 150000000, D(2019, 8, 1))
    assert list(TeamMember.objects.filter(innovation=w.innovation).values_list("name", "role")) == [
        ("Karang Taruna", "actor"), ("Sri Lestari", "manager")]
    decree = client.get(reverse("profile_decree", kwargs={"pemda": w.own.slug, "innovation": w.innovation.pk}))
    assert decree.status_code == 200 and decree["Content-Type"] == "application/pdf"
    assert b"".join(decree.streaming_content).startswith(b"%PDF")
    # the form shows the saved team, with empty rows to add
    again = client.get(url)
    assert again.context["form"]["team-1-name"].value() == "Sri Lestari" and "team-4-name" in again.context["form"].fields


@pytest.mark.parametrize("extra,field,message", [
    ({"sdgs": ["18"]}, "sdgs", None),
    ({"contact_nip": "123"}, "contact_nip", None),
    ({"trial_date": "2019-09-01", "implementation_date": "2019-08-01"}, "implementation_date",
     "Implementation cannot start before the trial."),
    ({"budget": "-5"}, "budget", None),
    ({"decree_file": "not a pdf"}, "decree_file", "The decree must be a PDF file of at most 10 MB."),
    ({**_rows("team", [{"role": "", "name": "Tanpa peran", "organisation": "", "pentahelix": "pemerintah"}])}, "team",
     "Team member 1 needs a name and a role."),
])
def test_bad_profile_input_shows_errors_and_changes_nothing(design, en, extra, field, message):
    w = design
    client = en(w.users["innovator"])
    url = _url("profile_edit", w)
    token = _token(client, url)
    if extra.get("decree_file") == "not a pdf":
        extra = {"decree_file": SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")}
    data = {"submission_token": token, "iid_stage": "inisiatif", "problem": "Masalah baru", "team": "0", **extra}
    audits = AuditRecord.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    if message:
        assert message in _html(response)
    assert 'id="form-errors"' in _html(response)
    assert not InnovationProfile.objects.exists() and not TeamMember.objects.exists()
    assert AuditRecord.objects.count() == audits
    # the token was not used up: the corrected form goes through
    fixed = {k: v for k, v in data.items() if k != field and not k.startswith("team-")}
    assert client.post(url, {**fixed, "team": "0"}).status_code == 302
    assert InnovationProfile.objects.get().problem == "Masalah baru"


def test_no_decree_no_file(design, en):
    w = design
    url = reverse("profile_decree", kwargs={"pemda": w.own.slug, "innovation": w.innovation.pk})
    assert en(w.users["innovator"]).get(url).status_code == 404
    InnovationProfile.objects.create(innovation=w.innovation, decree_file="decrees/missing.pdf")
    assert en(w.users["innovator"]).get(url).status_code == 404


def test_who_may_edit_the_profile(design, en):
    w = design
    assert en(w.users["coach"]).get(_url("profile_edit", w)).status_code == 403
    assert 'id="profile-edit-link"' not in _html(en(w.users["coach"]).get(_url("innovation_detail", w)))
    assert en(w.users["unit_head"]).get(_url("profile_edit", w)).status_code == 200
    w.program.stage = "deliver_monitoring"
    w.program.save(update_fields=["stage"])
    assert en(w.users["innovator"]).get(_url("profile_edit", w)).status_code == 403


# --- writing the plan ------------------------------------------------------------------------------


def test_the_innovator_writes_the_plan(design, en):
    w = design
    client = en(w.users["innovator"])
    plan = _written_plan(w, client)
    plan.refresh_from_db()
    assert plan.objective == "Surat pengantar selesai dalam satu hari" and plan.status == PlanStatus.DRAFT
    assert list(plan.milestones.values_list("activity", "quick_win", "pic")) == [
        ("Sosialisasi ke RT", True, "Lurah"), ("Uji coba layanan WhatsApp", False, "Sekretaris")]
    assert plan.indicators.count() == plan.risks.count() == plan.stakeholders.count() == 1
    # the edit page shows what is saved, plus empty rows for adding
    form = client.get(_url("plan_edit", w, version=1)).context["form"]
    assert form["milestones-1-activity"].value() == "Uji coba layanan WhatsApp"
    assert form["milestones-0-starts_on"].value() == D(2019, 7, 1)
    assert "milestones-4-activity" in form.fields
    html = _html(client.get(_url("innovation_detail", w)))
    assert "Sosialisasi ke RT" in html and "quick-win-mark" in html and "Waktu layanan" in html
    assert 'id="plan-submit-form"' in html and 'id="plan-edit-link"' in html
    # removing a row: emptying it
    token = _token(client, _url("plan_edit", w, version=1))
    data = _plan_data(token)
    for key in [k for k in data if k.startswith("milestones-1-")]:
        data[key] = ""
    response = client.post(_url("plan_edit", w, version=1), {**data, "action": "continue"})
    assert response["Location"] == _url("plan_edit", w, version=1), "save and continue editing"
    assert plan.milestones.count() == 1


@pytest.mark.parametrize("milestones,message", [
    ([{"activity": "Mundur", "starts_on": D(2019, 8, 1), "ends_on": D(2019, 7, 1), "pic": "Lurah"}], "Milestone 1 ends before it starts."),
    ([{"activity": "Tahun depan", "starts_on": D(2020, 2, 1), "ends_on": D(2020, 3, 1), "pic": "Lurah"}],
     "Milestone 1 lies outside the program period"),
    ([{"activity": "Tanpa PJ", "starts_on": D(2019, 7, 1), "ends_on": D(2019, 7, 2), "pic": ""}], "Milestone 1 has no person in charge."),
    ([{"activity": "Tanpa tanggal", "starts_on": "", "ends_on": D(2019, 7, 2), "pic": "Lurah"}],
     "Milestone 1 needs a start and an end date."),
    ([{"activity": "Tanggal salah", "starts_on": "31/02/2019", "ends_on": D(2019, 7, 2), "pic": "Lurah"}], None),
])
def test_bad_plan_input_shows_errors_at_the_top_and_in_the_section_and_changes_nothing(design, en, milestones, message):
    w = design
    client = en(w.users["innovator"])
    plan = _written_plan(w, client)
    before = _plan_state(plan)
    url = _url("plan_edit", w, version=1)
    token = _token(client, url)
    response = client.post(url, _plan_data(token, objective="Diubah", milestones=milestones))
    assert response.status_code == 200
    html = _html(response)
    assert 'id="form-errors"' in html
    if message:
        assert message in html.split('id="rows-milestones"')[0], "listed at the top"
        assert message in html.split('id="rows-milestones"')[1], "and in the milestones section"
    else:
        assert response.context["form"]["milestones-0-starts_on"].errors
    assert _plan_state(plan) == before
    # the token is still good: the corrected plan is saved
    assert client.post(url, _plan_data(token, objective="Diubah")).status_code == 302
    plan.refresh_from_db()
    assert plan.objective == "Diubah"


def test_the_organiser_allows_milestones_outside_the_program_period(design, en):
    w = design
    plan = _written_plan(w)
    innovator = en(w.users["innovator"])
    assert 'id="plan-allow-outside-form"' not in _html(innovator.get(_url("plan_detail", w, version=1)))
    assert innovator.post(_url("plan_allow_outside", w, version=1), {"allow": "1"}).status_code == 403
    organiser = en(w.users["organiser"])
    response = _press(organiser, w, "plan_allow_outside", plan, "allow_form")
    assert ("success", "Milestones of this plan may now lie outside the program period.") in _messages(response)
    plan.refresh_from_db()
    assert plan.allow_outside_period
    outside = [{"activity": "Evaluasi", "starts_on": D(2020, 1, 6), "ends_on": D(2020, 1, 31), "pic": "Lurah"}]
    token = _token(innovator, _url("plan_edit", w, version=1))
    assert innovator.post(_url("plan_edit", w, version=1), _plan_data(token, milestones=outside)).status_code == 302
    assert plan.milestones.get().starts_on == D(2020, 1, 6)
    assert AuditRecord.objects.filter(action="plan.allow_outside_period").count() == 1


def test_an_empty_plan_sent_for_review_gets_a_message_and_stays_a_draft(design, en):
    w = design
    client = en(w.users["innovator"])
    response = client.post(_url("plan_start", w), follow=True)
    assert response.redirect_chain[-1][0] == _url("plan_edit", w, version=1)
    plan = ActionPlan.objects.get(innovation=w.innovation)
    before = _plan_state(plan)
    response = _press(client, w, "plan_submit", plan, "submit_form")
    assert ("error", "The plan cannot be sent for review yet: it needs an objective, at least one performance indicator, "
                     "at least one milestone.") in _messages(response)
    assert _plan_state(plan) == before


def test_a_plan_is_started_once_and_only_in_design(design, en):
    w = design
    client = en(w.users["innovator"])
    client.post(_url("plan_start", w))
    response = client.post(_url("plan_start", w), follow=True)
    assert ("error", "This innovation already has an action plan.") in _messages(response)
    assert ActionPlan.objects.count() == 1
    assert en(w.users["coach"]).post(_url("plan_start", w)).status_code == 403


# --- the review loop -------------------------------------------------------------------------------


def test_the_review_loop_through_the_pages(design, en):
    w = design
    innovator, coach, head = en(w.users["innovator"]), en(w.users["coach"]), en(w.users["unit_head"])
    plan = _written_plan(w, innovator)
    _press(innovator, w, "plan_submit", plan, "submit_form")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW and plan.submitted_at

    # the coach requests a change on the second milestone
    page = coach.get(_url("plan_detail", w, version=1))
    html = _html(page)
    assert 'id="plan-coach-approve-form"' in html and 'name="requests_change"' in html and 'id="plan-edit-link"' not in html
    token = page.context["comment_form"]["submission_token"].value()
    response = coach.post(_url("plan_comment", w, version=1), {
        "submission_token": token, "text": "Tambahkan jadwal per RW", "milestone": "1", "requests_change": "on"}, follow=True)
    assert ("success", "Your change request was sent to the unit.") in _messages(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CHANGES_REQUESTED
    comment = PlanComment.objects.get()
    assert (comment.milestone_order, comment.requests_change, comment.resolved) == (1, True, False)
    html = _html(response)
    row = html.split('id="milestone-1"')[1].split("</tr>")[0]
    assert "Tambahkan jadwal per RW" in row, "the comment shows under its milestone"
    assert "1 change request is open." in html

    # the coach cannot approve while a change is requested; the innovator fixes and sends it again
    assert 'id="plan-coach-approve-form"' not in _html(coach.get(_url("plan_detail", w, version=1)))
    edit = innovator.get(_url("plan_edit", w, version=1))
    assert "Tambahkan jadwal per RW" in _html(edit), "the open request is shown while editing"
    fixed = [MILESTONES[0], {**MILESTONES[1], "activity": "Uji coba layanan WhatsApp per RW"}]
    token = edit.context["form"]["submission_token"].value()
    assert innovator.post(_url("plan_edit", w, version=1), _plan_data(token, milestones=fixed)).status_code == 302
    response = _press(innovator, w, "plan_submit", plan, "submit_form")
    plan.refresh_from_db()
    comment.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW and comment.resolved
    assert "Change request, addressed" in _html(response)

    # the coach approves, then the unit head
    response = _press(coach, w, "plan_coach_approve", plan, "coach_form")
    assert ("success", "You approved the action plan as coach. The unit head approves it next.") in _messages(response)
    assert 'id="plan-unit-approve-form"' not in _html(response), "the coach is not the unit head"
    response = _press(head, w, "plan_unit_approve", plan, "unit_form")
    assert ("success", "You approved the action plan as unit head. This version is now final.") in _messages(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.coach_approved_by == w.users["coach"] and plan.approved_by == w.users["unit_head"]
    html = _html(response)
    assert 'id="frozen-note"' in html and "Coach@Salatiga.Test" not in html
    assert w.users["coach"].full_name in html.split('id="coach-approval"')[1].split("</dd>")[0]
    assert w.users["unit_head"].full_name in html.split('id="unit-approval"')[1].split("</dd>")[0]

    # frozen: no editing, no sending, no more approving
    before = _plan_state(plan)
    assert innovator.get(_url("plan_edit", w, version=1)).status_code == 403
    assert innovator.post(_url("plan_edit", w, version=1), _plan_data("x-1", objective="Diubah")).status_code == 403
    response = innovator.post(_url("plan_submit", w, version=1), follow=True)
    assert ("error", "Only a draft or a plan with requested changes can be sent for review.") in _messages(response)
    response = coach.post(_url("plan_coach_approve", w, version=1), follow=True)
    assert ("error", "Only a plan in review can be approved by the coach.") in _messages(response)
    assert _plan_state(plan) == before
    actions = set(AuditRecord.objects.filter(object_type="innovations.actionplan").values_list("action", flat=True))
    assert {"plan.start", "plan.save", "plan.submit", "plan.comment", "plan.request_changes", "plan.coach_approve",
            "plan.approve"} <= actions


def test_unit_members_write_plain_comments_only(design, en):
    w = design
    plan = _written_plan(w)
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    client = en(w.users["innovator"])
    page = client.get(_url("plan_detail", w, version=1))
    assert 'name="requests_change"' not in _html(page)
    token = page.context["comment_form"]["submission_token"].value()
    response = client.post(_url("plan_comment", w, version=1),
                           {"submission_token": token, "text": "Jadwal sudah kami sesuaikan", "requests_change": "on"}, follow=True)
    assert ("success", "Your comment was added.") in _messages(response)
    comment = PlanComment.objects.get()
    assert not comment.requests_change and comment.milestone_order is None
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW
    # the leader reads, but does not comment
    leader = en(w.users["leader"])
    assert leader.get(_url("plan_detail", w, version=1)).context["comment_form"] is None
    assert leader.post(_url("plan_comment", w, version=1), {"text": "Bagus"}).status_code == 403


def test_a_bad_comment_shows_its_errors_and_changes_nothing(design, en):
    w = design
    plan = _written_plan(w)
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    coach = en(w.users["coach"])
    token = _token(coach, _url("plan_detail", w, version=1), "comment_form")
    before = _plan_state(plan)
    response = coach.post(_url("plan_comment", w, version=1), {"submission_token": token, "text": "Lihat ini", "milestone": "7",
                                                                 "requests_change": "on"})
    assert response.status_code == 200 and response.context["comment_form"].errors["milestone"]
    response = coach.post(_url("plan_comment", w, version=1), {"submission_token": token, "text": "   ", "requests_change": "on"})
    assert response.context["comment_form"].errors["text"]
    assert not PlanComment.objects.exists() and _plan_state(plan) == before


def test_the_same_form_posted_twice_does_not_act_twice(design, en):
    w = design
    plan = _written_plan(w)
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    coach = en(w.users["coach"])
    token = _token(coach, _url("plan_detail", w, version=1), "comment_form")
    data = {"submission_token": token, "text": "Tambahkan indikator kepuasan", "milestone": "0", "requests_change": "on"}
    coach.post(_url("plan_comment", w, version=1), data)
    second = coach.post(_url("plan_comment", w, version=1), data, follow=True)
    assert ("info", ALREADY) in _messages(second)
    assert PlanComment.objects.count() == 1
    assert AuditRecord.objects.filter(action="plan.request_changes").count() == 1
    # a button too: the second press of the same page's "Send for review" does nothing
    innovator = en(w.users["innovator"])
    token = _token(innovator, _url("plan_detail", w, version=1), "submit_form")
    innovator.post(_url("plan_submit", w, version=1), {"submission_token": token})
    second = innovator.post(_url("plan_submit", w, version=1), {"submission_token": token}, follow=True)
    assert ("info", ALREADY) in _messages(second)
    assert AuditRecord.objects.filter(action="plan.submit").count() == 2  # the first submit and the resubmission
    # the coach's approval pressed twice
    coach_token = _token(coach, _url("plan_detail", w, version=1), "coach_form")
    coach.post(_url("plan_coach_approve", w, version=1), {"submission_token": coach_token})
    second = coach.post(_url("plan_coach_approve", w, version=1), {"submission_token": coach_token}, follow=True)
    assert ("info", ALREADY) in _messages(second)
    assert AuditRecord.objects.filter(action="plan.coach_approve").count() == 1


def test_a_person_who_is_coach_and_unit_head_cannot_approve_twice(design, en):
    from labinov.people.services import membership_grant

    w = design
    both = w.users["unit_head"]
    membership_grant(actor=None, user=both, role="coach", pemda=w.own)
    plan = _written_plan(w)
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    client = en(both)
    response = _press(client, w, "plan_coach_approve", plan, "coach_form")
    html = _html(response)
    assert 'id="plan-unit-approve-form"' not in html
    assert "You approved this version as coach; another unit head of the unit approves it." in html
    before = _plan_state(plan)
    response = client.post(_url("plan_unit_approve", w, version=1), {"submission_token": "by-hand"}, follow=True)
    assert ("error", "The same person cannot approve a plan both as coach and as unit head.") in _messages(response)
    assert _plan_state(plan) == before and before[0] == PlanStatus.COACH_APPROVED


def test_only_the_unit_head_approves_as_unit(design, en):
    w = design
    plan = _written_plan(w)
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    plans.plan_coach_approve(actor=w.users["coach"], plan=plan)
    for role in ("innovator", "coach", "organiser"):
        assert en(w.users[role]).post(_url("plan_unit_approve", w, version=1)).status_code == 403
    assert 'id="plan-unit-approve-form"' in _html(en(w.users["unit_head"]).get(_url("innovation_detail", w)))


# --- versions --------------------------------------------------------------------------------------


def _approve(w, plan):
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    plans.plan_coach_approve(actor=w.users["coach"], plan=plan)
    plans.plan_unit_approve(actor=w.users["unit_head"], plan=plan)


def test_a_new_version_and_the_differences(design, en):
    w = design
    plan = _written_plan(w)
    _approve(w, plan)
    client = en(w.users["innovator"])
    detail = _html(client.get(_url("innovation_detail", w)))
    assert 'id="plan-new-version-form"' in detail and 'name="reason"' not in detail, "no reason asked in Design"
    response = _press(client, w, "plan_new_version", plan, "new_version_form")
    assert response.redirect_chain[-1][0] == _url("plan_edit", w, version=2)
    v2 = ActionPlan.objects.get(innovation=w.innovation, version=2)
    assert v2.status == PlanStatus.DRAFT and v2.milestones.count() == 2
    changed = [MILESTONES[0], {**MILESTONES[1], "ends_on": D(2019, 9, 30), "quick_win": True}]
    token = response.context["form"]["submission_token"].value()
    assert client.post(_url("plan_edit", w, version=2), _plan_data(token, milestones=changed)).status_code == 302

    page = client.get(_url("plan_detail", w, version=2))
    diff_url = _url("plan_diff", w, version=1, other=2)
    assert f'href="{diff_url}"' in _html(page)
    response = client.get(diff_url)
    assert response.status_code == 200
    html = _html(response)
    table = html.split('id="plan-diff"')[1].split("</table>")[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert cells == ["Milestones", "2", "End", "31 August 2019", "30 September 2019",
                     "Milestones", "2", "Quick win", "no", "yes"]
    indonesian = Client()
    indonesian.force_login(w.users["innovator"])
    assert "31 Agustus 2019" in _html(indonesian.get(diff_url)), "dates in the reader's language"
    # the other order shows the same, old on the left
    assert _html(client.get(_url("plan_diff", w, version=2, other=1))).count("30 September 2019") == 1
    assert client.get(_url("plan_diff", w, version=1, other=9)).status_code == 404
    v1 = ActionPlan.objects.get(innovation=w.innovation, version=1)
    assert v1.milestones.get(order=1).ends_on == D(2019, 8, 31), "the approved version is untouched"
    # rows added and removed are listed as a whole
    token = _token(client, _url("plan_edit", w, version=2))
    client.post(_url("plan_edit", w, version=2), _plan_data(token, milestones=[MILESTONES[0]]))
    html = _html(client.get(diff_url))
    assert "row removed" in html and "Activity: Uji coba layanan WhatsApp" in html


def test_after_design_a_new_version_needs_the_organisers_reason(design, en):
    w = design
    plan = _written_plan(w)
    _approve(w, plan)
    w.program.stage = "deliver_monitoring"
    w.program.save(update_fields=["stage"])
    assert en(w.users["innovator"]).post(_url("plan_new_version", w)).status_code == 403
    organiser = en(w.users["organiser"])
    page = organiser.get(_url("plan_detail", w, version=1))
    assert 'name="reason"' in _html(page)
    token = page.context["new_version_form"]["submission_token"].value()
    response = organiser.post(_url("plan_new_version", w), {"submission_token": token, "reason": ""}, follow=True)
    assert any(level == "error" for level, _text in _messages(response))
    assert ActionPlan.objects.count() == 1
    response = organiser.post(_url("plan_new_version", w), {"submission_token": token, "reason": "Jadwal uji coba bergeser"},
                              follow=True)
    v2 = ActionPlan.objects.get(version=2)
    assert v2.revision_reason == "Jadwal uji coba bergeser"
    assert "Jadwal uji coba bergeser" in _html(organiser.get(_url("plan_detail", w, version=2)))


def test_a_new_version_only_after_approval(design, en):
    w = design
    _written_plan(w)
    response = en(w.users["innovator"]).post(_url("plan_new_version", w), follow=True)
    assert ("error", "Version 1 is not approved yet; change it instead of starting a new one.") in _messages(response)
    assert ActionPlan.objects.count() == 1


# --- who sees what ---------------------------------------------------------------------------------


def test_another_pemda_gets_404(design, en):
    w = design
    plans.plan_start(actor=w.users["innovator"], innovation=w.innovation)
    other = en(w.users["other_organiser"])
    for name, kw in [("innovation_detail", {}), ("profile_edit", {}), ("plan_detail", {"version": 1}), ("plan_edit", {"version": 1}),
                     ("plan_diff", {"version": 1, "other": 1})]:
        assert other.get(_url(name, w, **kw)).status_code == 404, name
        # the own innovation under the other pemda's address does not exist either
        url = reverse(name, kwargs={"pemda": w.other.slug, "innovation": w.innovation.pk, **kw})
        assert other.get(url).status_code == 404, name
    assert other.post(_url("plan_comment", w, version=1), {"text": "x"}).status_code == 404
    assert not PlanComment.objects.exists()


def test_units_see_their_innovation_once_the_screening_is_published(design, en):
    w = design
    Screening.objects.filter(program=w.program).update(published_at=None)
    assert en(w.users["innovator"]).get(_url("innovation_detail", w)).status_code == 404
    assert en(w.users["coach"]).get(_url("innovation_detail", w)).status_code == 200


def test_unknown_versions_are_404(design, en):
    w = design
    client = en(w.users["innovator"])
    assert client.get(_url("plan_detail", w, version=1)).status_code == 404
    assert client.get(_url("plan_edit", w, version=1)).status_code == 404


# --- query counts ----------------------------------------------------------------------------------


def _add_milestones(plan, start, n):
    Milestone.objects.bulk_create([
        Milestone(plan=plan, order=i, activity=f"Kegiatan {i:02d}", starts_on=D(2019, 7, 1), ends_on=D(2019, 7, 2), pic="Lurah",
                  quick_win=i % 3 == 0) for i in range(start, start + n)])
    PlanComment.objects.bulk_create([PlanComment(plan=plan, milestone_order=i, text=f"Komentar {i}", requests_change=i % 2 == 0)
                                     for i in range(start, start + n)])


@pytest.mark.parametrize("name,role", [("innovation_detail", "innovator"), ("innovation_detail", "coach"),
                                       ("plan_detail", "innovator"), ("plan_detail", "coach")])
def test_queries_do_not_grow_with_the_number_of_milestones(design, en, name, role):
    w = design
    plan = _written_plan(w)
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    plan.milestones.all().delete()
    client = en(w.users[role])
    url = _url(name, w) if name == "innovation_detail" else _url(name, w, version=1)
    _add_milestones(plan, 0, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_milestones(plan, 5, 25)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200 and "Kegiatan 29" in _html(response)
    assert len(large) == len(small), "\n".join(q["sql"] for q in large.captured_queries)
