"""Pages of the idea import (template, upload, progress and preview, “Save all”) and the export.

Thin: the checks, the parsing, the commit and the workbooks are in transfer.py; the slow parts
run as background tasks (tasks.py) and report their progress on the `IdeaImport`, which the
status page polls every second with htmx while the import is queued, being read or being saved.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from labinov.core.forms import LabinovForm, run_form
from labinov.core.views_helpers import program_page as _program

from . import transfer
from .models import ImportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLSX file"),
        allow_empty_file=True,  # refused by the archive check with its own message
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}", "class": "input"}),
    )


class SaveForm(LabinovForm):
    """Only the once-only token: the rows are in the stored file."""


def _breadcrumb(pemda, program):
    return {"url": reverse("program_detail", args=[pemda.slug, program.pk]), "label": program.name}


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def import_template(request, pemda, program):
    pemda, program = _program(request, pemda, program, "ideas.import_ideas")
    return _xlsx_response(transfer.build_template(program=program), f"template-ide-{pemda.slug}-{program.pk}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pemda, program):
    pemda, program = _program(request, pemda, program, "ideas.import_ideas")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imp = transfer.import_start(actor=request.user, program=program, upload=form.cleaned_data["file"])
        except ValidationError as e:
            for message in e.messages:
                form.add_error("file", message)
        else:
            return redirect("idea_import_status", pemda.slug, program.pk, imp.pk)
    return render(request, "ideas/import.html", {
        "pemda": pemda, "program": program, "form": form, "columns": transfer.COLUMNS, "required": transfer.REQUIRED,
        "max_rows": transfer.MAX_ROWS, "max_bytes": settings.LABINOV_MAX_IMPORT_BYTES,
        "can_export": request.user.has_perm("ideas.export_ideas", program),
        "submit_label": _("Upload and check"), "breadcrumb": _breadcrumb(pemda, program),
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_status(request, pemda, program, job):
    pemda, program = _program(request, pemda, program, "ideas.import_ideas")
    imp = transfer.import_get(actor=request.user, program=program, pk=job)
    form = SaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done, _result = run_form(request, form, lambda d: transfer.commit_request(actor=request.user, imp=imp))
        if done:
            return redirect("idea_import_status", pemda.slug, program.pk, imp.pk)
    summary = imp.summary or {}
    stored = len(imp.errors or [])
    context = {
        "pemda": pemda, "program": program, "imp": imp, "form": form, "summary": summary,
        "running": imp.status in transfer.RUNNING, "percent": imp.percent,
        "errors": imp.errors or [], "errors_hidden": max(0, int(summary.get("errors", 0)) - stored),
        "can_save": imp.status == ImportStatus.PREVIEW and bool(imp.stored_file) and bool(summary.get("new")),
        "submit_label": _("Save all"), "breadcrumb": _breadcrumb(pemda, program),
    }
    if getattr(request, "htmx", False):
        return render(request, "ideas/import_status_partial.html", context)
    return render(request, "ideas/import_status.html", context)


@login_required
@require_GET
def export(request, pemda, program):
    pemda, program = _program(request, pemda, program, "ideas.export_ideas")
    return _xlsx_response(transfer.export_workbook(actor=request.user, program=program), transfer.export_filename(program))
