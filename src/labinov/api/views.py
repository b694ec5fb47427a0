"""The account's "API tokens" page: make a token (its value is shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from labinov.core.forms import paginate, run_form

from .forms import ApiTokenForm
from .selectors import api_token_get_own, api_token_list
from .services import api_token_create, api_token_revoke


@login_required
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    new = None
    if request.method == "POST":
        done, made = run_form(request, form, lambda d: api_token_create(actor=request.user, name=d["name"], days=d["days"]))
        if done and made:
            new = {"token": made[0], "plaintext": made[1]}
            form = ApiTokenForm()
        elif done:
            return redirect("api_token_list")
    return render(request, "api/token_list.html", {
        "form": form, "new": new, "page": paginate(request, api_token_list(user=request.user).order_by("-created_at", "-pk")),
    })


@login_required
@require_POST
def token_revoke(request):
    token = api_token_get_own(user=request.user, pk=request.POST.get("token"))
    if token is None:
        messages.error(request, _("That token does not exist or is not yours; nothing was changed."))
    else:
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_token_list")
