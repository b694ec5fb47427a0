"""The audit trail. Every service that writes calls `audit_record` inside its transaction.

Reading it back is done here too, so the page and the API say the same thing:

- `ACTIONS` names every action code in words (a test keeps it complete: no code ships raw);
- `audit_present` turns records into readable rows: the action's label, the object's type, and each
  change as "field label: old → new", with choice values by their label, dates in the user's
  language and long texts shortened;
- visibility hooks (`register_audit_visibility`) let the app that owns a model say which records
  about its objects a viewer may read. A record the viewer may not read keeps its who, when and
  what, but not its object's name nor its content (e.g. a unit's draft idea shown to an organiser).
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import dateparse, formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
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
        changes=_plain(changes or {}),  # dates, decimals and objects as JSON can hold them
    )


# --------------------------------------------------------------------------- what each action means

SNAPSHOT, DIFF, DATA = "snapshot", "diff", "data"


@dataclass(frozen=True)
class Action:
    """How to read one action code.

    kind: SNAPSHOT (keys are fields of the model, one value each: a creation), DIFF (keys are fields,
    each value [old, new]: an edit) or DATA (keys are the action's own, see KEY_LABELS).
    model: the model whose fields the keys name, when it is not the recorded object's.
    pairs: DATA keys whose value is [old, new].
    fields: DATA keys that are fields of a model: key → "app.model" (None: the recorded object's).
    """

    label: Any
    kind: str = DATA
    model: str | None = None
    pairs: frozenset[str] = frozenset()
    fields: dict[str, str | None] = field(default_factory=dict)


def _status(*extra: str, **fields: str | None) -> dict:
    return {"pairs": frozenset({"status", *extra}), "fields": {"status": None, **fields}}


#: Every action code written by a service, in words. tests/core/test_audit.py fails when a code used
#: in src/ is missing here.
ACTIONS: dict[str, Action] = {
    "pemda.enable": Action(gettext_lazy("Pemda enabled"), SNAPSHOT),
    "pemda.update": Action(gettext_lazy("Pemda profile edited"), DIFF),
    "unit.create": Action(gettext_lazy("Unit added"), SNAPSHOT),
    "unit.update": Action(gettext_lazy("Unit edited"), DIFF),
    "unit.generate_from_regions": Action(gettext_lazy("Kecamatan and kelurahan/desa generated")),
    "unit.import": Action(gettext_lazy("Units imported from XLSX")),
    "person.create": Action(gettext_lazy("Person added"), SNAPSHOT),
    "person.update": Action(gettext_lazy("Person edited"), DIFF),
    "person.anonymise": Action(gettext_lazy("Person anonymised")),
    "invitation.create": Action(gettext_lazy("Invitation sent"), fields={"role": None}),
    "invitation.accept": Action(gettext_lazy("Invitation accepted")),
    "invitation.resend": Action(gettext_lazy("Invitation sent again")),
    "invitation.cancel": Action(gettext_lazy("Invitation cancelled"), fields={"role": None}),
    "membership.grant": Action(gettext_lazy("Role granted"), fields={"role": None}),
    "membership.revoke": Action(gettext_lazy("Role revoked"), fields={"role": None}),
    "program.create": Action(gettext_lazy("Program created"), SNAPSHOT),
    "program.update": Action(gettext_lazy("Program edited"), DIFF),
    "program.set_units": Action(gettext_lazy("Participating units changed")),
    "program.assign_coach": Action(gettext_lazy("Coach assigned")),
    "program.advance": Action(gettext_lazy("Program moved to the next stage"), pairs=frozenset({"stage"}), fields={"stage": None}),
    "event.create": Action(gettext_lazy("Event scheduled"), SNAPSHOT),
    "event.update": Action(gettext_lazy("Event edited"), DIFF),
    "event.record_attendance": Action(gettext_lazy("Attendance recorded"), pairs=frozenset({"online_viewers"}),
                                      fields={"online_viewers": None}),
    "idea.create": Action(gettext_lazy("Idea written"), SNAPSHOT),
    "idea.update": Action(gettext_lazy("Idea edited"), DIFF),
    "idea.submit": Action(gettext_lazy("Idea submitted"), **_status()),
    "idea.import": Action(gettext_lazy("Ideas imported from XLSX")),
    "rubric.set": Action(gettext_lazy("Screening rubric changed")),
    "idea.review": Action(gettext_lazy("Idea scored")),
    "idea.select": Action(gettext_lazy("Ideas selected as innovations")),
    "idea.reject": Action(gettext_lazy("Ideas rejected")),
    "idea.merge": Action(gettext_lazy("Ideas merged into one innovation")),
    "idea.undo_merge": Action(gettext_lazy("Merge undone")),
    "idea.not_duplicate": Action(gettext_lazy("Ideas marked as not duplicates")),
    "idea.not_duplicate": Action(gettext_lazy("Ideas marked as not duplicates")),
    "idea.undo_decision": Action(gettext_lazy("Decision undone"), **_status()),
    "ideas.publish_decisions": Action(gettext_lazy("Screening decisions published")),
    "innovation.profile": Action(gettext_lazy("Innovation profile edited"), DIFF, model="innovations.innovationprofile"),
    "plan.start": Action(gettext_lazy("Action plan started")),
    "plan.save": Action(gettext_lazy("Action plan saved"), fields={"objective": None}),
    "plan.submit": Action(gettext_lazy("Action plan sent for review"), **_status()),
    "plan.comment": Action(gettext_lazy("Comment on an action plan")),
    "plan.request_changes": Action(gettext_lazy("Changes to the action plan requested"), **_status()),
    "plan.coach_approve": Action(gettext_lazy("Action plan approved by the coach"), **_status()),
    "plan.approve": Action(gettext_lazy("Action plan approved by the unit head"), **_status()),
    "plan.new_version": Action(gettext_lazy("New version of the action plan")),
    "plan.allow_outside_period": Action(gettext_lazy("Milestones outside the program period allowed or refused")),
    "plan.remind": Action(gettext_lazy("Action plan reminders sent")),
    "plans.booklet": Action(gettext_lazy("Action plan booklet requested")),
    "commitment.template": Action(gettext_lazy("Commitment template changed"), DIFF, model="delivery.commitmenttemplate"),
    "commitment.prepare": Action(gettext_lazy("Commitment documents prepared"), fields={"scope": "delivery.commitmenttemplate"}),
    "commitment.generate": Action(gettext_lazy("Commitment PDFs requested")),
    "commitment.party": Action(gettext_lazy("First party's details changed"), DIFF),
    "commitment.sign": Action(gettext_lazy("Signature recorded"), **_status()),
    "commitment.upload": Action(gettext_lazy("Signed document uploaded")),
    "commitment.activate": Action(gettext_lazy("Commitment marked active"), **_status()),
    "commitment.close": Action(gettext_lazy("Commitment outcome recorded"), **_status()),
    "monitoring.report": Action(gettext_lazy("Progress reported"), fields={"status": "delivery.progressreport"}),
    "monitoring.note": Action(gettext_lazy("Coach note written"), fields={"rating": "delivery.coachnote"}),
    "launch.record": Action(gettext_lazy("Launching recorded")),
    "api_token.create": Action(gettext_lazy("API token created")),
    "api_token.revoke": Action(gettext_lazy("API token revoked")),
    "throttle.lock": Action(gettext_lazy("Sign-in locked after repeated attempts"), fields={"scope": None}),
    "throttle.release": Action(gettext_lazy("Sign-in lock lifted"), fields={"scope": None}),
    "account.unlock": Action(gettext_lazy("Account unlocked")),
    "account.anonymise": Action(gettext_lazy("Account anonymised")),
}

#: Labels of the keys that actions record beside model fields.
KEY_LABELS: dict[str, Any] = {
    "added": gettext_lazy("added"),
    "after": gettext_lazy("after"),
    "allow": gettext_lazy("allowed"),
    "allowed_outside_period": gettext_lazy("allowed outside the program's period"),
    "account": gettext_lazy("account anonymised and deactivated"),
    "announced": gettext_lazy("announced"),
    "batch": gettext_lazy("batch"),
    "before": gettext_lazy("before"),
    "coach": gettext_lazy("coach"),
    "coach_assignments_removed": gettext_lazy("coach assignments removed"),
    "confirmed_incomplete": gettext_lazy("confirmed although incomplete"),
    "count": gettext_lazy("attempts"),
    "created": gettext_lazy("created"),
    "documents": gettext_lazy("documents"),
    "drafts": gettext_lazy("unsigned drafts updated"),
    "due": gettext_lazy("due date"),
    "email": gettext_lazy("e-mail"),
    "existing": gettext_lazy("already imported"),
    "expires_at": gettext_lazy("expires"),
    "file": gettext_lazy("file"),
    "files": gettext_lazy("files"),
    "held_on": gettext_lazy("date"),
    "ideas": gettext_lazy("ideas"),
    "import": gettext_lazy("import"),
    "indicators": gettext_lazy("indicators"),
    "innovation": gettext_lazy("innovation"),
    "innovations": gettext_lazy("innovations"),
    "key": gettext_lazy("account or address"),
    "kind": gettext_lazy("kind"),
    "late": gettext_lazy("late"),
    "launch": gettext_lazy("launching"),
    "linked": gettext_lazy("linked"),
    "links": gettext_lazy("links"),
    "locked_until": gettext_lazy("locked until"),
    "milestone": gettext_lazy("milestone"),
    "milestones": gettext_lazy("milestones"),
    "missing": gettext_lazy("missing"),
    "name": gettext_lazy("name"),
    "new": gettext_lazy("new"),
    "note": gettext_lazy("note"),
    "others": gettext_lazy("not duplicates of"),
    "party": gettext_lazy("party"),
    "people": gettext_lazy("people records anonymised"),
    "percent": gettext_lazy("percent"),
    "plans": gettext_lazy("plans"),
    "prefix": gettext_lazy("prefix"),
    "rating": gettext_lazy("rating"),
    "reason": gettext_lazy("reason"),
    "removed": gettext_lazy("removed"),
    "renumbered": gettext_lazy("renumbered"),
    "replaced": gettext_lazy("replaced file"),
    "requests_change": gettext_lazy("requests a change"),
    "risks": gettext_lazy("risks"),
    "role": gettext_lazy("role"),
    "rows": gettext_lazy("rows"),
    "scope": gettext_lazy("kind"),
    "score": gettext_lazy("score"),
    "scores": gettext_lazy("scores"),
    "sha256": gettext_lazy("SHA-256 fingerprint"),
    "signatures": gettext_lazy("signatures"),
    "signed_by": gettext_lazy("signed by"),
    "signed_on": gettext_lazy("signed on"),
    "skipped": gettext_lazy("skipped"),
    "stakeholders": gettext_lazy("stakeholders"),
    "status": gettext_lazy("status"),
    "title": gettext_lazy("title"),
    "tokens_revoked": gettext_lazy("API tokens revoked"),
    "unit": gettext_lazy("unit"),
    "units": gettext_lazy("units"),
    "units_without_address": gettext_lazy("units without an address"),
    "updated": gettext_lazy("updated"),
    "user": gettext_lazy("user"),
    "valid": gettext_lazy("valid"),
    "version": gettext_lazy("version"),
}

SHORT = 160  # characters of a value shown before "…"; the full text stays one click away


def action_label(code: str) -> str:
    action = ACTIONS.get(code)
    return str(action.label) if action else code


def object_type_label(label: str) -> str:
    model = _model(label)
    return str(model._meta.verbose_name) if model is not None else label


def _model(label: str | None):
    if not label or "." not in label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        for f in model._meta.concrete_fields:
            if f.attname == key:
                return f
    return None


# --------------------------------------------------------------------------- who may read which record

#: "app.model" → hook(viewer, records) returning the ids of the records the viewer may not read.
Hook = Callable[[Any, list[AuditRecord]], Iterable[int]]
_VISIBILITY: dict[str, Hook] = {}


def register_audit_visibility(object_type: str, hook: Hook) -> None:
    """The app that owns `object_type` says which records about its objects a viewer may not read.

    The hook gets every record of that type on one page at once and must not query per record.
    """
    _VISIBILITY[object_type] = hook


def hidden_record_ids(viewer, records: list[AuditRecord]) -> set[int]:
    by_type: dict[str, list[AuditRecord]] = defaultdict(list)
    for r in records:
        if r.object_type in _VISIBILITY:
            by_type[r.object_type].append(r)
    hidden: set[int] = set()
    for object_type, group in by_type.items():
        hidden |= set(_VISIBILITY[object_type](viewer, group))
    return hidden


# --------------------------------------------------------------------------- presenting records


@dataclass
class Shown:
    """One value as shown: `text` (perhaps shortened) and `full` when it was shortened."""

    text: str
    full: str = ""


@dataclass
class ChangeRow:
    key: str
    label: str
    old: Shown | None = None
    new: Shown | None = None
    value: Shown | None = None

    @property
    def is_pair(self) -> bool:
        return self.value is None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _text(value: Any, fld=None) -> str:
    if value is None or value == "":
        return "—"
    if fld is not None and fld.choices and not isinstance(value, (list, dict)):
        return str(dict(fld.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value == "changed":  # plan.save names the parts that changed
        return _("changed")
    if isinstance(value, list):
        if fld is not None and getattr(fld, "base_field", None) is not None and fld.base_field.choices:
            fld = fld.base_field
        return ", ".join(_text(v, fld if fld is not None and fld.choices else None) for v in value) or "—"
    if isinstance(value, dict):
        if {"label", "weight"} <= value.keys():  # a rubric criterion
            return f"{value['label']} ({value['weight']})"
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, (int, float)):  # "1.234,5"; years and small counts stay as they are
        return formats.number_format(value, use_l10n=True) if abs(value) >= 10000 or isinstance(value, float) else str(value)
    if isinstance(value, str):
        if fld is not None and fld.is_relation:
            return f"#{value}"
        if _ISO_DATE.match(value):
            parsed = dateparse.parse_date(value)
            if parsed:
                return formats.date_format(parsed, "DATE_FORMAT")
        if _ISO_DATETIME.match(value):
            parsed = dateparse.parse_datetime(value)
            if parsed:
                if timezone.is_aware(parsed):
                    parsed = timezone.localtime(parsed)
                return formats.date_format(parsed, "DATETIME_FORMAT")
        if re.fullmatch(r"[0-9a-f]{64}", value):  # a SHA-256 digest: its start is enough to compare
            return value[:12] + "…"
    return str(value)


def _shown(value: Any, fld=None) -> Shown:
    if fld is not None and fld.is_relation and isinstance(value, int) and not isinstance(value, bool):
        return Shown(f"#{value}")
    text = _text(value, fld)
    short = Truncator(text).chars(SHORT)
    return Shown(short, text if short != text else "")


def change_rows(record: AuditRecord) -> list[ChangeRow]:
    """The record's changes as rows: label, and old → new or one value."""
    changes = record.changes
    if not isinstance(changes, dict) or not changes:
        return []
    action = ACTIONS.get(record.action) or Action(record.action)
    own_model = _model(action.model or record.object_type)
    rows = []
    for key, value in changes.items():
        if action.kind in (SNAPSHOT, DIFF):
            model = own_model
        elif key in action.fields:
            model = _model(action.fields[key]) if action.fields[key] else own_model
        else:
            model = None
        fld = _field(model, key)
        if fld is not None:
            label = str(fld.verbose_name)
        else:
            label = str(KEY_LABELS.get(key, key.replace("_", " ")))
        label = label[:1].upper() + label[1:]
        pair = action.kind == DIFF or key in action.pairs
        if pair and isinstance(value, (list, tuple)) and len(value) == 2:
            rows.append(ChangeRow(key, label, old=_shown(value[0], fld), new=_shown(value[1], fld)))
        else:
            rows.append(ChangeRow(key, label, value=_shown(value, fld)))
    return rows


def present(record: AuditRecord, *, hidden: bool) -> AuditRecord:
    """Adds what a reader needs to the record (in memory only; it is never saved back)."""
    record.action_label = action_label(record.action)
    record.object_type_label = object_type_label(record.object_type) if record.object_type else ""
    record.hidden = hidden
    if hidden:
        record.object_repr = ""
        record.changes = {}
    record.change_rows = change_rows(record)
    return record


def audit_present(records: Iterable[AuditRecord], *, viewer) -> list[AuditRecord]:
    """Records made readable for `viewer`, hiding what the visibility hooks forbid (one query per hooked type)."""
    records = list(records)
    hidden = hidden_record_ids(viewer, records)
    return [present(r, hidden=r.pk in hidden) for r in records]


class PresentedRecords:
    """A queryset of records that a paginator (Django's or the API's) slices into presented records."""

    def __init__(self, queryset, *, viewer):
        self.queryset = queryset
        self.viewer = viewer

    def all(self):
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            return audit_present(self.queryset[item], viewer=self.viewer)
        return audit_present([self.queryset[item]], viewer=self.viewer)[0]
