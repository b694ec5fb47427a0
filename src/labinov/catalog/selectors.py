"""Reads of the public catalogue: published innovations of every active pemda, for anyone.

Unlike the other apps' selectors these are not scoped to the actor's pemda: the catalogue is public, and
what it may show is decided here once — an innovation with `published_at` set, of an active pemda, and only
its public fields (the templates never receive the profile's contact, NIP, phone, budget or files).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, ExtractYear, Substr
from django.http import Http404
from django.utils.text import slugify

from labinov.core.regulation import InnovationForm, Urusan
from labinov.innovations.models import IidStage, Innovation
from labinov.regions.models import Pemda, UnitKind

from . import search
from .models import CatalogEntry

PER_PAGE = 20
#: what a row of the list shows besides the innovation
ROW_RELATED = ("pemda", "unit", "profile")
_PLACE = re.compile(r"(\d{2,13})(?:-[a-z0-9-]*)?")
_ITEM = re.compile(r"(\d{1,18})(?:-[a-z0-9-]*)?")


def published() -> QuerySet[Innovation]:
    """Every innovation the catalogue may show."""
    return Innovation.objects.filter(published_at__isnull=False, pemda__is_active=True)


def with_year(qs: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """The innovation's year: its implementation (penerapan) year, else the year it was published."""
    if connection.vendor == "sqlite":
        # Django's ExtractYear is a Python function per row on SQLite (a third of a list page's time);
        # a stored date starts with its year. The publication year stays timezone-aware (rarely needed).
        implemented = Cast(Substr("profile__implementation_date", 1, 4), IntegerField())
    else:
        implemented = ExtractYear("profile__implementation_date")
    return qs.annotate(year=Coalesce(implemented, ExtractYear("published_at"), output_field=IntegerField()))


def apply_filters(qs: QuerySet[Innovation], *, province: str = "", region: str = "", urusan: str = "", form: str = "",
                  stage: str = "", unit_kind: str = "", digital: bool | None = None, year: int | None = None) -> QuerySet:
    if province:
        qs = qs.filter(Q(pemda__region_code=province) | Q(pemda__region_code__startswith=f"{province}."))
    if region:
        qs = qs.filter(pemda__region_code=_dotted(region))
    if urusan:
        qs = qs.filter(profile__urusan_primary=urusan)
    if form:
        qs = qs.filter(form=form)
    if stage:
        qs = qs.filter(profile__iid_stage=stage)
    if unit_kind:
        qs = qs.filter(unit__kind=unit_kind)
    if digital is not None:
        qs = qs.filter(is_digital=digital)
    if year:
        qs = with_year(qs).filter(year=year)
    return qs


def _dotted(slug: str) -> str:
    """3373 -> 33.73 (the pemda's region code: province, kab/kota)."""
    return ".".join(slug[i:i + 2] for i in range(0, len(slug), 2))


@dataclass
class Results:
    """A catalogue query: `queryset` ordered for the page (ranked when searching), `matching` the same rows
    unordered (for counts and facets), what was searched and whether any word (rather than all) sufficed."""

    queryset: QuerySet
    matching: QuerySet
    query: str = ""
    parsed: search.ParsedQuery = field(default_factory=lambda: search.ParsedQuery(terms=()))
    any_term: bool = False

    @property
    def stems(self) -> frozenset[str]:
        return self.parsed.stems


def _match_ids(parsed: search.ParsedQuery, *, any_term: bool):
    """A subquery of the ids whose catalogue text matches, on either engine."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(parsed.tsquery(any_term=any_term), search_type="raw", config="simple")
        return CatalogEntry.objects.annotate(v=SearchVector("text", config="simple")).filter(v=query).values("innovation_id")
    return RawSQL("SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH %s", [parsed.fts5(any_term=any_term)])


def _ranked(qs: QuerySet, parsed: search.ParsedQuery, *, any_term: bool) -> QuerySet:
    """Best first: bm25 on SQLite (negated: lower is better there), ts_rank_cd on PostgreSQL. On SQLite
    `qs` need not be restricted to the matches yet (the join does it); on PostgreSQL it must be."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(parsed.tsquery(any_term=any_term), search_type="raw", config="simple")
        rank = SearchRank(SearchVector("catalog_entry__text", config="simple"), query, cover_density=True)
        return qs.annotate(rank=rank).order_by("-rank", "-published_at", "pk")
    # SQLite: join the FTS5 table, so bm25 is computed once per matching row (a correlated subquery per
    # row re-ran the MATCH each time: seconds at 20,000 innovations).
    table = Innovation._meta.db_table
    return qs.extra(tables=["catalog_fts"], where=[f'catalog_fts.rowid = "{table}"."id"', "catalog_fts MATCH %s"],  # noqa: S610
                    params=[parsed.fts5(any_term=any_term)], select={"rank": "-bm25(catalog_fts)"}) \
        .order_by("-rank", "-published_at", "pk")


def catalogue_search(*, query: str = "", **filters) -> Results:
    """The published innovations matching the filters and, when given, the words searched for.

    Every word must match; when that finds nothing the search is repeated with any word (ranked, so those
    with more of them come first) and `any_term` says so. A query of stop words only searches for nothing."""
    base = apply_filters(published(), **filters)
    parsed = search.parse(query)
    if not query.strip():
        return Results(queryset=base.select_related(*ROW_RELATED).order_by("-published_at", "name", "pk"), matching=base)
    if not parsed:
        none = base.none()
        return Results(queryset=none, matching=none, query=query, parsed=parsed)
    any_term = False
    matching = base.filter(pk__in=_match_ids(parsed, any_term=False))
    if len(parsed.terms) > 1 and not matching.exists():
        any_term = True
        matching = base.filter(pk__in=_match_ids(parsed, any_term=True))
    ranked = _ranked(matching if connection.vendor == "postgresql" else base, parsed, any_term=any_term)
    return Results(queryset=ranked.select_related(*ROW_RELATED), matching=matching, query=query, parsed=parsed,
                   any_term=any_term)


