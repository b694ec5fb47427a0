"""Commitment documents of a program (under /pemda/<pemda>/programs/<program>/commitments/): the list,
the template, preparing and generating the PDFs (a background batch with a progress bar), one
document's page with its preview, signatures, signed file and outcome.

Every view: the pemda of the URL (`tenant`), the program (`program_get`), the permission
(`require`, rules in delivery/rules.py), then one selector or service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from labinov.core.files import file_response
from labinov.core.forms import LabinovForm, paginate, run_form
from labinov.core.views_helpers import program_page as _program
from labinov.core.views_helpers import require

from . import commitments as services
from . import documents
from .forms import CloseForm, CommitmentFilterForm, NipForm, PartyForm, SignForm, SignManyForm, TemplateForm, UploadForm
from .models import CommitmentStatus, Employment, Party

VIEW, MANAGE, CLOSE = "delivery.view_commitments", "delivery.manage_commitments", "delivery.close_commitments"
VIEW_ONE, SIGN = "delivery.view_commitment", "delivery.sign_commitment"


def _commitment(request, pemda: str, program: int, commitment: int, perm: str = VIEW_ONE):
    pemda, program = _program(request, pemda, program, None)
    commitment = services.commitment_get(program=program, pk=commitment)
    commitment.program = program
    require(request.user, VIEW_ONE, commitment)  # strangers to the pemda got a 404 from `tenant` already
    if perm != VIEW_ONE:
        require(request.user, perm, commitment)
    return pemda, program, commitment


@login_required
@require_GET
def commitment_list(request, pemda, program):
    pemda, program = _program(request, pemda, program, VIEW)
    filters = CommitmentFilterForm(request.GET)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    # a list filtered on a status is what a bulk signature works on: a launching's worth on one page
    page = paginate(request, services.commitment_list(program=program, status=status), per_page=200 if status else 50)
    can_manage = request.user.has_perm(MANAGE, program)
    template = services.template_for(program=program)
    return render(request, "delivery/commitment_list.html", {
        "pemda": pemda, "program": program, "page": page, "filters": filters, "status": status,
        "counts": [(key, label, n) for (key, label), n in zip(CommitmentStatus.choices, services.status_counts(program=program).values())],
        "template": template, **_missing_nip_context(program, template, "list", can_manage=can_manage), "eligible": services.eligible_innovations(program=program).count(),
        "batch": documents.latest_batch(program=program), "can_manage": can_manage, "form": LabinovForm(),
        "sign_many": _sign_many_form(request, program, status),
    })


def _sign_many_form(request, program, status: str):
    """The bulk-signature form, for a list filtered on a status that waits for a party the user may sign."""
    party = services.NEXT_PARTY.get(status)
    if not party:
        return None
    probe = services.Commitment(program=program, pemda_id=program.pemda_id, unit_id=0)
    if not (request.user.has_perm(SIGN, probe) or request.user.has_perm(MANAGE, program)):
        return None
    if not (request.user.has_perm(MANAGE, program) or services.may_sign_as(request.user, probe, party)):
        return None
    return SignManyForm(initial={"party": party, "signed_on": services.default_signing_date(services.template_for(program=program))})


@login_required
def commitment_settings(request, pemda, program):
    pemda, program = _program(request, pemda, program, MANAGE)
    template = services.template_for(program=program)
    initial = {name: getattr(template, name) for name in services.TEMPLATE_FIELDS}
    form = TemplateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        fields = lambda d: {k: d[k] if d[k] is not None else "" for k in services.TEMPLATE_FIELDS if k in d}  # noqa: E731
        done, saved = run_form(request, form, lambda d: services.template_update(
            actor=request.user, program=program,
            **{**fields(d), "signing_date": d.get("signing_date"), "period_ends_on": d.get("period_ends_on")}))
        if done:
            if saved is not None:
                messages.success(request, _("The commitment template is saved."))
            return redirect("commitment_list", pemda.slug, program.pk)
    return render(request, "delivery/commitment_settings.html", {
        **_missing_nip_context(program, template, "template", can_manage=True),
        "pemda": pemda, "program": program, "form": form, "title": _("Commitment documents: title, text and number"),
        "intro": _("Documents already signed keep their number and their PDF; documents not signed yet follow these settings."),
        "breadcrumb": {"url": reverse("commitment_list", args=[pemda.slug, program.pk]), "label": _("Commitment documents")},
    })


MISSING_SHOWN = 30  # rows of the missing-NIP warning with a form each; the rest are counted


def _missing_nip_context(program, template, back: str, *, can_manage: bool, commitments=None) -> dict:
    """The missing-NIP warning for organisers: who would print an empty "NIP." line, each with a small form."""
    if not can_manage:
        return {"missing_nips": [], "missing_more": 0}
    missing = services.missing_nips(program=program, template=template, commitments=commitments)
    for i, row in enumerate(missing[:MISSING_SHOWN]):  # a form (and a once-only token) per row, ids of their own
        row["form"] = NipForm(auto_id=f"nip-{i}-%s", initial={
            "party": row["party"], "commitment": row["commitment"].pk if row["commitment"] else None, "back": back,
            "employment": Employment.PNS})
    return {"missing_nips": missing[:MISSING_SHOWN], "missing_more": max(0, len(missing) - MISSING_SHOWN)}


def _warn_missing_nips(request, program, commitments=None) -> None:
    """Made anyway, but said: who prints an empty NIP line (the list names them and fixes them)."""
    missing = services.missing_nips(program=program, commitments=commitments)
    if missing:
        names = ", ".join(row["role"] for row in missing[:5]) + (" …" if len(missing) > 5 else "")
        messages.warning(request, ngettext(
            "%(n)s signatory has no NIP on record and gets an empty “NIP.” line: %(names)s. Record it on the list of documents, then make the PDFs again.",
            "%(n)s signatories have no NIP on record and get an empty “NIP.” line: %(names)s. Record them on the list of documents, then make the PDFs again.",
            len(missing)) % {"n": len(missing), "names": names})


@login_required
@require_POST
def commitment_nip(request, pemda, program):
    """Records a missing NIP (or that a unit head is PPPK / non-ASN) and goes back to the page it came from."""
    pemda, program = _program(request, pemda, program, MANAGE)
    form = NipForm(request.POST)
    commitment = None
    if form.is_valid() and form.cleaned_data.get("commitment"):
        commitment = services.commitment_get(program=program, pk=form.cleaned_data["commitment"])
        commitment.program = program
    done, saved = run_form(request, form, lambda d: services.commitment_fix_nip(
        actor=request.user, program=program, party=d["party"], nip=d["nip"], commitment=commitment,
        employment=d.get("employment") or Employment.PNS))
    if done and saved is not None:
        messages.success(request, _("Saved: that party's document no longer prints an empty NIP line."))
    elif not done:
        _flash_errors(request, form, _("Nothing was saved."))
    back = getattr(form, "cleaned_data", {}).get("back", "list")
    if back == "detail" and commitment is not None:
        return redirect("commitment_detail", pemda.slug, program.pk, commitment.pk)
    if back == "template":
        return redirect("commitment_settings", pemda.slug, program.pk)
    return redirect("commitment_list", pemda.slug, program.pk)


@login_required
@require_POST
def commitment_prepare(request, pemda, program):
    pemda, program = _program(request, pemda, program, MANAGE)
    done, created = _run_button(request, lambda d: services.commitments_prepare(actor=request.user, program=program),
                                _("The documents could not be prepared."))
    if done and created is not None:
        messages.success(request, ngettext("%(n)s document prepared.", "%(n)s documents prepared.", created) % {"n": created})
    return redirect("commitment_list", pemda.slug, program.pk)


def _flash_errors(request, form, fallback: str) -> None:
    """A refused button press: its reason as a message on the page it came from."""
    texts = [str(e) for errors in form.errors.values() for e in errors] if form.is_bound and form.errors else []
    messages.error(request, " ".join(texts) or fallback)


def _run_button(request, action, fallback: str):
    """A button (a form with nothing but its token): run the service, or put its refusal in a message."""
    form = LabinovForm(request.POST)
    done, result = run_form(request, form, action)
    if not done:
        _flash_errors(request, form, fallback)
    return done, result


@login_required
@require_POST
def commitment_sign_many(request, pemda, program):
    """The ticked documents of the list get one party's signature (all or nothing)."""
    pemda, program = _program(request, pemda, program, VIEW)
    form = SignManyForm(request.POST)
    if form.is_valid():
        party = form.cleaned_data["party"]
        ids = request.POST.getlist("ids")
        chosen = list(services.commitment_list(program=program).filter(pk__in=[i for i in ids if i.isascii() and i.isdigit()]))
        for c in chosen:
            c.program = program
            if not (request.user.has_perm(SIGN, c) and services.may_sign_as(request.user, c, party)):
                raise PermissionDenied
        done, n = run_form(request, form, lambda d: services.commitments_sign_many(
            actor=request.user, program=program, ids=ids, party=party, signed_on=d["signed_on"], signed_by=d["signed_by"]))
        if done and n is not None:
            messages.success(request, ngettext("%(n)s signature recorded.", "%(n)s signatures recorded.", n) % {"n": n})
    if not form.is_valid() or form.errors:
        _flash_errors(request, form, _("Nothing was recorded."))
    return redirect(reverse("commitment_list", args=[pemda.slug, program.pk]) + (f"?status={request.POST.get('status', '')}"
                                                                                  if request.POST.get("status") else ""))


