"""Control characters never enter Labinov: one cleaning (core/cleaning.py) at every text input.

Forms (every form has `CleanTextMixin`), the API (every text field of every request body is a
`CleanStr` / `CleanLine`), and the imports (tests/ideas/test_transfer.py, tests/regions/test_unit_import.py).
"""

from __future__ import annotations

import importlib
import pkgutil
import typing

import pytest
from django import forms
from django.urls import reverse
from pydantic import BaseModel

import labinov
from labinov.api.schemas_types import CLEANERS
from labinov.core.cleaning import clean_line, clean_text
from labinov.core.forms import CleanTextMixin
from labinov.ideas.models import Idea
from labinov.regions.models import Unit

from ..api.conftest import call, purl  # noqa: F401  (fixture)


def test_clean_text_drops_controls_keeps_lines_and_normalises():
    assert clean_text("Judul\x0b ide\x02\x1f\x7f\x85") == "Judul ide"
    assert clean_text("baris satu\r\nbaris dua\rtiga\tkolom") == "baris satu\nbaris dua\ntiga\tkolom"
    assert clean_text("Caf\u0065\u0301") == "Caf\u00e9"  # NFC
    assert clean_text("lone \ud800 surrogate \ufffe") == "lone  surrogate "
    assert clean_line("Kelurahan\nNoborejo\tLor") == "Kelurahan Noborejo Lor"
    assert clean_text(None) is None and clean_text(5) == 5
    assert clean_text("Sudah bersih, “kutip” — 1.234,5") == "Sudah bersih, “kutip” — 1.234,5"


# --------------------------------------------------------------------------- forms


def _labinov_forms():
    for module in pkgutil.walk_packages(labinov.__path__, "labinov."):
        if ".migrations" in module.name or ".management" in module.name or ".demo" in module.name:
            continue
        importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {c for c in below(forms.BaseForm) if c.__module__.startswith("labinov.")}


# Forms that look something up and store nothing of what is typed (their owners may add the mixin).
LOOKUP_ONLY = {"LoginForm", "PasswordResetForm", "AuditFilterForm"}


def test_every_form_with_text_cleans_it():
    found = _labinov_forms()
    assert len(found) > 30  # the walk found the project's forms
    missing = []
    for cls in found:
        text = [n for n, f in cls.base_fields.items() if isinstance(f, forms.CharField) and not isinstance(f.widget, forms.PasswordInput)]
        if text and not issubclass(cls, CleanTextMixin) and cls.__name__ not in LOOKUP_ONLY:
            missing.append(f"{cls.__module__}.{cls.__name__}")
    assert not missing, f"forms without CleanTextMixin (use LabinovForm or CleanForm): {missing}"


def test_the_idea_page_stores_clean_text(ideas_world, login):
    w = ideas_world
    client = login(w.users["innovator"])
    url = reverse("idea_create", kwargs={"pemda": w.own.slug, "program": w.program.pk})
    token = client.get(url).context["form"]["submission_token"].value()
    response = client.post(url, {
        "unit": str(w.kel.pk), "title": "Antrean\x0b digital\nkelurahan", "problem": "Warga\x02 menunggu\r\nlama",
        "root_cause": "", "proposed_change": "Nomor antrean lewat SMS\x1b", "beneficiaries": "", "expected_benefit": "",
        "form": "pelayanan_publik", "urusan": ["adminduk"], "initiator": "perangkat_daerah", "proposers": "Sri\x00 Lestari",
        "replication_source": "", "replication_changes": "", "submission_token": token, "action": "draft",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    idea = Idea.objects.get(program=w.program, title__startswith="Antrean")
    assert idea.title == "Antrean digital kelurahan"  # one line: the newline became a space
    assert idea.problem == "Warga menunggu\nlama"  # a textarea keeps its lines
    assert idea.proposed_change == "Nomor antrean lewat SMS" and idea.proposers == "Sri Lestari"


# --------------------------------------------------------------------------- the API


def _plain_str_fields(model, seen) -> list[str]:
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
    if annotation is str:
        return [] if any(m in CLEANERS for m in metadata) else [where]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _plain_str_fields(annotation, seen)
    out = []
    for arg in typing.get_args(annotation):
        out += _check(arg, [], where, seen)
    return out


def test_every_text_field_of_every_api_request_body_is_cleaned():
    from tests.api.inputs import operation_input_models

    bodies, plain, seen = 0, set(), set()
    for model in operation_input_models():
        if getattr(model, "__ninja_param_source__", None) in ("body", "form"):
            bodies += 1
            plain.update(_plain_str_fields(model, seen))
    assert bodies >= 20  # the walk found the request bodies
    assert not plain, f"plain str fields in request bodies (use CleanStr or CleanLine): {sorted(plain)}"


def test_the_api_stores_clean_text(ideas_world, call):  # noqa: F811
    w = ideas_world
    body = {"unit_id": w.kel.pk, "title": "Pengaduan\u000b warga", "problem": "Aduan\u0002 tidak\r\ntercatat",
            "proposed_change": "Nomor WhatsApp\u0007", "form": "pelayanan_publik", "urusan": ["kominfo"], "initiator": "asn"}
    r = call("POST", purl(w.own, f"/programs/{w.program.pk}/ideas"), body, user=w.users["innovator"])
    assert r.status_code in (200, 201), r.content
    idea = Idea.objects.get(pk=r.json()["id"])
    assert (idea.title, idea.problem, idea.proposed_change) == ("Pengaduan warga", "Aduan tidak\ntercatat", "Nomor WhatsApp")
    r = call("POST", purl(w.own, "/units"), {"name": "Kelurahan\u000b Tegalrejo\u0002", "kind": "kelurahan"},
             user=w.users["organiser"])
    assert r.status_code in (200, 201), r.content
    assert Unit.objects.get(pk=r.json()["id"]).name == "Kelurahan Tegalrejo"


@pytest.mark.parametrize("text", ["\x0b", "\x02", "\x1f"])
def test_cleaning_fails_without_the_rule(text):
    """The control characters above are exactly those an XLSX cannot hold (what made the exports 500)."""
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    ws = Workbook().active
    with pytest.raises(IllegalCharacterError):
        ws["A1"] = f"a{text}b"
    ws["A1"] = clean_text(f"a{text}b")
