"""An invitation link never logs anyone into an existing account."""

from django.urls import reverse

from labinov.people.models import Invitation, Membership


def _invite(world, email):
    return Invitation.objects.create(pemda=world.own, email=email, full_name="X", role="coach", token="t-" + email)


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
