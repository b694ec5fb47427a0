"""The filters of the audit trail, shared by the page and the API so both accept and refuse the same input."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .audit import ACTIONS

DATE_HELP = _("Enter the date as dd/mm/yyyy, for example 14/11/2019.")


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"), required=False, max_length=64,
        validators=[RegexValidator(r"^[a-z_.]*$", _("An action code holds only lowercase letters, “_” and “.”."))],
    )
    actor = forms.IntegerField(label=_("Person"), required=False, min_value=1, max_value=2**63 - 1,  # a database id
                               error_messages={key: _("Choose a person from the list.")
                                               for key in ("invalid", "min_value", "max_value")})
    object_type = forms.CharField(
        label=_("Object type"), required=False, max_length=64,
        validators=[RegexValidator(r"^[a-z_]*(\.[a-z_]+)?$", _("Choose an object type from the list."))],
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, error_messages={"invalid": DATE_HELP})
    date_to = forms.DateField(label=_("Until"), required=False, error_messages={"invalid": DATE_HELP})

    def __init__(self, *args, actors=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The page shows lists to choose from; the API takes the same values as text.
        self.action_choices = [("", _("All actions"))] + sorted(
            ((code, str(a.label)) for code, a in ACTIONS.items()), key=lambda c: c[1].lower())
        self.actor_choices = [("", _("Everyone"))] + list(actors)
        self.object_type_choices = [("", _("All objects"))] + list(object_types)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The cleaned filters as `audit_list` keywords (call after is_valid())."""
        d = self.cleaned_data
        return {"action": d.get("action") or "", "actor_id": d.get("actor"), "object_type": d.get("object_type") or "",
                "object_id": (d.get("object_id") or "").strip(), "date_from": d.get("date_from"), "date_to": d.get("date_to")}
