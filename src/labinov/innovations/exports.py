"""A program's action plans (the latest version of each innovation's plan) as an XLSX workbook and
as a printable PDF booklet.

The workbook is written in openpyxl's write-only mode, every cell through `core.xlsx.safe`: a text
a spreadsheet could run as a formula is neutralised, characters a workbook cannot hold are dropped.
The booklet is rendered from a template by WeasyPrint in a background task (`build_booklet`, about
0.25 s of CPU per page, so never inside a request); it never fetches anything from the network or
the disk: the pemda's logo is embedded.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from labinov.core.pdf import logo_data_uri, url_fetcher
from labinov.core.xlsx import safe, safe_row  # every cell: no illegal characters, no formula

from .models import ActionPlan, Indicator, Milestone
from .overview import NO_PLAN, _coaches_by_unit, program_innovations, status_label

PLANS_SHEET = "Rencana aksi"
INDICATORS_SHEET = "Indikator"


def export_filename(program, ext: str) -> str:
    return f"rencana-aksi-{program.pemda.slug}-{program.pk}.{ext}"


def plans_workbook(*, program, unit_kind: str = "", coach=None, status: str = "") -> bytes:
    """Sheet "Rencana aksi": one row per milestone of each innovation's latest plan (a row with the
    plan alone when it has no milestone, a row with the innovation alone when it has no plan).
    Sheet "Indikator": one row per performance indicator. Filters as on the overview."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    innovations = list(program_innovations(program=program, unit_kind=unit_kind, coach=coach, status=status))
    plan_ids = [i.plan_id for i in innovations if i.plan_id]
    objectives = dict(ActionPlan.objects.filter(pk__in=plan_ids).values_list("pk", "objective"))
    milestones: dict[int, list[Milestone]] = {}
    for m in Milestone.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "order", "starts_on", "id"):
        milestones.setdefault(m.plan_id, []).append(m)
    indicators: dict[int, list[Indicator]] = {}
    for row in Indicator.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "order", "id"):
        indicators.setdefault(row.plan_id, []).append(row)

    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title, headers, widths):
        ws = wb.create_sheet(safe(title))
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        ws.freeze_panes = "A2"
        cells = []
        for name in headers:
            cell = WriteOnlyCell(ws, value=safe(name))
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        ws.append(cells)
        return ws

    def date_cell(ws, value):
        cell = WriteOnlyCell(ws, value=value)
        if value is not None:
            cell.number_format = "DD/MM/YYYY"
        return cell

    yes, no = _("yes"), _("no")
    plans_ws = sheet(PLANS_SHEET, [
        _("Unit"), _("Innovation"), _("Version"), _("Plan status"), _("Objective"), _("Activity"), _("Start"), _("End"),
        _("Person in charge"), _("Output"), _("Budget source"), _("Quick win"),
    ], [32, 36, 8, 22, 40, 40, 12, 12, 24, 30, 18, 10])
    for innovation in innovations:
        head = [innovation.unit.name, innovation.name, innovation.plan_version, status_label(innovation.plan_status),
                objectives.get(innovation.plan_id, "")]
        rows = milestones.get(innovation.plan_id) or [None]
        for m in rows:
            if m is None:
                tail = ["", None, None, "", "", "", ""]
            else:
                tail = [m.activity, m.starts_on, m.ends_on, m.pic, m.output, m.budget_source, yes if m.quick_win else no]
            values = safe_row(head + tail)
            cells = [WriteOnlyCell(plans_ws, value=v) for v in values]
            cells[6], cells[7] = date_cell(plans_ws, values[6]), date_cell(plans_ws, values[7])
            plans_ws.append(cells)

    ind_ws = sheet(INDICATORS_SHEET, [
        _("Unit"), _("Innovation"), _("Version"), _("Indicator"), _("Unit of measure"), _("Baseline"), _("Target"),
    ], [32, 36, 8, 40, 16, 16, 16])
    for innovation in innovations:
        for row in indicators.get(innovation.plan_id, []):
            ind_ws.append(safe_row((innovation.unit.name, innovation.name, innovation.plan_version, row.name,
                                    row.unit_of_measure, row.baseline, row.target)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- the PDF booklet


def booklet_plan_count(*, program, unit_kind: str = "", coach=None, status: str = "") -> int:
    return program_innovations(program=program, unit_kind=unit_kind, coach=coach, status=status).exclude(plan_status=NO_PLAN).count()


def booklet_context(*, program, unit_kind: str = "", coach=None, status: str = "") -> dict:
    innovations = [i for i in program_innovations(program=program, unit_kind=unit_kind, coach=coach, status=status)
                   if i.plan_id]
    plans = (
        ActionPlan.objects.filter(pk__in=[i.plan_id for i in innovations])
        .select_related("approved_by", "coach_approved_by", "innovation__profile")
        .prefetch_related("indicators", "milestones", "risks", "stakeholders")
        .in_bulk()
    )
    coaches = _coaches_by_unit(program, [i.unit_id for i in innovations])
    items = []
    for innovation in innovations:
        plan = plans.get(innovation.plan_id)
        if plan is None:  # deleted meanwhile
            continue
        profile = getattr(plan.innovation, "profile", None)  # None without a profile yet
        items.append({
            "innovation": innovation, "unit": innovation.unit, "plan": plan, "status": status_label(plan.status),
            "coaches": coaches.get(innovation.unit_id, []), "budget": profile.budget if profile else None,
            "milestones": list(plan.milestones.all()), "indicators": list(plan.indicators.all()),
            "risks": list(plan.risks.all()), "stakeholders": list(plan.stakeholders.all()),
        })
    return {"program": program, "pemda": program.pemda, "items": items, "count": len(items),
            "units": len({i["unit"].pk for i in items}), "logo": logo_data_uri(program.pemda),
            "printed_on": timezone.localdate()}


def render_booklet_html(context: dict) -> str:
    with translation.override("id"):  # Indonesian formatting: "14 November 2019", 1.250.000
        return render_to_string("innovations/booklet.html", context)


def plans_booklet_pdf(*, program, unit_kind: str = "", coach=None, status: str = "") -> bytes:
    """An A4 booklet: a title page, then one page per plan (a long plan runs on), in Indonesian."""
    from weasyprint import HTML

    html = render_booklet_html(booklet_context(program=program, unit_kind=unit_kind, coach=coach, status=status))
    return HTML(string=html, base_url=None, url_fetcher=url_fetcher()).write_pdf()


# --------------------------------------------------------------------------- booklets in the background

MAX_BACKGROUND_BOOKLET_PLANS = 2000


def booklet_job_create(*, actor, program, unit_kind: str = "", coach=None, status: str = ""):
    """Queues a booklet; the task `build_booklet` makes it. Refuses an empty or unreasonably large one."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from labinov.core.audit import audit_record

    from .models import BookletJob
    from .tasks import build_booklet

    count = booklet_plan_count(program=program, unit_kind=unit_kind, coach=coach, status=status)
    if count == 0:
        raise ValidationError(_("There is no action plan to put in a booklet yet."))
    if count > MAX_BACKGROUND_BOOKLET_PLANS:
        raise ValidationError(_("The booklet would hold %(n)s action plans; filter by unit type, coach or status.") % {"n": count})
    with transaction.atomic():
        job = BookletJob.objects.create(program=program, requested_by=actor, plans=count,
                                        filters={"unit_kind": unit_kind, "coach_id": coach.pk if coach else None, "status": status})
        audit_record(actor=actor, action="plans.booklet", obj=program, changes={"plans": count, **job.filters})
    build_booklet.enqueue(job.pk)
    return job


def booklet_job_run(job_id: int) -> None:
    """The task's work: render the booklet to a file under MEDIA_ROOT/booklets/."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from labinov.people.models import User

    from .models import BookletJob

    if not BookletJob.claim(job_id):
        return  # a repeated run (or another worker) does nothing
    job = BookletJob.objects.select_related("program", "program__pemda").get(pk=job_id)
    try:
        f = job.filters
        coach = User.objects.filter(pk=f.get("coach_id")).first() if f.get("coach_id") else None
        data = plans_booklet_pdf(program=job.program, unit_kind=f.get("unit_kind", ""), coach=coach, status=f.get("status", ""))
        job.file_name = default_storage.save(f"booklets/{job.program_id}-{uuid.uuid4().hex}.pdf", ContentFile(data))
        job.status = BookletJob.Status.DONE
    except Exception as e:  # the page shows the failure instead of waiting forever
        job.status, job.message = BookletJob.Status.FAILED, str(e)[:500]
        raise
    finally:
        job.save(update_fields=["status", "file_name", "message", "updated_at"])


def booklet_job_get(*, program, pk: int):
    from django.http import Http404

    from .models import BookletJob

    try:
        return BookletJob.objects.get(program=program, pk=pk)
    except (BookletJob.DoesNotExist, ValueError):
        raise Http404 from None
