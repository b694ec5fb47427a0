from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from labinov.core.forms import LabinovForm
from labinov.core.roles import PEMDA_ROLES, Role

from .nip import normalize_nip, validate_nip


class PersonForm(LabinovForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    nip = forms.CharField(
        label=_("NIP"), max_length=24, required=False,
        help_text=_("18 digits; leave empty for PPPK and non-ASN participants."),
    )
    jabatan = forms.CharField(label=_("Position (jabatan)"), max_length=200, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_nip(self):
        nip = normalize_nip(self.cleaned_data["nip"])
        validate_nip(nip)
        return nip


def _pemda_role_choices():
    return [(r.value, r.label) for r in Role if r in PEMDA_ROLES]


class InviteForm(LabinovForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=_pemda_role_choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, help_text=_("Required for unit heads and innovators.")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AcceptInvitationForm(LabinovForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, help_text=_("At least 12 characters."))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data


class NationalRoleForm(LabinovForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False, help_text=_("Needed for a new account."))
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=[(Role.NATIONAL_COACH.value, Role.NATIONAL_COACH.label),
                                                       (Role.NATIONAL_ADMIN.value, Role.NATIONAL_ADMIN.label)])


class LoginForm(auth_forms.AuthenticationForm):
    """Django's log-in form behind the throttle (people/throttle.py): a locked e-mail or address is
    refused before any password is checked, with the same words whether or not the account exists."""

    def clean(self):
        from . import throttle

        email = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request is not None else "unknown"
        until = throttle.login_blocked(email=email, address=address) if email else None
        if until:
            minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
            raise ValidationError(
                ngettext(
                    "Too many failed log-in attempts. Logging in is paused for %(minutes)d minute; an organiser "
                    "of your pemda or a national admin can unlock your account sooner.",
                    "Too many failed log-in attempts. Logging in is paused for %(minutes)d minutes; an organiser "
                    "of your pemda or a national admin can unlock your account sooner.",
                    minutes,
                ) % {"minutes": minutes},
                code="locked",
            )
        try:
            data = super().clean()
        except ValidationError as e:
            if email and getattr(e, "code", None) == "invalid_login":
                throttle.login_failed(email=email, address=address)
            raise
        if email:
            throttle.login_succeeded(email=email)
        return data


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also sends a link to active accounts that never chose a password (made by a national admin).

    Rate-limited per e-mail and per client address (people/throttle.py); the refusal reads the same
    whether or not an account uses the e-mail."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def _address(self):
        from . import throttle

        return throttle.client_address(self.request) if self.request is not None else "unknown"

    def clean(self):
        from . import throttle

        data = super().clean()
        email = data.get("email")
        if email and throttle.reset_blocked(email=email, address=self._address()):
            raise ValidationError(
                _("Too many password-reset requests for this e-mail address or from this connection. Wait an hour "
                  "and try again; a link already sent keeps working."),
                code="throttled",
            )
        return data

    def save(self, *args, **kwargs):
        from . import throttle

        throttle.reset_requested(email=self.cleaned_data["email"], address=self._address())
        return super().save(*args, **kwargs)

    def get_users(self, email):
        from .models import User

        return (u for u in User.objects.filter(email__iexact=email, is_active=True))
