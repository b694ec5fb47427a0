"""An invitation link never logs anyone into an existing account."""

import hashlib

from django.urls import reverse

from labinov.people.models import Invitation, Membership


def _invite(world, email):
    inv = Invitation.objects.create(pemda=world.own, email=email, full_name="X", role="coach",
                                    token_hash=hashlib.sha256(("t-" + email).encode()).hexdigest())
    inv.token = "t-" + email  # the link's token; only its hash is stored
    return inv


def test_link_for_an_existing_account_asks_to_log_in(world, client):
    inv = _invite(world, world.users["leader"].email)
    url = reverse("invitation_accept", args=[inv.token])
    r = client.get(url)
    assert r.status_code == 302 and reverse("login") in r["Location"]
    r = client.post(url, {"full_name": "Attacker", "password1": "Sangat-Rahasia-99", "password2": "Sangat-Rahasia-99"})
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(user=world.users["leader"], role="coach").exists()


def test_owner_accepts_after_logging_in(world, client):
    inv = _invite(world, world.users["leader"].email)
    client.force_login(world.users["leader"])
    url = reverse("invitation_accept", args=[inv.token])
    assert client.get(url).status_code == 200
    client.post(url, {})
    assert Membership.objects.filter(user=world.users["leader"], role="coach", pemda=world.own).exists()


def test_someone_else_logged_in_cannot_take_it(world, client):
    inv = _invite(world, world.users["leader"].email)
    client.force_login(world.users["innovator"])
    client.post(reverse("invitation_accept", args=[inv.token]), {})
    assert not Membership.objects.filter(user=world.users["innovator"], role="coach").exists()
    inv.refresh_from_db()
    assert inv.accepted_at is None


def test_an_expired_link_no_longer_opens(world, client, settings):
    import datetime

    from django.utils import timezone

    inv = _invite(world, "late@salatiga.test")
    Invitation.objects.filter(pk=inv.pk).update(created_at=timezone.now() - datetime.timedelta(days=settings.LABINOV_INVITATION_DAYS + 1))
    assert client.get(reverse("invitation_accept", args=[inv.token])).status_code == 404


def test_resend_replaces_the_link_and_cancel_removes_it(world, client, django_capture_on_commit_callbacks):
    from django.core import mail

    inv = _invite(world, "again@salatiga.test")
    client.force_login(world.users["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_resend", args=[world.own.slug, inv.pk]))
    assert client.get(reverse("invitation_accept", args=[inv.token])).status_code in (302, 404)  # the old link is dead
    assert len(mail.outbox) == 1 and "/invitation/" in mail.outbox[0].body
    client.post(reverse("invitation_cancel", args=[world.own.slug, inv.pk]))
    assert not Invitation.objects.filter(pk=inv.pk).exists()


def test_a_mail_server_outage_does_not_fail_the_invitation(world, client, django_capture_on_commit_callbacks, monkeypatch):
    import labinov.core.mail as labinov_mail

    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(labinov_mail, "send_mail", broken)
    client.force_login(world.users["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("member_invite", args=[world.own.slug]),
                        {"full_name": "Baru", "email": "baru@salatiga.test", "role": "coach"})
    assert r.status_code == 302
    assert Invitation.objects.filter(email="baru@salatiga.test").exists()