@login_required
@require_POST
def commitment_generate(request, pemda, program):
    pemda, program = _program(request, pemda, program, MANAGE)
    done, batch = _run_button(request, lambda d: documents.batch_create(actor=request.user, program=program), _("Nothing was generated."))
    if done and batch is not None:
        _warn_missing_nips(request, program)
        return redirect("commitment_batch", pemda.slug, program.pk, batch.pk)
    return redirect("commitment_list", pemda.slug, program.pk)


@login_required
@require_GET
def commitment_batch(request, pemda, program, batch):
    pemda, program = _program(request, pemda, program, VIEW)
    batch = documents.batch_get(program=program, pk=batch)
    template = "delivery/batch_status_partial.html" if request.htmx else "delivery/batch_status.html"
    return render(request, template, {"pemda": pemda, "program": program, "batch": batch})


def _batch_file(request, pemda, program, batch, attr: str, content_type: str, ext: str):
    pemda, program = _program(request, pemda, program, VIEW)
    batch = documents.batch_get(program=program, pk=batch)
    name = getattr(batch, attr)
    if batch.status != batch.Status.DONE or not name or not default_storage.exists(name):
        raise Http404
    return file_response(default_storage.open(name, "rb"), content_type=content_type,
                         filename=f"komitmen-{pemda.slug}-{program.pk}-{batch.pk}.{ext}")


