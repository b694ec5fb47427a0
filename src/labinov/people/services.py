from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from labinov.core.access import forget_roles
from labinov.core.errors import raise_with_model_errors
from labinov.core.audit import audit_record, diff, snapshot
from labinov.core.mail import send_later
from labinov.core.roles import NATIONAL_ROLES, UNIT_ROLES, Role

from .models import Invitation, Membership, Person, User
from .nip import normalize_nip

PERSON_FIELDS = ["name", "nip", "jabatan", "unit", "email", "phone"]
_SNAP = ["name", "nip", "jabatan", "unit_id", "email", "phone"]


def _clean_person(person: Person) -> None:
    person.nip = normalize_nip(person.nip)
    person.name = person.name.strip()
    errors = {}
    if person.unit_id and person.unit.pemda_id != person.pemda_id:
        errors["unit"] = _("The unit must belong to the same pemda.")
    if person.nip:
        dup = Person.objects.filter(pemda_id=person.pemda_id, nip=person.nip)
        if person.pk:
            dup = dup.exclude(pk=person.pk)
        if dup.exists():
            errors["nip"] = _("Another person in this pemda already has NIP %(nip)s.") % {"nip": person.nip}
    raise_with_model_errors(person, errors)


def person_create(*, actor, pemda, **fields) -> Person:
    person = Person(pemda=pemda, **fields)
    _clean_person(person)
    with transaction.atomic():
        person.save()
        audit_record(actor=actor, action="person.create", obj=person, changes=snapshot(person, _SNAP))
    return person


def person_update(*, actor, person: Person, **fields) -> Person:
    before = snapshot(person, _SNAP)
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise TypeError(name)
        setattr(person, name, value)
    _clean_person(person)
    with transaction.atomic():
        person.save()
        audit_record(actor=actor, action="person.update", obj=person, changes=diff(before, snapshot(person, _SNAP)))
    return person


def _check_role_scope(*, role: str, pemda, unit) -> None:
    if role in NATIONAL_ROLES:
        raise ValidationError({"role": _("National roles are granted by a national admin, not within a pemda.")})
    if role in UNIT_ROLES and unit is None:
        raise ValidationError({"unit": _("Choose the unit for the role %(role)s.") % {"role": Role(role).label}})
    if unit is not None and unit.pemda_id != pemda.pk:
        raise ValidationError({"unit": _("The unit must belong to the same pemda.")})


def membership_grant(*, actor, user: User, role: str, pemda=None, unit=None) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if pemda is not None:
        _check_role_scope(role=role, pemda=pemda, unit=unit)
        if role not in UNIT_ROLES:
            unit = None
    elif role not in NATIONAL_ROLES:
        raise ValidationError({"role": _("This role is held within a pemda.")})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, role=role, pemda=pemda, unit=unit)
        if created:
            audit_record(
                actor=actor, action="membership.grant", obj=membership, pemda=pemda,
                changes={"user": user.email, "role": role, "unit": unit.pk if unit else None},
            )
    forget_roles(user)
    return membership


def _others_holding(membership: Membership):
    """The other active accounts that hold the same pemda-wide or national role (superusers count as national admins)."""
    from django.db.models import Q

    others = User.objects.filter(is_active=True).exclude(pk=membership.user_id)
    if membership.pemda_id is None:
        held = Q(memberships__role=membership.role, memberships__pemda__isnull=True)
        if membership.role == Role.NATIONAL_ADMIN:
            held |= Q(is_superuser=True)
        return others.filter(held)
    return others.filter(memberships__role=membership.role, memberships__pemda_id=membership.pemda_id)


def membership_revoke_refusal(*, membership: Membership) -> str | None:
    """Why a role may not be revoked, or None: a pemda keeps at least one organiser, Labinov at least
    one national admin (else nobody could invite, grant roles or enable pemda any more)."""
    if membership.role == Role.ORGANISER and membership.pemda_id and not _others_holding(membership).exists():
        return _("%(name)s is the last organiser of %(pemda)s: invite another organiser first, "
                 "or nobody could manage the pemda's accounts and programs.") % {
            "name": membership.user, "pemda": membership.pemda.name}
    if membership.role == Role.NATIONAL_ADMIN and membership.pemda_id is None and not _others_holding(membership).exists():
        return _("%(name)s is the last national admin: grant the role to someone else first, "
                 "or nobody could enable pemda or grant national roles any more.") % {"name": membership.user}
    return None


