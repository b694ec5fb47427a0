"""People, memberships, invitations and password reset."""

from __future__ import annotations

import hashlib

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from labinov.core.models import AuditRecord
from labinov.core.roles import Role
from labinov.people.models import Invitation, Membership, Person, User
from labinov.people.services import membership_grant, membership_revoke, person_create, person_update

STRONG = "Kalicacing-Sidomukti-77"
LINK = re.compile(r"https?://testserver(/\S+)")


def _errors(info) -> dict:
    return info.value.message_dict


# --- person_create -------------------------------------------------------------------------------


def test_person_create_with_valid_nip_normalises_it_and_audits(world):
    organiser = world.users["organiser"]
    person = person_create(actor=organiser, pemda=world.own, name="  Budi Santoso ", nip="19801024 200604 1 009", unit=world.kel)
    person.refresh_from_db()
    assert (person.name, person.nip, person.unit_id, person.pemda_id) == ("Budi Santoso", "198010242006041009", world.kel.pk, world.own.pk)
    record = AuditRecord.objects.get(action="person.create", object_id=str(person.pk))
    assert (record.actor_id, record.pemda_id) == (organiser.pk, world.own.pk)


def test_person_without_nip_is_allowed_and_several_may_lack_one(world):
    person_create(actor=None, pemda=world.own, name="Honorer Satu", nip="")
    person_create(actor=None, pemda=world.own, name="Honorer Dua", nip="")
    assert Person.objects.filter(pemda=world.own, nip="").count() == 2


@pytest.mark.parametrize("nip", ["123", "198013322006041009", "198010242006043009", "19801024200604100A"])
def test_person_create_with_invalid_nip_fails_on_nip_and_creates_nothing(world, nip):
    people, audits = Person.objects.count(), AuditRecord.objects.count()
    with pytest.raises(ValidationError) as info:
        person_create(actor=world.users["organiser"], pemda=world.own, name="Salah NIP", nip=nip)
    assert "nip" in _errors(info)
    assert Person.objects.count() == people
    assert AuditRecord.objects.count() == audits


def test_duplicate_nip_in_the_same_pemda_is_refused_even_when_typed_differently(world):
    # world.person has NIP 198010242006042009 in Kota Salatiga.
    with pytest.raises(ValidationError) as info:
        person_create(actor=None, pemda=world.own, name="Kembaran", nip="19801024 200604 2 009")
    assert set(_errors(info)) == {"nip"}
    assert Person.objects.filter(nip="198010242006042009").count() == 1


def test_same_nip_in_another_pemda_is_allowed(world):
    person = person_create(actor=None, pemda=world.other, name="Pindahan", nip="198010242006042009")
    assert person.pk and person.pemda_id == world.other.pk
    assert Person.objects.filter(nip="198010242006042009").count() == 2


def test_person_update_keeping_its_own_nip_is_not_a_duplicate(world):
    person_update(actor=None, person=world.person, jabatan="Lurah")
    world.person.refresh_from_db()
    assert world.person.jabatan == "Lurah"


def test_person_update_to_an_existing_nip_is_refused(world):
    other = person_create(actor=None, pemda=world.own, name="Lain", nip="198010242006041009")
    with pytest.raises(ValidationError) as info:
        person_update(actor=None, person=other, nip="198010242006042009")
    assert "nip" in _errors(info)
    other.refresh_from_db()
    assert other.nip == "198010242006041009"


def test_person_with_a_unit_of_another_pemda_is_refused(world):
    count = Person.objects.count()
    with pytest.raises(ValidationError) as info:
        person_create(actor=None, pemda=world.own, name="Salah Unit", unit=world.other_unit)
    assert "unit" in _errors(info)
    assert Person.objects.count() == count


def test_duplicate_nip_in_fullwidth_digits_is_refused(world):
    with pytest.raises(ValidationError):
        person_create(actor=None, pemda=world.own, name="Kembaran", nip="１９８０１０２４２００６０４2００９")


# --- membership_grant ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.UNIT_HEAD, Role.INNOVATOR])
def test_unit_roles_need_a_unit(world, make_user, role):
    user = make_user("baru@salatiga.test")
    with pytest.raises(ValidationError) as info:
        membership_grant(actor=None, user=user, role=role, pemda=world.own, unit=None)
    assert "unit" in _errors(info)
    assert not Membership.objects.filter(user=user).exists()


