"""Idea pages: writing and submitting, who sees which idea, the similar panel, bad input, the funnel."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from labinov.core.models import AuditRecord
from labinov.ideas import selectors
from labinov.ideas.models import Idea, Screening
from labinov.innovations.models import Innovation
from labinov.regions.models import Unit

ALREADY = "This form was already submitted; nothing was changed the second time."


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    """No ATM catalogue index unless a test builds one (var/index may hold another run's)."""
    settings.DATA_DIR = tmp_path


def _url(name, w, **kw):
    return reverse(name, kwargs={"pemda": w.own.slug, "program": w.program.pk, **kw})


def _messages(response) -> list[tuple[str, str]]:
    return [(level, unescape(text).strip())
            for level, text in re.findall(r'<li class="msg-(\w+)"[^>]*>(.*?)</li>', response.content.decode(), re.S)]


def _in_id(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


def _token(client, url) -> str:
    token = client.get(url).context["form"]["submission_token"].value()
    assert token
    return token


def _data(w, token="", **extra):
    data = {
        "unit": str(w.kel.pk), "title": "Kartu antrean digital kelurahan", "problem": "Warga menunggu lama tanpa kepastian",
        "root_cause": "", "proposed_change": "Nomor antrean dikirim lewat SMS", "beneficiaries": "Warga Kalicacing",
        "expected_benefit": "Waktu tunggu turun", "form": "pelayanan_publik", "urusan": ["adminduk", "kominfo"],
        "initiator": "perangkat_daerah", "proposers": "Sri Lestari\nBudi", "replication_source": "", "replication_changes": "",
        "submission_token": token,
    }
    data.update(extra)
    return data


def _state():
    return (Idea.objects.count(), AuditRecord.objects.filter(action__startswith="idea.").count(),
            list(Idea.objects.order_by("pk").values_list("pk", "title", "status", "updated_at")))


# --- writing and submitting ------------------------------------------------------------------------


def test_an_innovator_writes_and_submits_an_idea(ideas_world, login):
    w = ideas_world
    client = login(w.users["innovator"])
    url = _url("idea_create", w)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-get="%s"' % _url("idea_similar", w) in html and 'keyup changed delay:600ms' in html
    # the innovator writes for their own unit only
    assert list(page.context["form"].fields["unit"].queryset) == [w.kel]

    response = client.post(url, _data(w, _token(client, url), action="submit"))
    idea = Idea.objects.get(title="Kartu antrean digital kelurahan")
    assert response.status_code == 302 and response.url == _url("idea_detail", w, idea=idea.pk)
    assert (idea.status, idea.unit, idea.program, idea.pemda, idea.created_by) == ("submitted", w.kel, w.program, w.own, w.users["innovator"])
    assert idea.submitted_at is not None
    assert idea.urusan == ["adminduk", "kominfo"] and idea.search_text
    record = AuditRecord.objects.get(action="idea.create", object_id=str(idea.pk))
    assert record.actor == w.users["innovator"] and record.pemda == w.own

    detail = client.get(response.url)
    assert detail.status_code == 200 and "Kartu antrean digital kelurahan" in detail.content.decode()


def test_a_draft_is_saved_then_submitted_with_its_audit_records(ideas_world, login):
    w = ideas_world
    client = login(w.users["unit_head"])
    url = _url("idea_create", w)
    client.post(url, _data(w, _token(client, url), action="draft"))
    idea = Idea.objects.get(title="Kartu antrean digital kelurahan")
    assert idea.status == "draft" and idea.submitted_at is None

    detail = client.get(_url("idea_detail", w, idea=idea.pk))
    assert 'id="submit-form"' in detail.content.decode()
    token = detail.context["submit_form"]["submission_token"].value()
    response = client.post(_url("idea_submit", w, idea=idea.pk), {"submission_token": token}, follow=True)
    assert response.status_code == 200 and [lvl for lvl, _t in _messages(response)] == ["success"]
    idea.refresh_from_db()
    assert idea.status == "submitted"
    assert list(AuditRecord.objects.filter(object_id=str(idea.pk), object_type="ideas.idea")
                .order_by("id").values_list("action", flat=True)) == ["idea.create", "idea.submit"]
    # submitting again is refused with a message and changes nothing
    again = client.post(_url("idea_submit", w, idea=idea.pk), follow=True)
    assert again.status_code == 200 and [lvl for lvl, _t in _messages(again)] == ["error"]
    assert AuditRecord.objects.filter(action="idea.submit", object_id=str(idea.pk)).count() == 1


def test_a_draft_is_edited_and_submitted_from_the_form(ideas_world, login):
    w = ideas_world
    client = login(w.users["innovator"])
    url = _url("idea_edit", w, idea=w.draft.pk)
    page = client.get(url)
    assert page.context["form"].initial["title"] == "Posyandu digital"
    response = client.post(url, _data(w, _token(client, url), title="Posyandu digital terpadu", action="submit"))
    assert response.status_code == 302
    w.draft.refresh_from_db()
    assert (w.draft.title, w.draft.status) == ("Posyandu digital terpadu", "submitted")
    actions = list(AuditRecord.objects.filter(object_type="ideas.idea", object_id=str(w.draft.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["idea.update", "idea.submit"]


def test_the_organiser_edits_a_submitted_idea_and_it_stays_submitted(ideas_world, login):
    w = ideas_world
    client = login(w.users["organiser"])
    url = _url("idea_edit", w, idea=w.idea.pk)
    html = client.get(url).content.decode()
    assert 'value="submit"' not in html  # already submitted: one "Save" button
    client.post(url, _data(w, _token(client, url), title="Surat pengantar daring", action="submit"))
    w.idea.refresh_from_db()
    assert (w.idea.title, w.idea.status) == ("Surat pengantar daring", "submitted")


def test_the_same_form_posted_twice_creates_one_idea(ideas_world, login):
    w = ideas_world
    client = login(w.users["innovator"])
    url = _url("idea_create", w)
    token = _token(client, url)
    assert client.post(url, _data(w, token, action="submit")).status_code == 302
    second = client.post(url, _data(w, token, action="submit"), follow=True)
    assert second.status_code == 200
    assert Idea.objects.filter(title="Kartu antrean digital kelurahan").count() == 1
    assert AuditRecord.objects.filter(action="idea.create").count() == 1
    assert ("info", _in_id(ALREADY)) in _messages(second)


# --- bad input changes nothing ---------------------------------------------------------------------


@pytest.mark.parametrize("field,value", [
    ("title", ""),
    ("title", "   "),
    ("problem", ""),
    ("urusan", ["adminduk", "urusan_palsu"]),
    ("form", "bukan_bentuk"),
    ("initiator", "presiden"),
])
def test_bad_input_on_the_create_page_changes_nothing(ideas_world, login, field, value):
    w = ideas_world
    client = login(w.users["innovator"])
    url = _url("idea_create", w)
    before = _state()
    response = client.post(url, _data(w, _token(client, url), action="submit", **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert _state() == before


def test_a_unit_of_another_pemda_or_another_unit_posted_by_hand_changes_nothing(ideas_world, login):
    w = ideas_world
    outsider = Unit.objects.create(pemda=w.own, name="Kelurahan Tidak Ikut", kind="kelurahan")
    before = _state()
    for user, unit in [("organiser", w.other_unit), ("organiser", outsider), ("innovator", w.sd), ("innovator", w.other_unit)]:
        client = login(w.users[user])
        url = _url("idea_create", w)
        response = client.post(url, _data(w, _token(client, url), unit=str(unit.pk), action="submit"))
        assert response.status_code == 200 and "unit" in response.context["form"].errors, (user, unit)
    assert _state() == before


def test_bad_input_on_the_edit_page_changes_nothing(ideas_world, login):
    w = ideas_world
    client = login(w.users["innovator"])
    url = _url("idea_edit", w, idea=w.idea.pk)
    before = _state()
    response = client.post(url, _data(w, _token(client, url), title="", unit=str(w.other_unit.pk)))
    assert response.status_code == 200 and {"title", "unit"} <= set(response.context["form"].errors)
    assert _state() == before


@pytest.mark.parametrize("stage", ["planned", "drum_up", "design", "closed"])
def test_outside_diagnose_the_create_and_edit_pages_are_403(ideas_world, login, stage):
    w = ideas_world
    w.program.stage = stage
    w.program.save(update_fields=["stage"])
    client = login(w.users["organiser"])
    before = _state()
    assert client.get(_url("idea_create", w)).status_code == 403
    assert client.post(_url("idea_create", w), _data(w, action="submit")).status_code == 403
    assert client.get(_url("idea_edit", w, idea=w.idea.pk)).status_code == 403
    assert client.post(_url("idea_submit", w, idea=w.idea.pk)).status_code == 403
    assert _state() == before


def test_the_submit_url_accepts_only_post(ideas_world, login):
    w = ideas_world
    client = login(w.users["innovator"])
    assert client.get(_url("idea_submit", w, idea=w.draft.pk)).status_code == 405
    w.draft.refresh_from_db()
    assert w.draft.status == "draft"


def test_a_coach_may_read_but_not_write(ideas_world, login):
    w = ideas_world
    client = login(w.users["coach"])
    assert client.get(_url("idea_detail", w, idea=w.idea.pk)).status_code == 200
    assert client.get(_url("idea_create", w)).status_code == 403
    assert client.get(_url("idea_edit", w, idea=w.idea.pk)).status_code == 403


# --- who sees what ----------------------------------------------------------------------------------


def test_a_draft_is_seen_by_its_unit_only(ideas_world, login):
    w = ideas_world
    list_url = _url("idea_list", w)
    organiser = login(w.users["organiser"])
    html = organiser.get(list_url).content.decode()
    assert "Layanan surat pengantar online" in html and "Posyandu digital" not in html
    assert organiser.get(_url("idea_detail", w, idea=w.draft.pk)).status_code == 404
    assert organiser.get(_url("idea_edit", w, idea=w.draft.pk)).status_code == 404

    innovator = login(w.users["innovator"])
    html = innovator.get(list_url).content.decode()
    assert "Posyandu digital" in html and "Layanan surat pengantar online" in html
    assert innovator.get(_url("idea_detail", w, idea=w.draft.pk)).status_code == 200


def test_another_units_idea_is_hidden_until_decisions_are_published(ideas_world, login):
    w = ideas_world
    client = login(w.users["innovator"])
    detail = _url("idea_detail", w, idea=w.sd_idea.pk)
    assert "Perpustakaan keliling kelas" not in client.get(_url("idea_list", w)).content.decode()
    assert client.get(detail).status_code == 404
    assert client.get(_url("idea_list", w) + "?q=perpustakaan").context["page"].paginator.count == 0
    assert client.get(_url("idea_unit_sheet", w, unit=w.sd.pk)).context["ideas"].count() == 0

    Screening.objects.create(program=w.program, published_at=timezone.now())
    assert "Perpustakaan keliling kelas" in client.get(_url("idea_list", w)).content.decode()
    assert client.get(detail).status_code == 200
    # drafts of other units stay hidden; the own draft stays visible
    other_draft = Idea.objects.create(pemda=w.own, program=w.program, unit=w.sd, status="draft", title="Draf sekolah",
                                      problem="x", proposed_change="y", form="lainnya")
    assert client.get(_url("idea_detail", w, idea=other_draft.pk)).status_code == 404
    assert client.get(_url("idea_detail", w, idea=w.draft.pk)).status_code == 200


def test_a_unit_does_not_learn_decisions_before_they_are_published(ideas_world, login):
    w = ideas_world
    innovation = Innovation.objects.create(pemda=w.own, program=w.program, unit=w.kel, name="Surat Pengantar Daring")
    Idea.objects.filter(pk=w.idea.pk).update(status="rejected", decision_reason="Alasan rahasia", decided_at=timezone.now())
    client = login(w.users["innovator"])
    html = client.get(_url("idea_detail", w, idea=w.idea.pk)).content.decode()
    assert "Alasan rahasia" not in html and "badge idea-status idea-rejected" not in html
    assert "badge idea-status idea-submitted" in html
    assert "Alasan rahasia" not in client.get(_url("idea_list", w)).content.decode()
    # filtering by status does not reveal it either
    assert client.get(_url("idea_list", w) + "?status=rejected").context["page"].paginator.count == 2
    assert client.get(_url("idea_list", w) + "?status=submitted").context["page"].paginator.count == 1

    organiser = login(w.users["organiser"])
    assert "Alasan rahasia" in organiser.get(_url("idea_detail", w, idea=w.idea.pk)).content.decode()

    Idea.objects.filter(pk=w.idea.pk).update(status="selected", decision_reason="", innovation=innovation)
    Screening.objects.create(program=w.program, published_at=timezone.now())
    client = login(w.users["innovator"])
    html = client.get(_url("idea_detail", w, idea=w.idea.pk)).content.decode()
    assert "badge idea-status idea-selected" in html and "Surat Pengantar Daring" in html
    assert "Surat Pengantar Daring" in client.get(_url("idea_list", w)).content.decode()


def test_another_pemda_sees_nothing(ideas_world, login):
    w = ideas_world
    client = login(w.users["other_organiser"])
    for url in (_url("idea_list", w), _url("idea_detail", w, idea=w.idea.pk), _url("funnel", w), _url("idea_similar", w)):
        assert client.get(url).status_code == 404, url
    # the other pemda's idea is not reachable through the own program's URL
    client = login(w.users["organiser"])
    assert client.get(_url("idea_detail", w, idea=w.other_idea.pk)).status_code == 404
    assert client.get(_url("idea_edit", w, idea=w.other_idea.pk)).status_code == 404


# --- the similar panel ------------------------------------------------------------------------------


@pytest.fixture
def catalogue(ideas_world, settings, tmp_path):
    """A published innovation of the other pemda (in the ATM catalogue) and an unpublished one."""
    from labinov.core.textsim import normalize
    from labinov.innovations.similarity import catalogue_index_rebuild

    settings.DATA_DIR = tmp_path
    w = ideas_world
    text = "Surat pengantar RT RW secara online tanpa antre di kelurahan"
    w.published = Innovation.objects.create(pemda=w.other, unit=w.other_unit, name="Surat Pengantar Online Cilegon",
                                            published_at=timezone.now(), search_text=normalize(text))
    w.unpublished = Innovation.objects.create(pemda=w.other, unit=w.other_unit, name="Surat Pengantar Rahasia",
                                              search_text=normalize(text))
    assert catalogue_index_rebuild() == 1
    return w


def test_the_similar_panel_shows_similar_ideas_and_published_innovations(catalogue, login):
    w = catalogue
    client = login(w.users["organiser"])
    response = client.get(_url("idea_similar", w), {
        "title": "Pelayanan surat pengantar secara online",
        "problem": "Warga harus antre lama di kelurahan untuk mengurus surat pengantar",
        "proposed_change": "",
    }, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert [row["idea"] for row in response.context["result"]["ideas"]] == [w.idea]
    assert "Layanan surat pengantar online" in html and "Kelurahan Kalicacing" in html
    assert "Surat Pengantar Online Cilegon" in html and "Kota Cilegon" in html
    assert "Surat Pengantar Rahasia" not in html and "Antrean puskesmas daring" not in html
    assert "<html" not in html  # a fragment, with or without htmx
    assert client.get(_url("idea_similar", w), {"title": "Pelayanan surat pengantar secara online"}).content.decode().count("Layanan surat pengantar online") == 1


def test_the_similar_panel_never_shows_another_pemdas_ideas_or_hidden_ideas(catalogue, login):
    w = catalogue
    query = {"title": "Antrean puskesmas daring", "problem": "Antrean panjang", "proposed_change": "Nomor antrean lewat aplikasi"}
    for role in ("organiser", "national_admin", "innovator"):
        html = login(w.users[role]).get(_url("idea_similar", w), query).content.decode()
        assert "Antrean puskesmas daring" not in html, role
    # the innovator does not see another unit's idea through the panel before publication
    from labinov.core.textsim import normalize

    Idea.objects.filter(pk=w.sd_idea.pk).update(search_text=normalize("Perpustakaan keliling kelas Minat baca siswa rendah"))
    query = {"title": "Perpustakaan keliling kelas", "problem": "Minat baca siswa rendah", "proposed_change": "Rak buku bergilir antar kelas"}
    assert "Perpustakaan keliling kelas" not in login(w.users["innovator"]).get(_url("idea_similar", w), query).content.decode()
    assert "Perpustakaan keliling kelas" in login(w.users["organiser"]).get(_url("idea_similar", w), query).content.decode()


def test_the_similar_panel_excludes_the_idea_being_edited(ideas_world, login):
    w = ideas_world
    client = login(w.users["organiser"])
    query = {"title": "Layanan surat pengantar online", "problem": "Warga antre lama untuk surat pengantar"}
    assert client.get(_url("idea_similar", w), query).context["result"]["ideas"]
    assert not client.get(_url("idea_similar", w), {**query, "exclude": str(w.idea.pk)}).context["result"]["ideas"]
    assert client.get(_url("idea_similar", w), {**query, "exclude": "x'; drop"}).status_code == 200


# --- unit sheet and funnel --------------------------------------------------------------------------


def test_the_unit_sheet_is_printable_and_404_for_a_unit_not_taking_part(ideas_world, login):
    w = ideas_world
    client = login(w.users["organiser"])
    response = client.get(_url("idea_unit_sheet", w, unit=w.kel.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<style media="print" nonce="[^"]+">', html) and 'class="sheet-idea' in html
    from pathlib import Path

    import labinov

    css = (Path(labinov.__file__).parent / "static" / "labinov" / "labinov.css").read_text()
    assert re.search(r"\.sheet-idea \{[^}]*page-break-inside: avoid", css)  # one idea never splits across pages
    assert "Layanan surat pengantar online" in html and "Perpustakaan keliling kelas" not in html
    with translation.override("id"):
        from django.utils.formats import date_format

        assert date_format(timezone.localdate(), "j F Y") in html
    outsider = Unit.objects.create(pemda=w.own, name="Kelurahan Tidak Ikut", kind="kelurahan")
    assert client.get(_url("idea_unit_sheet", w, unit=outsider.pk)).status_code == 404
    assert client.get(_url("idea_unit_sheet", w, unit=w.other_unit.pk)).status_code == 404


def test_the_funnel_counts_in_indonesian_format(ideas_world, login):
    w = ideas_world
    Idea.objects.create(pemda=w.own, program=w.program, unit=w.kel, status="submitted", title="Ide ketiga",
                        problem="x", proposed_change="y", form="lainnya")
    client = login(w.users["organiser"])
    response = client.get(_url("funnel", w))
    f = response.context["funnel"]
    assert (f["units"], f["units_with_idea"], f["ideas"], f["drafts"]) == (2, 2, 3, 1)
    html = response.content.decode()
    assert re.search(r'id="ideas-per-unit">1,5<', html)
    assert 'id="funnel-bars"' in html and 'id="funnel-by-kind"' in html


def test_the_program_page_links_to_the_ideas(ideas_world, login):
    w = ideas_world
    url = reverse("program_detail", args=[w.own.slug, w.program.pk])
    create = _url("idea_create", w)
    html = login(w.users["innovator"]).get(url).content.decode()
    assert f'href="{_url("idea_list", w)}"' in html and f'href="{_url("funnel", w)}"' in html and f'href="{create}"' in html
    assert f'href="{create}"' not in login(w.users["coach"]).get(url).content.decode()
    assert f'href="{create}"' in login(w.users["organiser"]).get(_url("idea_list", w)).content.decode()
    assert f'href="{create}"' not in login(w.users["leader"]).get(_url("idea_list", w)).content.decode()


# --- queries do not grow with the number of ideas ---------------------------------------------------


def _add_ideas(w, start, n):
    units = Unit.objects.bulk_create([Unit(pemda=w.own, name=f"Unit Ide {i:02d}", kind="dinas") for i in range(start, start + n)])
    from labinov.programs.models import Participation

    Participation.objects.bulk_create([Participation(program=w.program, unit=u) for u in units])
    innovations = Innovation.objects.bulk_create(
        [Innovation(pemda=w.own, program=w.program, unit=u, name=f"Inovasi {i:02d}") for i, u in zip(range(start, start + n), units)])
    statuses = ["submitted", "selected", "rejected", "merged"]
    Idea.objects.bulk_create([
        Idea(pemda=w.own, program=w.program, unit=u, title=f"Ide nomor {i:02d}", problem="masalah", proposed_change="gagasan",
             form="lainnya", status=statuses[i % 4], decision_reason="alasan" if statuses[i % 4] == "rejected" else "",
             innovation=inn if statuses[i % 4] in ("selected", "merged") else None)
        for i, u, inn in zip(range(start, start + n), units, innovations)
    ])


@pytest.mark.parametrize("name,role", [("idea_list", "organiser"), ("idea_list", "innovator"), ("funnel", "organiser"),
                                       ("funnel", "innovator")])
def test_queries_do_not_grow_with_the_number_of_ideas(ideas_world, login, name, role):
    w = ideas_world
    Screening.objects.create(program=w.program, published_at=timezone.now())
    client = login(w.users[role])
    url = _url(name, w)
    _add_ideas(w, 0, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_ideas(w, 5, 35)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    if name == "idea_list":
        assert "Ide nomor 39" in response.content.decode()
    assert len(large) == len(small), "\n".join(q["sql"] for q in large.captured_queries)


# --- national scale (issue 14): narrow rows, fewer aggregates, same results ------------------------------


def _funnel_by_separate_counts(program) -> dict:
    """The funnel's totals the way they were counted before issue 14: one COUNT per number."""
    from labinov.programs.models import Participation

    ideas = Idea.objects.filter(program=program).exclude(status="draft")
    return {"units": Participation.objects.filter(program=program).count(),
            "units_with_idea": ideas.values("unit_id").distinct().count(), "ideas": ideas.count(),
            "drafts": Idea.objects.filter(program=program, status="draft").count(),
            **{s: ideas.filter(status=s).count() for s in ("submitted", "selected", "merged", "rejected")}}


def test_the_funnel_runs_one_aggregate_per_level_with_unchanged_totals(ideas_world):
    w = ideas_world
    _add_ideas(w, 0, 13)
    Idea.objects.create(pemda=w.own, program=w.program, unit=w.kel, status="draft", title="Draf", problem="x",
                        proposed_change="y", form="lainnya")
    from labinov.ideas.visibility import program_published

    program_published(w.program)  # the screening row, cached on the program by every page
    with CaptureQueriesContext(connection) as ctx:
        f = selectors.funnel(program=w.program)
    assert len(ctx) <= 3, "\n".join(q["sql"] for q in ctx.captured_queries)
    assert {k: f[k] for k in _funnel_by_separate_counts(w.program)} == _funnel_by_separate_counts(w.program)
    by_kind = {r["kind_key"]: r for r in f["by_kind"]}
    assert by_kind["dinas"]["ideas"] == 13 and by_kind["dinas"]["selected"] == 3


def test_the_idea_list_page_loads_narrow_rows_in_the_same_order(ideas_world, login):
    w = ideas_world
    _add_ideas(w, 0, 60)
    client = login(w.users["organiser"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url("idea_list", w) + "?page=2")
    assert response.status_code == 200
    rows = [q["sql"] for q in ctx.captured_queries if 'FROM "ideas_idea"' in q["sql"] and "LIMIT" in q["sql"]]
    assert rows and not [q for q in rows if '"problem"' in q or '"proposed_change"' in q or '"search_text"' in q]
    full = list(selectors.idea_list(actor=w.users["organiser"], program=w.program).values_list("pk", flat=True))
    assert [i.pk for i in response.context["page"]] == full[50:100]


def test_the_unit_filter_renders_like_a_django_select_without_a_template_per_option():
    from django import forms

    from labinov.ideas.forms import FastSelect

    choices = [("", "Semua unit"), (1026, "SMA Negeri 1 <Kota> & 'Semarang'"), (7, "Dinas Kesehatan")]
    fast = FastSelect(attrs={"class": "input"}, choices=choices).render("unit", 1026, attrs={"id": "id_unit"})
    plain = forms.Select(attrs={"class": "input"}, choices=choices).render("unit", 1026, attrs={"id": "id_unit"})

    def options(html):
        return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)

    assert options(fast) == options(plain) and len(options(fast)) == 3
    assert '<option value="1026" selected>' in fast and "1.026" not in fast
    assert re.search(r'<select [^>]*name="unit"', fast) and 'id="id_unit"' in fast and 'class="input"' in fast


def test_ideas_per_unit_counts_only_this_programs_submitted_ideas(ideas_world):
    from labinov.programs.models import Participation

    w = ideas_world
    _add_ideas(w, 0, 6)
    unit = Unit.objects.get(name="Unit Ide 01")
    common = dict(pemda=w.own, unit=unit, problem="x", proposed_change="y", form="lainnya")
    Idea.objects.create(program=w.program, status="submitted", title="Kedua", **common)
    Idea.objects.create(program=w.program, status="draft", title="Draf", **common)
    from labinov.programs.models import Program

    earlier = Program.objects.create(pemda=w.own, name="Lab Inovasi tahun lalu", year=2020)
    Idea.objects.create(program=earlier, status="submitted", title="Program lain", **common)  # another year: not counted
    rows = list(selectors.ideas_per_unit(program=w.program))
    expected = {u.pk: Idea.objects.filter(program=w.program, unit=u).exclude(status="draft").count()
                for u in Unit.objects.filter(participations__program=w.program)}
    assert {u.pk: u.idea_count for u in rows} == expected
    assert rows[0] == unit and rows[0].idea_count == 2
    assert [u.idea_count for u in rows] == sorted((u.idea_count for u in rows), reverse=True)
    assert len(rows) == Participation.objects.filter(program=w.program).count()
