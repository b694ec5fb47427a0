from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from labinov.core.forms import LabinovForm, paginate, run_form
from labinov.core.views_helpers import require, tenant
from labinov.regions.selectors import unit_choices

from . import selectors, services
from .forms import AcceptInvitationForm, InviteForm, NationalRoleForm, PersonForm
from .forms_revoke import RevokeForm

PERSON_FIELDS = ("name", "nip", "jabatan", "unit", "email", "phone")


@login_required
def person_list(request, pemda):
    pemda = tenant(request, pemda, "people.view_people")
    q = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.person_list(actor=request.user, pemda=pemda, q=q))
    return render(request, "people/person_list.html", {"pemda": pemda, "page": page, "q": q})


@login_required
def person_create(request, pemda):
    pemda = tenant(request, pemda, "people.manage_people")
    form = PersonForm(request.POST or None, units=unit_choices(pemda=pemda))
    if request.method == "POST":
        done, person = run_form(
            request, form, lambda d: services.person_create(actor=request.user, pemda=pemda, **{k: d[k] for k in PERSON_FIELDS})
        )
        if done:
            if person:
                messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("person_list", pemda.slug)
    return render(request, "core/form.html", {
        "form": form, "title": _("Add a person"),
        "breadcrumb": {"url": reverse("person_list", args=[pemda.slug]), "label": _("People")},
    })


@login_required
def person_edit(request, pemda, pk):
    pemda = tenant(request, pemda, "people.manage_people")
    person = selectors.person_get(actor=request.user, pemda=pemda, pk=pk)
    form = PersonForm(request.POST or None, units=unit_choices(pemda=pemda), initial={k: getattr(person, k) for k in PERSON_FIELDS})
    if request.method == "POST":
        done, _r = run_form(
            request, form, lambda d: services.person_update(actor=request.user, person=person, **{k: d[k] for k in PERSON_FIELDS})
        )
        if done:
            messages.success(request, _("Saved."))
            return redirect("person_list", pemda.slug)
    return render(request, "core/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": person.name},
        "breadcrumb": {"url": reverse("person_list", args=[pemda.slug]), "label": _("People")},
    })


@login_required
def member_list(request, pemda):
    pemda = tenant(request, pemda, "people.manage_members")
    return render(request, "people/member_list.html", {
        "pemda": pemda,
        "page": paginate(request, selectors.membership_list(actor=request.user, pemda=pemda)),
        "invitations": selectors.invitation_list(actor=request.user, pemda=pemda),
    })


@login_required
def member_invite(request, pemda):
    pemda = tenant(request, pemda, "people.manage_members")
    form = InviteForm(request.POST or None, units=unit_choices(pemda=pemda))
    if request.method == "POST":
        def action(d):
            return services.invitation_create(
                actor=request.user, pemda=pemda, email=d["email"], full_name=d["full_name"], role=d["role"], unit=d["unit"],
                accept_url_builder=_accept_url_builder(request),
            )

        done, invitation = run_form(request, form, action)
        if done:
            if invitation:
                messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
            return redirect("member_list", pemda.slug)
    return render(request, "core/form.html", {
        "form": form, "title": _("Invite someone"),
        "intro": _("The person receives an e-mail with a link to set a password; the role applies from then on."),
        "breadcrumb": {"url": reverse("member_list", args=[pemda.slug]), "label": _("Accounts and roles")},
        "submit_label": _("Send invitation"),
    })


def _accept_url_builder(request):
    return lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token]))


@login_required
@require_POST
def invitation_resend(request, pemda, pk):
    pemda = tenant(request, pemda, "people.manage_members")
    invitation = selectors.invitation_get(actor=request.user, pemda=pemda, pk=pk)
    services.invitation_resend(actor=request.user, invitation=invitation, accept_url_builder=_accept_url_builder(request))
    messages.success(request, _("A new invitation link was sent to %(email)s; the old link no longer works.") % {"email": invitation.email})
    return redirect("member_list", pemda.slug)