def test_unit_role_with_a_unit_of_another_pemda_is_refused(world, make_user):
    user = make_user("baru@salatiga.test")
    with pytest.raises(ValidationError) as info:
        membership_grant(actor=None, user=user, role=Role.UNIT_HEAD, pemda=world.own, unit=world.other_unit)
    assert "unit" in _errors(info)
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.NATIONAL_COACH])
def test_national_roles_are_not_granted_in_a_pemda(world, make_user, role):
    user = make_user("baru@salatiga.test")
    with pytest.raises(ValidationError) as info:
        membership_grant(actor=None, user=user, role=role, pemda=world.own)
    assert "role" in _errors(info)
    assert not Membership.objects.filter(user=user).exists()


def test_national_role_without_a_pemda_is_granted(world, make_user):
    user = make_user("lan@lan.test")
    membership = membership_grant(actor=world.users["national_admin"], user=user, role=Role.NATIONAL_COACH)
    assert (membership.pemda_id, membership.unit_id, membership.role) == (None, None, "national_coach")


def test_pemda_role_without_a_pemda_is_refused(world, make_user):
    user = make_user("baru@salatiga.test")
    with pytest.raises(ValidationError) as info:
        membership_grant(actor=None, user=user, role=Role.ORGANISER, pemda=None)
    assert "role" in _errors(info)


def test_unknown_role_is_refused(world, make_user):
    user = make_user("baru@salatiga.test")
    with pytest.raises(ValidationError):
        membership_grant(actor=None, user=user, role="bupati", pemda=world.own)


def test_pemda_wide_role_drops_the_unit_and_granting_twice_is_one_membership(world, make_user):
    user = make_user("baru@salatiga.test")
    organiser = world.users["organiser"]
    first = membership_grant(actor=organiser, user=user, role=Role.VERIFIER, pemda=world.own, unit=world.kel)
    second = membership_grant(actor=organiser, user=user, role=Role.VERIFIER, pemda=world.own, unit=world.kel)
    assert first.pk == second.pk and first.unit_id is None
    assert AuditRecord.objects.filter(action="membership.grant", object_id=str(first.pk)).count() == 1


