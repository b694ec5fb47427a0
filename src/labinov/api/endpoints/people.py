from ninja import Query, Router
from ninja.pagination import paginate

from labinov.core.views_helpers import tenant
from labinov.people import selectors, services

from ..numbers import Id
from ..pagination import LimitOffset
from ..refs import unit_ref
from ..schemas import PersonIn, PersonOut

router = Router(tags=["people"])


@router.get("/pemda/{code}/people", response=list[PersonOut], summary="People of the pemda")
@paginate(LimitOffset)
def person_list(request, code: str, q: str = Query("", description="Part of the name or jabatan, or the start of a NIP"),
                unit: Id | None = Query(None, description="Only people of this unit")):
    pemda = tenant(request, code, "people.view_people")
    return selectors.person_list(actor=request.user, pemda=pemda, q=q.strip()[:100], unit_id=unit)


@router.post("/pemda/{code}/people", response={201: PersonOut}, summary="Add a person")
def person_create(request, code: str, payload: PersonIn):
    pemda = tenant(request, code, "people.manage_people")
    fields = payload.model_dump(exclude={"unit_id"})
    fields["unit"] = unit_ref(actor=request.user, pemda=pemda, unit_id=payload.unit_id, field="unit_id")
    return services.person_create(actor=request.user, pemda=pemda, **fields)
