"""Writes of pemda and units. Each validates, runs in one transaction and leaves an audit record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record, diff, snapshot

from . import lookup
from .models import Pemda, Unit, UnitKind

PEMDA_FIELDS = [
    "name", "head_title", "head_acting", "head_name", "head_nip", "sekda_name", "sekda_nip", "coordinating_unit",
    "address", "phone", "email", "website", "is_active",
]
UNIT_FIELDS = ["name", "kind", "parent", "ownership", "code", "region_code", "is_active"]


def pemda_enable(*, actor, region_code: str, **fields) -> Pemda:
    """A national admin turns a kabupaten/kota or province into a pemda (tenant)."""
    region = lookup.get_region(region_code)
    if region is None:
        raise ValidationError({"region_code": _("Unknown region code: %(code)s.") % {"code": region_code}})
    if region.level > 2:
        raise ValidationError(
            {"region_code": _("%(name)s is a %(level)s; only provinces and kabupaten/kota can be a pemda.")
             % {"name": region.name, "level": lookup.LEVEL_NAMES[region.level]}}
        )
    if Pemda.objects.filter(region_code=region.code).exists():
        raise ValidationError({"region_code": _("%(name)s is already enabled.") % {"name": region.name}})
    fields.setdefault("name", region.name)
    fields.setdefault("head_title", lookup.head_title_for(region))
    pemda = Pemda(region_code=region.code, **fields)
    pemda.full_clean()
    with transaction.atomic():
        pemda.save()
        audit_record(actor=actor, action="pemda.enable", obj=pemda, pemda=pemda, changes=snapshot(pemda, PEMDA_FIELDS))
    return pemda


def pemda_update(*, actor, pemda: Pemda, logo=None, **fields) -> Pemda:
    from .models import head_title_key

    # a title stored before the choice existed ("Walikota") is read as its choice, not recorded as a change
    pemda.head_title = head_title_key(pemda.head_title) or pemda.head_title
    before = snapshot(pemda, PEMDA_FIELDS)
    for name, value in fields.items():
        if name not in PEMDA_FIELDS:
            raise TypeError(name)
        setattr(pemda, name, value)
    old_logo = pemda.logo.name if pemda.logo else ""
    image = None
    if logo is not None:
        from labinov.core.files import check_upload

        image = check_upload("pemda_logo", logo, field="logo")
    from labinov.people.nip import normalize_nip, validate_nip

    pemda.head_title = head_title_key(pemda.head_title) or pemda.head_title  # "Walikota" from an old client is "wali_kota"
    for name in ("sekda_nip", "head_nip"):
        if getattr(pemda, name):
            setattr(pemda, name, normalize_nip(getattr(pemda, name)))
            try:
                validate_nip(getattr(pemda, name))
            except ValidationError as e:
                raise ValidationError({name: e.messages}) from None
    if pemda.head_nip and not pemda.head_acting:
        raise ValidationError({"head_nip": _("An elected head of region has no NIP; record it only for a Pj, Plt or Plh.")})
    pemda.full_clean(exclude=["logo"])
    with transaction.atomic():
        if image is not None:
            import uuid

            from django.core.files.base import ContentFile

            kind, data = image
            # our own name, never the uploader's: logos/<pemda>-<random>.png
            pemda.logo.save(f"{pemda.slug}-{uuid.uuid4().hex[:12]}.{'png' if kind == 'png' else 'jpg'}", ContentFile(data), save=False)
        pemda.save()
        changes = diff(before, snapshot(pemda, PEMDA_FIELDS))
        if image is not None:
            changes["logo"] = [old_logo, pemda.logo.name]
            if old_logo:
                storage = pemda.logo.storage
                transaction.on_commit(lambda: storage.delete(old_logo))
        audit_record(actor=actor, action="pemda.update", obj=pemda, changes=changes)
    return pemda


def _clean_unit(unit: Unit) -> None:
    errors = {}
    if unit.parent_id and unit.parent.pemda_id != unit.pemda_id:
        errors["parent"] = _("The parent unit must belong to the same pemda.")
    if unit.parent_id and unit.pk:
        ancestor, seen = unit.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == unit.pk:
                errors["parent"] = _("A unit cannot be placed under itself or under one of its own sub-units.")
                break
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
    if unit.ownership and unit.kind not in (UnitKind.SD, UnitKind.SMP, UnitKind.SMA):
        errors["ownership"] = _("Negeri/swasta applies to schools only.")
    if unit.region_code:
        unit.region_code = lookup.normalize_code(unit.region_code)
        if lookup.get_region(unit.region_code) is None:
            errors["region_code"] = _("Unknown region code: %(code)s.") % {"code": unit.region_code}
        elif not unit.region_code.startswith(unit.pemda.region_code + "."):
            errors["region_code"] = _("%(code)s lies outside %(pemda)s.") % {"code": unit.region_code, "pemda": unit.pemda.name}
    dup = Unit.objects.filter(pemda_id=unit.pemda_id, name__iexact=unit.name.strip())
    if unit.pk:
        dup = dup.exclude(pk=unit.pk)
    if unit.name and dup.exists():
        errors["name"] = _("This pemda already has a unit named “%(name)s”.") % {"name": unit.name}
    if unit.code:
        dup_code = Unit.objects.filter(pemda_id=unit.pemda_id, code=unit.code)
        if unit.pk:
            dup_code = dup_code.exclude(pk=unit.pk)
        if dup_code.exists():
            errors["code"] = _("This pemda already has a unit with code %(code)s.") % {"code": unit.code}
    if errors:
        raise ValidationError(errors)
    unit.full_clean(validate_constraints=False)


def unit_create(*, actor, pemda: Pemda, **fields) -> Unit:
    fields["name"] = (fields.get("name") or "").strip()
    unit = Unit(pemda=pemda, **fields)
    _clean_unit(unit)
    with transaction.atomic():
        unit.save()
        audit_record(actor=actor, action="unit.create", obj=unit, changes=snapshot(unit, [f if f != "parent" else "parent_id" for f in UNIT_FIELDS]))
    return unit


def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    names = [f if f != "parent" else "parent_id" for f in UNIT_FIELDS]
    before = snapshot(unit, names)
    for name, value in fields.items():
        if name not in UNIT_FIELDS:
            raise TypeError(name)
        setattr(unit, name, value.strip() if name == "name" else value)
    _clean_unit(unit)
    with transaction.atomic():
        unit.save()
        audit_record(actor=actor, action="unit.update", obj=unit, changes=diff(before, snapshot(unit, names)))
    return unit


def units_generate_from_regions(*, actor, pemda: Pemda) -> dict[str, int]:
    """Creates every kecamatan and kelurahan/desa of the pemda from the region list.

    Idempotent: a region already linked to a unit (by region code) is skipped. A unit created by
    hand with the same name and no region code is taken to be that region and linked to it.
    Villages with the same name in two kecamatan ("Desa Susukan") get the kecamatan in brackets,
    since unit names are unique within a pemda.
    """
    units = list(Unit.objects.filter(pemda=pemda))
    by_code = {u.region_code: u for u in units if u.region_code}
    by_name = {u.name.lower(): u for u in units}
    counts = {"kecamatan": 0, "kelurahan": 0, "desa": 0, "linked": 0, "skipped": 0}

    def ensure(region, name, kind, parent):
        unit = by_code.get(region.code)
        if unit is not None:
            counts["skipped"] += 1
            return unit
        same_name = by_name.get(name.lower())
        if same_name is not None and not same_name.region_code:
            same_name.region_code = region.code
            same_name.parent = same_name.parent or parent
            same_name.save(update_fields=["region_code", "parent"])
            counts["linked"] += 1
            by_code[region.code] = same_name
            return same_name
        if same_name is not None and parent is not None:
            name = f"{name} ({parent.name.removeprefix('Kecamatan ')})"
            if name.lower() in by_name:
                counts["skipped"] += 1
                return by_name[name.lower()]
        unit = Unit.objects.create(pemda=pemda, name=name, kind=kind, parent=parent, region_code=region.code)
        by_code[region.code] = by_name[name.lower()] = unit
        counts[kind] += 1
        return unit

    with transaction.atomic():
        for kec in lookup.children(pemda.region_code):
            if kec.level != 3:
                continue
            kec_unit = ensure(kec, f"Kecamatan {kec.name}", UnitKind.KECAMATAN, None)
            for v in lookup.children(kec.code):
                kind = UnitKind.KELURAHAN if v.type == "kelurahan" else UnitKind.DESA
                ensure(v, f"{'Kelurahan' if kind == UnitKind.KELURAHAN else 'Desa'} {v.name}", kind, kec_unit)
        audit_record(actor=actor, action="unit.generate_from_regions", obj=pemda, pemda=pemda, changes=counts)
    return counts
