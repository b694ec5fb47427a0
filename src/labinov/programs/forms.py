from django import forms
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import CleanForm, LabinovForm
from labinov.core.stages import EventStage
from labinov.regions.models import UnitKind

from .models import EventKind, EventMode, Partner


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class ProgramForm(LabinovForm):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. Lab INAGARA 2019"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    partner = forms.ChoiceField(label=_("Partner"), choices=Partner.choices)
    partner_name = forms.CharField(label=_("Partner name"), max_length=200, required=False, help_text=_("e.g. Pusat Inovasi Administrasi Negara LAN, LPPM Undip"))
    mou_number = forms.CharField(label=_("MoU number"), max_length=100, required=False)
    mou_date = forms.DateField(label=_("MoU date"), required=False, widget=DateInput)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput)
    target_unit_kinds = forms.MultipleChoiceField(label=_("Target unit types"), choices=UnitKind.choices, required=False, widget=forms.CheckboxSelectMultiple)
    target_ideas = forms.IntegerField(label=_("Target ideas"), min_value=0, required=False)
    target_innovations = forms.IntegerField(label=_("Target innovations"), min_value=0, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return data


class AdvanceForm(LabinovForm):
    to_stage = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)
    confirm = forms.BooleanField(
        label=_("I have checked what is incomplete; move the program on. This cannot be undone."), required=True,
        error_messages={"required": _("Tick the confirmation to move the program on.")},
    )


class ParticipantsForm(LabinovForm):
    """The participating units among those a (possibly filtered) list shows: `shown` says which were
    listed, `units` which of them are ticked; units not shown keep their state."""

    units = forms.ModelMultipleChoiceField(label=_("Participating units"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    shown = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, units, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        # posted ids are checked against every unit that may take part, not just the current filter
        self.fields["shown"].queryset = choices if choices is not None else units


class UnitFilterForm(CleanForm):
    """The GET filter of the units chooser (no token: it changes nothing)."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Kelurahan, SD Negeri")}))
    kind = forms.ChoiceField(label=_("Unit type"), required=False, choices=[("", _("All types"))] + list(UnitKind.choices))


class CoachForm(LabinovForm):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None)
    units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, coaches, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["units"].queryset = units


class EventForm(LabinovForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, required=False)
    stages = forms.MultipleChoiceField(
        label=_("Stages covered"), choices=EventStage.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Drum-up and Diagnose are often held together in one event."),
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=EventMode.choices)
    speakers = forms.CharField(label=_("Speakers (one per line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    organiser_unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=None, required=False)
    stream_url = forms.URLField(label=_("Stream link"), required=False, assume_scheme="https")
    online_viewers = forms.IntegerField(label=_("Online viewers"), min_value=0, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    allow_outside_period = forms.BooleanField(
        label=_("Allow dates outside the program's period"), required=False,
        help_text=_("Only if the event really falls outside the program's start and end; the choice is recorded."),
    )

    def __init__(self, *args, programs, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["organiser_unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day must not be before the first day."))
        return data
