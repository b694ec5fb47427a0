"""The audit trail is readable: actions in words, changes as "field: old → new", filters, visibility.

Issue 9.8/9.9 (readable, filters, phone) and issue 10.5 (the audit follows the visibility of the
objects it records: a unit's draft idea is not shown to organisers, on the page nor in the API).
"""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from labinov.core.audit import ACTIONS, KEY_LABELS, audit_present, audit_record, change_rows, hidden_record_ids
from labinov.core.models import AuditRecord

SRC = Path(__file__).resolve().parents[2] / "src" / "labinov"
URL = "/pemda/3373/audit/"
API = "/api/v1/pemda/3373/audit"


# --- every action code has words -----------------------------------------------------------------


def _action_codes_in_src() -> dict[str, str]:
    """Every action code passed to audit_record anywhere in src/, found by reading the code.

    A literal `action="x.y"` counts; when the action is a parameter of the calling function (as in
    innovations.plans._move), the literals passed for that parameter where the function is called count.
    """
    codes: dict[str, str] = {}
    unresolved = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", None)) == "audit_record"):
                continue
            action = next((k.value for k in call.keywords if k.arg == "action"), None)
            where = f"{path.relative_to(SRC)}:{call.lineno}"
            if isinstance(action, ast.Constant):
                codes[action.value] = where
                continue
            # the action comes from a parameter of the enclosing function: read the calls of that function
            node = call
            while node in parents and not isinstance(node, ast.FunctionDef):
                node = parents[node]
            name = getattr(action, "id", None)
            params = [a.arg for a in node.args.args] if isinstance(node, ast.FunctionDef) else []
            if name not in params:
                unresolved.append(where)
                continue
            index = params.index(name)
            found = False
            for other in ast.walk(tree):
                if isinstance(other, ast.Call) and getattr(other.func, "id", None) == node.name and other is not call:
                    value = other.args[index] if len(other.args) > index else next(
                        (k.value for k in other.keywords if k.arg == name), None)
                    if isinstance(value, ast.Constant):
                        codes[value.value] = f"{path.relative_to(SRC)}:{other.lineno}"
                        found = True
            if not found or node.name not in functions:
                unresolved.append(where)
    assert not unresolved, f"audit_record calls whose action code this test cannot read: {unresolved}"
    return codes


def test_every_action_code_used_in_src_has_a_label():
    codes = _action_codes_in_src()
    assert len(codes) >= 60, f"the scan should find the codes of every app, found {sorted(codes)}"
    assert {"program.advance", "plan.submit", "plan.approve", "unit.import", "commitment.sign"} <= set(codes)
    missing = {code: where for code, where in codes.items() if code not in ACTIONS}
    assert not missing, f"add these action codes to core.audit.ACTIONS with a translated label: {missing}"


def test_every_key_an_action_records_has_a_label():
    """The keys of a literal `changes={...}` are named by KEY_LABELS or by a model field the action declares."""
    unnamed = []
    for path in SRC.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "audit_record"):
                continue
            keywords = {k.arg: k.value for k in call.keywords}
            action, changes = keywords.get("action"), keywords.get("changes")
            if not (isinstance(action, ast.Constant) and isinstance(changes, ast.Dict)) or action.value not in ACTIONS:
                continue
            declared = ACTIONS[action.value].fields
            unnamed += [f"{path.relative_to(SRC)}:{call.lineno} {action.value} {k.value}" for k in changes.keys
                        if isinstance(k, ast.Constant) and k.value not in KEY_LABELS and k.value not in declared]
    assert not unnamed, f"add these keys to core.audit.KEY_LABELS: {unnamed}"


def test_every_action_label_is_translated_into_indonesian():
    def both(label):
        with translation.override("en"):
            english = str(label)
        with translation.override("id"):
            return english, str(label)

    untranslated = [code for code, a in ACTIONS.items() if len(set(both(a.label))) == 1]
    same_in_both = {"status", "unit", "units", "coach", "email"}  # the same word in both languages
    keys = [key for key, label in KEY_LABELS.items() if len(set(both(label))) == 1 and key not in same_in_both]
    assert not untranslated, untranslated
    assert not keys, keys


# --- readable changes ----------------------------------------------------------------------------


