"""Form plumbing shared by every page: clean text, once-only tokens, service errors mapped onto fields."""

from __future__ import annotations

from typing import Any, Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.utils.translation import gettext as _

from . import submission
from .cleaning import clean_text
from .errors import DuplicateSubmission


def _multiline(field) -> bool:
    return isinstance(getattr(field, "widget", None), forms.Textarea)


class CleanTextMixin:
    """Every text posted to the form is cleaned before any field sees it (`core.cleaning.clean_text`).

    Invisible control characters are dropped and Unicode is normalised to NFC; newlines and tabs
    are kept in a Textarea and become spaces in a one-line input. Passwords are left as typed.
    Every form of Labinov has this mixin (tests/core/test_text_cleaning.py checks it).
    """

    def full_clean(self):
        if self.is_bound and self.data:
            self.data = self._cleaned_data_input()
        super().full_clean()

    def _cleaned_data_input(self):
        fields = {self.add_prefix(name): field for name, field in self.fields.items()}
        data = self.data.copy()
        getlist = getattr(data, "getlist", None)
        for key in list(data.keys()):
            field = fields.get(key)
            if field is not None and isinstance(field.widget, forms.PasswordInput):
                continue
            multiline = field is None or _multiline(field)
            if getlist is not None:
                values = getlist(key)
                cleaned = [clean_text(v, multiline=multiline) for v in values]
                if cleaned != values:
                    data.setlist(key, cleaned)
            else:
                value = data[key]
                if isinstance(value, (list, tuple)):
                    data[key] = type(value)(clean_text(v, multiline=multiline) for v in value)
                else:
                    data[key] = clean_text(value, multiline=multiline)
        return data


class CleanForm(CleanTextMixin, forms.Form):
    """A plain form (a filter, an upload) whose text inputs are cleaned like every other."""


class LabinovForm(CleanTextMixin, forms.Form):
    """A form that can only be submitted once (see core/submission.py), its text cleaned (`CleanTextMixin`)."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", submission.new_token())
        for field in self.fields.values():
            if isinstance(field.widget, (forms.CheckboxSelectMultiple, forms.CheckboxInput, forms.HiddenInput)):
                continue
            field.widget.attrs.setdefault("class", "input")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errs:
                form.add_error(target, e)
    else:
        for e in error.error_list:
            form.add_error(None, e)


def run_form(request, form: forms.Form, action: Callable[[dict[str, Any]], Any]) -> tuple[bool, Any]:
    """Validate `form`, then run `action(cleaned_data)` (a service call) once.

    Returns (done, result). The token is claimed in the same transaction as the write, so a failed
    write leaves the token usable and a repeated post of a successful form changes nothing.
    """
    if not form.is_valid():
        return False, None
    try:
        with transaction.atomic():
            submission.consume(form.cleaned_data.get("submission_token"))
            result = action(form.cleaned_data)
    except DuplicateSubmission:
        messages.info(request, _("This form was already submitted; nothing was changed the second time."))
        return True, None
    except ValidationError as e:
        add_service_errors(form, e)
        return False, None
    return True, result


def paginate(request, queryset, per_page: int = 50):
    if hasattr(queryset, "ordered") and not queryset.ordered:
        queryset = queryset.order_by("-pk")
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


NON_FIELD = NON_FIELD_ERRORS
