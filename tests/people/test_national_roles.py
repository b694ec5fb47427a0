from django.core import mail
from django.urls import reverse

from labinov.people.models import Membership, User


def test_national_admin_makes_a_new_lan_coach_who_gets_a_password_link(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.users["national_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("national_members"), {"email": "Widodo@LAN.go.id", "full_name": "Tri Widodo", "role": "national_coach"})
    assert r.status_code == 302
    user = User.objects.get(email="widodo@lan.go.id")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, role="national_coach", pemda__isnull=True).exists()
    assert len(mail.outbox) == 1 and "/password/reset/" in mail.outbox[0].body


def test_granting_twice_is_refused_and_changes_nothing(world, client):
    client.force_login(world.users["national_admin"])
    data = {"email": world.users["national_coach"].email, "role": "national_coach"}
    r = client.post(reverse("national_members"), data)
    assert r.status_code == 200 and 'class="error"' in r.content.decode()
    assert Membership.objects.filter(user=world.users["national_coach"], role="national_coach").count() == 1


def test_a_national_admin_cannot_revoke_their_own_admin_role(world, client):
    me = world.users["national_admin"]
    client.force_login(me)
    m = Membership.objects.get(user=me, role="national_admin")
    client.post(reverse("national_member_revoke", args=[m.pk]))
    assert Membership.objects.filter(pk=m.pk).exists()
