from django import forms
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import LabinovForm

LIFETIMES = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))]


class ApiTokenForm(LabinovForm):
    name = forms.CharField(label=_("What it is for"), max_length=100,
                           help_text=_("The script or system that will use it, e.g. “SIPD sync”."))
    days = forms.TypedChoiceField(label=_("Valid for"), choices=LIFETIMES, coerce=int, initial=90,
                                  help_text=_("After that the token is refused; make a new one."))
