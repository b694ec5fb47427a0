"""Schemas of the audit trail: the raw record plus the same readable text the page shows."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema


class AuditValueOut(Schema):
    text: str = Field(description="The value as shown, in the request's language (long texts shortened)")
    full: str = Field("", description="The whole value when `text` was shortened, else empty")


class AuditChangeOut(Schema):
    key: str = Field(description="The recorded key, e.g. a field name")
    label: str = Field(description="The field's label in the request's language")
    old: AuditValueOut | None = Field(None, description="Before the change (edits only)")
    new: AuditValueOut | None = Field(None, description="After the change (edits only)")
    value: AuditValueOut | None = Field(None, description="The recorded value (when it is not a change from → to)")


class AuditOut(Schema):
    id: int
    created_at: datetime.datetime
    actor_id: int | None
    actor_name: str | None = None
    action: str = Field(description='The action code, e.g. "program.advance"')
    action_label: str = Field(description="The action in words, in the request's language")
    object_type: str
    object_type_label: str = Field(description="The object's type in words")
    object_id: str
    object_repr: str = Field(description="The object's name when recorded; empty when `hidden`")
    hidden: bool = Field(description="True when the caller may not see the object (e.g. a unit's draft idea): "
                                     "`object_repr` and `changes` are then left out")
    changes: dict[str, Any]
    change_rows: list[AuditChangeOut] = Field(description="`changes` as labelled rows, values formatted")

    @staticmethod
    def resolve_actor_name(obj) -> str | None:
        return (obj.actor.full_name or obj.actor.email) if obj.actor_id else None