def membership_revoke(*, actor, membership: Membership) -> None:
    """Revokes a role. A coach who is no longer a coach anywhere loses the matching coach assignments.

    Refused (ValidationError, nothing changed) for the last organiser of a pemda and the last national
    admin; the check runs inside the transaction, on locked rows, so two revocations at once cannot
    both pass it.
    """
    from labinov.programs.models import CoachAssignment

    user = membership.user
    with transaction.atomic():
        if membership.role in (Role.ORGANISER, Role.NATIONAL_ADMIN):
            # lock the holders of the role: a concurrent revocation waits and then sees this one
            list(Membership.objects.select_for_update().filter(role=membership.role, pemda_id=membership.pemda_id)
                 .values_list("pk", flat=True))
            refusal = membership_revoke_refusal(membership=membership)
            if refusal:
                raise ValidationError(refusal)
        changes = {"user": user.email, "role": membership.role}
        membership.delete()
        if membership.role in (Role.COACH, Role.NATIONAL_COACH):
            still_national = Membership.objects.filter(user=user, role=Role.NATIONAL_COACH).exists()
            coach_pemda = set(Membership.objects.filter(user=user, role=Role.COACH).values_list("pemda_id", flat=True))
            stale = CoachAssignment.objects.filter(coach=user)
            if still_national:
                stale = stale.none()
            else:
                stale = stale.exclude(program__pemda_id__in=coach_pemda)
            changes["coach_assignments_removed"] = stale.count()
            stale.delete()
        audit_record(actor=actor, action="membership.revoke", obj=membership, pemda=membership.pemda, changes=changes)
    forget_roles(user)


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode()).hexdigest()


def _send_invitation(invitation: Invitation, token: str, actor, accept_url_builder) -> None:
    body = render_to_string("people/invitation_email.txt",
                            {"invitation": invitation, "link": accept_url_builder(token), "actor": actor})
    send_later(_("Invitation to Labinov %(pemda)s") % {"pemda": invitation.pemda.name}, body, [invitation.email])


def invitation_create(*, actor, pemda, email: str, full_name: str, role: str, unit=None, accept_url_builder) -> Invitation:
    """Invites someone by e-mail to a role in the pemda. `accept_url_builder(token)` makes the link."""
    email = (email or "").strip().lower()
    _check_role_scope(role=role, pemda=pemda, unit=unit)
    if role not in UNIT_ROLES:
        unit = None
    token, token_hash = _new_token()
    invitation = Invitation(
        pemda=pemda, email=email, full_name=full_name.strip(), role=role, unit=unit, token_hash=token_hash, invited_by=actor,
    )
    invitation.full_clean(exclude=["token_hash", "invited_by"], validate_constraints=False)
    if Invitation.objects.filter(pemda=pemda, email__iexact=email, role=role, accepted_at__isnull=True).exists():
        raise ValidationError({"email": _("%(email)s already has an open invitation for this role: resend or cancel it.") % {"email": email}})
    if Membership.objects.filter(pemda=pemda, user__email__iexact=email, role=role, unit=unit).exists():
        raise ValidationError({"email": _("%(email)s already holds this role.") % {"email": email}})
    with transaction.atomic():
        invitation.save()
        audit_record(actor=actor, action="invitation.create", obj=invitation, pemda=pemda,
                     changes={"email": email, "role": role})
        _send_invitation(invitation, token, actor, accept_url_builder)
    return invitation


def invitation_resend(*, actor, invitation: Invitation, accept_url_builder) -> Invitation:
    """A new link (the old one stops working) and a fresh validity period."""
    token, invitation.token_hash = _new_token()
    invitation.created_at = timezone.now()
    with transaction.atomic():
        invitation.save(update_fields=["token_hash", "created_at"])
        audit_record(actor=actor, action="invitation.resend", obj=invitation, pemda=invitation.pemda, changes={"email": invitation.email})
        _send_invitation(invitation, token, actor, accept_url_builder)
    return invitation


