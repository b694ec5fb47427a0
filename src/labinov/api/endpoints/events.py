from ninja import Query, Router
from ninja.pagination import paginate

from labinov.core.views_helpers import require, tenant
from labinov.programs import selectors, services

from ..numbers import Id
from ..pagination import LimitOffset
from ..refs import people_ref, program_ref, unit_ref
from ..schemas import AttendanceIn, AttendanceResultOut, EventDetailOut, EventIn, EventOut

router = Router(tags=["events"])


@router.get("/pemda/{code}/events", response=list[EventOut], summary="Events (workshops and trainings) of the pemda")
@paginate(LimitOffset)
def event_list(request, code: str, program: Id | None = Query(None, description="Only events of this program"),
               kind: str = Query("", description="stage or training")):
    pemda = tenant(request, code, "programs.view_event")
    program_obj = selectors.program_get(actor=request.user, pemda=pemda, pk=program) if program is not None else None
    return selectors.event_list(actor=request.user, pemda=pemda, program=program_obj,
                                kind=kind if kind in ("stage", "training") else "")


@router.post("/pemda/{code}/events", response={201: EventDetailOut}, summary="Schedule an event")
def event_create(request, code: str, payload: EventIn):
    pemda = tenant(request, code, "programs.view_event")
    # Only those who may schedule here get past this point, whatever the body says (a training needs
    # just this; an event of a program also needs a stage that allows it, below).
    require(request.user, "programs.schedule_training", pemda)
    fields = payload.model_dump(exclude={"program_id", "organiser_unit_id"})
    fields["program"] = program_ref(actor=request.user, pemda=pemda, program_id=payload.program_id, field="program_id")
    fields["organiser_unit"] = unit_ref(actor=request.user, pemda=pemda, unit_id=payload.organiser_unit_id,
                                        field="organiser_unit_id")
    if fields["program"] is not None:  # as on the page: the program's stage must allow it
        require(request.user, "programs.schedule_event", fields["program"])
    event = services.event_create(actor=request.user, pemda=pemda, **fields)
    event.api_attendance = []
    return event


@router.get("/pemda/{code}/events/{id}", response=EventDetailOut, summary="One event with its attendance")
def event_detail(request, code: str, id: Id):
    pemda = tenant(request, code, "programs.view_event")
    event = selectors.event_get(actor=request.user, pemda=pemda, pk=id)
    event.api_attendance = list(selectors.event_attendance(event=event))
    return event


@router.post("/pemda/{code}/events/{id}/attendance", response=AttendanceResultOut, summary="Record attendance")
def event_attendance(request, code: str, id: Id, payload: AttendanceIn):
    """Adds or updates one row per person listed (people of the participating units, or of the pemda
    for a training); people not listed are left as they are; a person listed twice counts once (the last
    entry). Sending the same list again changes nothing."""
    pemda = tenant(request, code)
    event = selectors.event_get(actor=request.user, pemda=pemda, pk=id)
    require(request.user, "programs.record_attendance", event)
    # One entry per person: a person listed twice counts once, the last entry wins (the service
    # would otherwise try to insert two rows for them).
    latest = {e.person_id: e for e in payload.entries}
    people = people_ref(pemda=pemda, event=event, person_ids=list(latest), field="entries")
    entries = [{"person": people[pid], "present": e.present, "mode": e.mode} for pid, e in latest.items()]
    return services.attendance_record(actor=request.user, event=event, entries=entries,
                                      online_viewers=payload.online_viewers)
