from django import forms
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import LabinovForm


class RevokeForm(LabinovForm):
    """The explicit confirmation of a role's revocation (no JavaScript needed, nothing happens without it)."""

    confirm = forms.BooleanField(
        label=_("Yes, revoke this role"), required=True,
        error_messages={"required": _("Tick the box to confirm the revocation; nothing was changed.")},
    )
