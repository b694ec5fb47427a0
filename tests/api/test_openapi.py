"""The schema, the docs page (no CDN) and the operation list the permission matrix relies on."""

import pytest

from labinov.api.operations import all_operations

EXPECTED = {
    ("GET", "/api/v1/pemda/{code}/programs/{id}/ideas"), ("POST", "/api/v1/pemda/{code}/programs/{id}/ideas"),
    ("GET", "/api/v1/pemda/{code}/programs/{id}/ideas/similar"), ("GET", "/api/v1/pemda/{code}/programs/{id}/ideas/{idea_id}"),
    ("PATCH", "/api/v1/pemda/{code}/programs/{id}/ideas/{idea_id}"), ("POST", "/api/v1/pemda/{code}/programs/{id}/ideas/{idea_id}/submit"),
    ("PUT", "/api/v1/pemda/{code}/programs/{id}/ideas/{idea_id}/review"), ("GET", "/api/v1/pemda/{code}/programs/{id}/rubric"),
    ("PUT", "/api/v1/pemda/{code}/programs/{id}/rubric"), ("GET", "/api/v1/pemda/{code}/programs/{id}/screening"),
    ("POST", "/api/v1/pemda/{code}/programs/{id}/decisions"), ("POST", "/api/v1/pemda/{code}/programs/{id}/decisions/publish"),
    ("GET", "/api/v1/pemda/{code}/programs/{id}/funnel"), ("GET", "/api/v1/pemda/{code}/programs/{id}/innovations"),
    ("GET", "/api/v1/pemda/{code}/innovations/{innovation_id}"),
    ("PUT", "/api/v1/pemda/{code}/innovations/{innovation_id}/profile"),
    ("POST", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan"),
    ("POST", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan/new-version"),
    ("GET", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan/{version}"),
    ("PUT", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan/{version}"),
    ("POST", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan/{version}/submit"),
    ("POST", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan/{version}/comments"),
    ("POST", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan/{version}/coach-approve"),
    ("POST", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan/{version}/approve"),
    ("GET", "/api/v1/pemda/{code}/innovations/{innovation_id}/plan/{version}/diff/{other}"),
    ("GET", "/api/v1/pemda/{code}/programs/{id}/commitments"), ("POST", "/api/v1/pemda/{code}/programs/{id}/commitments/prepare"),
    ("GET", "/api/v1/pemda/{code}/programs/{id}/commitments/{commitment_id}"),
    ("POST", "/api/v1/pemda/{code}/programs/{id}/commitments/{commitment_id}/signatures"),
    ("GET", "/api/v1/pemda/{code}/programs/{id}/progress"), ("GET", "/api/v1/pemda/{code}/programs/{id}/launches"),
    ("POST", "/api/v1/pemda/{code}/programs/{id}/launches"), ("GET", "/api/v1/pemda/{code}/innovations/{innovation_id}/monitoring"),
    ("POST", "/api/v1/pemda/{code}/innovations/{innovation_id}/reports"),
    ("POST", "/api/v1/pemda/{code}/innovations/{innovation_id}/coach-notes"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/regions"),
    ("GET", "/api/v1/pemda"),
    ("GET", "/api/v1/pemda/{code}"),
    ("GET", "/api/v1/pemda/{code}/units"),
    ("POST", "/api/v1/pemda/{code}/units"),
    ("GET", "/api/v1/pemda/{code}/units/{id}"),
    ("PATCH", "/api/v1/pemda/{code}/units/{id}"),
    ("GET", "/api/v1/pemda/{code}/people"),
    ("POST", "/api/v1/pemda/{code}/people"),
    ("GET", "/api/v1/pemda/{code}/programs"),
    ("POST", "/api/v1/pemda/{code}/programs"),
    ("GET", "/api/v1/pemda/{code}/programs/{id}"),
    ("POST", "/api/v1/pemda/{code}/programs/{id}/advance"),
    ("GET", "/api/v1/pemda/{code}/events"),
    ("POST", "/api/v1/pemda/{code}/events"),
    ("GET", "/api/v1/pemda/{code}/events/{id}"),
    ("POST", "/api/v1/pemda/{code}/events/{id}/attendance"),
    ("GET", "/api/v1/pemda/{code}/audit"),
}


@pytest.mark.django_db
def test_openapi_json_is_served_and_lists_the_operations(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    served = {(m.upper(), p) for p, item in schema["paths"].items() for m in item}
    assert served == EXPECTED
    # Every operation has a tag (one per resource) and declares both ways to authenticate.
    schemes = set(schema["components"]["securitySchemes"])
    assert len(schemes) == 2
    for path, item in schema["paths"].items():
        for method, op in item.items():
            assert op["tags"], (method, path)
            assert {k for s in op["security"] for k in s} == schemes, (method, path)


def test_all_operations_matches_the_schema():
    ops = all_operations()
    assert set(ops) == EXPECTED
    assert len(ops) == len(set(ops))
    assert all(m == m.upper() for m, _ in ops)


@pytest.mark.django_db
def test_list_operations_are_paginated_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        op = item.get("get")
        if not op:
            continue
        ref = op["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
        params = {p["name"]: p for p in op.get("parameters", [])}
        if ref.split("/")[-1].startswith("Paged"):
            assert params["limit"]["schema"]["maximum"] == 200, path
            assert "offset" in params, path


@pytest.mark.django_db
def test_docs_load_without_a_cdn(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html and "http://" not in html
    for asset in ("/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js", "/static/ninja/swagger-ui.css"):
        assert client.get(asset).status_code == 200, asset
