"""Helpers for the API tests: URLs, JSON calls, tokens."""

from __future__ import annotations

import pytest

BASE = "/api/v1"


def purl(pemda, path: str = "") -> str:
    """/api/v1/pemda/<slug><path>; `pemda` is a Pemda or a code/slug string."""
    slug = pemda if isinstance(pemda, str) else pemda.slug
    return f"{BASE}/pemda/{slug}{path}"


@pytest.fixture
def call(client):
    """call(method, url, body=None, user=None, token=None, **headers) → response, JSON bodies both ways."""

    def do(method, url, body=None, *, user=None, token=None, headers=None):
        client.logout()
        if user is not None:
            client.force_login(user)
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        kwargs = {"headers": hdrs}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(client, method.lower())(url, **kwargs)

    return do


@pytest.fixture
def token_for(db):
    from labinov.api.services import api_token_create

    def make(user, name="tests"):
        return api_token_create(actor=user, name=name)[1]

    return make


def fields_of(response) -> list:
    return [d["field"] for d in response.json()["detail"]]
