"""Writes of the API's own data: personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record

from .models import ApiToken

#: last_used_at is written at most this often per token, so reads stay reads.
TOUCH_EVERY = timedelta(minutes=1)


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


#: the longest lifetime a token may be given, in days
MAX_TOKEN_DAYS = 366


def api_token_create(*, actor, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Creates a token for `actor` (it acts as them). Returns the row and the plaintext, shown once.

    It expires after `days` days (default settings.LABINOV_API_TOKEN_DAYS; 0 there means never)."""
    from django.conf import settings

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script or system that uses it.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name is too long (at most 100 characters).")})
    if not getattr(actor, "is_active", False):
        raise ValidationError({"user": _("This account is not active.")})
    if days is None:
        days = settings.LABINOV_API_TOKEN_DAYS or None
    elif not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("A token lasts from 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}})
    plaintext = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=days) if days else None
    token = ApiToken(user=actor, name=name, key_hash=hash_token(plaintext), prefix=plaintext[:8], expires_at=expires_at)
    with transaction.atomic():
        token.save()
        audit_record(actor=actor, action="api_token.create", obj=token,
                     changes={"name": name, "prefix": token.prefix, "expires_at": expires_at.isoformat() if expires_at else None})
    return token, plaintext


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.revoked:
        return token
    with transaction.atomic():
        token.revoked = True
        token.save(update_fields=["revoked"])
        audit_record(actor=actor, action="api_token.revoke", obj=token, changes={"name": token.name, "prefix": token.prefix})
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Records that the token was used (not audited: it is not a change made by someone)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
