"""Forms of the screening pages: rubric, review, decisions, merges. Each is posted once only (LabinovForm)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import LabinovForm
from labinov.regions.models import UnitKind

from .models import IdeaStatus
from .services import SCALE

MAX_CRITERIA = 30
EXTRA_ROWS = 3
MAX_BULK = 500
KEY_MAX = 40
KEY_RE = re.compile(r"^[a-z0-9_-]{1,40}$")  # as services.rubric_set accepts


class IdListField(forms.Field):
    """A list of object ids posted as repeated values (checkboxes rendered by the template)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick at least one idea."),
        "invalid": _("The list of ideas is not valid; reload the page and try again."),
        "too_many": _("Choose at most %(max)s ideas at once."),
    }

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        ids = []
        for v in value:
            v = str(v).strip()
            if not v.isdigit():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(v))
        return list(dict.fromkeys(ids))

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_BULK:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"max": MAX_BULK})


# --- the rubric ----------------------------------------------------------------------------------------------


def auto_key(label: str) -> str:
    return slugify(label or "").replace("-", "_")[:KEY_MAX].strip("_")


class RubricForm(LabinovForm):
    """N rows of (criterion, weight, key, remove); empty rows are ignored, so extra rows add criteria."""

    rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, n_rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.n_rows = max(0, min(n_rows, MAX_CRITERIA + EXTRA_ROWS))
        self.initial.setdefault("rows", self.n_rows)
        for i in range(self.n_rows):
            self.fields[f"label_{i}"] = forms.CharField(label=_("Criterion"), max_length=200, required=False)
            self.fields[f"weight_{i}"] = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, required=False)
            self.fields[f"key_{i}"] = forms.CharField(label=_("Key"), max_length=KEY_MAX, required=False)
            self.fields[f"remove_{i}"] = forms.BooleanField(label=_("Remove"), required=False)
            self.fields[f"weight_{i}"].widget.attrs.update({"inputmode": "numeric", "style": "width:6em"})

    @staticmethod
    def rows_from(data, n: int) -> list[dict]:
        """The rows as typed (not validated), e.g. to redisplay them with more empty rows."""
        out = []
        for i in range(n):
            if data.get(f"remove_{i}"):
                continue
            row = {k: (data.get(f"{k}_{i}") or "").strip() for k in ("label", "weight", "key")}
            if any(row.values()):
                out.append(row)
        return out

    def row_fields(self):
        return [
            {"n": i + 1, "cells": [self[f"label_{i}"], self[f"weight_{i}"], self[f"key_{i}"]], "remove": self[f"remove_{i}"]}
            for i in range(self.n_rows)
        ]

    def clean(self):
        data = super().clean()
        criteria, used = [], set()
        for i in range(self.n_rows):
            if data.get(f"remove_{i}"):
                continue
            label = (data.get(f"label_{i}") or "").strip()
            weight = data.get(f"weight_{i}")
            key = (data.get(f"key_{i}") or "").strip().lower()
            if f"weight_{i}" in self.errors or f"key_{i}" in self.errors or f"label_{i}" in self.errors:
                continue
            if not label and weight is None and not key:
                continue  # an empty row
            if not label:
                self.add_error(f"label_{i}", _("Name the criterion, or tick Remove."))
                continue
            if weight is None:
                self.add_error(f"weight_{i}", _("Give a weight from 1 to 100."))
                continue
            if key:
                if not KEY_RE.match(key):
                    self.add_error(f"key_{i}", _("Use only letters, digits, hyphens and underscores."))
                    continue
            else:
                key = auto_key(label)
                if not key:
                    self.add_error(f"key_{i}", _("Give this criterion a key (letters and numbers)."))
                    continue
                base, n = key, 2
                while key in used:
                    suffix = f"_{n}"
                    key, n = base[: KEY_MAX - len(suffix)] + suffix, n + 1
            used.add(key)
            criteria.append({"key": key, "label": label, "weight": weight})
        if not self.errors and not criteria:
            raise ValidationError(_("A rubric needs at least one criterion."))
        if len(criteria) > MAX_CRITERIA:
            raise ValidationError(_("A rubric has at most %(n)s criteria.") % {"n": MAX_CRITERIA})
        data["criteria"] = criteria
        return data


