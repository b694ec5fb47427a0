from django import forms
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import LabinovForm

from .models import HeadActing, HeadTitle, Ownership, UnitKind, head_title_key


class HeadTitleField(forms.ChoiceField):
    """The title as a choice; the old free words ("Walikota") are still understood."""

    def to_python(self, value):
        value = super().to_python(value)
        return head_title_key(value) or value



class PemdaEnableForm(LabinovForm):
    region_code = forms.CharField(label=_("Region code"), max_length=13, help_text=_("Kemendagri code of the province or kabupaten/kota, e.g. 33.73"))
    head_title = HeadTitleField(label=_("Title of the head of region"), choices=[("", _("(from the region type)"))] + list(HeadTitle.choices), required=False)
    head_name = forms.CharField(label=_("Name of the head of region"), max_length=200, required=False)
    coordinating_unit = forms.CharField(label=_("Coordinating unit"), max_length=200, required=False, help_text=_("e.g. Bappedalitbang, Bagian Organisasi, BKPSDM"))


class PemdaForm(LabinovForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    head_title = HeadTitleField(label=_("Title of the head of region"), choices=HeadTitle.choices)
    head_acting = forms.ChoiceField(label=_("Holds the office as"), choices=HeadActing.choices, required=False,
                                    help_text=_("A Penjabat (Pj), Pelaksana Tugas (Plt) or Pelaksana Harian (Plh) is written "
                                                "before the title in every document: “Pj Wali Kota Yogyakarta”."))
    head_name = forms.CharField(label=_("Name of the head of region"), max_length=200, required=False)
    head_nip = forms.CharField(label=_("NIP of the head of region"), max_length=24, required=False,
                               help_text=_("Only for a Pj, Plt or Plh who is a civil servant; an elected head has no NIP."))
    sekda_name = forms.CharField(label=_("Name of the sekda"), max_length=200, required=False)
    sekda_nip = forms.CharField(label=_("NIP of the sekda"), max_length=24, required=False)
    coordinating_unit = forms.CharField(label=_("Coordinating unit"), max_length=200, required=False)
    address = forms.CharField(label=_("Address for letterheads"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    logo = forms.FileField(label=_("Logo (PNG or JPEG, at most 1 MB)"), required=False)

    def clean_sekda_nip(self):
        from labinov.people.nip import normalize_nip, validate_nip

        nip = normalize_nip(self.cleaned_data["sekda_nip"])
        validate_nip(nip)
        return nip

    def clean_head_nip(self):
        from labinov.people.nip import normalize_nip, validate_nip

        nip = normalize_nip(self.cleaned_data["head_nip"])
        validate_nip(nip)
        return nip


class UnitForm(LabinovForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=None, required=False)
    ownership = forms.ChoiceField(label=_("Negeri/swasta (schools)"), choices=[("", "—")] + list(Ownership.choices), required=False)
    code = forms.CharField(label=_("Code"), max_length=32, required=False)
    region_code = forms.CharField(label=_("Region code (kecamatan/kelurahan)"), max_length=13, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units
