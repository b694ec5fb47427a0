"""A program's action plans as a whole (under /pemda/<pemda>/programs/<program>/plans/): the overview,
the reminders, the timeline, and the XLSX and PDF exports.

Every view: the pemda of the URL (`tenant`), the program (`program_get`), the permission
(`require`, rules in innovations/rules_program.py), then one selector or service call.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from labinov.core.forms import LabinovForm, run_form
from labinov.core.params import int_param
from labinov.core.views_helpers import program_page as _program

from . import exports, overview

VIEW, EXPORT, REMIND = "innovations.view_program_plans", "innovations.export_program_plans", "innovations.remind_plans"


class PlanFilterForm(forms.Form):
    unit_kind = forms.ChoiceField(label=gettext_lazy("Unit type"), required=False)
    coach = forms.ChoiceField(label=gettext_lazy("Coach"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Plan status"), required=False)

    def __init__(self, *args, unit_kinds=(), coaches=(), **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["unit_kind"].choices = every + list(unit_kinds)
        self.fields["coach"].choices = every + [(str(pk), name) for pk, name in coaches] + [(overview.NO_COACH, _("No coach assigned"))]
        self.fields["status"].choices = every + [(k, str(label)) for k, label in overview.STATUS_CHOICES]
        for f in self.fields.values():
            f.widget.attrs["class"] = "input"

    def values(self) -> dict:
        """The valid filters (an unknown value is ignored rather than refused)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("unit_kind", "coach", "status") if name not in self.errors}


class RemindForm(LabinovForm):
    pass


def _filters(request, program) -> PlanFilterForm:
    return PlanFilterForm(request.GET, **overview.filter_choices(program=program))


@login_required
@require_GET
def plan_overview(request, pemda, program):
    pemda, program = _program(request, pemda, program, VIEW)
    filters = _filters(request, program)
    values = filters.values()
    data = overview.plan_overview(program=program, page_number=request.GET.get("page"), **values)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "innovations/overview.html", {
        "pemda": pemda, "program": program, "filters": filters, "filtered": any(values.values()), **data,
        "status_filter": values.get("status", ""), "query": query.urlencode(),
        "base_query": {k: v for k, v in values.items() if k != "status" and v},
        "can_remind": request.user.has_perm(REMIND, program), "remind_form": RemindForm(),
        "due": overview.plan_due_date(program=program),
    })


@login_required
@require_POST
def plan_reminders(request, pemda, program):
    pemda, program = _program(request, pemda, program, REMIND)
    link = request.build_absolute_uri(reverse("program_detail", args=[pemda.slug, program.pk]))
    done, result = run_form(request, RemindForm(request.POST),
                            lambda d: overview.plan_reminders_send(actor=request.user, program=program, link=link))
    if done and result is not None:
        if result["units"]:
            messages.success(request, ngettext(
                "A reminder was sent to %(n)s unit.", "Reminders were sent to %(n)s units.", result["units"]) % {"n": result["units"]})
        elif not result["unreachable"]:
            messages.info(request, _("No unit needs a reminder: every innovation has a plan on time."))
        if result["unreachable"]:
            messages.warning(request, _("No e-mail address is known for the head of: %(units)s. Add a unit head or a person with an e-mail.")
                             % {"units": ", ".join(result["unreachable"])})
    return redirect("plan_overview", pemda.slug, program.pk)


@login_required
@require_GET
def plan_timeline(request, pemda, program):
    pemda, program = _program(request, pemda, program, VIEW)
    innovation_id = int_param(request.GET, "innovation")
    if innovation_id is None and request.GET.get("innovation"):
        raise Http404
    data = overview.plan_timeline(program=program, page_number=request.GET.get("page"), innovation_id=innovation_id)
    if innovation_id and data["innovation"] is None:
        raise Http404
    return render(request, "innovations/timeline.html", {"pemda": pemda, "program": program, **data})


@login_required
@require_GET
def plans_export_xlsx(request, pemda, program):
    pemda, program = _program(request, pemda, program, EXPORT)
    data = exports.plans_workbook(program=program, **_filters(request, program).values())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(program, "xlsx")}"'
    return response


@login_required
def plans_export_pdf(request, pemda, program):
    """The PDF booklet: a GET shows what it will hold, a POST queues it as a background task."""
    pemda, program = _program(request, pemda, program, EXPORT)
    values = _filters(request, program).values()
    count = exports.booklet_plan_count(program=program, **values)
    back = reverse("plan_overview", args=[pemda.slug, program.pk]) + (f"?{request.GET.urlencode()}" if request.GET else "")
    form = LabinovForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done, job = run_form(request, form, lambda d: exports.booklet_job_create(actor=request.user, program=program, **values))
        if done and job is not None:
            return redirect("booklet_status", pemda.slug, program.pk, job.pk)
        if done:
            return redirect(back)
    return render(request, "innovations/booklet_start.html", {
        "pemda": pemda, "program": program, "form": form, "count": count, "back": back, "query": request.GET.urlencode(),
    })


@login_required
@require_GET
def booklet_status(request, pemda, program, job):
    pemda, program = _program(request, pemda, program, EXPORT)
    job = exports.booklet_job_get(program=program, pk=job)
    template = "innovations/booklet_status_partial.html" if request.htmx else "innovations/booklet_status.html"
    return render(request, template, {"pemda": pemda, "program": program, "job": job})


@login_required
@require_GET
def booklet_download(request, pemda, program, job):
    from django.core.files.storage import default_storage
    from labinov.core.files import file_response

    pemda, program = _program(request, pemda, program, EXPORT)
    job = exports.booklet_job_get(program=program, pk=job)
    if job.status != job.Status.DONE or not job.file_name or not default_storage.exists(job.file_name):
        raise Http404
    return file_response(default_storage.open(job.file_name, "rb"), content_type="application/pdf",
                         filename=exports.export_filename(program, "pdf"))