def _page(client, user, query=""):
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_changes_show_field_labels_choice_labels_and_indonesian_dates(world, client):
    from labinov.programs import services as programs

    organiser = world.users["organiser"]
    programs.program_update(actor=organiser, program=world.program, partner="university",
                            starts_on=datetime.date(2019, 4, 1), target_ideas=12000)
    record = AuditRecord.objects.get(action="program.update")
    with translation.override("id"):
        [row] = [r for r in change_rows(record) if r.key == "partner"]
        assert (row.label, row.old.text, row.new.text) == ("Mitra", "LAN RI", "Perguruan tinggi")
        [row] = [r for r in change_rows(record) if r.key == "starts_on"]
        assert (row.label, row.old.text, row.new.text) == ("Mulai", "1 Maret 2019", "1 April 2019")
        [row] = [r for r in change_rows(record) if r.key == "target_ideas"]
        assert (row.old.text, row.new.text) == ("—", "12.000")

    html = _page(client, organiser)
    assert "Program diubah" in html  # the action in words
    assert ">program.update<" not in html and "<code>program" not in html  # never the raw code as text
    assert "Mitra:" in html and "1 Maret 2019" in html and "→" in html and "1 April 2019" in html
    assert "{&#x27;" not in html and "{'" not in html  # no Python dictionaries

    client.cookies["django_language"] = "en"
    with translation.override("en"):
        english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Program edited" in english and "University" in english


def test_stage_and_status_moves_read_old_to_new(world):
    record = audit_record(actor=world.users["organiser"], action="program.advance", obj=world.program,
                          changes={"stage": ["planned", "drum_up"]})
    with translation.override("id"):
        [row] = change_rows(record)
        assert (row.label, row.old.text, row.new.text) == ("Tahap", "Direncanakan", "Drum-up")


def test_long_texts_are_shortened_with_the_whole_text_one_click_away(ideas_world, client):
    from labinov.ideas import services as ideas

    long_problem = "Warga harus datang ke kantor kelurahan berkali-kali. " * 12
    ideas.idea_update(actor=ideas_world.users["organiser"], idea=ideas_world.idea, problem=long_problem)
    html = _page(client, ideas_world.users["organiser"])
    assert "<details class=\"audit-long\">" in html
    summary = html.split('<details class="audit-long"><summary>')[1].split("</summary>")[0]
    assert summary.endswith("…") and len(summary) <= 161
    assert long_problem.strip() in html  # the whole text is there, folded


def test_non_json_values_are_stored_plainly(world):
    record = audit_record(actor=world.users["organiser"], action="api_token.create", obj=world.program,
                          changes={"expires_at": timezone.make_aware(datetime.datetime(2027, 1, 5, 9, 30))})
    record.refresh_from_db()
    assert isinstance(record.changes["expires_at"], str)
    with translation.override("id"):
        assert change_rows(record)[0].value.text.startswith("5 Januari 2027")


# --- filters -------------------------------------------------------------------------------------


@pytest.fixture
def trail(world):
    org, other = world.users["organiser"], world.users["national_admin"]
    a = audit_record(actor=org, action="unit.update", obj=world.kel, changes={"name": ["Kalicacing", "Kelurahan Kalicacing"]})
    b = audit_record(actor=other, action="program.update", obj=world.program, changes={"name": ["Lab", "Lab INAGARA 2019"]})
    c = audit_record(actor=org, action="event.update", obj=world.event, changes={"venue": ["", "Aula Setda"]})
    AuditRecord.objects.filter(pk=a.pk).update(created_at=timezone.make_aware(datetime.datetime(2019, 3, 1, 10)))
    AuditRecord.objects.filter(pk=b.pk).update(created_at=timezone.make_aware(datetime.datetime(2019, 3, 5, 10)))
    AuditRecord.objects.filter(pk=c.pk).update(created_at=timezone.make_aware(datetime.datetime(2019, 3, 9, 10)))
    return a, b, c


def _shown(html) -> set[int]:
    return {int(part.split('"')[0]) for part in html.split('data-record="')[1:]}


def _api_ids(client, query=""):
    response = client.get(API + query)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_filters_by_person_object_type_action_and_dates(world, client, trail):
    a, b, c = trail
    org = world.users["organiser"]
    assert _shown(_page(client, org)) >= {a.pk, b.pk, c.pk}
    assert _shown(_page(client, org, f"?actor={world.users['national_admin'].pk}")) == {b.pk}
    assert _shown(_page(client, org, "?object_type=programs.event")) == {c.pk}
    assert _shown(_page(client, org, "?action=unit.update")) == {a.pk}
    assert _shown(_page(client, org, "?date_from=2019-03-02&date_to=2019-03-06")) == {b.pk}
    assert _shown(_page(client, org, "?date_from=05/03/2019&date_to=09/03/2019")) == {b.pk, c.pk}  # day first
    assert _shown(_page(client, org, f"?object_type=regions.unit&object_id={world.kel.pk}")) == {a.pk}
    # the API takes the same filters
    assert _api_ids(client, f"?actor={world.users['national_admin'].pk}") == {b.pk}
    assert _api_ids(client, "?object_type=programs.event&date_from=2019-03-09&date_to=2019-03-09") == {c.pk}
    assert _api_ids(client, "?action=unit.") == {a.pk}