@login_required
@require_GET
def commitment_batch_zip(request, pemda, program, batch):
    return _batch_file(request, pemda, program, batch, "zip_name", "application/zip", "zip")


@login_required
@require_GET
def commitment_batch_pdf(request, pemda, program, batch):
    return _batch_file(request, pemda, program, batch, "pdf_name", "application/pdf", "pdf")


# --------------------------------------------------------------------------- one document


def _detail(request, pemda, program, commitment, status: int = 200, **forms):
    user = request.user
    next_party = services.NEXT_PARTY.get(commitment.status)
    can_manage = user.has_perm(MANAGE, program)
    template = services.template_for(program=program)
    guide = services.signing_guide(user=user, commitment=commitment, template=template)
    may_sign = guide["may_sign"]
    if "sign_form" not in forms and may_sign:
        forms["sign_form"] = SignForm(initial={"party": next_party, "signed_on": guide["signed_on"],
                                               "signed_by": services.default_signer(commitment, next_party, template)})
    context = {
        **_missing_nip_context(program, template, "detail", can_manage=can_manage, commitments=[commitment]),
        "pemda": pemda, "program": program, "commitment": commitment, "next_party": Party(next_party).label if next_party else "",
        "may_sign": may_sign, "guide": guide, "can_manage": can_manage, "can_close": user.has_perm(CLOSE, program),
        "can_view_list": user.has_perm(VIEW, program), "period_end": services.period_end(commitment),
        "party_form": forms.get("party_form") or (PartyForm(initial={f: getattr(commitment, f) for f in services.PARTY_FIELDS})
                                                  if can_manage and commitment.status == CommitmentStatus.DRAFTED else None),
        "upload_form": forms.get("upload_form") or UploadForm(), "close_form": forms.get("close_form") or CloseForm(),
        "button": LabinovForm(), "sign_form": forms.get("sign_form"),
        "signature_rows": [{**row, "signed_at": parse_datetime(row["signed_at"]) if row.get("signed_at") else None}
                           for row in (commitment.signature_report or {}).get("signatures", [])],
        "innovations": documents.documents_context(program=program, commitments=[commitment])["items"][0]["innovations"],
    }
    return render(request, "delivery/commitment_detail.html", context, status=status)