def invitation_cancel(*, actor, invitation: Invitation) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="invitation.cancel", obj=invitation, pemda=invitation.pemda,
                     changes={"email": invitation.email, "role": invitation.role})
        invitation.delete()


def invitation_accept(*, invitation: Invitation, password: str, full_name: str | None = None) -> User:
    """Creates the account of a new user and grants the invited role.

    An e-mail that already has an account cannot accept this way (the link would log anyone who
    holds it into that account): that user logs in and calls `invitation_accept_existing`.
    """
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("%(email)s already has an account: log in to accept the invitation.") % {"email": invitation.email})
    user = User(email=invitation.email, full_name=(full_name or invitation.full_name).strip())
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        _accept(invitation, user)
    return user


def invitation_accept_existing(*, invitation: Invitation, user: User) -> User:
    """The logged-in owner of the invited e-mail takes the role."""
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation is for %(email)s; log in with that account to accept it.") % {"email": invitation.email}
        )
    with transaction.atomic():
        _accept(invitation, user)
    return user


def _accept(invitation: Invitation, user: User) -> None:
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership_grant(actor=user, user=user, role=invitation.role, pemda=invitation.pemda, unit=invitation.unit)
    audit_record(actor=user, action="invitation.accept", obj=invitation, pemda=invitation.pemda)


def national_role_grant(*, actor, email: str, full_name: str, role: str, reset_url_builder) -> Membership:
    """A national admin makes someone a national admin or a national (LAN) coach.

    A new e-mail gets an account without a usable password and a link to choose one.
    """
    if role not in NATIONAL_ROLES:
        raise ValidationError({"role": _("Choose a national role.")})
    email = (email or "").strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    with transaction.atomic():
        if user is None:
            user = User(email=email, full_name=(full_name or "").strip() or email)
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
            link = reset_url_builder(user)
            body = render_to_string("people/national_welcome_email.txt", {"user": user, "link": link, "actor": actor,
                                                                          "role": Role(role).label})
            send_later(_("Your Labinov account"), body, [email])
        if Membership.objects.filter(user=user, role=role, pemda__isnull=True).exists():
            raise ValidationError({"email": _("%(email)s already holds this role.") % {"email": email}})
        return membership_grant(actor=actor, user=user, role=role)


# --------------------------------------------------------------------------- personal data (UU PDP 27/2022)


def anonymous_name(person: Person) -> str:
    return f"Anonim {person.pk}"


def person_anonymise_refusal(*, actor, person: Person) -> str | None:
    """Why this person may not be anonymised by `actor`, or None (the page shows it before asking)."""
    from labinov.core.rules import is_national_admin

    if person.user_id is None:
        return None
    if not is_national_admin(actor):
        return _("%(name)s has an account: only a national admin can anonymise a person with an account.") % {
            "name": person.name}
    if person.user_id == actor.pk:
        return _("You cannot anonymise yourself: ask another national admin.")
    for membership in person.user.memberships.select_related("pemda", "user"):
        refusal = membership_revoke_refusal(membership=membership)
        if refusal:
            return refusal
    return None


def _anonymise_people(people: list[Person]) -> int:
    """Neutral values in the people rows, and in the unsigned commitment drafts that copied them.
    Returns how many drafts changed."""
    from labinov.delivery.models import Commitment, CommitmentStatus

    drafts = 0
    for p in people:
        old_name, old_nip = p.name, p.nip
        p.name, p.nip, p.jabatan, p.email, p.phone = anonymous_name(p), "", "", "", ""
        p.save(update_fields=["name", "nip", "jabatan", "email", "phone"])
        if not old_name and not old_nip:
            continue
        # signed documents (any status after drafted, or a frozen text) are legal records: never touched
        unsigned = Commitment.objects.filter(pemda_id=p.pemda_id, status=CommitmentStatus.DRAFTED, frozen_section="")
        unsigned = unsigned.filter(Q(unit_head_nip=old_nip) if old_nip else Q(unit_head_name=old_name, unit_head_nip=""))
        drafts += unsigned.update(unit_head_name=p.name, unit_head_nip="", unit_head_position="")
    return drafts


