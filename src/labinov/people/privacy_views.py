"""Personal data (UU PDP 27/2022): one's own data ("My data", page and JSON download) and anonymising a
person (people/services.person_anonymise)."""

import io
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labinov.core.audit import audit_present
from labinov.core.files import file_response
from labinov.core.forms import LabinovForm, run_form
from labinov.core.views_helpers import tenant

from . import personal_data, selectors, services

#: audit records shown on the page; the JSON download holds them all
PAGE_RECORDS = 100


@login_required
def my_data(request):
    data = selectors.personal_data(user=request.user)
    total = data["audit"].count()
    records = audit_present(data["audit"][:PAGE_RECORDS], viewer=request.user)
    return render(request, "people/my_data.html", {**data, "records": records, "total": total,
                                                   "shown": len(records)})


@login_required
def my_data_json(request):
    data = selectors.personal_data(user=request.user)
    body = json.dumps(personal_data.document(data, viewer=request.user), ensure_ascii=False, indent=2)
    return file_response(io.BytesIO(body.encode()), content_type="application/json",
                         filename="labinov-data-saya.json")


class AnonymiseForm(LabinovForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True,
        error_messages={"required": gettext_lazy("Tick the box to confirm: anonymising cannot be undone.")},
    )


@login_required
def person_anonymise(request, pemda, pk):
    pemda = tenant(request, pemda, "people.anonymise_person")
    person = selectors.person_get(actor=request.user, pemda=pemda, pk=pk)
    refusal = services.person_anonymise_refusal(actor=request.user, person=person)
    if refusal and person.user_id and request.method == "POST":
        raise PermissionDenied(refusal)
    back = reverse("person_list", args=[pemda.slug])
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and not refusal:
        done, result = run_form(request, form, lambda d: services.person_anonymise(actor=request.user, person=person))
        if done:
            if result:
                messages.success(request, _("The person was anonymised as %(name)s.") % {"name": result.name})
            return redirect(back)
    return render(request, "people/anonymise_confirm.html", {
        "pemda": pemda, "name": person.name, "account": bool(person.user_id), "form": form, "refusal": refusal,
        "back": back, "back_label": _("People"),
    })


@login_required
def member_anonymise(request, pemda, pk):
    """A national admin anonymises the account of a member of the pemda, with every people record linked to it."""
    pemda = tenant(request, pemda, "people.anonymise_account")
    membership = selectors.membership_get(actor=request.user, pemda=pemda, pk=pk)
    user = membership.user
    refusal = services.account_anonymise_refusal(actor=request.user, user=user)
    if refusal and request.method == "POST":
        raise PermissionDenied(refusal)
    back = reverse("member_list", args=[pemda.slug])
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST":
        done, result = run_form(request, form, lambda d: services.account_anonymise(actor=request.user, user=user))
        if done:
            if result:
                messages.success(request, _("The account was anonymised as %(name)s.") % {"name": result.full_name})
            return redirect(back)
    return render(request, "people/anonymise_confirm.html", {
        "pemda": pemda, "name": user.full_name or user.email, "account": True, "form": form, "refusal": refusal,
        "back": back, "back_label": _("Accounts and roles"),
    })