@login_required
@require_GET
def commitment_detail(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    return _detail(request, pemda, program, commitment)


@login_required
@require_GET
def commitment_preview(request, pemda, program, commitment):
    """The document as the PDF will show it, in the browser (HTML, nothing to wait for)."""
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    html = documents.render_html(documents.documents_context(program=program, commitments=[commitment]))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return response


@login_required
@require_GET
def commitment_pdf(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    if not commitment.document or not default_storage.exists(commitment.document.name):
        raise Http404
    return file_response(default_storage.open(commitment.document.name, "rb"), content_type="application/pdf",
                         filename=documents.file_name(commitment))


@login_required
@require_POST
def commitment_make_pdf(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    require(request.user, MANAGE, program)
    done, batch = _run_button(request, lambda d: documents.batch_create(actor=request.user, program=program, commitment_ids=[commitment.pk]),
                              _("The document could not be made."))
    if done and batch is not None:
        _warn_missing_nips(request, program, commitments=[commitment])
        return redirect("commitment_batch", pemda.slug, program.pk, batch.pk)
    return redirect("commitment_detail", pemda.slug, program.pk, commitment.pk)


def _form_action(request, pemda, program, commitment, form, form_key: str, action, success):
    """A form on the document's page: run the service once, then back to the page with `success(saved)`
    as a message, or the page again with the form and its errors under `form_key`."""
    done, saved = run_form(request, form, action)
    if done:
        if saved is not None:
            messages.success(request, success(saved))
        return redirect("commitment_detail", pemda.slug, program.pk, commitment.pk)
    return _detail(request, pemda, program, commitment, **{form_key: form})


@login_required
@require_POST
def commitment_party(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    require(request.user, MANAGE, program)
    return _form_action(request, pemda, program, commitment, PartyForm(request.POST), "party_form",
                        lambda d: services.commitment_update_party(actor=request.user, commitment=commitment,
                                                                   **{f: d[f] for f in services.PARTY_FIELDS}),
                        lambda saved: _("The unit head's details are saved."))


@login_required
@require_POST
def commitment_sign(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment, SIGN)
    form = SignForm(request.POST)
    if form.is_valid() and not services.may_sign_as(request.user, commitment, form.cleaned_data["party"]):
        raise PermissionDenied
    return _form_action(request, pemda, program, commitment, form, "sign_form",
                        lambda d: services.commitment_sign(actor=request.user, commitment=commitment, party=d["party"],
                                                           signed_by=d["signed_by"], signed_on=d["signed_on"]),
                        lambda saved: _("The signature is recorded: %(status)s.") % {"status": saved.get_status_display()})


@login_required
@require_POST
def commitment_upload(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    require(request.user, MANAGE, program)
    return _form_action(request, pemda, program, commitment, UploadForm(request.POST, request.FILES), "upload_form",
                        lambda d: services.commitment_upload_signed(actor=request.user, commitment=commitment, upload=d["file"]),
                        lambda saved: _("The signed document is stored."))


@login_required
@require_GET
def commitment_signed_file(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    if not commitment.signed_file or not default_storage.exists(commitment.signed_file.name):
        raise Http404
    ext = commitment.signed_file.name.rsplit(".", 1)[-1]
    return file_response(default_storage.open(commitment.signed_file.name, "rb"),
                         content_type=commitment.signed_file_type or "application/octet-stream",
                         filename=f"{documents.file_name(commitment)[:-4]}-ttd.{ext}")


@login_required
@require_POST
def commitment_activate(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    require(request.user, MANAGE, program)
    done, saved = _run_button(request, lambda d: services.commitment_activate(actor=request.user, commitment=commitment),
                              _("The commitment could not be activated."))
    if done and saved is not None:
        messages.success(request, _("The commitment is active."))
    return redirect("commitment_detail", pemda.slug, program.pk, commitment.pk)


@login_required
@require_POST
def commitment_close(request, pemda, program, commitment):
    pemda, program, commitment = _commitment(request, pemda, program, commitment)
    require(request.user, CLOSE, program)
    return _form_action(request, pemda, program, commitment, CloseForm(request.POST), "close_form",
                        lambda d: services.commitment_close(actor=request.user, commitment=commitment,
                                                            fulfilled=d["fulfilled"], note=d["note"]),
                        lambda saved: _("The outcome is recorded: %(status)s.") % {"status": saved.get_status_display()})
