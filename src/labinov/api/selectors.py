"""Reads the API needs that no app selector offers (all scoped: by user, by pemda)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import ApiToken


def api_token_get_active(*, key_hash: str) -> ApiToken | None:
    """The unrevoked, unexpired token with this hash whose user is active, or None."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash, revoked=False, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .first()
    )


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_get_own(*, user, pk) -> ApiToken | None:
    """One of `user`'s own tokens, or None (another account's token does not exist for them)."""
    try:
        return ApiToken.objects.filter(user=user, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def user_by_email(*, email: str):
    from labinov.people.models import User

    return User.objects.filter(email__iexact=(email or "").strip()).first()


def memberships_of(*, user):
    from labinov.people.models import Membership

    return Membership.objects.filter(user=user).select_related("pemda", "unit").order_by("pemda__name", "role", "pk")


def enabled_region_codes(*, codes: list[str]) -> set[str]:
    """Which of these region codes already are a pemda."""
    from labinov.regions.models import Pemda

    return set(Pemda.objects.filter(region_code__in=codes).values_list("region_code", flat=True))


def units_by_ids(*, pemda, ids: list[int]) -> dict:
    """The units of `pemda` with these ids; ids of other pemda (or none) are simply absent."""
    from labinov.regions.models import Unit

    return {u.pk: u for u in Unit.objects.filter(pemda=pemda, pk__in=ids)}


def people_for_attendance(*, pemda, event, ids: list[int]) -> dict:
    """People who may appear on the event's attendance list (as on the page: the pemda's people,
    and for a program event only those of its participating units), restricted to `ids`."""
    from labinov.people.selectors import person_choices

    people = person_choices(pemda=pemda).filter(pk__in=ids)
    if event.program_id:
        people = people.filter(unit__participations__program_id=event.program_id)
    return {p.pk: p for p in people}
