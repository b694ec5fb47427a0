"""The launching (peluncuran): innovations launched move to stage penerapan with their decree and are
announced in the public catalogue (the ATM index is rebuilt in the background)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record
from labinov.innovations.models import DecreeType, IidStage, Innovation, InnovationProfile, InnovationStatus

from .commitments import eligible_innovations
from .models import Launch, LaunchedInnovation


def launchable(*, program) -> QuerySet[Innovation]:
    """Innovations with an approved plan not launched yet."""
    return eligible_innovations(program=program).exclude(Exists(LaunchedInnovation.objects.filter(innovation=OuterRef("pk")))) \
        .order_by("unit__name", "name", "pk")


def launch_record(*, actor, program, held_on: datetime.date, place: str, launched_by: str, innovation_ids, note: str = "",
                  decree_type: str = "", decree_number: str = "", decree_date: datetime.date | None = None,
                  announce: bool = True) -> Launch:
    """Records the launching. Each innovation keeps its own decree when it has one; the others get the
    decree given here (often one SK of the head of region for all). Each moves to penerapan, with the
    launching day as its implementation date when it had none (or a later one)."""
    place, launched_by = (place or "").strip(), (launched_by or "").strip()
    errors: dict[str, list] = {}
    if held_on is None:
        errors["held_on"] = [_("Give the date of the launching.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("Record the launching on or after its day.")]
    if not place:
        errors["place"] = [_("Give the place of the launching.")]
    if not launched_by:
        errors["launched_by"] = [_("Say who launched the innovations.")]
    if decree_type and decree_type not in DecreeType.values:
        errors["decree_type"] = [_("Unknown decree type.")]
    if bool(decree_number.strip()) != bool(decree_type):
        errors["decree_number"] = [_("Give the type and the number of the decree, or neither.")]
    wanted = {int(i) for i in innovation_ids if str(i).isascii() and str(i).isdigit()}
    if not wanted:
        errors["innovations"] = [_("Choose the innovations launched.")]
    if errors:
        raise ValidationError(errors)
    from labinov.programs.models import Program

    now = timezone.now()
    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=program.pk).first()  # one launching at a time: each innovation once
        candidates = {i.pk: i for i in launchable(program=program).filter(pk__in=wanted)}
        if set(candidates) != wanted:
            raise ValidationError({"innovations": [_("Some chosen innovations have no approved action plan or were launched already.")]})
        profiles = {p.innovation_id: p for p in InnovationProfile.objects.filter(innovation_id__in=wanted)}
        missing_decree = [i.name for pk, i in candidates.items() if not (profiles.get(pk) and profiles[pk].decree_number)]
        if missing_decree and not decree_number.strip():
            raise ValidationError({"decree_number": [
                _("%(n)s innovations have no decree of their own (%(names)s…); give the decree that establishes them.")
                % {"n": len(missing_decree), "names": ", ".join(missing_decree[:3])}]})
        launch = Launch.objects.create(pemda_id=program.pemda_id, program=program, held_on=held_on, place=place, launched_by=launched_by,
                                       note=(note or "").strip(), decree_type=decree_type, decree_number=decree_number.strip(),
                                       decree_date=decree_date, recorded_by=actor)
        items, new_profiles = [], []
        for pk, innovation in candidates.items():
            profile = profiles.get(pk) or InnovationProfile(innovation=innovation, urusan_primary=(innovation.urusan or [""])[0])
            if not profile.decree_number:
                profile.decree_type, profile.decree_number, profile.decree_date = decree_type, decree_number.strip(), decree_date
            profile.iid_stage = IidStage.PENERAPAN
            if profile.implementation_date is None or profile.implementation_date > held_on:
                profile.implementation_date = held_on
            if profile.trial_date and profile.trial_date > profile.implementation_date:
                profile.trial_date = profile.implementation_date  # a trial cannot follow the implementation
            if profile.pk:
                profile.save()
            else:
                new_profiles.append(profile)
            items.append(LaunchedInnovation(launch=launch, innovation=innovation, decree_type=profile.decree_type,
                                            decree_number=profile.decree_number, decree_date=profile.decree_date))
        InnovationProfile.objects.bulk_create(new_profiles)
        LaunchedInnovation.objects.bulk_create(items)
        update = {"status": InnovationStatus.LAUNCHED}
        Innovation.objects.filter(pk__in=wanted).update(**update)
        if announce:
            Innovation.objects.filter(pk__in=wanted, published_at__isnull=True).update(published_at=now)
            from labinov.catalog.services import catalogue_sync

            catalogue_sync(innovation_ids=wanted)  # the public catalogue's search entries, in the same transaction
        audit_record(actor=actor, action="launch.record", obj=program,
                     changes={"launch": launch.pk, "held_on": held_on.isoformat(), "innovations": sorted(wanted), "announced": announce})
    if announce:
        from labinov.innovations.tasks import rebuild_catalogue_index

        transaction.on_commit(lambda: rebuild_catalogue_index.enqueue())
    return launch


def launch_list(*, program) -> QuerySet[Launch]:
    from django.db.models import Count

    return program.launches.annotate(n=Count("items")).order_by("-held_on", "-id")


def launch_get(*, program, pk) -> Launch:
    try:
        return Launch.objects.select_related("program", "pemda").get(program=program, pk=pk)
    except (Launch.DoesNotExist, ValueError):
        raise Http404 from None


def launch_items(*, launch: Launch) -> QuerySet[LaunchedInnovation]:
    return launch.items.select_related("innovation", "innovation__unit").order_by("innovation__unit__name", "innovation__name")
