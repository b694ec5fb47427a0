from ninja import Query, Router
from ninja.pagination import paginate

from labinov.core.views_helpers import require, tenant
from labinov.programs import selectors, services

from ..numbers import Count, Id
from ..pagination import LimitOffset
from ..refs import units_ref
from ..schemas import AdvanceIn, ProgramDetailOut, ProgramIn, ProgramOut

router = Router(tags=["programs"])


def _detail(program):
    """The program with what ProgramDetailOut shows besides its own fields."""
    program.api_unit_ids = [p.unit_id for p in selectors.program_participations(program=program)]
    program.api_transitions = list(selectors.program_transitions(program=program))
    return program


@router.get("/pemda/{code}/programs", response=list[ProgramOut], summary="Programs (Labinov cycles) of the pemda")
@paginate(LimitOffset)
def program_list(request, code: str, year: Count | None = None,
                 stage: str = Query("", description="Only programs in this stage")):
    pemda = tenant(request, code, "programs.view_program")
    return selectors.program_list(actor=request.user, pemda=pemda, year=year, stage=stage)


@router.post("/pemda/{code}/programs", response={201: ProgramDetailOut}, summary="Create a program")
def program_create(request, code: str, payload: ProgramIn):
    pemda = tenant(request, code, "programs.add_program")
    fields = payload.model_dump(exclude={"unit_ids"})
    units = units_ref(pemda=pemda, unit_ids=payload.unit_ids, field="unit_ids")
    program = services.program_create(actor=request.user, pemda=pemda, units=units, **fields)
    return _detail(program)


@router.get("/pemda/{code}/programs/{id}", response=ProgramDetailOut,
            summary="One program with its stage history and participating units")
def program_detail(request, code: str, id: Id):
    pemda = tenant(request, code, "programs.view_program")
    program = selectors.program_get(actor=request.user, pemda=pemda, pk=id)
    return _detail(program)


@router.post("/pemda/{code}/programs/{id}/advance", response=ProgramDetailOut,
             summary="Move the program to its next stage")
def program_advance(request, code: str, id: Id, payload: AdvanceIn):
    """Stages follow each other in order; asking for any other stage is a 422 and changes nothing."""
    pemda = tenant(request, code)
    program = selectors.program_get(actor=request.user, pemda=pemda, pk=id)
    require(request.user, "programs.advance_stage", program)
    program = services.program_advance(actor=request.user, program=program, to_stage=payload.to_stage, note=payload.note,
                                       confirmed=payload.confirm)
    return _detail(program)
