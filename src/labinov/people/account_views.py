"""Log-in, password and lock pages: the throttled password reset, changing one's password, and
unlocking accounts that failed to log in too often (people/throttle.py)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from labinov.core.forms import paginate
from labinov.core.views_helpers import require, tenant

from . import selectors, throttle
from .forms import LoginForm, PasswordResetForm


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view with the rate-limited form, which needs the request to know the client address."""

    form_class = PasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")
    extra_context = {"title": gettext_lazy("Change your password")}


@login_required
@require_POST
def member_unlock(request, pemda, pk):
    """An organiser (or national admin) lets a member of the pemda log in again at once."""
    pemda = tenant(request, pemda, "people.unlock_member")
    membership = selectors.membership_get(actor=request.user, pemda=pemda, pk=pk)
    if throttle.account_unlock(actor=request.user, user=membership.user, pemda=pemda):
        messages.success(request, _("%(name)s can log in again.") % {"name": membership.user.full_name or membership.user.email})
    else:
        messages.info(request, _("%(name)s was not locked out.") % {"name": membership.user.full_name or membership.user.email})
    return redirect("member_list", pemda.slug)


@login_required
def lock_list(request):
    """Every log-in or reset lock in force, for a national admin."""
    require(request.user, "people.release_lock")
    return render(request, "people/lock_list.html", {"page": paginate(request, throttle.lock_list())})


@login_required
@require_POST
def lock_release(request, pk):
    require(request.user, "people.release_lock")
    lock = throttle.lock_get(pk=pk)
    throttle.lock_release(actor=request.user, lock=lock)
    messages.success(request, _("The lock on %(key)s was lifted.") % {"key": lock.key})
    return redirect("lock_list")
