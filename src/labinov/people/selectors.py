from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Invitation, Membership, Person


def person_list(*, actor, pemda, q: str = "", unit_id: int | None = None) -> QuerySet[Person]:
    qs = Person.objects.filter(pemda=pemda).select_related("unit")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(nip__startswith=q) | Q(jabatan__icontains=q))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def person_get(*, actor, pemda, pk: int) -> Person:
    try:
        return Person.objects.select_related("unit").get(pemda=pemda, pk=pk)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None


def person_choices(*, pemda) -> QuerySet[Person]:
    return Person.objects.filter(pemda=pemda).select_related("unit").order_by("name")


def membership_list(*, actor, pemda) -> QuerySet[Membership]:
    return Membership.objects.filter(pemda=pemda).select_related("user", "unit").order_by("user__full_name", "role")


def membership_get(*, actor, pemda, pk: int) -> Membership:
    try:
        return Membership.objects.select_related("user", "unit").get(pemda=pemda, pk=pk)
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None


def invitation_list(*, actor, pemda) -> QuerySet[Invitation]:
    return Invitation.objects.filter(pemda=pemda, accepted_at__isnull=True).select_related("unit", "invited_by").order_by("-created_at")


def invitation_get_open(*, token: str) -> Invitation:
    """The open, unexpired invitation of a link's token, or 404."""
    import datetime
    import hashlib

    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - datetime.timedelta(days=settings.LABINOV_INVITATION_DAYS)
    try:
        return Invitation.objects.select_related("pemda", "unit").get(
            token_hash=hashlib.sha256(token.encode()).hexdigest(), accepted_at__isnull=True, created_at__gte=since
        )
    except Invitation.DoesNotExist:
        raise Http404 from None


def invitation_get(*, actor, pemda, pk: int) -> Invitation:
    try:
        return Invitation.objects.get(pemda=pemda, pk=pk, accepted_at__isnull=True)
    except (Invitation.DoesNotExist, ValueError):
        raise Http404 from None


def coach_choices(*, pemda):
    """Users who may coach in this pemda: its coaches and the national (LAN) coaches."""
    from django.db.models import Q

    from .models import User

    return (
        User.objects.filter(
            Q(memberships__role="coach", memberships__pemda=pemda) | Q(memberships__role="national_coach"),
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )


def account_exists(*, email: str) -> bool:
    from .models import User

    return User.objects.filter(email__iexact=email).exists()


def national_membership_list(*, actor):
    return Membership.objects.filter(pemda__isnull=True).select_related("user").order_by("role", "user__full_name")


def national_membership_get(*, actor, pk: int) -> Membership:
    try:
        return Membership.objects.select_related("user").get(pemda__isnull=True, pk=pk)
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None


def membership_revoke_preview(*, actor, membership: Membership) -> dict:
    """What revoking `membership` would do, for the confirmation page: whether it is the actor's own
    role, the roles the person keeps, the coach assignments that go with it, and a refusal if any."""
    from labinov.core.roles import Role
    from labinov.programs.models import CoachAssignment

    from .services import membership_revoke_refusal

    user = membership.user
    keeps = list(Membership.objects.filter(user=user).exclude(pk=membership.pk).select_related("pemda", "unit")
                 .order_by("pemda__name", "role"))
    assignments = 0
    if membership.role in (Role.COACH, Role.NATIONAL_COACH):
        still_national = any(m.role == Role.NATIONAL_COACH for m in keeps)
        if not still_national:
            coach_pemda = {m.pemda_id for m in keeps if m.role == Role.COACH}
            assignments = CoachAssignment.objects.filter(coach=user).exclude(program__pemda_id__in=coach_pemda).count()
    return {
        "membership": membership, "own": membership.user_id == getattr(actor, "pk", None), "keeps": keeps,
        "coach_assignments": assignments, "refusal": membership_revoke_refusal(membership=membership),
    }


# --------------------------------------------------------------------------- one's own data (UU PDP 27/2022)


def personal_data(*, user) -> dict:
    """Everything Labinov holds about `user`, for the "My data" page and its JSON download: the account,
    roles, the people records linked to the account or carrying its e-mail, invitations to its e-mail,
    API tokens (never the token), log-in locks on its e-mail, and the audit records where the user is
    the actor or the object. A fixed number of queries, however much there is."""
    from labinov.api.models import ApiToken
    from labinov.core.models import AuditRecord

    from .models import AuthThrottle

    email = user.email
    people = list(Person.objects.filter(Q(user=user) | Q(email__iexact=email)).select_related("pemda", "unit")
                  .order_by("pemda__name", "name", "pk"))
    memberships = list(Membership.objects.filter(user=user).select_related("pemda", "unit").order_by("pk"))
    invitations = list(Invitation.objects.filter(email__iexact=email).select_related("pemda", "unit", "invited_by")
                       .order_by("-created_at"))
    tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))
    locks = list(AuthThrottle.objects.filter(key__iexact=email).order_by("scope"))
    about = (
        Q(actor=user)
        | Q(object_type="people.user", object_id=str(user.pk))
        | Q(object_type="people.person", object_id__in=[str(p.pk) for p in people])
        | Q(object_type="people.membership", changes__user=email)
        | Q(object_type="people.invitation", object_id__in=[str(i.pk) for i in invitations])
        | Q(object_type="people.invitation", changes__email=email)  # cancelled invitations too
        | Q(object_type="api.apitoken", object_id__in=[str(t.pk) for t in tokens])
        | Q(action__startswith="throttle.", changes__key=email)
    )
    audit = AuditRecord.objects.filter(about).select_related("actor", "pemda").order_by("-created_at", "-id")
    return {"user": user, "people": people, "memberships": memberships, "invitations": invitations,
            "tokens": tokens, "locks": locks, "audit": audit}
