"""Log-in throttling and password-reset rate limits, kept in the database (AuthThrottle) so that
every server process, and every server behind a load balancer, counts the same failures.

- Log-in: each wrong password counts against the e-mail typed (whether or not an account has it,
  so the answer never tells which addresses exist) and against the client address. After
  settings.LABINOV_LOGIN_MAX_FAILURES failures for one e-mail, or
  LABINOV_LOGIN_MAX_FAILURES_PER_ADDRESS from one address, within LABINOV_LOGIN_LOCK_MINUTES, that
  e-mail or address is locked for LABINOV_LOGIN_LOCK_MINUTES: even the right password is refused,
  and no password is checked. A successful log-in clears the account's count (not the address's).
- Password reset: at most LABINOV_RESET_MAX_PER_EMAIL requests per e-mail and
  LABINOV_RESET_MAX_PER_ADDRESS per address within an hour.
- Every lock is logged (logger "labinov.security") and written to the audit trail; an organiser
  (for the members of their pemda) or a national admin unlocks (`account_unlock`, audited too).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from labinov.core.audit import audit_record

from .models import AuthThrottle

log = logging.getLogger("labinov.security")
Scope = AuthThrottle.Scope
RESET_WINDOW = datetime.timedelta(hours=1)


def client_address(request) -> str:
    """The client's IP address. X-Forwarded-For is believed only as far as
    settings.LABINOV_TRUSTED_PROXY_COUNT proxies of ours wrote it: the entry that many places from
    its end (entries further left could be written by the client itself)."""
    proxies = settings.LABINOV_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-proxies] if len(hops) >= proxies else hops[0]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def account_key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def _lock_minutes() -> int:
    return settings.LABINOV_LOGIN_LOCK_MINUTES


def locked_until(scope: str, key: str) -> datetime.datetime | None:
    """When the lock on this key ends, or None if it is not locked now."""
    until = AuthThrottle.objects.filter(scope=scope, key=key, locked_until__gt=timezone.now()).values_list(
        "locked_until", flat=True).first()
    return until


def _count(scope: str, key: str, *, limit: int, window: datetime.timedelta, lock: datetime.timedelta) -> bool:
    """Counts one event for the key; locks it when this is the `limit`-th within the window.
    Returns True if this event locked the key."""
    now = timezone.now()
    for _attempt in range(2):  # a concurrent first insert of the same key: retry once as an update
        try:
            with transaction.atomic():
                row, _created = AuthThrottle.objects.select_for_update().get_or_create(
                    scope=scope, key=key, defaults={"window_started_at": now})
                if row.window_started_at < now - window or (row.locked_until and row.locked_until <= now):
                    row.count, row.window_started_at, row.locked_until = 0, now, None
                row.count += 1
                just_locked = limit > 0 and row.count >= limit and not row.locked_until
                if just_locked:
                    row.locked_until = now + lock
                row.save()
                if just_locked:
                    _record_lock(row)
                return just_locked
        except IntegrityError:
            continue
    return False


def _record_lock(row: AuthThrottle) -> None:
    log.warning("locked %s %s after %d events until %s", row.scope, row.key, row.count, row.locked_until.isoformat())
    audit_record(actor=None, action="throttle.lock", object_type="people.auththrottle", obj=row,
                 object_repr=f"{row.get_scope_display()}: {row.key}",
                 changes={"scope": row.scope, "key": row.key, "count": row.count, "locked_until": row.locked_until.isoformat()})


# ---------------------------------------------------------------------------------------- log-in


def login_blocked(*, email: str, address: str) -> datetime.datetime | None:
    """If log-in is locked for this e-mail or this address: until when (the later of the two)."""
    times = [t for t in (locked_until(Scope.LOGIN_ACCOUNT, account_key(email)), locked_until(Scope.LOGIN_IP, address)) if t]
    return max(times) if times else None


def login_failed(*, email: str, address: str) -> None:
    window = lock = datetime.timedelta(minutes=_lock_minutes())
    _count(Scope.LOGIN_ACCOUNT, account_key(email), limit=settings.LABINOV_LOGIN_MAX_FAILURES, window=window, lock=lock)
    _count(Scope.LOGIN_IP, address, limit=settings.LABINOV_LOGIN_MAX_FAILURES_PER_ADDRESS, window=window, lock=lock)


def login_succeeded(*, email: str) -> None:
    AuthThrottle.objects.filter(scope=Scope.LOGIN_ACCOUNT, key=account_key(email)).delete()


# -------------------------------------------------------------------------------- password reset


def reset_blocked(*, email: str, address: str) -> bool:
    return bool(locked_until(Scope.RESET_EMAIL, account_key(email)) or locked_until(Scope.RESET_IP, address))


def reset_requested(*, email: str, address: str) -> None:
    """Counts a reset request that is being served (call only when not `reset_blocked`)."""
    _count(Scope.RESET_EMAIL, account_key(email), limit=settings.LABINOV_RESET_MAX_PER_EMAIL, window=RESET_WINDOW, lock=RESET_WINDOW)
    _count(Scope.RESET_IP, address, limit=settings.LABINOV_RESET_MAX_PER_ADDRESS, window=RESET_WINDOW, lock=RESET_WINDOW)


# ------------------------------------------------------------------------------------- unlocking


def locked_accounts(*, emails) -> set[str]:
    """Which of these e-mails (lower case) are locked out of log-in now: one query for a page."""
    keys = {account_key(e) for e in emails}
    return set(AuthThrottle.objects.filter(scope=Scope.LOGIN_ACCOUNT, key__in=keys, locked_until__gt=timezone.now())
               .values_list("key", flat=True))


def lock_list():
    """Every lock in force (log-in and reset, accounts and addresses), newest first: the national page."""
    return AuthThrottle.objects.filter(locked_until__gt=timezone.now()).order_by("-locked_until", "-pk")


def lock_get(*, pk) -> AuthThrottle:
    from django.http import Http404

    try:
        return AuthThrottle.objects.get(pk=pk, locked_until__gt=timezone.now())
    except (AuthThrottle.DoesNotExist, ValueError):
        raise Http404 from None


def account_unlock(*, actor, user, pemda=None) -> bool:
    """Lets `user` log in again at once (an organiser of `pemda` for its member, or a national admin).
    Returns False if the account was not locked. Audited in `pemda` (None: national)."""
    with transaction.atomic():
        deleted, _ = AuthThrottle.objects.filter(scope=Scope.LOGIN_ACCOUNT, key=account_key(user.email)).delete()
        if deleted:
            audit_record(actor=actor, action="account.unlock", obj=user, pemda=pemda, changes={"email": user.email})
    if deleted:
        log.warning("unlocked log-in of %s by %s", user.email, getattr(actor, "email", actor))
    return bool(deleted)


def lock_release(*, actor, lock: AuthThrottle) -> None:
    """A national admin lifts any lock (an account, an address, or a reset limit). Audited."""
    with transaction.atomic():
        audit_record(actor=actor, action="throttle.release", obj=lock, object_repr=f"{lock.get_scope_display()}: {lock.key}",
                     changes={"scope": lock.scope, "key": lock.key})
        lock.delete()
    log.warning("released %s %s by %s", lock.scope, lock.key, getattr(actor, "email", actor))