@login_required
@require_POST
def invitation_cancel(request, pemda, pk):
    pemda = tenant(request, pemda, "people.manage_members")
    invitation = selectors.invitation_get(actor=request.user, pemda=pemda, pk=pk)
    services.invitation_cancel(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation to %(email)s was cancelled.") % {"email": invitation.email})
    return redirect("member_list", pemda.slug)


@login_required
def member_revoke(request, pemda, pk):
    """GET: what revoking the role would do, with a confirmation form. POST: revoke, only when confirmed."""
    pemda = tenant(request, pemda, "people.manage_members")
    membership = selectors.membership_get(actor=request.user, pemda=pemda, pk=pk)
    return _revoke(request, membership, back=reverse("member_list", args=[pemda.slug]), pemda=pemda)


def _revoke(request, membership, *, back: str, pemda=None, refusal: str | None = None):
    preview = selectors.membership_revoke_preview(actor=request.user, membership=membership)
    preview["refusal"] = refusal or preview["refusal"]
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not preview["refusal"]:
        done, _r = run_form(request, form, lambda d: services.membership_revoke(actor=request.user, membership=membership))
        if done:
            if preview["own"]:
                messages.success(request, _("Your role %(role)s was revoked.") % {"role": membership.get_role_display()})
                return redirect("home")
            messages.success(request, _("The role %(role)s of %(name)s was revoked.") % {
                "role": membership.get_role_display(), "name": membership.user})
            return redirect(back)
    return render(request, "people/revoke_confirm.html", {
        **preview, "form": form, "back": back, "pemda": pemda,
    })


def invitation_accept(request, token):
    """New e-mail: choose a password. Existing account: log in as it, then confirm."""
    invitation = selectors.invitation_get_open(token=token)
    if selectors.account_exists(email=invitation.email):
        return _accept_existing(request, invitation)
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST":
        done, user = run_form(
            request, form,
            lambda d: services.invitation_accept(invitation=invitation, password=d["password1"], full_name=d["full_name"]),
        )
        if done and user:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Labinov."))
            return redirect("home")
        if done:
            return redirect("login")
    return render(request, "core/form.html", {
        "form": form, "title": _("Join %(pemda)s in Labinov") % {"pemda": invitation.pemda.name},
        "intro": _("You were invited as %(role)s.") % {"role": invitation.get_role_display()},
        "submit_label": _("Create my account"),
    })


def _accept_existing(request, invitation):
    if not request.user.is_authenticated:
        messages.info(request, _("%(email)s already has an account: log in to accept the invitation.") % {"email": invitation.email})
        return redirect(f"{reverse('login')}?next={request.path}")
    form = LabinovForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done, user = run_form(request, form, lambda d: services.invitation_accept_existing(invitation=invitation, user=request.user))
        if done:
            if user:
                messages.success(request, _("You are now %(role)s in %(pemda)s.") % {
                    "role": invitation.get_role_display(), "pemda": invitation.pemda.name})
            return redirect("home")
    return render(request, "core/form.html", {
        "form": form, "title": _("Join %(pemda)s in Labinov") % {"pemda": invitation.pemda.name},
        "intro": _("You were invited as %(role)s.") % {"role": invitation.get_role_display()},
        "submit_label": _("Accept the invitation"),
    })


def _reset_link(request, user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return request.build_absolute_uri(reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)]))


@login_required
def national_members(request):
    """National admins and LAN coaches: who holds them, grant and revoke."""
    require(request.user, "people.grant_national_role")
    form = NationalRoleForm(request.POST or None)
    if request.method == "POST":
        done, membership = run_form(request, form, lambda d: services.national_role_grant(
            actor=request.user, email=d["email"], full_name=d["full_name"], role=d["role"],
            reset_url_builder=lambda user: _reset_link(request, user)))
        if done:
            if membership:
                messages.success(request, _("%(name)s is now %(role)s.") % {
                    "name": membership.user, "role": membership.get_role_display()})
            return redirect("national_members")
    return render(request, "people/national_members.html", {
        "form": form, "page": paginate(request, selectors.national_membership_list(actor=request.user)),
    })


@login_required
def national_member_revoke(request, pk):
    require(request.user, "people.grant_national_role")
    membership = selectors.national_membership_get(actor=request.user, pk=pk)
    refusal = None
    if membership.user_id == request.user.pk and membership.role == "national_admin":
        refusal = _("You cannot revoke your own national admin role: another national admin can.")
    return _revoke(request, membership, back=reverse("national_members"), refusal=refusal)
