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
