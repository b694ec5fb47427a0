"""Numbers a database cannot hold get 404 or 422 with a message, never a server error (issue 10.6).

- URL paths: every integer in a URL is `<id:...>` (labinov.core.converters), which does not match an
  id above 2**63 - 1: the page answers 404.
- Query parameters: integers are read with `labinov.core.params.int_param`, which answers "absent"
  for a number out of range or a non-number.
- API: every integer of a body, a query or a path is bounded (422 with a message), and `false` is not
  an integer; every operation declares its 403, 404 and 422 answers.
- A form body that is not UTF-8 answers 400.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from labinov.core.converters import MAX_ID, IdConverter

HUGE = 2**64


def _patterns():
    """(name, route, converters) of every page URL pattern, the API's excepted."""
    out = []

    def walk(patterns, prefix="", converters=None, namespace=None):
        for p in patterns:
            conv = {**(converters or {}), **getattr(p.pattern, "converters", {})}
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), conv, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace is None:
                out.append((p.name, prefix + str(p.pattern), conv))

    walk(get_resolver().url_patterns)
    return out


def test_no_url_takes_an_unbounded_integer():
    unbounded = [route for _name, route, conv in _patterns() if any(isinstance(c, IntConverter) for c in conv.values())]
    assert not unbounded, f"use <id:...>, not <int:...>: {unbounded}"


def test_the_id_converter_refuses_what_a_database_cannot_hold():
    conv = IdConverter()
    assert conv.to_python(str(MAX_ID)) == MAX_ID
    for value in (str(MAX_ID + 1), str(HUGE)):
        with pytest.raises(ValueError):
            conv.to_python(value)


ID_ROUTES = [(name, route) for name, route, conv in _patterns() if any(isinstance(c, IdConverter) for c in conv.values())]


@pytest.fixture
def admin_client(db, client, make_user):
    from labinov.core.roles import Role
    from labinov.regions.models import Pemda

    Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota")
    client.force_login(make_user("admin@lan.test", Role.NATIONAL_ADMIN))
    return client


@pytest.mark.parametrize("name,route", ID_ROUTES, ids=[n for n, _ in ID_ROUTES])
def test_every_page_with_an_id_answers_404_to_a_huge_id(admin_client, name, route):
    import re

    path = "/" + re.sub(r"<id:\w+>", str(HUGE), route).replace("<slug:pemda>", "3373")
    assert "<" not in path, path
    assert admin_client.get(path).status_code == 404, path
    assert admin_client.post(path, {}).status_code == 404, path


# ------------------------------------------------------------------------------- query parameters

#: Integer query parameters the pages read (filters, preselections, pages).
INT_PARAMS = ["unit", "program", "innovation", "coach", "exclude", "milestone", "page", "person", "event", "job", "offset"]
BAD_NUMBERS = [str(HUGE), "abc", "1.026"]
PAGES_WITH_QUERIES = ["unit_list", "person_list", "program_list", "event_list", "event_create", "member_list", "idea_list",
                      "idea_similar", "screening_list", "consolidation", "funnel", "plan_overview", "plan_timeline",
                      "commitment_list", "progress_dashboard", "launch_list", "pemda_list", "region_search", "home"]


def test_out_of_range_query_parameters_never_crash_a_page(world, login):
    """Every list page, with every integer parameter a page reads set to numbers a database cannot
    hold or to no number at all: the page answers 200 (the value is ignored) or 404."""
    from django.urls import NoReverseMatch, reverse

    w = world
    client = login(w.users["organiser"])
    for name in PAGES_WITH_QUERIES:
        for kwargs in ({}, {"pemda": w.own.slug}, {"pemda": w.own.slug, "program": w.program.pk}):
            try:
                url = reverse(name, kwargs=kwargs)
                break
            except NoReverseMatch:
                continue
        for value in BAD_NUMBERS:
            query = "&".join(f"{p}={value}" for p in INT_PARAMS)
            response = client.get(f"{url}?{query}")
            assert response.status_code in (200, 404), (url, value, response.status_code)


def test_a_preselection_out_of_range_answers_404(world, login):
    client = login(world.users["organiser"])
    assert client.get(f"/pemda/{world.own.slug}/events/new/?program={HUGE}").status_code == 404
    assert client.get(f"/pemda/{world.own.slug}/events/new/?program=1.026").status_code == 404
    assert client.get(f"/pemda/{world.own.slug}/events/new/?program={world.program.pk}").status_code == 200


def test_int_param_reads_only_numbers_a_database_holds(rf):
    from labinov.core.params import int_param

    def read(value, **kw):
        return int_param(rf.get("/", {"x": value}).GET, "x", **kw)

    assert read("1026") == 1026 and read(" 7 ") == 7
    for bad in (str(HUGE), str(MAX_ID + 1), "-1", "0", "abc", "1.026", "1e400", "", "١٢"):
        assert read(bad) is None, bad
    assert read("0", min_value=0) == 0
    assert int_param(rf.get("/").GET, "x", default=3) == 3


def test_id_list_keeps_only_ids_a_database_holds():
    from labinov.core.params import id_list

    assert id_list(["3", "3", str(HUGE), "abc", "1.026", "١٢", " 7", "0"]) == [3, 7]


def test_posted_huge_ids_are_refused_not_500(world, login):
    """Checkbox lists posted with ids no database holds: the page answers, nothing changes."""
    from labinov.programs.models import Attendance, Participation

    client = login(world.users["organiser"])
    slug, program, event = world.own.slug, world.program, world.event
    before = (Participation.objects.count(), Attendance.objects.count())
    posts = [
        (f"/pemda/{slug}/programs/{program.pk}/units/", {"units": [str(HUGE)], "shown": [str(HUGE)]}),
        (f"/pemda/{slug}/events/{event.pk}/attendance/", {"person": [str(HUGE)], f"mode_{HUGE}": "luring"}),
        (f"/pemda/{slug}/programs/{program.pk}/commitments/sign/", {"ids": [str(HUGE)], "party": "unit_head"}),
        (f"/pemda/{slug}/programs/{program.pk}/screening/", {"ideas": [str(HUGE)], "action": "reject"}),
        (f"/pemda/{slug}/programs/{program.pk}/consolidation/", {"ideas": [str(HUGE)]}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)
    assert (Participation.objects.count(), Attendance.objects.count()) == before