# -------------------------------------------------------------------------------------------------
# Facets


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int


@functools.cache
def _province_name(code: str) -> str:
    from labinov.regions import lookup

    region = lookup.get_region(code)
    return region.name if region else code


def _counts(qs: QuerySet, expression, key="k") -> list[tuple]:
    return list(qs.annotate(**{key: expression}).values(key).annotate(n=Count("pk")).order_by().values_list(key, "n"))


def _facet_base(results: Results, filters: dict, *without: str) -> QuerySet:
    """The innovations matching the search and every filter but the facet's own: a chosen value keeps its
    siblings on offer (choosing Jawa Tengah still lists Banten, with its count)."""
    if results.query and not results.parsed:
        return published().none()
    qs = apply_filters(published(), **{k: v for k, v in filters.items() if k not in without})
    if results.parsed:
        qs = qs.filter(pk__in=_match_ids(results.parsed, any_term=results.any_term))
    return qs


def facets(results: Results, filters: dict) -> dict[str, list[Option]]:
    """How many innovations each value of each filter would give (one query per filter)."""
    from django.utils.translation import gettext as _

    choices_urusan, choices_form = dict(Urusan.choices), dict(InnovationForm.choices)
    choices_stage, choices_kind = dict(IidStage.choices), dict(UnitKind.choices)
    out: dict[str, list[Option]] = {}
    base = functools.partial(_facet_base, results, filters)
    out["province"] = sorted((Option(code, _province_name(code), n)
                              for code, n in _counts(base("province", "region"), Substr("pemda__region_code", 1, 2)) if code),
                             key=lambda o: o.label)
    regions = base("region").values("pemda__region_code", "pemda__name").annotate(n=Count("pk")).order_by("pemda__name")
    out["region"] = [Option(r["pemda__region_code"].replace(".", ""), r["pemda__name"], r["n"]) for r in regions]
    out["urusan"] = sorted((Option(v, str(choices_urusan.get(v, v)), n) for v, n in _counts(base("urusan"), F("profile__urusan_primary"))
                            if v), key=lambda o: o.label)
    out["form"] = [Option(v, str(choices_form.get(v, v)), n) for v, n in _counts(base("form"), F("form")) if v]
    stage_counts = dict(_counts(base("stage"), F("profile__iid_stage")))
    out["stage"] = [Option(v, str(label), stage_counts[v]) for v, label in choices_stage.items() if stage_counts.get(v)]
    out["unit_kind"] = sorted((Option(v, str(choices_kind.get(v, v)), n) for v, n in _counts(base("unit_kind"), F("unit__kind")) if v),
                              key=lambda o: o.label)
    digital = dict(_counts(base("digital"), F("is_digital")))
    out["digital"] = [Option(v, label, digital[key]) for key, v, label in ((True, "yes", _("Digital")), (False, "no", _("Not digital")))
                      if digital.get(key)]
    years = with_year(base("year")).values("year").annotate(n=Count("pk")).order_by("-year")
    out["year"] = [Option(str(r["year"]), str(r["year"]), r["n"]) for r in years if r["year"]]
    return out


# -------------------------------------------------------------------------------------------------
# Pages


def place_slug(pemda: Pemda) -> str:
    """The pemda's part of a catalogue URL: its code and name, e.g. 3373-kota-salatiga."""
    return "-".join(p for p in (pemda.slug, slugify(pemda.name)) if p)


def item_slug(innovation: Innovation) -> str:
    return "-".join(p for p in (str(innovation.pk), slugify(innovation.name)[:80].strip("-")) if p)


def catalogue_pemda_get(*, place: str) -> Pemda:
    """An active pemda with at least one published innovation, by the code at the start of `place`."""
    match = _PLACE.fullmatch(place or "")
    if not match:
        raise Http404
    pemda = Pemda.objects.filter(region_code=_dotted(match.group(1)), is_active=True).first()
    if pemda is None or not published().filter(pemda=pemda).exists():
        raise Http404
    return pemda


def catalogue_innovation_get(*, item: str) -> Innovation:
    """A published innovation by the id at the start of `item` (404 for an unpublished or unknown one)."""
    match = _ITEM.fullmatch(item or "")
    if not match:
        raise Http404
    innovation = published().select_related("pemda", "unit", "profile").filter(pk=int(match.group(1))).first()
    if innovation is None:
        raise Http404
    return innovation


def catalogue_launch(*, innovation: Innovation):
    """The launching that announced the innovation (date, place, who launched it, the decree), or None."""
    from labinov.delivery.models import LaunchedInnovation

    return LaunchedInnovation.objects.select_related("launch").filter(innovation=innovation).order_by("-launch__held_on").first()


def pemda_summary(*, pemda: Pemda) -> dict:
    """Counts of a pemda's published innovations by urusan and by stage."""
    qs = published().filter(pemda=pemda)
    urusan = dict(Urusan.choices)
    by_urusan = sorted(((str(urusan.get(v, v)) if v else "", n) for v, n in _counts(qs, F("profile__urusan_primary"))),
                       key=lambda r: (-r[1], r[0]))
    stages = dict(_counts(qs, F("profile__iid_stage")))
    by_stage = [(str(label), stages[v]) for v, label in IidStage.choices if stages.get(v)]
    return {"total": qs.count(), "by_urusan": by_urusan, "by_stage": by_stage}
