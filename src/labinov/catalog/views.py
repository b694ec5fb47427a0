"""The public catalogue's pages: no log-in needed (no login_required here, and no middleware asks for one).

Thin: the form reads the filters, the selectors decide what is public, the templates show it. Public pages
are cacheable (Cache-Control: public, Last-Modified and ETag, 304 on a match); for a logged-in visitor
NoStoreMiddleware turns that into no-store, as the layout then shows their name.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from . import opendata, selectors
from .forms import CatalogueFilterForm
from .search import highlight
from .services import PUBLIC_PROFILE_FIELDS

LIST_MAX_AGE = 120
PAGE_MAX_AGE = 300


def _public(request, response, *, max_age: int, last_modified=None, etag_parts=()):
    """Cache headers of a public page, and 304 Not Modified when the browser's copy is still good."""
    patch_cache_control(response, public=True, max_age=max_age)
    etag = None
    if etag_parts:
        digest = hashlib.sha256("|".join(str(p) for p in (*etag_parts, get_language())).encode()).hexdigest()[:32]
        etag = f'"{digest}"'
        response["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp:
        response["Last-Modified"] = http_date(timestamp)
    if request.user.is_authenticated:
        return response  # NoStoreMiddleware makes it private and no-store; never answer 304 from a shared copy
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def _page(request, queryset):
    return Paginator(queryset, selectors.PER_PAGE).get_page(request.GET.get("page"))


def _rows(page, stems):
    return [{"innovation": i, "url": innovation_url(i), "name": highlight(i.name, stems),
             "summary": highlight(_summary(i), stems)} for i in page]


def _summary(innovation, length: int = 280) -> str:
    text = innovation.description or getattr(_profile(innovation), "problem", "") or ""
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def _profile(innovation):
    from labinov.innovations.models import InnovationProfile

    try:
        return innovation.profile
    except InnovationProfile.DoesNotExist:
        return None


def innovation_url(innovation) -> str:
    return reverse("catalog_innovation", kwargs={"place": selectors.place_slug(innovation.pemda), "item": selectors.item_slug(innovation)})


def catalogue(request):
    form = CatalogueFilterForm(request.GET)
    filters = form.filters()
    results = selectors.catalogue_search(query=form.query, **filters)
    page = _page(request, results.queryset)
    context = {"form": form, "filters": filters, "results": results, "page": page, "rows": _rows(page, results.stems),
               "facets": selectors.facets(results, filters), "total": page.paginator.count}
    response = render(request, "catalog/list.html", context)
    return _public(request, response, max_age=LIST_MAX_AGE)


def catalogue_pemda(request, place):
    pemda = selectors.catalogue_pemda_get(place=place)
    canonical = selectors.place_slug(pemda)
    if place != canonical:
        return redirect("catalog_pemda", place=canonical, permanent=True)
    results = selectors.catalogue_search(region=pemda.slug)
    page = _page(request, results.queryset)
    context = {"pemda": pemda, "page": page, "rows": _rows(page, frozenset()), **selectors.pemda_summary(pemda=pemda),
               "list_url": reverse("catalog_list") + f"?region={pemda.slug}"}
    response = render(request, "catalog/pemda.html", context)
    return _public(request, response, max_age=LIST_MAX_AGE)


def catalogue_innovation(request, place, item):
    innovation = selectors.catalogue_innovation_get(item=item)
    url = innovation_url(innovation)
    if request.path != url:
        return redirect(url, permanent=True)
    profile = _profile(innovation)
    fields = []
    if profile is not None:
        from labinov.innovations.models import InnovationProfile

        for name in PUBLIC_PROFILE_FIELDS:
            value = (getattr(profile, name) or "").strip()
            if value:
                fields.append((InnovationProfile._meta.get_field(name).verbose_name, value))
    launch = selectors.catalogue_launch(innovation=innovation)
    base = settings.LABINOV_BASE_URL.rstrip("/") if settings.LABINOV_BASE_URL else ""
    absolute = base + url if base else request.build_absolute_uri(url)
    from labinov.core.regulation import Urusan

    urusan = dict(Urusan.choices)
    context = {
        "innovation": innovation, "profile": profile, "fields": fields, "launch": launch, "absolute_url": absolute,
        "summary": _summary(innovation, 200),
        "urusan": [urusan.get(u, u) for u in ([profile.urusan_primary] if profile and profile.urusan_primary else innovation.urusan or [])],
        "year": _year(innovation, profile),
        "pemda_url": reverse("catalog_pemda", kwargs={"place": selectors.place_slug(innovation.pemda)}),
        "whatsapp": "https://wa.me/?text=" + quote(f"{innovation.name} ({innovation.pemda.name}) {absolute}", safe=""),
    }
    response = render(request, "catalog/innovation.html", context)
    changed = max(filter(None, [innovation.published_at, getattr(profile, "updated_at", None)]))
    return _public(request, response, max_age=PAGE_MAX_AGE, last_modified=changed,
                   etag_parts=(innovation.pk, changed.isoformat(), innovation.name, innovation.unit.name, innovation.pemda.name))


def _year(innovation, profile):
    if profile is not None and profile.implementation_date:
        return profile.implementation_date.year
    return innovation.published_at.year


def _download(request, kind: str):
    form = CatalogueFilterForm(request.GET)
    results = selectors.catalogue_search(query=form.query, **form.filters())

    def url_for(innovation):
        return request.build_absolute_uri(innovation_url(innovation))

    if kind == "csv":
        response = StreamingHttpResponse(opendata.csv_stream(results.queryset, url_for=url_for), content_type="text/csv; charset=utf-8")
    else:
        meta = {"source": request.build_absolute_uri(reverse("catalog_list")), "query": form.query,
                "filters": {k: v for k, v in form.cleaned_data.items() if k != "q" and v not in ("", None)},
                "columns": list(opendata.COLUMNS)}
        response = StreamingHttpResponse(opendata.json_stream(results.queryset, url_for=url_for, meta=meta),
                                         content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="katalog-inovasi.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def catalogue_csv(request):
    return _download(request, "csv")


def catalogue_json(request):
    return _download(request, "json")
