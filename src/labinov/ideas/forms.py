"""Forms of the idea pages: what a unit writes in Diagnose, and the small forms around it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import CleanForm, LabinovForm
from labinov.core.regulation import Initiator, InnovationForm, Urusan

from .models import IdeaStatus

#: The fields of an idea the form edits, in the order the services take them.
FORM_FIELDS = (
    "unit", "title", "problem", "root_cause", "proposed_change", "beneficiaries", "expected_benefit", "form",
    "is_digital", "urusan", "initiator", "proposers", "is_replication", "replication_source", "replication_changes",
)
#: The fields whose text is compared with the program's ideas and the ATM catalogue while the user types.
SIMILAR_FIELDS = ("title", "problem", "proposed_change")

# UU 23/2014 groups the urusan in four kinds; regulation.py lists them in that order.
_URUSAN_GROUPS = (
    (_("Mandatory, basic services (wajib pelayanan dasar)"), Urusan.PENDIDIKAN, Urusan.SOSIAL),
    (_("Mandatory, not basic services (wajib non-pelayanan dasar)"), Urusan.TENAGA_KERJA, Urusan.KEARSIPAN),
    (_("Optional (pilihan)"), Urusan.KELAUTAN, Urusan.TRANSMIGRASI),
    (_("Supporting functions (penunjang)"), Urusan.PERENCANAAN, Urusan.PENUNJANG_LAIN),
)


def urusan_choices() -> list:
    """The urusan as grouped choices (optgroups), every value exactly once."""
    values = list(Urusan.values)
    labels = dict(Urusan.choices)
    groups = []
    for label, first, last in _URUSAN_GROUPS:
        chunk = values[values.index(first): values.index(last) + 1]
        groups.append((label, [(v, labels[v]) for v in chunk]))
    return groups


class IdeaForm(LabinovForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=255, help_text=_("A short name for the idea."))
    problem = forms.CharField(label=_("Problem (masalah)"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What goes wrong today, for whom, and how you know."))
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    proposed_change = forms.CharField(label=_("Proposed change (gagasan)"), widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text=_("What the unit will do differently."))
    beneficiaries = forms.CharField(label=_("Beneficiaries"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    expected_benefit = forms.CharField(label=_("Expected benefit"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    form = forms.ChoiceField(label=_("Form (bentuk, PP 38/2017)"), choices=InnovationForm.choices)
    is_digital = forms.BooleanField(label=_("Digital innovation"), required=False)
    urusan = forms.MultipleChoiceField(label=_("Urusan (UU 23/2014)"), choices=urusan_choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    initiator = forms.ChoiceField(label=_("Initiator"), choices=Initiator.choices, initial=Initiator.AGENCY)
    proposers = forms.CharField(label=_("Proposers"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                help_text=_("One name per line."))
    is_replication = forms.BooleanField(label=_("This idea replicates (ATM) an existing innovation"), required=False)
    replication_source = forms.CharField(label=_("Replicated from (innovation name and pemda)"), max_length=255, required=False)
    replication_changes = forms.CharField(label=_("What is modified"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, units, similar_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() != 1:  # an organiser chooses the unit on purpose; a unit's own people have it preselected
            self.fields["unit"].empty_label = _("Choose the unit")
        if similar_url:
            # While the user types, the side panel lists similar ideas and ATM innovations (htmx).
            include = ", ".join(f"[name={name}]" for name in SIMILAR_FIELDS) + ", [name=exclude]"
            for name in SIMILAR_FIELDS:
                self.fields[name].widget.attrs.update({
                    "hx-get": similar_url, "hx-trigger": "keyup changed delay:600ms", "hx-target": "#similar-panel",
                    "hx-include": include, "hx-sync": "closest form:replace",
                })

    def clean_replication_source(self):
        return self.cleaned_data["replication_source"].strip()


def idea_initial(idea) -> dict:
    return {name: getattr(idea, name) for name in FORM_FIELDS}


def service_fields(data: dict) -> dict:
    """The cleaned data as the services' keyword arguments (without the unit)."""
    return {name: data[name] for name in FORM_FIELDS if name != "unit"}


class SubmitForm(LabinovForm):
    """Only the once-only token: submitting a draft."""


class FastSelect(forms.Select):
    """A <select> whose options are joined in Python instead of one template render per option: a program
    of a province's 1,000+ schools spent two thirds of its idea list page rendering the unit filter."""

    def render(self, name, value, attrs=None, renderer=None):
        from django.forms.utils import flatatt
        from django.utils.html import format_html, format_html_join
        from django.utils.safestring import mark_safe

        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        selected = mark_safe(" selected")
        options = format_html_join("", '<option value="{}"{}>{}</option>',
                                   ((v, selected if str(v) in chosen else "", label) for v, label in self.choices))
        return format_html("<select{}>{}</select>", flatatt(final), options)


class IdeaFilterForm(CleanForm):
    """The filters of the idea list; invalid values are ignored rather than shown as errors."""

    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None, widget=FastSelect)
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Text"), required=False, max_length=200, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Search the titles and text of the ideas")}))

    def __init__(self, *args, units, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units"))] + [(u.pk, u.name) for u in units]
        self.fields["status"].choices = [("", _("All statuses"))] + [(s, IdeaStatus(s).label) for s in statuses]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")

    def values(self) -> dict:
        self.is_valid()  # a bad value drops that filter only: cleaned_data keeps the valid ones
        d = self.cleaned_data
        return {"unit_id": d.get("unit"), "status": d.get("status") or "", "q": (d.get("q") or "").strip()}
