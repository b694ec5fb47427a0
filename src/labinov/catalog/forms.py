"""The catalogue's search and filter form (GET): every value checked against its closed list."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import CleanForm
from labinov.core.regulation import InnovationForm, Urusan
from labinov.innovations.models import IidStage
from labinov.regions.models import UnitKind

_BLANK = [("", "")]


class CatalogueFilterForm(CleanForm):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    province = forms.CharField(label=_("Province"), required=False,
                               validators=[RegexValidator(r"^\d{2}$", _("Choose a province from the list."))])
    region = forms.CharField(label=_("Region (kab/kota)"), required=False,
                             validators=[RegexValidator(r"^\d{2,12}$", _("Choose a region from the list."))])
    urusan = forms.ChoiceField(label=_("Urusan"), choices=_BLANK + list(Urusan.choices), required=False)
    form = forms.ChoiceField(label=_("Form (PP 38/2017)"), choices=_BLANK + list(InnovationForm.choices), required=False)
    stage = forms.ChoiceField(label=_("Stage (tahapan)"), choices=_BLANK + list(IidStage.choices), required=False)
    unit_kind = forms.ChoiceField(label=_("Type of unit"), choices=_BLANK + list(UnitKind.choices), required=False)
    digital = forms.ChoiceField(label=_("Digital"), choices=[("", ""), ("yes", _("Digital")), ("no", _("Not digital"))], required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=2100, required=False)

    FILTERS = ("province", "region", "urusan", "form", "stage", "unit_kind", "digital", "year")

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.is_valid()  # the errors are shown; the valid values still filter

    def filters(self) -> dict:
        """The valid filter values, as keyword arguments of selectors.catalogue_search."""
        data = self.cleaned_data
        out = {}
        for name in self.FILTERS:
            if name in data and data[name] not in ("", None):
                out[name] = data[name]
        if "digital" in out:
            out["digital"] = out["digital"] == "yes"
        return out

    @property
    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip()
