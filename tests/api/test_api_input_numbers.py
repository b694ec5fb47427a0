"""API input: out-of-range numbers, booleans for numbers, bodies that are not a JSON object, and the
error answers every operation declares (issue 10.6); validation messages in the user's language
(issue 9.8)."""

from __future__ import annotations

import json
import typing

import pytest
from annotated_types import Ge, Le
from pydantic import BaseModel

from labinov.api.numbers import MAX_INT, NOT_BOOL

from .conftest import purl

HUGE = 2**64


# ------------------------------------------------------------------------------------ the rules


def _plain_ints(model, seen) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    found = []
    for name, info in model.model_fields.items():
        found += _check(info.annotation, list(info.metadata), f"{model.__name__}.{name}", seen)
    return found


def _check(annotation, metadata, where, seen) -> list[str]:
    if typing.get_origin(annotation) is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        return _check(base, metadata + list(extra), where, seen)
    if annotation is int:
        if NOT_BOOL not in metadata:
            return [where]
        # Id/Count carry their own bounds, which override a Field(ge=..., le=...) beside them.
        doubled = [kind for kind in (Ge, Le) if sum(isinstance(m, kind) for m in metadata) > 1]
        return [f"{where} (bounds overridden: use IntRange)"] if doubled else []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _plain_ints(annotation, seen)
    out = []
    for arg in typing.get_args(annotation):
        out += _check(arg, [], where, seen)
    return out


def test_every_integer_input_is_bounded_and_never_a_boolean():
    """Bodies, query and path parameters: each integer is `Id` or `Count` (labinov.api.numbers)."""
    from tests.api.inputs import operation_input_models

    models, plain, seen = 0, set(), set()
    for model in operation_input_models():
        models += 1
        plain.update(_plain_ints(model, seen))
    assert models >= 60
    assert not plain, f"plain int inputs (use Id or Count from labinov.api.numbers): {sorted(plain)}"


