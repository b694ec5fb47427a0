from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import LabinovForm
from labinov.innovations.models import DecreeType

from .models import CommitmentScope, CommitmentStatus, Countersigner, Employment, MilestoneState, Party, Rating

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TemplateForm(LabinovForm):
    scope = forms.ChoiceField(label=_("Documents"), choices=CommitmentScope.choices)
    title = forms.CharField(label=_("Title"), max_length=120,
                            help_text=_("E.g. Perjanjian Kinerja Inovasi, Kontrak Kerja Inovasi, Komitmen Kesepakatan Berinovasi."))
    number_pattern = forms.CharField(label=_("Number pattern"), max_length=120,
                                     help_text=_("Placeholders: {klasifikasi}, {urut} (sequence), {unit} (unit code), {tahun}, {bulan} (Roman month)."))
    classification = forms.CharField(label=_("Classification code (klasifikasi)"), max_length=20, required=False)
    opening = forms.CharField(label=_("Opening text"), widget=forms.Textarea(attrs={"rows": 7}),
                              help_text=_("Placeholders: {judul}, {unit_head}, {nip}, {jabatan}, {unit}, {kepala_daerah}, "
                                          "{jabatan_kepala_daerah}, {pemda}, {program}, {tahun}, {akhir_periode}."))
    closing = forms.CharField(label=_("Closing text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    place = forms.CharField(label=_("Place of signing"), max_length=100, required=False)
    signing_date = forms.DateField(label=_("Date of signing"), required=False, widget=DATE)
    countersigner = forms.ChoiceField(label=_("Countersigned by"), choices=Countersigner.choices)
    witness_name = forms.CharField(label=_("Witness (LAN official)"), max_length=200, required=False)
    witness_nip = forms.CharField(label=_("NIP of the witness"), max_length=24, required=False)
    witness_position = forms.CharField(label=_("Position of the witness"), max_length=200, required=False)
    period_ends_on = forms.DateField(label=_("End of the commitment period"), required=False, widget=DATE)


class PartyForm(LabinovForm):
    unit_head_name = forms.CharField(label=_("Name of the unit head"), max_length=200, required=False)
    unit_head_nip = forms.CharField(label=_("NIP of the unit head"), max_length=24, required=False)
    unit_head_position = forms.CharField(label=_("Position (jabatan)"), max_length=200, required=False)
    unit_head_employment = forms.ChoiceField(label=_("The unit head is"), choices=Employment.choices,
                                             help_text=_("PPPK and non-ASN sign without a NIP line."))


class NipForm(LabinovForm):
    """A missing NIP, recorded from the list, the template page or a document's page."""

    party = forms.ChoiceField(choices=Party.choices, widget=forms.HiddenInput)
    commitment = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    back = forms.ChoiceField(choices=[("list", "list"), ("template", "template"), ("detail", "detail")], widget=forms.HiddenInput)
    nip = forms.CharField(label=_("NIP"), max_length=24, required=False)
    employment = forms.ChoiceField(label=_("The unit head is"), choices=Employment.choices, required=False)


class SignForm(LabinovForm):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices, widget=forms.HiddenInput)
    signed_by = forms.CharField(label=_("Signed by"), max_length=200)
    signed_on = forms.DateField(label=_("Date"), widget=DATE)


class SignManyForm(LabinovForm):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices, widget=forms.HiddenInput)
    signed_by = forms.CharField(label=_("Signed by"), max_length=200, required=False,
                                help_text=_("Leave empty to record each document's usual signer (its unit head, the head of region or sekda, the witness)."))
    signed_on = forms.DateField(label=_("Date"), widget=DATE)


class UploadForm(LabinovForm):
    file = forms.FileField(label=_("Signed document (PDF, PNG or JPEG)"))


class CloseForm(LabinovForm):
    fulfilled = forms.TypedChoiceField(label=_("Outcome"), coerce=lambda v: v == "1",
                                       choices=[("1", _("Fulfilled")), ("0", _("Not fulfilled"))])
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CommitmentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *CommitmentStatus.choices])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(LabinovForm):
    milestone = forms.ChoiceField(label=_("Milestone"))
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneState.choices)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    obstacles = forms.CharField(label=_("Obstacles (kendala)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    event = forms.ChoiceField(label=_("Monitoring event"), required=False)
    files = MultipleFileField(label=_("Evidence files (PDF, PNG or JPEG, at most 10 MB each)"), required=False)
    video_urls = forms.CharField(label=_("Video links (one per line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, milestones=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [(str(m.pk), f"{i}. {m.activity}") for i, m in enumerate(milestones, 1)]
        self.fields["event"].choices = [("", _("None (a report at any time)"))] + [(str(e.pk), e.title) for e in events]


class CoachNoteForm(LabinovForm):
    rating = forms.ChoiceField(label=_("Traffic light"), choices=[("", "—"), *Rating.choices])
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class LaunchForm(LabinovForm):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    launched_by = forms.CharField(label=_("Launched by"), max_length=200, help_text=_("E.g. Wali Kota Salatiga, Yuliyanto"))
    innovations = forms.MultipleChoiceField(label=_("Innovations launched"), widget=forms.CheckboxSelectMultiple)
    decree_type = forms.ChoiceField(label=_("Decree for innovations without one"), required=False,
                                    choices=[("", "—"), *DecreeType.choices])
    decree_number = forms.CharField(label=_("Decree number"), max_length=100, required=False)
    decree_date = forms.DateField(label=_("Decree date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    announce = forms.BooleanField(label=_("Announce the launched innovations in the public catalogue"), required=False, initial=True)

    def __init__(self, *args, innovations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovations"].choices = [(str(i.pk), f"{i.unit.name} — {i.name}") for i in innovations]