# --- reviews and decisions -------------------------------------------------------------------------------------

SCORE_LABELS = {
    1: _("1 · very weak"),
    2: _("2 · weak"),
    3: _("3 · fair"),
    4: _("4 · strong"),
    5: _("5 · very strong"),
}


class ReviewForm(LabinovForm):
    """One 1–5 choice per criterion (field `c<criterion pk>`, the key the service reports errors under)."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        comment = self.fields.pop("comment")
        choices = [(str(v), SCORE_LABELS.get(v, str(v))) for v in range(SCALE[0], SCALE[1] + 1)]
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.ChoiceField(
                label=c.label, choices=choices, widget=forms.RadioSelect(attrs={"class": "choice"}),
                error_messages={"required": _("Choose a score for this criterion."),
                                "invalid_choice": _("Choose a score from %(lo)s to %(hi)s.") % {"lo": SCALE[0], "hi": SCALE[1]}},
            )
        self.fields["comment"] = comment

    def score_fields(self):
        return [{"criterion": c, "field": self[f"c{c.pk}"]} for c in self.criteria]

    def scores(self) -> dict[str, int]:
        return {str(c.pk): int(self.cleaned_data[f"c{c.pk}"]) for c in self.criteria}


class DecideForm(LabinovForm):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[("select", _("Select")), ("reject", _("Reject")), ("undo", _("Undo the decision"))],
        error_messages={"required": _("Choose a decision."), "invalid_choice": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reason (shown to the unit)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for rejecting; the units will read it."))
        return data


class BulkDecisionForm(LabinovForm):
    ideas = IdListField(label=_("Ideas"))
    action = forms.ChoiceField(
        label=_("With the ticked ideas"),
        choices=[("select", _("Select: each becomes an innovation")), ("reject", _("Reject"))],
        widget=forms.RadioSelect(attrs={"class": "choice"}),
        error_messages={"required": _("Choose what to do with the ticked ideas.")},
    )
    reason = forms.CharField(label=_("Reason for rejecting (shown to the units)"), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for rejecting; the units will read it."))
        return data


class PublishForm(LabinovForm):
    pass


class UndoForm(LabinovForm):
    pass


class ScreeningFilterForm(forms.Form):
    """The GET filters of the ranked list; unknown values are ignored."""

    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All"))] + [c for c in IdeaStatus.choices if c[0] != IdeaStatus.DRAFT],
    )
    unit_kind = forms.ChoiceField(label=_("Unit type"), required=False, choices=[("", _("All"))] + list(UnitKind.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "input"

    def value(self, name: str) -> str:
        if not self.is_bound:
            return ""
        self.is_valid()  # an unknown value in one filter leaves the other one working
        return self.cleaned_data.get(name) or ""


# --- consolidation ---------------------------------------------------------------------------------------------


class MergeForm(LabinovForm):
    ideas = IdListField(label=_("Ideas to merge"))
    title = forms.CharField(label=_("Title of the innovation"), max_length=255)
    unit = forms.IntegerField(label=_("Unit that carries the innovation"), required=False, widget=forms.Select)
    level = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are the cluster's units when the page is drawn; on a post the merged ideas decide
        # which units are valid (the view and the service check that the unit is one of theirs).
        self.fields["unit"].widget.choices = [(u.pk, u.name) for u in units]

    def clean_ideas(self):
        ids = self.cleaned_data["ideas"]
        if len(ids) < 2:
            raise ValidationError(_("Choose at least two ideas to merge."))
        return ids


class SplitForm(LabinovForm):
    """"Not duplicates": the ticked ideas of a proposed group are set apart from the unticked ones, for good."""

    ideas = IdListField(label=_("Ideas that are not duplicates of the others"))
    group = IdListField(label=_("The proposed group"))
    level = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
