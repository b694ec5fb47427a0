"""Writes of innovation profiles (PP 38/2017, IID profil inovasi)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record, diff, snapshot
from labinov.core.errors import raise_with_model_errors
from labinov.core.regulation import Urusan

from .models import Innovation, InnovationProfile, TeamMember

PROFILE_FIELDS = [
    "urusan_primary", "iid_stage", "trial_date", "implementation_date", "legal_basis", "problem", "strategic_issue",
    "renewal_method", "novelty", "how_it_works", "goals", "benefits", "results", "budget", "budget_note", "sdgs",
    "decree_type", "decree_number", "decree_date", "contact_name", "contact_nip", "contact_position", "contact_phone",
]


def profile_for(*, innovation: Innovation) -> InnovationProfile:
    """The saved profile, or an unsaved one with the defaults taken from the innovation (reading never writes)."""
    return InnovationProfile.objects.filter(innovation=innovation).first() or InnovationProfile(
        innovation=innovation, urusan_primary=(innovation.urusan or [""])[0]
    )


def profile_get_or_create(*, innovation: Innovation) -> InnovationProfile:
    profile = profile_for(innovation=innovation)
    if profile.pk is None:
        profile.save()
    return profile


def profile_update(*, actor, innovation: Innovation, team: list[dict] | None = None, decree_file=None, **fields) -> InnovationProfile:
    profile = profile_for(innovation=innovation)  # saved only if everything is valid
    before = snapshot(profile, PROFILE_FIELDS)
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise TypeError(name)
        setattr(profile, name, value)
    errors: dict[str, list] = {}
    if profile.urusan_primary and profile.urusan_primary not in Urusan.values:
        errors["urusan_primary"] = [_("Unknown urusan.")]
    bad = [s for s in profile.sdgs or [] if not (isinstance(s, int) and 1 <= s <= 17)]
    if bad:
        errors["sdgs"] = [_("SDGs are numbered 1 to 17.")]
    if profile.trial_date and profile.implementation_date and profile.implementation_date < profile.trial_date:
        errors["implementation_date"] = [_("Implementation cannot start before the trial.")]
    if profile.contact_nip:
        from labinov.people.nip import normalize_nip, validate_nip

        profile.contact_nip = normalize_nip(profile.contact_nip)
        try:
            validate_nip(profile.contact_nip)
        except ValidationError as e:
            errors["contact_nip"] = e.messages
    decree = None
    if decree_file is not None:
        from labinov.core.files import check_upload

        try:  # the same content check as every upload point: no scripts, actions, attachments, polyglots
            decree = check_upload("innovation_decree", decree_file, field="decree_file")
        except ValidationError as e:
            errors["decree_file"] = e.message_dict.get("decree_file", e.messages) if hasattr(e, "error_dict") else e.messages
    members = []
    for i, member in enumerate(team or [], 1):
        row = TeamMember(innovation=innovation, **{k: (member.get(k) or "").strip() for k in ("role", "name", "organisation")},
                         pentahelix=member.get("pentahelix") or "pemerintah")
        if not row.name or row.role not in TeamMember.Role.values:
            errors.setdefault("team", []).append(_("Team member %(n)s needs a name and a role.") % {"n": i})
            continue
        try:
            row.full_clean(exclude=["innovation"])
        except ValidationError as e:
            errors.setdefault("team", []).extend(f"{i}: {m}" for m in e.messages)
        members.append(row)
    raise_with_model_errors(profile, errors, exclude=["innovation", "decree_file"])
    with transaction.atomic():
        if decree is not None:
            from django.core.files.base import ContentFile

            profile.decree_file.save(f"{innovation.pk}-decree.pdf", ContentFile(decree.content), save=False)
        profile.save()
        if team is not None:
            TeamMember.objects.filter(innovation=innovation).delete()
            TeamMember.objects.bulk_create(members)
        audit_record(actor=actor, action="innovation.profile", obj=innovation, changes=diff(before, snapshot(profile, PROFILE_FIELDS)))
        if innovation.published_at is not None:
            from labinov.catalog.services import catalogue_sync

            catalogue_sync(innovation_ids=[innovation.pk])  # the public catalogue searches the new text
    return profile


def profile_checklist(profile: InnovationProfile) -> list[tuple[str, bool]]:
    """What the IID profile still lacks: (label, done)."""
    return [
        (_("Stage and dates"), bool(profile.iid_stage and (profile.trial_date or profile.iid_stage == "inisiatif"))),
        (_("Primary urusan"), bool(profile.urusan_primary)),
        (_("Design description of at least %(n)s words") % {"n": profile.MIN_DESIGN_WORDS},
         profile.design_word_count() >= profile.MIN_DESIGN_WORDS),
        (_("Goals, benefits and results"), all((profile.goals, profile.benefits, profile.results))),
        (_("Budget"), profile.budget is not None),
        (_("SDG tags"), bool(profile.sdgs)),
        (_("Decree"), bool(profile.decree_type and profile.decree_number and profile.decree_date)),
        (_("Team"), profile.innovation.team.exists()),
        (_("Innovator contact"), bool(profile.contact_name and profile.contact_phone)),
    ]
