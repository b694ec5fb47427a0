"""Deliver: commitment documents and their signatures, monitoring reports and coach notes, the progress
dashboard and the launchings. Same permissions as the pages (delivery/rules.py). PDFs, the signed
file and evidence files are made and uploaded on the pages; the API reads their state.
"""

from django.core.exceptions import PermissionDenied
from ninja import Router
from ninja.pagination import paginate

from labinov.core.views_helpers import require, tenant
from labinov.delivery import commitments, launching, monitoring
from labinov.innovations import selectors as innovation_selectors
from labinov.programs.selectors import event_get, program_get

from ..numbers import Id
from ..pagination import LimitOffset
from ..schemas_delivery import (
    CoachNoteIn,
    CoachNoteOut,
    CommitmentOut,
    DashboardOut,
    LaunchIn,
    LaunchOut,
    MonitoringOut,
    ReportIn,
    ReportOut,
    SignatureIn,
)

router = Router(tags=["deliver"])

PROG = "/pemda/{code}/programs/{id}"
INNO = "/pemda/{code}/innovations/{innovation_id}"


def _program(request, code: str, program_id: Id, perm: str):
    pemda = tenant(request, code)
    program = program_get(actor=request.user, pemda=pemda, pk=program_id)
    require(request.user, perm, program)
    return program


def _commitment(request, code: str, program_id: Id, commitment_id: Id):
    pemda = tenant(request, code)
    program = program_get(actor=request.user, pemda=pemda, pk=program_id)
    commitment = commitments.commitment_get(program=program, pk=commitment_id)
    commitment.program = program
    require(request.user, "delivery.view_commitment", commitment)
    return commitment


def _innovation(request, code: str, innovation_id: Id, perm: str | None = None):
    pemda = tenant(request, code)
    # monitoring, reports and notes are the innovation's work: its unit and those who oversee the pemda
    innovation = innovation_selectors.innovation_work_for_page(actor=request.user, pemda=pemda, pk=innovation_id)
    if perm:
        require(request.user, perm, innovation)
    return innovation


@router.get(PROG + "/commitments", response=list[CommitmentOut], summary="The program's commitment documents")
@paginate(LimitOffset)
def commitment_list(request, code: str, id: Id, status: str = ""):
    """Kontrak kerja / perjanjian kinerja inovasi, by number; `status` filters."""
    program = _program(request, code, id, "delivery.view_commitments")
    return commitments.commitment_list(program=program, status=status)


@router.post(PROG + "/commitments/prepare", response={201: dict}, summary="Prepare the missing commitment documents")
def commitment_prepare(request, code: str, id: Id):
    """One per unit or per innovation (the program's template), for innovations with an approved plan;
    returns how many were created. The PDFs are made on the page (a background task)."""
    program = _program(request, code, id, "delivery.manage_commitments")
    return {"created": commitments.commitments_prepare(actor=request.user, program=program)}


@router.get(PROG + "/commitments/{commitment_id}", response=CommitmentOut, summary="One commitment document")
def commitment_detail(request, code: str, id: Id, commitment_id: Id):
    return _commitment(request, code, id, commitment_id)


@router.post(PROG + "/commitments/{commitment_id}/signatures", response=CommitmentOut,
             summary="Record a party's signature (unit head, then head of region or sekda, then the LAN witness)")
def commitment_sign(request, code: str, id: Id, commitment_id: Id, payload: SignatureIn):
    """The organiser records any party; the unit head their own, the leader the countersignature, a
    national coach the witness (else 403). Out of order, dated in the future or before the previous
    signature: 422."""
    commitment = _commitment(request, code, id, commitment_id)
    require(request.user, "delivery.sign_commitment", commitment)
    if not commitments.may_sign_as(request.user, commitment, payload.party):
        raise PermissionDenied
    return commitments.commitment_sign(actor=request.user, commitment=commitment, party=payload.party,
                                       signed_by=payload.signed_by, signed_on=payload.signed_on)


@router.get(INNO + "/monitoring", response=MonitoringOut, summary="Milestones of the approved plan with their progress")
def monitoring_detail(request, code: str, innovation_id: Id):
    innovation = _innovation(request, code, innovation_id)
    data = monitoring.innovation_monitoring(innovation=innovation)
    return {
        "plan_version": data["plan"].version if data["plan"] else None, **{k: data[k] for k in ("done", "total", "overdue", "share")},
        "milestones": [{"id": m.pk, "activity": m.activity, "starts_on": m.starts_on, "ends_on": m.ends_on,
                        "status": m.state or "not_started", "percent": m.pct or 0, "last_report_at": m.last_at, "overdue": m.overdue}
                       for m in data["milestones"]],
        "notes": data["notes"],
    }


@router.post(INNO + "/reports", response={201: ReportOut}, summary="Report progress on a milestone")
def progress_report(request, code: str, innovation_id: Id, payload: ReportIn):
    """By the innovation's unit and organisers while the stage allows monitoring. Evidence links only;
    files are uploaded on the page."""
    innovation = _innovation(request, code, innovation_id, "delivery.report_progress")
    event = None
    if payload.event_id is not None:
        from django.core.exceptions import ValidationError
        from django.http import Http404
        from django.utils.translation import gettext as _

        try:
            event = event_get(actor=request.user, pemda=innovation.pemda, pk=payload.event_id)
        except Http404:
            raise ValidationError({"event": [_("Choose a monitoring event of this program.")]}) from None
    return monitoring.report_progress(
        actor=request.user, innovation=innovation, milestone_id=payload.milestone_id, status=payload.status, percent=payload.percent,
        obstacles=payload.obstacles, note=payload.note, event=event, video_urls=payload.video_urls)


@router.post(INNO + "/coach-notes", response={201: CoachNoteOut}, summary="A coach's note with a traffic-light rating")
def coach_note(request, code: str, innovation_id: Id, payload: CoachNoteIn):
    innovation = _innovation(request, code, innovation_id, "delivery.add_coach_note")
    return monitoring.coach_note_add(actor=request.user, innovation=innovation, rating=payload.rating, text=payload.text)


@router.get(PROG + "/progress", response=DashboardOut, summary="Progress per unit: milestones done and overdue, commitments signed")
def progress_dashboard(request, code: str, id: Id):
    program = _program(request, code, id, "delivery.view_progress")
    data = monitoring.dashboard(program=program)
    return {"summary": data["summary"], "units": data["units"]}


@router.get(PROG + "/launches", response=list[LaunchOut], summary="The program's launchings")
@paginate(LimitOffset)
def launch_list(request, code: str, id: Id):
    program = _program(request, code, id, "delivery.view_launches")
    return launching.launch_list(program=program).prefetch_related("items")


@router.post(PROG + "/launches", response={201: LaunchOut}, summary="Record a launching")
def launch_create(request, code: str, id: Id, payload: LaunchIn):
    """The innovations move to stage penerapan with their decree (or the one given here) and, with
    `announce`, are published in the catalogue. Only innovations with an approved plan, once each."""
    program = _program(request, code, id, "delivery.record_launch")
    return launching.launch_record(actor=request.user, program=program, **payload.model_dump())