def test_filter_choices_name_people_and_object_types(world, client, trail):
    html = _page(client, world.users["organiser"])
    assert f'<option value="{world.users["national_admin"].pk}">' in html
    assert '<option value="programs.event">Kegiatan</option>' in html or 'value="programs.event"' in html
    assert '<option value="program.advance">Program maju ke tahap berikutnya</option>' in html


@pytest.mark.parametrize("query, message", [
    ("?date_from=31/02/2019", "Tulis tanggal sebagai hh/bb/tttt, misalnya 14/11/2019."),
    ("?date_from=kemarin", "Tulis tanggal sebagai hh/bb/tttt, misalnya 14/11/2019."),
    ("?date_from=2019-03-09&date_to=2019-03-01", "Tanggal akhir lebih awal daripada tanggal mulai."),
    ("?actor=budi", "Pilih orang dari daftar."),
    (f"?actor={2**64}", "Pilih orang dari daftar."),  # beyond a database id: a message, not a 500
    ("?action=<script>", "Kode tindakan hanya berisi huruf kecil"),
])
def test_bad_filters_get_a_clear_indonesian_message_and_show_nothing(world, client, trail, query, message):
    html = _page(client, world.users["organiser"], query)
    assert message in html and 'id="audit-filter-errors"' in html
    assert not _shown(html)
    response = client.get(API + query)
    assert response.status_code == 422
    assert any(message in d["message"] for d in response.json()["detail"]), response.json()


# --- visibility: drafts stay the unit's (issue 10.5) ---------------------------------------------

DRAFT_TEXTS = ("Posyandu digital rahasia", "Data balita masih dicatat di buku", "Aplikasi pencatatan posyandu")


@pytest.fixture
def draft_trail(ideas_world):
    """A draft written and edited by the unit's innovator, through the services."""
    from labinov.ideas import services as ideas

    w = ideas_world
    draft = ideas.idea_create(actor=w.users["innovator"], program=w.program, unit=w.kel, title=DRAFT_TEXTS[0],
                              problem=DRAFT_TEXTS[1], proposed_change="Pencatatan manual", form="pelayanan_publik",
                              initiator="perangkat_daerah")
    ideas.idea_update(actor=w.users["innovator"], idea=draft, proposed_change=DRAFT_TEXTS[2])
    w.secret = draft
    return w


def test_organisers_do_not_see_a_units_draft_in_the_audit_page_or_api(draft_trail, client):
    w = draft_trail
    organiser = w.users["organiser"]
    html = _page(client, organiser)
    for text in DRAFT_TEXTS:
        assert text not in html
    records = AuditRecord.objects.filter(object_type="ideas.idea", object_id=str(w.secret.pk))
    assert records.count() == 2 and _shown(html) >= set(records.values_list("pk", flat=True))  # who and when stay
    assert "Tidak ditampilkan: Anda tidak berhak melihat objek ini." in html

    body = client.get(API).content.decode()
    for text in DRAFT_TEXTS:
        assert text not in body
    items = [i for i in client.get(API).json()["items"] if i["object_type"] == "ideas.idea"]
    assert items and all(i["hidden"] and i["changes"] == {} and i["object_repr"] == "" and i["change_rows"] == [] for i in items)
    # nor through a filter on the object, nor for a national admin
    assert DRAFT_TEXTS[0] not in _page(client, organiser, f"?object_type=ideas.idea&object_id={w.secret.pk}")
    assert DRAFT_TEXTS[0] not in _page(client, w.users["national_admin"])


