"""Pemda enabling, units and the Kemendagri region lookup."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from labinov.core.models import AuditRecord
from labinov.regions import lookup
from labinov.regions.models import Pemda, Unit
from labinov.regions.services import pemda_enable, unit_create, unit_update, units_generate_from_regions


def _errors(info) -> dict:
    return info.value.message_dict


# --- unit_create ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kelurahan kalicacing", "KELURAHAN KALICACING", "  Kelurahan Kalicacing  "])
def test_duplicate_unit_name_is_refused_case_insensitively(world, name):
    count = Unit.objects.filter(pemda=world.own).count()
    with pytest.raises(ValidationError) as info:
        unit_create(actor=world.users["organiser"], pemda=world.own, name=name, kind="kelurahan")
    assert "name" in _errors(info)
    assert Unit.objects.filter(pemda=world.own).count() == count


def test_same_unit_name_in_another_pemda_is_allowed(world):
    unit = unit_create(actor=None, pemda=world.other, name="Kelurahan Kalicacing", kind="kelurahan")
    assert unit.pemda_id == world.other.pk


def test_unit_name_is_stripped_and_the_write_audited(world):
    unit = unit_create(actor=world.users["organiser"], pemda=world.own, name="  Dinas Kesehatan ", kind="dinas")
    assert unit.name == "Dinas Kesehatan"
    record = AuditRecord.objects.get(action="unit.create", object_id=str(unit.pk))
    assert (record.actor_id, record.pemda_id) == (world.users["organiser"].pk, world.own.pk)


def test_parent_from_another_pemda_is_refused(world):
    with pytest.raises(ValidationError) as info:
        unit_create(actor=None, pemda=world.own, name="UPTD Puskesmas", kind="uptd", parent=world.other_unit)
    assert "parent" in _errors(info)
    assert not Unit.objects.filter(name="UPTD Puskesmas").exists()


@pytest.mark.parametrize("kind", ["kelurahan", "dinas", "puskesmas"])
def test_negeri_swasta_on_a_non_school_is_refused(world, kind):
    with pytest.raises(ValidationError) as info:
        unit_create(actor=None, pemda=world.own, name="Bukan Sekolah", kind=kind, ownership="negeri")
    assert "ownership" in _errors(info)


@pytest.mark.parametrize("kind", ["sd", "smp", "sma"])
def test_negeri_swasta_on_a_school_is_fine(world, kind):
    assert unit_create(actor=None, pemda=world.own, name=f"Sekolah {kind}", kind=kind, ownership="swasta").ownership == "swasta"


@pytest.mark.parametrize("code", ["99.99", "33.73.99", "33.73.04.9999", "abc"])
def test_unknown_region_code_is_refused(world, code):
    with pytest.raises(ValidationError) as info:
        unit_create(actor=None, pemda=world.own, name="Kecamatan Entah", kind="kecamatan", region_code=code)
    assert "region_code" in _errors(info)


def test_known_region_code_is_accepted(world):
    unit = unit_create(actor=None, pemda=world.own, name="Kecamatan Sidorejo", kind="kecamatan", region_code="33.73.01")
    assert unit.region_code == "33.73.01"


def test_duplicate_unit_code_is_refused(world):
    unit_create(actor=None, pemda=world.own, name="Dinas A", kind="dinas", code="1.02.01")
    with pytest.raises(ValidationError) as info:
        unit_create(actor=None, pemda=world.own, name="Dinas B", kind="dinas", code="1.02.01")
    assert "code" in _errors(info)


def test_unit_cannot_be_its_own_parent(world):
    with pytest.raises(ValidationError) as info:
        unit_update(actor=None, unit=world.kel, parent=world.kel)
    assert "parent" in _errors(info)


def test_renaming_a_unit_to_its_own_name_in_other_case_is_allowed(world):
    unit_update(actor=None, unit=world.kel, name="KELURAHAN KALICACING")
    world.kel.refresh_from_db()
    assert world.kel.name == "KELURAHAN KALICACING"


# --- pemda_enable --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["99.99", "99", "33.99", "", "3373x"])
def test_pemda_enable_refuses_unknown_codes(world, code):
    count = Pemda.objects.count()
    with pytest.raises(ValidationError) as info:
        pemda_enable(actor=world.users["national_admin"], region_code=code)
    assert "region_code" in _errors(info)
    assert Pemda.objects.count() == count


@pytest.mark.parametrize("code", ["33.73.01", "33.73.04.1001"])
def test_pemda_enable_refuses_kecamatan_and_village_codes(world, code):
    assert lookup.get_region(code) is not None, code
    with pytest.raises(ValidationError) as info:
        pemda_enable(actor=world.users["national_admin"], region_code=code)
    assert "region_code" in _errors(info)
    assert not Pemda.objects.filter(region_code=code).exists()


def test_pemda_enable_refuses_an_enabled_pemda(world):
    for code in ("33.73", "3373"):
        with pytest.raises(ValidationError) as info:
            pemda_enable(actor=world.users["national_admin"], region_code=code)
        assert "region_code" in _errors(info)
    assert Pemda.objects.filter(region_code="33.73").count() == 1


@pytest.mark.parametrize(
    ("code", "name", "title", "full"),
    [
        ("33.72", "Kota Surakarta", "wali_kota", "Wali Kota Surakarta"),
        ("33.22", "Kabupaten Semarang", "bupati", "Bupati Semarang"),
        ("33", "Jawa Tengah", "gubernur", "Gubernur Jawa Tengah"),
    ],
)
def test_pemda_enable_fills_name_and_head_title(world, code, name, title, full):
    pemda = pemda_enable(actor=world.users["national_admin"], region_code=code)
    pemda.refresh_from_db()
    assert (pemda.region_code, pemda.name, pemda.head_title, pemda.head_full_title) == (code, name, title, full)
    record = AuditRecord.objects.get(action="pemda.enable")
    assert (record.actor_id, record.pemda_id) == (world.users["national_admin"].pk, pemda.pk)


def test_pemda_enable_accepts_a_code_without_dots(db):
    pemda = pemda_enable(actor=None, region_code="3322")
    assert pemda.region_code == "33.22" and pemda.slug == "3322"


# --- units from the region list ------------------------------------------------------------------


@pytest.fixture
def salatiga(db):
    return Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota")


def test_generate_units_for_salatiga(salatiga):
    result = units_generate_from_regions(actor=None, pemda=salatiga)
    assert result == {"kecamatan": 4, "kelurahan": 23, "desa": 0, "linked": 0, "skipped": 0}
    kecamatan = {u.region_code: u for u in Unit.objects.filter(pemda=salatiga, kind="kecamatan")}
    assert sorted(u.name for u in kecamatan.values()) == [
        "Kecamatan Argomulyo", "Kecamatan Sidomukti", "Kecamatan Sidorejo", "Kecamatan Tingkir"]
    assert all(u.parent_id is None for u in kecamatan.values())
    villages = list(Unit.objects.filter(pemda=salatiga, kind="kelurahan").select_related("parent"))
    assert len(villages) == 23
    for v in villages:
        assert v.name.startswith("Kelurahan ")
        assert v.parent is not None and v.parent.kind == "kecamatan"
        assert v.region_code.startswith(v.parent.region_code + "."), (v.name, v.region_code, v.parent.region_code)
    assert "Kelurahan Kalicacing" in {v.name for v in villages}
    assert AuditRecord.objects.filter(action="unit.generate_from_regions", pemda=salatiga).count() == 1


def test_generating_twice_creates_nothing_new(salatiga):
    units_generate_from_regions(actor=None, pemda=salatiga)
    before = set(Unit.objects.filter(pemda=salatiga).values_list("pk", "name", "parent_id"))
    again = units_generate_from_regions(actor=None, pemda=salatiga)
    assert again == {"kecamatan": 0, "kelurahan": 0, "desa": 0, "linked": 0, "skipped": 27}
    assert set(Unit.objects.filter(pemda=salatiga).values_list("pk", "name", "parent_id")) == before


def test_generating_skips_a_unit_that_already_exists_by_name(world):
    # The world already has "Kelurahan Kalicacing" (typed by hand, no region code).
    result = units_generate_from_regions(actor=None, pemda=world.own)
    assert result == {"kecamatan": 4, "kelurahan": 22, "desa": 0, "linked": 1, "skipped": 0}
    kalicacing = Unit.objects.get(pemda=world.own, name__iexact="kelurahan kalicacing")
    # the hand-made unit is now linked to its region and kecamatan instead of being duplicated
    assert kalicacing.region_code.startswith("33.73.") and kalicacing.parent.kind == "kecamatan"


def test_generate_for_a_kabupaten_creates_desa_under_their_kecamatan(db):
    kab = Pemda.objects.create(region_code="33.22", name="Kabupaten Semarang", head_title="Bupati")
    result = units_generate_from_regions(actor=None, pemda=kab)
    assert result["kecamatan"] == len(lookup.children("33.22"))
    assert result["desa"] > 0 and result["kelurahan"] > 0
    desa = Unit.objects.filter(pemda=kab, kind="desa").select_related("parent")
    assert desa.count() == result["desa"]
    assert all(d.parent and d.region_code.startswith(d.parent.region_code + ".") for d in desa)


def test_generate_creates_every_village_even_with_homonyms_in_other_kecamatan(db):
    kab = Pemda.objects.create(region_code="33.22", name="Kabupaten Semarang", head_title="Bupati")
    villages = [v for kec in lookup.children("33.22") for v in lookup.children(kec.code)]
    assert len({v.name for v in villages}) < len(villages)  # the region list does have homonyms here
    result = units_generate_from_regions(actor=None, pemda=kab)
    assert result["skipped"] == 0
    assert set(Unit.objects.filter(pemda=kab).exclude(kind="kecamatan").values_list("region_code", flat=True)) == {
        v.code for v in villages}


# --- region search -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["3373", "33.73", "salatiga", "Salatiga", "kota salatiga"])
def test_region_search_puts_kota_salatiga_first(query):
    found = lookup.search(query)
    assert found, query
    assert (found[0].code, found[0].name, found[0].level) == ("33.73", "Kota Salatiga", 2)


def test_region_search_by_level():
    assert [r.code for r in lookup.search("salatiga", level=3)] == [r.code for r in lookup.search("salatiga") if r.level == 3]
    assert lookup.search("3373", level=3) == []


def test_region_search_of_nothing_is_empty():
    assert lookup.search("") == [] and lookup.search("   ") == []
    assert lookup.search("99.99") == []


def test_regions_page_says_no_region_for_an_unknown_code(world, login):
    client = login(world.users["organiser"])
    response = client.get("/regions/", {"q": "99.99"})
    assert response.status_code == 200
    with translation.override("id"):
        expected = gettext("No region has the code %(q)s.") % {"q": "99.99"}
    html = response.content.decode()
    assert expected in html
    assert response.context["rows"] == []


def test_regions_page_says_no_region_for_an_unknown_name(world, login):
    client = login(world.users["organiser"])
    response = client.get("/regions/", {"q": "atlantis"})
    assert response.context["rows"] == []
    assert "atlantis" in response.context["error"]


def test_regions_page_lists_salatiga_and_marks_it_enabled(world, login):
    client = login(world.users["national_admin"])
    response = client.get("/regions/", {"q": "salatiga"})
    rows = response.context["rows"]
    assert rows[0]["region"].code == "33.73" and rows[0]["enabled"] is True
    assert response.context["error"] == ""