def _anonymise_account(user: User, name: str) -> int:
    """Neutral name and e-mail, no password, inactive (its sessions stop working); returns the tokens revoked."""
    from labinov.api.models import ApiToken

    user.full_name = name
    user.email = f"anonim-{user.pk}@anonim.invalid"
    user.language = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["full_name", "email", "language", "is_active", "password"])
    return ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)


def _forget_contacts(emails: set[str], *, email: str, name: str) -> None:
    """Open invitations to the old e-mails are cancelled, accepted ones take the neutral values; log-in
    counts and locks on them are deleted."""
    from .models import AuthThrottle

    if not emails:
        return
    by_email, by_key = Q(), Q()
    for e in emails:
        by_email |= Q(email__iexact=e)
        by_key |= Q(key__iexact=e)
    Invitation.objects.filter(by_email, accepted_at__isnull=True).delete()
    Invitation.objects.filter(by_email).update(email=email, full_name=name)
    AuthThrottle.objects.filter(by_key).delete()


def person_anonymise(*, actor, person: Person) -> Person:
    """Replaces a person's name, NIP, position, e-mail and phone with neutral values ("Anonim 12"), for good.

    The innovation history keeps its links (ideas, plans, attendance, commitments point at the same
    rows). A linked account (national admins only) is anonymised too: its other people records, its
    name and e-mail, no password, inactive (its sessions stop working), its API tokens revoked, its
    invitations and log-in locks gone. Unsigned commitment drafts that copied the name or NIP get the
    neutral values; signed commitments are legal records and stay as signed. The audit record says
    what was done, never the old values; older records keep theirs until the audit retention ends.
    """
    refusal = person_anonymise_refusal(actor=actor, person=person)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("user", "pemda").get(pk=person.pk)
        user = person.user
        people = [person]
        if user is not None:
            people += list(Person.objects.select_for_update().filter(user=user).exclude(pk=person.pk))
        emails = {p.email.lower() for p in people if p.email} | ({user.email.lower()} if user else set())
        changes = {"account": user is not None, "drafts": _anonymise_people(people), "tokens_revoked": 0}
        if user is not None:
            changes["tokens_revoked"] = _anonymise_account(user, person.name)
        _forget_contacts(emails, email=f"anonim-{person.pk}@anonim.invalid", name=person.name)
        audit_record(actor=actor, action="person.anonymise", obj=person, pemda=person.pemda, object_repr=person.name,
                     changes=changes)
    if user is not None:
        forget_roles(user)
    return person


def account_anonymise_refusal(*, actor, user: User) -> str | None:
    """Why `actor` may not anonymise the account `user`, or None: only a national admin, never oneself,
    never the last organiser of a pemda nor the last national admin."""
    from labinov.core.rules import is_national_admin

    if not is_national_admin(actor):
        return _("Only a national admin can anonymise an account.")
    if user.pk == actor.pk:
        return _("You cannot anonymise yourself: ask another national admin.")
    for membership in user.memberships.select_related("pemda", "user"):
        refusal = membership_revoke_refusal(membership=membership)
        if refusal:
            return refusal
    return None


def account_anonymise(*, actor, user: User) -> User:
    """An account and every people record linked to it, anonymised as `person_anonymise` does (national
    admins only): for an account without a people record, or with records in several pemda."""
    refusal = account_anonymise_refusal(actor=actor, user=user)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        people = list(Person.objects.select_for_update().filter(user=user).order_by("pk"))
        emails = {p.email.lower() for p in people if p.email} | {user.email.lower()}
        name = f"Anonim {user.pk}"
        changes = {"people": len(people), "drafts": _anonymise_people(people),
                   "tokens_revoked": _anonymise_account(user, name)}
        _forget_contacts(emails, email=user.email, name=name)
        audit_record(actor=actor, action="account.anonymise", obj=user, object_repr=name, changes=changes)
    forget_roles(user)
    return user