def test_the_units_own_rule_still_holds(draft_trail, client):
    w = draft_trail
    records = list(AuditRecord.objects.filter(object_type="ideas.idea", object_id=str(w.secret.pk)))
    # the unit's people (and the writer) may read the draft's records; the organiser may not
    assert hidden_record_ids(w.users["innovator"], records) == set()
    assert hidden_record_ids(w.users["unit_head"], records) == set()
    assert hidden_record_ids(w.users["organiser"], records) == {r.pk for r in records}
    shown = audit_present(records, viewer=w.users["unit_head"])
    assert any(DRAFT_TEXTS[2] in (row.new.text if row.new else "") for r in shown for row in r.change_rows)
    # and the idea pages keep their rule: the unit sees its draft, the organiser gets 404
    url = f"/pemda/3373/programs/{w.program.pk}/ideas/{w.secret.pk}/"
    client.force_login(w.users["innovator"])
    assert client.get(url).status_code == 200
    client.force_login(w.users["organiser"])
    assert client.get(url).status_code == 404


def test_a_submitted_idea_shows_its_records_from_the_submission_on(draft_trail, client):
    from labinov.ideas import services as ideas

    w = draft_trail
    ideas.idea_submit(actor=w.users["innovator"], idea=w.secret)
    ideas.idea_update(actor=w.users["innovator"], idea=w.secret, title="Posyandu digital")
    records = {r.action: r for r in AuditRecord.objects.filter(object_type="ideas.idea", object_id=str(w.secret.pk))}
    hidden = hidden_record_ids(w.users["organiser"], list(records.values()))
    # written while it was a draft: still the unit's
    assert records["idea.create"].pk in hidden
    assert records["idea.submit"].pk not in hidden
    html = _page(client, w.users["organiser"])
    assert "Posyandu digital" in html and "Data balita masih dicatat di buku" not in html


def test_an_organiser_who_wrote_a_draft_reads_its_records(ideas_world):
    from labinov.ideas import services as ideas

    w = ideas_world
    draft = ideas.idea_create(actor=w.users["organiser"], program=w.program, unit=w.sd, title="Draf penyelenggara",
                              problem="Masalah", proposed_change="Gagasan", form="pelayanan_publik", initiator="perangkat_daerah")
    records = list(AuditRecord.objects.filter(object_type="ideas.idea", object_id=str(draft.pk)))
    assert records and hidden_record_ids(w.users["organiser"], records) == set()


# --- queries do not grow with records --------------------------------------------------------------


def _bulk(world, idea_ids, n, start):
    kinds = [("regions.unit", str(world.kel.pk), "unit.update", {"name": ["a", "b"]}),
             ("programs.program", str(world.program.pk), "program.advance", {"stage": ["planned", "drum_up"]}),
             ("ideas.idea", None, "idea.update", {"title": ["x", "y"]})]
    rows = []
    for i in range(start, start + n):
        object_type, object_id, action, changes = kinds[i % 3]
        rows.append(AuditRecord(actor=world.users["organiser" if i % 2 else "innovator"], pemda=world.own, action=action,
                                object_type=object_type, object_id=object_id or str(idea_ids[i % len(idea_ids)]),
                                object_repr=f"Catatan {i:02d}", changes=changes))
    AuditRecord.objects.bulk_create(rows)


def test_page_and_api_queries_do_not_grow_with_records(ideas_world, client):
    w = ideas_world
    client.force_login(w.users["organiser"])
    idea_ids = [w.idea.pk, w.draft.pk, w.sd_idea.pk]

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    _bulk(w, idea_ids, 5, 0)
    small_page, html = count(URL)
    small_api, _ = count(API)
    assert len(_shown(html)) >= 5
    _bulk(w, idea_ids, 45, 5)
    large_page, html = count(URL)
    large_api, body = count(API)
    assert len(_shown(html)) == 50 and '"count":' in body
    assert (small_page, small_api) == (large_page, large_api)


def test_the_api_gives_the_same_readable_rows_as_the_page(world, client, trail):
    a, _b, _c = trail
    client.force_login(world.users["organiser"])
    [item] = client.get(API + "?action=unit.update", HTTP_ACCEPT_LANGUAGE="id").json()["items"]
    assert item["id"] == a.pk and item["action"] == "unit.update" and item["action_label"] == "Unit diubah"
    assert item["object_type_label"] == "unit" and item["hidden"] is False and item["object_repr"] == "Kelurahan Kalicacing"
    assert item["change_rows"] == [{"key": "name", "label": "Nama", "old": {"text": "Kalicacing", "full": ""},
                                    "new": {"text": "Kelurahan Kalicacing", "full": ""}, "value": None}]
    assert item["changes"] == {"name": ["Kalicacing", "Kelurahan Kalicacing"]}
