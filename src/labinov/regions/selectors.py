"""Reads of pemda and units, always scoped by what the actor may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from labinov.core.access import roles_of

from .models import Pemda, Unit


def pemda_list(*, actor) -> QuerySet[Pemda]:
    index = roles_of(actor)
    qs = Pemda.objects.all()
    if not index.national:
        qs = qs.filter(pk__in=index.pemda_ids())
    return qs.annotate(unit_count=Count("units", distinct=True)).order_by("name")


def pemda_get(*, actor, slug: str) -> Pemda:
    """The pemda named in a URL (code without dots), or 404 when the actor has no access to it."""
    code = ".".join(p for p in (slug[0:2], slug[2:4], slug[4:6], slug[6:10]) if p) if "." not in slug else slug
    index = roles_of(actor)
    try:
        pemda = Pemda.objects.get(region_code=code)
    except Pemda.DoesNotExist:
        raise Http404 from None
    if not index.national and pemda.pk not in index.pemda_ids():
        raise Http404
    return pemda


def unit_list(*, actor, pemda: Pemda, q: str = "", kind: str = "") -> QuerySet[Unit]:
    qs = Unit.objects.filter(pemda=pemda).select_related("parent")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def unit_get(*, actor, pemda: Pemda, pk: int) -> Unit:
    try:
        return Unit.objects.select_related("parent").get(pemda=pemda, pk=pk)
    except (Unit.DoesNotExist, ValueError):
        raise Http404 from None


def unit_choices(*, pemda: Pemda) -> QuerySet[Unit]:
    return Unit.objects.filter(pemda=pemda, is_active=True).order_by("name")


def pemda_stats(*, pemda: Pemda) -> dict:
    from labinov.people.models import Person
    from labinov.programs.models import Event, Program

    return {
        "units": Unit.objects.filter(pemda=pemda).count(),
        "people": Person.objects.filter(pemda=pemda).count(),
        "programs": Program.objects.filter(pemda=pemda).count(),
        "events": Event.objects.filter(pemda=pemda).count(),
        "by_kind": list(Unit.objects.filter(pemda=pemda).values("kind").annotate(n=Count("id")).order_by("-n")),
    }


def enabled_region_codes(*, codes: list[str]) -> set[str]:
    """Which of these region codes are already a pemda (public knowledge: the list of Labinov pemda)."""
    return set(Pemda.objects.filter(region_code__in=codes).values_list("region_code", flat=True))