def test_membership_revoke_removes_the_role_and_audits(world):
    membership = Membership.objects.get(user=world.users["verifier"], pemda=world.own)
    membership_revoke(actor=world.users["organiser"], membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    record = AuditRecord.objects.get(action="membership.revoke")
    assert (record.actor_id, record.pemda_id) == (world.users["organiser"].pk, world.own.pk)


# --- invitation flow through the pages -----------------------------------------------------------


def _invite(client, world, capture, email="warga.baru@salatiga.test", role="innovator", unit=None):
    client.force_login(world.users["organiser"])
    with capture(execute=True):
        response = client.post("/pemda/3373/members/invite/", {
            "full_name": "Warga Baru", "email": email, "role": role,
            "unit": unit.pk if unit else "", "submission_token": f"invite-{email}",
        })
    client.logout()
    return response


def _accept_link(email: str) -> str:
    mails = [m for m in mail.outbox if email in m.to]
    assert len(mails) == 1, [m.to for m in mail.outbox]
    found = LINK.findall(mails[0].body)
    assert found, mails[0].body
    return found[0]


def test_invitation_flow_creates_account_logs_in_and_grants_role(client, world, django_capture_on_commit_callbacks):
    email = "warga.baru@salatiga.test"
    response = _invite(client, world, django_capture_on_commit_callbacks, email=email, unit=world.kel)
    assert response.status_code == 302 and response.url.endswith("/pemda/3373/members/")
    invitation = Invitation.objects.get(email=email)
    link = _accept_link(email)
    token = link.removeprefix("/invitation/").removesuffix("/")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()  # only the hash is stored

    page = client.get(link)  # anonymous
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()

    response = client.post(link, {"full_name": "Warga Baru", "password1": STRONG, "password2": STRONG,
                                  "submission_token": page.context["form"]["submission_token"].value()})
    assert response.status_code == 302 and response.url == "/"
    user = User.objects.get(email=email)
    assert user.check_password(STRONG)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Membership.objects.filter(user=user, role="innovator", pemda=world.own, unit=world.kel).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AuditRecord.objects.filter(action="invitation.accept", actor=user, pemda=world.own).exists()

    # The link is spent: a second accept (also by someone else) finds nothing.
    client.logout()
    assert client.get(link).status_code == 404
    again = client.post(link, {"full_name": "X", "password1": STRONG + "x", "password2": STRONG + "x"})
    assert again.status_code == 404
    assert User.objects.filter(email=email).count() == 1


@pytest.mark.parametrize("weak", ["12345678901", "password123", "rahasia"])
def test_weak_password_is_refused_and_creates_no_account(client, world, django_capture_on_commit_callbacks, weak):
    email = "lemah@salatiga.test"
    _invite(client, world, django_capture_on_commit_callbacks, email=email, role="coach")
    link = _accept_link(email)
    response = client.post(link, {"full_name": "Lemah", "password1": weak, "password2": weak})
    assert response.status_code == 200
    assert response.context["form"].errors.get("password1")
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.filter(email=email).exists()
    assert "_auth_user_id" not in client.session
    assert Invitation.objects.get(email=email).accepted_at is None


def test_differing_passwords_are_refused(client, world, django_capture_on_commit_callbacks):
    email = "beda@salatiga.test"
    _invite(client, world, django_capture_on_commit_callbacks, email=email, role="coach")
    response = client.post(_accept_link(email), {"full_name": "Beda", "password1": STRONG, "password2": STRONG + "!"})
    assert response.status_code == 200
    assert response.context["form"].errors.get("password2")
    assert not User.objects.filter(email=email).exists()


def test_invite_a_unit_role_without_unit_shows_the_error_and_sends_nothing(client, world, django_capture_on_commit_callbacks):
    response = _invite(client, world, django_capture_on_commit_callbacks, email="tanpa.unit@salatiga.test", role="unit_head")
    assert response.status_code == 200
    assert response.context["form"].errors.get("unit")
    assert mail.outbox == []
    assert not Invitation.objects.filter(email="tanpa.unit@salatiga.test").exists()


def test_second_open_invitation_for_the_same_role_is_refused(client, world, django_capture_on_commit_callbacks):
    _invite(client, world, django_capture_on_commit_callbacks, email="dua.kali@salatiga.test", role="coach")
    client.force_login(world.users["organiser"])
    response = client.post("/pemda/3373/members/invite/", {
        "full_name": "Dua Kali", "email": "DUA.KALI@salatiga.test", "role": "coach", "submission_token": "another"})
    assert response.status_code == 200
    assert response.context["form"].errors.get("email")
    assert Invitation.objects.filter(email="dua.kali@salatiga.test").count() == 1
    assert len(mail.outbox) == 1


def test_invitation_for_an_existing_account_is_accepted_only_by_that_account(client, world, django_capture_on_commit_callbacks):
    """The link must not log its holder into an existing account, nor silently ignore a typed password."""
    from tests.conftest import PASSWORD

    email = "nobody@example.test"  # world.users["no_role"]
    owner = world.users["no_role"]
    _invite(client, world, django_capture_on_commit_callbacks, email=email, role="verifier")
    link = _accept_link(email)
    invitation = Invitation.objects.get(email=email)

    # Anonymous: sent to log in, nothing granted, the password untouched.
    for response in (client.get(link), client.post(link, {"full_name": "X", "password1": STRONG, "password2": STRONG})):
        assert response.status_code == 302 and response.url.startswith("/login/")
        assert f"next={link}" in response.url
    assert "_auth_user_id" not in client.session
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD) and not owner.check_password(STRONG)
    assert not Membership.objects.filter(user=owner, role="verifier").exists()

    # Someone else's account cannot take it.
    client.force_login(world.users["innovator"])
    response = client.post(link, {"submission_token": "accept-wrong"})
    assert response.status_code == 200
    assert not Membership.objects.filter(role="verifier", user=world.users["innovator"]).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None

    # The owner, logged in, confirms and gets the role.
    client.force_login(owner)
    assert client.get(link).status_code == 200
    response = client.post(link, {"submission_token": "accept-owner"})
    assert response.status_code == 302 and response.url == "/"
    assert Membership.objects.filter(user=owner, role="verifier", pemda=world.own).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(link).status_code == 404


# --- password reset ------------------------------------------------------------------------------


def test_password_reset_sends_a_working_link(client, world):
    email = "organiser@salatiga.test"
    response = client.post("/password/reset/", {"email": email})
    assert response.status_code == 302 and response.url == "/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    link = LINK.findall(mail.outbox[0].body)[0]
    assert link.startswith("/password/reset/")

    page = client.get(link, follow=True)  # Django swaps the token for a session and redirects to .../set-password/
    assert page.status_code == 200
    assert page.context["validlink"] is True
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302 and done.url == "/password/reset/done/"
    assert User.objects.get(email=email).check_password(STRONG)
    assert client.login(email=email, password=STRONG)

    # The link works once.
    client.logout()
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_of_an_unknown_email_sends_nothing_but_looks_the_same(client, world):
    response = client.post("/password/reset/", {"email": "tidak.ada@salatiga.test"})
    assert response.status_code == 302 and response.url == "/password/reset/sent/"
    assert mail.outbox == []


def test_password_reset_mail_names_the_account(client, world):
    client.post("/password/reset/", {"email": "ORGANISER@salatiga.test"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["organiser@salatiga.test"]
    assert "organiser@salatiga.test" in mail.outbox[0].body
