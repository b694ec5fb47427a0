"""Personal data (UU PDP 27/2022): one's own data as a page and a JSON download, anonymising a person
while the innovation history keeps reading, and the retention applied by `labinov cleanup`."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from labinov.core.models import AuditRecord
from labinov.core.roles import Role

OLD = {"name": "Dra. Ratna Widyaningsih, M.Si", "nip": "197705122003122004", "jabatan": "Kepala Bidang Litbang",
       "email": "ratna.widya@salatiga.test", "phone": "081325557788"}


@pytest.fixture
def ratna(world, make_user):
    """An innovator of the own pemda with a people record, a token, an invitation, a lock and audit records."""
    from labinov.api.services import api_token_create
    from labinov.people import services
    from labinov.people.models import AuthThrottle, Invitation

    user = make_user(OLD["email"], Role.INNOVATOR, world.own, world.kel, full_name=OLD["name"])
    person = services.person_create(actor=world.users["organiser"], pemda=world.own, unit=world.kel,
                                    **{k: OLD[k] for k in ("name", "nip", "jabatan", "email", "phone")})
    services.person_update(actor=world.users["organiser"], person=person, jabatan=OLD["jabatan"] + " ")
    person.user = user
    person.save(update_fields=["user"])
    token, plain = api_token_create(actor=user, name="Skrip laporan")
    Invitation.objects.create(pemda=world.own, email=OLD["email"], full_name=OLD["name"], role=Role.COACH,
                              token_hash="a" * 64, invited_by=world.users["organiser"])
    AuthThrottle.objects.create(scope="login_account", key=OLD["email"], count=3)
    cancelled = services.invitation_create(actor=world.users["organiser"], pemda=world.own, email=OLD["email"],
                                           full_name=OLD["name"], role=Role.VERIFIER, accept_url_builder=lambda t: t)
    services.invitation_cancel(actor=world.users["organiser"], invitation=cancelled)
    return type("Ratna", (), {"user": user, "person": person, "token": token, "plain": plain})


# --------------------------------------------------------------------------- my data


def test_my_data_page_shows_what_is_held_and_its_processing_in_words(world, ratna, client):
    client.force_login(ratna.user)
    html = client.get("/account/data/").content.decode()
    for value in (OLD["name"], OLD["nip"], OLD["phone"], OLD["email"], "Kelurahan Kalicacing", "Skrip laporan",
                  "Kota Salatiga"):
        assert value in html, value
    assert ratna.plain not in html and ratna.token.key_hash not in html
    assert "Personel ditambahkan" in html  # the audit record in words, not "person.create"
    assert 'data-action="person.create"' in html and 'data-action="api_token.create"' in html
    assert 'href="/account/data/"' in html  # the account menu links to it


def test_my_data_json_holds_the_account_roles_people_tokens_locks_and_audit(world, ratna, client):
    client.force_login(ratna.user)
    response = client.get("/account/data.json")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] and "no-store" in response["Cache-Control"]
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert ratna.plain.encode() not in raw and ratna.token.key_hash.encode() not in raw
    doc = json.loads(raw)
    assert doc["account"]["email"] == OLD["email"]
    assert [r["pemda"] for r in doc["roles"]] == ["Kota Salatiga"]
    [record] = doc["people_records"]
    assert {k: record[k] for k in ("name", "nip", "email", "phone")} == {k: OLD[k] for k in ("name", "nip", "email", "phone")}
    assert record["unit"] == "Kelurahan Kalicacing" and record["linked_to_account"] is True
    assert [t["name"] for t in doc["api_tokens"]] == ["Skrip laporan"] and doc["api_tokens"][0]["expires"]
    assert [i["role"] for i in doc["invitations"]] == [str(Role.COACH.label)]
    assert doc["login_locks"][0]["attempts"] == 3
    actions = {r["action"] for r in doc["audit_records"]}
    # as the actor (the token), as the object (their people record, their role)
    assert {"api_token.create", "person.create", "person.update", "membership.grant", "invitation.cancel"} <= actions
    edit = next(r for r in doc["audit_records"] if r["action"] == "person.update")
    assert edit["action_label"] and edit["changes"][0]["field"] and "old" in edit["changes"][0]


def test_my_data_holds_nothing_about_anyone_else(world, ratna, client):
    client.force_login(world.users["coach"])
    raw = b"".join(client.get("/account/data.json").streaming_content)
    doc = json.loads(raw)
    assert doc["account"]["email"] == "coach@salatiga.test"
    assert doc["people_records"] == [] and doc["api_tokens"] == [] and doc["login_locks"] == []
    for value in (OLD["name"], OLD["nip"], OLD["phone"], "Skrip laporan", "Sri Lestari"):
        assert value.encode() not in raw, value
    assert all(r["action"] == "membership.grant" for r in doc["audit_records"])


def test_my_data_page_query_count_does_not_grow_with_records(world, ratna, client):
    from labinov.people import services

    client.force_login(ratna.user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/account/data/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    client.get("/account/data/")
    small = count()
    for i in range(30):
        services.person_update(actor=ratna.user, person=ratna.person, phone=f"08132555{i:04d}")
    large = count()
    assert large == small


# --------------------------------------------------------------------------- anonymising


def _all_text(*rows) -> str:
    from django.core import serializers

    return serializers.serialize("json", rows)


def _has_old_value(text: str) -> list[str]:
    return [v for v in (OLD["name"], "Ratna", "Widyaningsih", OLD["nip"], OLD["email"], "ratna.widya", OLD["phone"],
                        OLD["jabatan"]) if v in text]


def test_a_national_admin_anonymises_a_person_with_an_account(ideas_world, ratna, client):
    from labinov.api.models import ApiToken
    from labinov.delivery.models import Commitment, CommitmentStatus
    from labinov.ideas.models import Idea
    from labinov.people.models import AuthThrottle, Invitation, Person, User

    world = ideas_world
    Idea.objects.filter(pk=world.idea.pk).update(created_by=ratna.user)
    draft = Commitment.objects.create(pemda=world.own, program=world.program, unit=world.kel, sequence=1, number="1/DRAFT",
                                      unit_head_name=OLD["name"], unit_head_nip=OLD["nip"], unit_head_position=OLD["jabatan"])
    signed = Commitment.objects.create(pemda=world.own, program=world.program, unit=world.sd, sequence=2, number="2/SIGNED",
                                       status=CommitmentStatus.SIGNED_BY_UNIT_HEAD, unit_head_name=OLD["name"],
                                       unit_head_nip=OLD["nip"], unit_head_signed_by=OLD["name"],
                                       unit_head_signed_on=datetime.date(2019, 5, 2), frozen_section="<p>Ratna</p>")
    api = client.__class__()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {ratna.plain}").status_code == 200
    before = set(AuditRecord.objects.values_list("pk", flat=True))

    client.force_login(world.users["national_admin"])
    url = f"/pemda/3373/people/{ratna.person.pk}/anonymise/"
    page = client.get(url).content.decode()
    assert "tidak dapat dibatalkan" in page or "cannot be undone" in page
    # without the confirmation nothing changes
    response = client.post(url, {"submission_token": "t1"})
    assert response.status_code == 200
    assert Person.objects.get(pk=ratna.person.pk).name == OLD["name"]
    response = client.post(url, {"submission_token": "t2", "confirm": "on"})
    assert response.status_code == 302

    person = Person.objects.get(pk=ratna.person.pk)
    user = User.objects.get(pk=ratna.user.pk)
    assert person.name == f"Anonim {person.pk}" and (person.nip, person.jabatan, person.email, person.phone) == ("", "", "", "")
    assert person.user_id == user.pk and person.unit_id == world.kel.pk
    assert not user.is_active and not user.has_usable_password() and user.full_name == person.name
    assert _has_old_value(_all_text(person, user)) == []
    assert not ApiToken.objects.filter(user=user, revoked=False).exists()
    assert not AuthThrottle.objects.filter(key__iexact=OLD["email"]).exists()
    assert not Invitation.objects.filter(email__iexact=OLD["email"]).exists()
    new = list(AuditRecord.objects.exclude(pk__in=before))
    assert [r.action for r in new] == ["person.anonymise"]
    assert _has_old_value(_all_text(*new)) == []
    assert new[0].changes == {"account": True, "drafts": 1, "tokens_revoked": 1}
    # the token no longer works
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {ratna.plain}").status_code == 401

    # the unsigned draft takes the neutral name; the signed document is a legal record and stays
    draft.refresh_from_db()
    signed.refresh_from_db()
    assert (draft.unit_head_name, draft.unit_head_nip, draft.unit_head_position) == (person.name, "", "")
    assert (signed.unit_head_name, signed.unit_head_nip, signed.unit_head_signed_by) == (OLD["name"], OLD["nip"], OLD["name"])
    assert signed.frozen_section == "<p>Ratna</p>" and signed.status == CommitmentStatus.SIGNED_BY_UNIT_HEAD

    # the innovation history still reads: the idea keeps its author, the audit page its records
    assert Idea.objects.get(pk=world.idea.pk).created_by_id == user.pk
    client.force_login(world.users["organiser"])
    assert client.get(f"/pemda/3373/programs/{world.program.pk}/ideas/{world.idea.pk}/").status_code == 200
    audit = client.get("/pemda/3373/audit/").content.decode()
    assert person.name in audit and 'data-action="person.anonymise"' in audit


def test_an_organiser_anonymises_a_person_without_an_account_but_not_one_with(world, ratna, client):
    from labinov.people.models import Person

    client.force_login(world.users["organiser"])
    response = client.post(f"/pemda/3373/people/{world.person.pk}/anonymise/", {"submission_token": "x", "confirm": "on"})
    assert response.status_code == 302
    person = Person.objects.get(pk=world.person.pk)
    assert person.name.startswith("Anonim ") and person.nip == ""
    record = AuditRecord.objects.get(action="person.anonymise")
    assert record.changes == {"account": False, "drafts": 0, "tokens_revoked": 0}
    assert "Sri Lestari" not in _all_text(record, person) and "198010242006042009" not in _all_text(record, person)

    # a person with an account: only a national admin
    url = f"/pemda/3373/people/{ratna.person.pk}/anonymise/"
    assert 'id="anonymise-refused"' in client.get(url).content.decode()
    assert client.post(url, {"submission_token": "y", "confirm": "on"}).status_code == 403
    assert Person.objects.get(pk=ratna.person.pk).name == OLD["name"]
    # another pemda's person does not exist for them
    assert client.get(f"/pemda/3672/people/{world.other_person.pk}/anonymise/").status_code == 404


def test_the_last_organiser_cannot_be_anonymised(world, client):
    from django.core.exceptions import ValidationError

    from labinov.people import services
    from labinov.people.models import Person

    person = Person.objects.create(pemda=world.other, name="Budi Organiser", user=world.users["other_organiser"])
    with pytest.raises(ValidationError):
        services.person_anonymise(actor=world.users["national_admin"], person=person)
    assert Person.objects.get(pk=person.pk).name == "Budi Organiser"
    assert world.users["other_organiser"].__class__.objects.get(pk=world.users["other_organiser"].pk).is_active


# --------------------------------------------------------------------------- retention


def _age(model, pk, days, field="created_at"):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - datetime.timedelta(days=days)})


def test_cleanup_deletes_audit_records_older_than_the_retention(world, settings):
    settings.LABINOV_AUDIT_RETENTION_DAYS = 30
    old = AuditRecord.objects.create(action="person.update", object_type="people.person", object_repr="lama")
    kept = AuditRecord.objects.create(action="person.update", object_type="people.person", object_repr="baru")
    _age(AuditRecord, old.pk, 31)
    _age(AuditRecord, kept.pk, 29)
    call_command("cleanup", stdout=open("/dev/null", "w"))
    assert not AuditRecord.objects.filter(pk=old.pk).exists() and AuditRecord.objects.filter(pk=kept.pk).exists()
    settings.LABINOV_AUDIT_RETENTION_DAYS = 0  # kept for ever
    _age(AuditRecord, kept.pk, 10000)
    call_command("cleanup", stdout=open("/dev/null", "w"))
    assert AuditRecord.objects.filter(pk=kept.pk).exists()


def test_the_default_audit_retention_is_five_years():
    from django.conf import settings

    assert settings.LABINOV_AUDIT_RETENTION_DAYS >= 5 * 365 and settings.LABINOV_IMPORT_RETENTION_DAYS == 90


def test_cleanup_deletes_finished_imports_and_their_files_but_not_running_ones(ideas_world, settings):
    from labinov.ideas.models import IdeaImport, ImportStatus

    settings.LABINOV_IMPORT_RETENTION_DAYS = 90
    folder = settings.MEDIA_ROOT / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "old.xlsx").write_bytes(b"PK")

    def imp(status, days, stored=""):
        i = IdeaImport.objects.create(program=ideas_world.program, file_name="ide.xlsx", file_sha256="0" * 64,
                                      status=status, stored_file=stored, errors=[{"row": 2, "message": "Ratna"}])
        _age(IdeaImport, i.pk, days, "updated_at")
        return i.pk

    old_done = imp(ImportStatus.DONE, 91)
    old_failed = imp(ImportStatus.FAILED, 100, "imports/old.xlsx")
    recent = imp(ImportStatus.DONE, 10)
    running = imp(ImportStatus.READING, 100)
    call_command("cleanup", stdout=open("/dev/null", "w"))
    left = set(IdeaImport.objects.values_list("pk", flat=True))
    assert old_done not in left and old_failed not in left
    assert {recent, running} <= left
    assert not (folder / "old.xlsx").exists()


def test_cleanup_deletes_expired_sessions(world, client):
    from django.contrib.sessions.models import Session

    client.force_login(world.users["organiser"])
    live = Session.objects.get()
    expired = Session.objects.create(session_key="x" * 32, session_data="e30:1:x",
                                     expire_date=timezone.now() - datetime.timedelta(minutes=1))
    call_command("cleanup", stdout=open("/dev/null", "w"))
    assert set(Session.objects.values_list("pk", flat=True)) == {live.pk}
    assert not Session.objects.filter(pk=expired.pk).exists()


def test_a_national_admin_anonymises_an_account_without_a_people_record(world, client):
    from labinov.api.services import api_token_create
    from labinov.people.models import Membership, User

    coach = world.users["coach"]
    api_token_create(actor=coach, name="Rekap")
    membership = Membership.objects.get(user=coach)
    url = f"/pemda/3373/members/{membership.pk}/anonymise/"
    # an organiser may not, not even see the page
    client.force_login(world.users["organiser"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"submission_token": "a", "confirm": "on"}).status_code == 403
    assert User.objects.get(pk=coach.pk).is_active
    client.force_login(world.users["national_admin"])
    assert "Anonimkan" in client.get("/pemda/3373/members/").content.decode()
    assert client.post(url, {"submission_token": "b", "confirm": "on"}).status_code == 302
    coach = User.objects.get(pk=coach.pk)
    assert coach.full_name == f"Anonim {coach.pk}" and not coach.is_active and "salatiga" not in coach.email
    assert not coach.api_tokens.filter(revoked=False).exists()
    record = AuditRecord.objects.get(action="account.anonymise")
    assert record.changes == {"people": 0, "drafts": 0, "tokens_revoked": 1}
    assert "coach@salatiga.test" not in _all_text(record, coach) and "Coach" not in record.object_repr
    # the role stays (the history of who coached), held by the anonymous, inactive account
    assert Membership.objects.filter(user=coach, role=Role.COACH).exists()
