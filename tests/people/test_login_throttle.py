"""Brute force: log-in locked per account and per client address after too many failures, reset
requests rate-limited, the same words whether or not the account exists; organisers and national
admins unlock. All counted in the database (people/throttle.py)."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from labinov.core.models import AuditRecord
from labinov.people.models import AuthThrottle

from ..conftest import PASSWORD

LOCKED_ID = "Terlalu banyak percobaan masuk yang gagal"


def _login(client, email, password, ip="10.1.1.1", **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def _logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LABINOV_LOGIN_MAX_FAILURES = 10
    settings.LABINOV_LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    settings.LABINOV_LOGIN_LOCK_MINUTES = 15
    settings.LABINOV_RESET_MAX_PER_EMAIL = 3
    settings.LABINOV_RESET_MAX_PER_ADDRESS = 10
    settings.LABINOV_TRUSTED_PROXY_COUNT = 0


def test_thirty_wrong_passwords_then_the_right_one_is_refused(world, client, caplog):
    user = world.users["innovator"]
    with caplog.at_level(logging.WARNING, logger="labinov.security"):
        for i in range(30):
            # a different address each time: the account's own count locks it
            _login(client, user.email, f"salah-{i}", ip=f"10.2.0.{i}")
    r = _login(client, user.email, PASSWORD, ip="10.3.0.1")
    assert r.status_code == 200 and not _logged_in(client)
    assert LOCKED_ID in r.content.decode()
    row = AuthThrottle.objects.get(scope="login_account", key=user.email)
    assert row.locked_until > timezone.now()
    assert any("locked login_account " + user.email in m for m in caplog.messages)
    assert AuditRecord.objects.filter(action="throttle.lock", object_repr__contains=user.email).count() == 1


def test_the_lock_comes_at_the_tenth_failure_at_the_latest(world, client):
    user = world.users["coach"]
    for i in range(10):
        _login(client, user.email, "salah", ip=f"10.4.0.{i}")
    r = _login(client, user.email, PASSWORD, ip="10.4.1.1")
    assert not _logged_in(client) and LOCKED_ID in r.content.decode()


def test_nine_failures_then_the_right_password_logs_in_and_clears_the_count(world, client):
    user = world.users["coach"]
    for i in range(9):
        _login(client, user.email, "salah", ip=f"10.5.0.{i}")
    _login(client, user.email, PASSWORD, ip="10.5.1.1")
    assert _logged_in(client)
    assert not AuthThrottle.objects.filter(scope="login_account", key=user.email).exists()


def test_a_locked_unknown_address_reads_exactly_like_a_locked_account(world, client):
    user = world.users["coach"]
    for i in range(12):
        _login(client, user.email, "salah", ip=f"10.6.0.{i}")
        _login(client, "tidak-ada@salatiga.test", "salah", ip=f"10.6.1.{i}")
    known = _login(client, user.email, "salah", ip="10.6.2.1")
    unknown = _login(client, "tidak-ada@salatiga.test", "salah", ip="10.6.2.2")
    errors = [r.context["form"].non_field_errors() for r in (known, unknown)]
    assert errors[0] == errors[1] and LOCKED_ID in errors[0][0]


def test_thirty_accounts_from_one_address_are_blocked(world, client, make_user):
    users = [make_user(f"pegawai{i}@salatiga.test") for i in range(30)]
    refused = 0
    for u in users:
        r = _login(client, u.email, "tebakan-umum-1", ip="10.9.9.9")
        refused += LOCKED_ID in r.content.decode()
    assert refused >= 10  # after 20 failures the address is locked
    r = _login(client, world.users["leader"].email, PASSWORD, ip="10.9.9.9")
    assert not _logged_in(client) and LOCKED_ID in r.content.decode()
    _login(client, world.users["leader"].email, PASSWORD, ip="10.9.9.10")  # another address is not affected
    assert _logged_in(client)


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_configured(world, client, make_user, settings):
    users = [make_user(f"spoof{i}@salatiga.test") for i in range(25)]
    for i, u in enumerate(users):  # the attacker changes the header each time
        _login(client, u.email, "salah", ip="10.7.7.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    r = _login(client, world.users["leader"].email, PASSWORD, ip="10.7.7.7", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert not _logged_in(client) and LOCKED_ID in r.content.decode()

    # behind one proxy of ours, the last entry is the client that reached the proxy
    settings.LABINOV_TRUSTED_PROXY_COUNT = 1
    AuthThrottle.objects.all().delete()
    for i, u in enumerate(users):
        _login(client, u.email, "salah", ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.5")
    assert AuthThrottle.objects.get(scope="login_ip", key="203.0.113.5").locked_until is not None
    assert not AuthThrottle.objects.filter(scope="login_ip", key="10.0.0.2").exists()


def test_a_lock_ends_by_itself_after_the_lock_time(world, client):
    user = world.users["coach"]
    for i in range(10):
        _login(client, user.email, "salah", ip=f"10.8.0.{i}")
    AuthThrottle.objects.filter(key=user.email).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    _login(client, user.email, PASSWORD, ip="10.8.1.1")
    assert _logged_in(client)


def test_the_message_is_in_english_for_an_english_browser(world, client):
    for i in range(10):
        _login(client, "x@salatiga.test", "salah", ip=f"10.10.0.{i}")
    r = _login(client, "x@salatiga.test", "salah", ip="10.10.1.1", HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many failed log-in attempts" in r.content.decode()


# ------------------------------------------------------------------------------ password reset


def test_twenty_reset_requests_send_at_most_three_mails(world, client):
    email = world.users["coach"].email
    responses = [client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=f"10.11.0.{i}") for i in range(20)]
    assert len(mail.outbox) == 3
    refused = responses[-1]
    assert refused.status_code == 200 and "Terlalu banyak permintaan" in refused.content.decode()
    # an address without an account gets the same answer
    for i in range(4):
        last = client.post(reverse("password_reset"), {"email": "tidak-ada@salatiga.test"}, REMOTE_ADDR=f"10.12.0.{i}")
    assert last.context["form"].non_field_errors() == refused.context["form"].non_field_errors()
    assert len(mail.outbox) == 3


def test_reset_requests_from_one_address_are_limited(world, client, make_user):
    for i in range(20):
        make_user(f"reset{i}@salatiga.test")
        client.post(reverse("password_reset"), {"email": f"reset{i}@salatiga.test"}, REMOTE_ADDR="10.13.0.1")
    assert len(mail.outbox) == 10


# --------------------------------------------------------------------------------- unlocking


def _lock_out(client, email):
    for i in range(10):
        _login(client, email, "salah", ip=f"10.20.0.{i}")
    assert AuthThrottle.objects.filter(scope="login_account", key=email, locked_until__gt=timezone.now()).exists()


def test_an_organiser_unlocks_a_member_of_their_pemda(world, client):
    from labinov.people.models import Membership

    user = world.users["innovator"]
    _lock_out(client, user.email)
    client.force_login(world.users["organiser"])
    page = client.get(reverse("member_list", args=[world.own.slug])).content.decode()
    membership = Membership.objects.get(user=user)
    unlock_url = reverse("member_unlock", args=[world.own.slug, membership.pk])
    assert unlock_url in page  # the button shows only for the locked account
    assert page.count("/unlock/") == 1
    r = client.post(unlock_url)
    assert r.status_code == 302
    record = AuditRecord.objects.get(action="account.unlock")
    assert (record.actor_id, record.pemda_id) == (world.users["organiser"].pk, world.own.pk)
    client.logout()
    _login(client, user.email, PASSWORD, ip="10.21.0.1")
    assert _logged_in(client)


def test_unlocking_is_refused_to_others(world, client):
    from labinov.people.models import Membership

    user = world.users["innovator"]
    _lock_out(client, user.email)
    url = reverse("member_unlock", args=[world.own.slug, Membership.objects.get(user=user).pk])
    client.force_login(world.users["coach"])
    assert client.post(url).status_code == 403
    client.force_login(world.users["other_organiser"])
    assert client.post(url).status_code == 404
    client.force_login(world.users["innovator"])
    assert client.post(url).status_code == 403
    assert AuthThrottle.objects.filter(key=user.email).exists()
    assert not AuditRecord.objects.filter(action="account.unlock").exists()


def test_a_national_admin_lifts_any_lock_from_the_national_page(world, client):
    _lock_out(client, "siapa@contoh.test")
    lock = AuthThrottle.objects.get(key="siapa@contoh.test")
    client.force_login(world.users["national_coach"])
    assert client.post(reverse("lock_release", args=[lock.pk])).status_code == 403
    client.force_login(world.users["national_admin"])
    page = client.get(reverse("lock_list")).content.decode()
    assert "siapa@contoh.test" in page
    client.post(reverse("lock_release", args=[lock.pk]))
    assert not AuthThrottle.objects.filter(pk=lock.pk).exists()
    assert AuditRecord.objects.filter(action="throttle.release", actor=world.users["national_admin"]).count() == 1


def test_the_lock_list_costs_the_same_queries_for_5_and_40_locks(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(numbers):
        until = timezone.now() + datetime.timedelta(minutes=15)
        AuthThrottle.objects.bulk_create([AuthThrottle(scope="login_ip", key=f"10.30.0.{i}", count=20, locked_until=until)
                                          for i in numbers])

    client.force_login(world.users["national_admin"])
    add(range(5))
    client.get(reverse("lock_list"))
    with CaptureQueriesContext(connection) as few:
        assert "10.30.0.4" in client.get(reverse("lock_list")).content.decode()
    add(range(5, 40))
    with CaptureQueriesContext(connection) as many:
        assert "10.30.0.39" in client.get(reverse("lock_list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_member_list_asks_for_locks_once_whatever_the_number_of_locked_members(world, client, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["organiser"])
    url = reverse("member_list", args=[world.own.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as none_locked:
        client.get(url)
    until = timezone.now() + datetime.timedelta(minutes=15)
    for role in ("innovator", "coach", "leader", "verifier"):
        AuthThrottle.objects.create(scope="login_account", key=world.users[role].email, count=10, locked_until=until)
    with CaptureQueriesContext(connection) as four_locked:
        assert client.get(url).content.decode().count("/unlock/") == 4
    assert len(four_locked.captured_queries) == len(none_locked.captured_queries)
