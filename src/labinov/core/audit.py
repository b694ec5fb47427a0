"""The audit trail. Every service that writes calls `audit_record` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models

from .models import AuditRecord


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # file fields
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj`, JSON-ready, for before/after comparisons."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {n: _plain(getattr(obj, n)) for n in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    pemda=None,
    changes: dict[str, Any] | None = None,
    object_type: str | None = None,
    object_repr: str | None = None,
) -> AuditRecord:
    if pemda is None and obj is not None:
        pemda = obj if obj._meta.label_lower == "regions.pemda" else getattr(obj, "pemda", None)
    return AuditRecord.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        pemda=pemda,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        changes=changes or {},
    )
