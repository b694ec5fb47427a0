"""Monitoring pages: an innovation's milestones with reports, evidence and coach notes (under
/pemda/<pemda>/innovations/<innovation>/monitoring/), and the program's progress dashboard with its
drill-down per unit (under /pemda/<pemda>/programs/<program>/progress/).

Every view: the pemda of the URL (`tenant`), the innovation or program the actor may see, the
permission (`require`, rules in delivery/rules.py), then one selector or service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from labinov.core.forms import run_form
from labinov.core.params import int_param
from labinov.core.views_helpers import program_page as _program
from labinov.core.views_helpers import require, tenant
from labinov.innovations import selectors as innovation_selectors
from labinov.regions.selectors import unit_get

from . import monitoring
from .forms import CoachNoteForm, ReportForm

VIEW, REPORT, NOTE, DASHBOARD = "innovations.view_innovation", "delivery.report_progress", "delivery.add_coach_note", "delivery.view_progress"


def _innovation(request, pemda: str, innovation: int):
    pemda = tenant(request, pemda)
    # the innovation's work: its own unit and those who oversee the pemda (404 for other units)
    return pemda, innovation_selectors.innovation_work_for_page(actor=request.user, pemda=pemda, pk=innovation)


def _page(request, pemda, innovation, status: int = 200, report_form=None, note_form=None):
    data = monitoring.innovation_monitoring(innovation=innovation)
    events = monitoring.monitoring_events(program=innovation.program) if innovation.program_id else []
    can_report = request.user.has_perm(REPORT, innovation) and data["plan"] is not None
    can_note = request.user.has_perm(NOTE, innovation)
    if report_form is None and can_report:
        report_form = ReportForm(milestones=data["milestones"], events=events, initial={"milestone": int_param(request.GET, "milestone") or ""})
    from . import commitments

    commitment = commitments.commitment_for_innovation(innovation=innovation) if innovation.program_id else None
    if commitment is not None:
        commitment.program = innovation.program
        if not request.user.has_perm("delivery.view_commitment", commitment):
            commitment = None
    return render(request, "delivery/monitoring.html", {
        "pemda": pemda, "innovation": innovation, "program": innovation.program, **data, "commitment": commitment,
        "report_form": report_form if can_report else None, "note_form": (note_form or CoachNoteForm()) if can_note else None,
    }, status=status)


@login_required
@require_GET
def monitoring_detail(request, pemda, innovation):
    pemda, innovation = _innovation(request, pemda, innovation)
    return _page(request, pemda, innovation)


@login_required
@require_POST
def progress_report(request, pemda, innovation):
    pemda, innovation = _innovation(request, pemda, innovation)
    require(request.user, REPORT, innovation)
    data = monitoring.innovation_monitoring(innovation=innovation)
    events = monitoring.monitoring_events(program=innovation.program) if innovation.program_id else []
    form = ReportForm(request.POST, request.FILES, milestones=data["milestones"], events=events)
    by_id = {str(e.pk): e for e in events}
    done, report = run_form(request, form, lambda d: monitoring.report_progress(
        actor=request.user, innovation=innovation, milestone_id=d["milestone"], status=d["status"], percent=d["percent"],
        obstacles=d["obstacles"], note=d["note"], event=by_id.get(d.get("event") or ""), files=d["files"],
        video_urls=(d["video_urls"] or "").splitlines()))
    if done:
        if report is not None:
            messages.success(request, _("The progress report is saved."))
        return redirect("monitoring_detail", pemda.slug, innovation.pk)
    return _page(request, pemda, innovation, report_form=form)


@login_required
@require_POST
def coach_note(request, pemda, innovation):
    pemda, innovation = _innovation(request, pemda, innovation)
    require(request.user, NOTE, innovation)
    form = CoachNoteForm(request.POST)
    done, note = run_form(request, form, lambda d: monitoring.coach_note_add(actor=request.user, innovation=innovation,
                                                                          rating=d["rating"], text=d["text"]))
    if done:
        if note is not None:
            messages.success(request, _("The note is saved."))
        return redirect("monitoring_detail", pemda.slug, innovation.pk)
    return _page(request, pemda, innovation, note_form=form)


@login_required
@require_GET
def evidence_download(request, pemda, innovation, evidence):
    pemda, innovation = _innovation(request, pemda, innovation)
    evidence = monitoring.evidence_get(innovation=innovation, pk=evidence)
    if not evidence.file or not default_storage.exists(evidence.file.name):
        raise Http404
    inline = evidence.kind in ("png", "jpeg", "pdf") and request.GET.get("download") != "1"
    from labinov.core.files import file_response

    # photos open in the browser under a sandbox; PDFs are downloaded (Chrome's viewer does not run sandboxed)
    return file_response(default_storage.open(evidence.file.name, "rb"), content_type=evidence.content_type, inline=inline,
                         filename=evidence.original_name or f"bukti-{evidence.pk}.{evidence.kind}")


# --------------------------------------------------------------------------- the dashboard


@login_required
@require_GET
def progress_dashboard(request, pemda, program):
    from labinov.regions.models import UnitKind

    pemda, program = _program(request, pemda, program, DASHBOARD)
    unit_kind = request.GET.get("unit_kind", "")
    if unit_kind not in UnitKind.values:
        unit_kind = ""
    data = monitoring.dashboard(program=program, unit_kind=unit_kind)
    view = "coaches" if request.GET.get("view") == "coaches" else "units"
    page = Paginator(data["units"], 50).get_page(request.GET.get("page"))
    return render(request, "delivery/dashboard.html", {
        "pemda": pemda, "program": program, **data, "page": page, "unit_kind": unit_kind,
        "unit_kinds": UnitKind.choices, "view": view,
    })


@login_required
@require_GET
def progress_unit(request, pemda, program, unit):
    pemda, program = _program(request, pemda, program, DASHBOARD)
    unit = unit_get(actor=request.user, pemda=pemda, pk=unit)
    return render(request, "delivery/unit_progress.html", {
        "pemda": pemda, "program": program, "unit": unit, "innovations": monitoring.unit_progress(program=program, unit=unit),
    })
