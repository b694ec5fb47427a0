"""Writes of the public catalogue: its search entries follow what is published.

`catalogue_sync` is called wherever an innovation is published or its public fields change (the launching,
the profile form, the demo); `catalogue_rebuild` (`labinov catalogue_reindex`) recomputes every entry, e.g.
after NORMALIZE_VERSION changes. An entry exists only for a published innovation of an active pemda.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from labinov.core import textsim

from .models import CatalogEntry

#: the profile fields the public page shows and the search indexes (never contacts, NIP, budget or files)
PUBLIC_PROFILE_FIELDS = ("problem", "strategic_issue", "renewal_method", "novelty", "how_it_works", "goals", "benefits",
                         "results", "legal_basis")


def public_text(innovation) -> str:
    """The normalised text of an innovation's public fields (its profile prefetched or fetched)."""
    profile = getattr(innovation, "profile", None) if _has_profile(innovation) else None
    parts = [innovation.name, innovation.description, innovation.unit.name]
    if profile is not None:
        parts.extend(getattr(profile, f) or "" for f in PUBLIC_PROFILE_FIELDS)
    return textsim.normalize("\n".join(p for p in parts if p))


def _has_profile(innovation) -> bool:
    from labinov.innovations.models import InnovationProfile

    try:
        innovation.profile  # noqa: B018
    except InnovationProfile.DoesNotExist:
        return False
    return True


def catalogue_sync(*, innovation_ids: Iterable[int]) -> int:
    """Brings the entries of these innovations up to date: written for the published ones, removed for the
    others. Returns how many entries were written."""
    from labinov.innovations.models import Innovation

    ids = {int(i) for i in innovation_ids}
    if not ids:
        return 0
    innovations = list(Innovation.objects.filter(pk__in=ids, published_at__isnull=False, pemda__is_active=True)
                       .select_related("unit", "profile"))
    with transaction.atomic():
        CatalogEntry.objects.filter(innovation_id__in=ids - {i.pk for i in innovations}).delete()
        existing = set(CatalogEntry.objects.filter(innovation_id__in=[i.pk for i in innovations]).values_list("innovation_id", flat=True))
        for innovation in innovations:
            text = public_text(innovation)
            if innovation.pk in existing:
                CatalogEntry.objects.filter(innovation_id=innovation.pk).update(text=text, updated_at=timezone.now())
            else:
                CatalogEntry.objects.create(innovation=innovation, text=text)
    return len(innovations)


def catalogue_rebuild(*, chunk: int = 2000) -> int:
    """Recomputes every entry (published innovations of active pemda) and drops the others."""
    from labinov.innovations.models import Innovation

    CatalogEntry.objects.exclude(innovation__published_at__isnull=False, innovation__pemda__is_active=True).delete()
    ids = list(Innovation.objects.filter(published_at__isnull=False, pemda__is_active=True).order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), chunk):
        total += catalogue_sync(innovation_ids=ids[start:start + chunk])
    return total
