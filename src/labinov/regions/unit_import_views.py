"""Pages of the unit import: the template, the upload, the preview and its commit.

Where the preview lives between the upload and the commit: in the user's session, never on disk
and never in a model. The upload is checked and read at once (see `unit_import.read_upload`); the
file itself is thrown away and only its cell texts are kept, under the session key
``unit_import:<pemda id>:<batch>``. ``batch`` is a number from a per-session counter
(``unit_import:seq``), so a batch can only be seen by the user who uploaded it, and only under the
pemda it was uploaded to (any other pemda or batch is "no longer available"). A new upload for a
pemda replaces that pemda's earlier batches, so the session holds at most one preview per pemda
(at most 5,000 short rows). The rows are validated again on every view of the preview and once
more inside the commit's transaction, so the preview always reflects the current units. After a
successful commit the batch is removed; a repeated post finds nothing to do (and the form's
once-only token of core/forms.py, claimed in the commit's transaction, covers two posts racing).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from labinov.core.forms import LabinovForm, paginate, run_form
from labinov.core.views_helpers import tenant

from . import unit_import

SESSION_PREFIX = "unit_import"
PREVIEW_ERROR_LIMIT = 200  # the list above the table; every message is also shown in its cell
PREVIEW_ROWS_PER_PAGE = 500  # rendering all 5,000 rows at once takes seconds


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLSX file"),
        allow_empty_file=True,  # refused by unit_import with its own message
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "class": "input",
        }),
    )


class CommitForm(LabinovForm):
    """Only the once-only token: the rows come from the session."""


def _key(pemda, batch) -> str:
    return f"{SESSION_PREFIX}:{pemda.pk}:{batch}"


def _store(request, pemda, parsed: dict) -> int:
    session = request.session
    prefix = f"{SESSION_PREFIX}:{pemda.pk}:"
    for key in [k for k in session.keys() if k.startswith(prefix)]:
        del session[key]
    batch = int(session.get(f"{SESSION_PREFIX}:seq", 0)) + 1
    session[f"{SESSION_PREFIX}:seq"] = batch
    session[_key(pemda, batch)] = parsed
    return batch


def _gone(request, pemda):
    messages.info(request, _("This import is no longer available: it was already saved or has expired. "
                             "Upload the file again to see it."))
    return redirect("unit_import", pemda.slug)


@login_required
def upload(request, pemda):
    pemda = tenant(request, pemda, "regions.manage_units")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            parsed = unit_import.read_upload(form.cleaned_data["file"])
        except ValidationError as e:
            for message in e.messages:
                form.add_error("file", message)
        else:
            batch = _store(request, pemda, parsed)
            return redirect("unit_import_preview", pemda.slug, batch)
    return render(request, "regions/unit_import.html", {
        "pemda": pemda, "form": form, "columns": unit_import.COLUMNS, "max_rows": unit_import.MAX_ROWS,
        "max_bytes": settings.LABINOV_MAX_IMPORT_BYTES, "submit_label": _("Upload and preview"),
        "breadcrumb": {"url": reverse("unit_list", args=[pemda.slug]), "label": _("Units")},
    })


@login_required
@require_GET
def template(request, pemda):
    pemda = tenant(request, pemda, "regions.manage_units")
    content = unit_import.build_template(pemda)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="unit-{pemda.slug}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def preview(request, pemda, batch):
    pemda = tenant(request, pemda, "regions.manage_units")
    data = request.session.get(_key(pemda, batch))
    if not data:
        return _gone(request, pemda)
    form = CommitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done, result = run_form(
            request, form,
            lambda d: unit_import.commit(actor=request.user, pemda=pemda, rows=data["rows"], filename=data.get("filename", "")),
        )
        if done:
            request.session.pop(_key(pemda, batch), None)
            if result is not None:
                messages.success(request, ngettext(
                    "%(created)s unit imported, %(skipped)s already existed.",
                    "%(created)s units imported, %(skipped)s already existed.",
                    result["created"],
                ) % result)
            return redirect("unit_list", pemda.slug)
    report = unit_import.validate(pemda=pemda, rows=data["rows"])
    errors = report.errors()
    return render(request, "regions/unit_import_preview.html", {
        "pemda": pemda, "batch": batch, "form": form, "report": report, "counts": report.counts,
        "page": paginate(request, report.rows, per_page=PREVIEW_ROWS_PER_PAGE),
        "columns": unit_import.COLUMNS, "filename": data.get("filename", ""), "sheet": data.get("sheet", ""),
        "header_row": data.get("header_row"),
        "errors": errors[:PREVIEW_ERROR_LIMIT], "errors_hidden": max(0, len(errors) - PREVIEW_ERROR_LIMIT),
        "can_commit": not report.has_errors and bool(report.new),
        "submit_label": ngettext("Import %(n)s unit", "Import %(n)s units", report.counts["new"]) % {"n": report.counts["new"]},
        "breadcrumb": {"url": reverse("unit_list", args=[pemda.slug]), "label": _("Units")},
    })