def _integers_without_maximum(schema, components, where, seen) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _integers_without_maximum(components[name], components, name, seen)
    out = [where] if schema.get("type") == "integer" and not (schema.get("maximum", MAX_INT + 1) <= MAX_INT) else []
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            out += _integers_without_maximum(sub, components, where, seen)
    for name, sub in schema.get("properties", {}).items():
        out += _integers_without_maximum(sub, components, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            out += _integers_without_maximum(schema[key], components, f"{where}[]", seen)
    return out


def test_the_openapi_document_bounds_every_integer_input_and_declares_every_error():
    from labinov.api.api import api

    doc = api.get_openapi_schema()
    components = doc["components"]["schemas"]
    unbounded, undeclared = [], []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            for param in op.get("parameters", []):
                unbounded += [f"{where} {p}" for p in _integers_without_maximum(param["schema"], components, param["name"], set())]
            for content in op.get("requestBody", {}).get("content", {}).values():
                unbounded += [f"{where} {p}" for p in _integers_without_maximum(content["schema"], components, "body", set())]
            expected = {401, 403, 404, 422} | ({400} if "requestBody" in op else set())
            missing = sorted(expected - {int(s) for s in op["responses"]})
            if missing:
                undeclared.append(f"{where}: {missing}")
            for status in expected & {int(s) for s in op["responses"]}:
                answer = op["responses"].get(status) or op["responses"].get(str(status))
                assert answer["content"]["application/json"]["schema"], (where, status)
    assert not unbounded, f"integer inputs without a maximum: {unbounded}"
    assert not undeclared, f"operations that do not declare their error answers: {undeclared}"
    assert components["ValidationErrorOut"]["properties"]["detail"]["type"] == "array"


# ------------------------------------------------------------------------------------ behaviour


def test_huge_numbers_get_422_with_a_message_not_500(world, call):
    user = world.users["organiser"]
    r = call("GET", purl(world.own, f"/units?offset={HUGE}"), user=user)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "offset"
    r = call("GET", purl(world.own, f"/units/{HUGE}"), user=user)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "id"
    r = call("GET", purl(world.own, f"/events?program={HUGE}"), user=user)
    assert r.status_code == 422
    body = {"entries": [{"person_id": HUGE, "present": True, "mode": "luring"}]}
    r = call("POST", purl(world.own, f"/events/{world.event.pk}/attendance"), body, user=user)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "entries.0.person_id"
    assert str(MAX_INT) in r.json()["detail"][0]["message"]
    r = call("PATCH", purl(world.own, f"/units/{world.kel.pk}"), {"parent_id": HUGE}, user=user)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "parent_id"


def test_a_boolean_is_not_a_number(world, call):
    from labinov.programs.models import Event

    world.event.mode = "daring"
    world.event.save(update_fields=["mode"])
    url = purl(world.own, f"/events/{world.event.pk}/attendance")
    r = call("POST", url, {"entries": [], "online_viewers": False}, user=world.users["organiser"])
    assert r.status_code == 422, r.content
    assert r.json()["detail"] == [{"field": "online_viewers", "message": "online_viewers harus berupa bilangan bulat.",
                                   "code": "int_type"}]
    assert Event.objects.get(pk=world.event.pk).online_viewers is None
    r = call("POST", url, {"entries": [{"person_id": True, "present": True}]}, user=world.users["organiser"])
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "entries.0.person_id"


@pytest.mark.parametrize("raw", [b"[null, null]", b"null", b"42", b'"name"', b'{"name": "\xff\xfe"}', b"{"])
def test_a_body_that_is_not_a_json_object_in_utf8_gets_400_and_changes_nothing(world, client, raw):
    from labinov.regions.models import Unit

    client.force_login(world.users["organiser"])
    before = Unit.objects.filter(pemda=world.own).order_by("pk").values_list("pk", "name", "parent_id", "code")
    before = list(before)
    r = client.patch(purl(world.own, f"/units/{world.kel.pk}"), data=raw, content_type="application/json")
    assert r.status_code == 400, (raw, r.status_code, r.content)
    assert r.json()["detail"].startswith("Isi permintaan"), r.json()
    r = client.post(purl(world.own, "/units"), data=raw, content_type="application/json")
    assert r.status_code == 400, (raw, r.status_code)
    assert list(Unit.objects.filter(pemda=world.own).order_by("pk").values_list("pk", "name", "parent_id", "code")) == before


def test_validation_messages_are_in_the_users_language(world, call):
    user = world.users["organiser"]
    r = call("POST", purl(world.own, "/units"), {}, user=user, headers={"Accept-Language": "id"})
    assert r.status_code == 422
    assert {"field": "name", "message": "name wajib diisi.", "code": "missing"} in r.json()["detail"]
    r = call("POST", purl(world.own, "/units"), {}, user=user, headers={"Accept-Language": "en"})
    assert {"field": "name", "message": "name is required.", "code": "missing"} in r.json()["detail"]
    r = call("POST", purl(world.own, "/programs"), {"name": "Program", "year": "dua ribu"}, user=user,
             headers={"Accept-Language": "id"})
    assert r.json()["detail"] == [{"field": "year", "message": "year harus berupa bilangan bulat.", "code": "int_parsing"}]
    r = call("GET", purl(world.own, "/units?limit=500"), user=user, headers={"Accept-Language": "id"})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "limit", "message": "limit paling banyak 200.", "code": "less_than_equal"}]
    r = call("POST", purl(world.own, "/units"), {"name": "x" * 5000, "kind": "dinas"}, user=user,
             headers={"Accept-Language": "id"})
    assert r.status_code == 422
    assert all("Field required" not in d["message"] and "String should" not in d["message"] for d in r.json()["detail"])


def test_a_form_body_that_is_not_utf8_gets_400_on_a_page(world, login):
    from labinov.regions.models import Unit

    client = login(world.users["organiser"])
    count = Unit.objects.count()
    r = client.post(f"/pemda/{world.own.slug}/units/new/", data=b"name=Dinas\xff\xfe&kind=dinas",
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400
    assert Unit.objects.count() == count
    assert "UTF-8" in r.content.decode()


def test_a_review_error_names_the_criterion_by_its_key_and_its_label(ideas_world, call):
    """The score of a criterion is sent under its key; an error points there (not at "c<id>") and
    names the criterion by its label in the message."""
    w = ideas_world
    w.program.stage = "design"
    w.program.save(update_fields=["stage"])
    scores = {"renewal": 4, "benefit": 9, "no_burden": 3, "authority": 4, "replicable": 3, "feasible": 4}
    url = purl(w.own, f"/programs/{w.program.pk}/ideas/{w.idea.pk}/review")
    r = call("PUT", url, {"scores": scores}, user=w.users["coach"], headers={"Accept-Language": "id"})
    assert r.status_code == 422
    detail = {d["field"]: d["message"] for d in r.json()["detail"]}
    assert set(detail) == {"scores.benefit", "scores.rpjmd"}, detail
    assert "Memberi manfaat bagi daerah/masyarakat" in detail["scores.benefit"]
    assert "benefit" not in detail["scores.benefit"] and "rpjmd" not in detail["scores.rpjmd"]
