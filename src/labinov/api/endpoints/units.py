from ninja import Query, Router
from ninja.pagination import paginate

from labinov.core.views_helpers import tenant
from labinov.regions import selectors, services

from ..numbers import Id
from ..pagination import LimitOffset
from ..refs import unit_ref
from ..schemas import UnitIn, UnitOut, UnitPatch

router = Router(tags=["units"])


@router.get("/pemda/{code}/units", response=list[UnitOut], summary="Units of the pemda")
@paginate(LimitOffset)
def unit_list(request, code: str, q: str = Query("", description="Part of the name or code"),
              kind: str = Query("", description="A unit type, e.g. kelurahan")):
    pemda = tenant(request, code, "regions.view_units")
    return selectors.unit_list(actor=request.user, pemda=pemda, q=q.strip()[:100], kind=kind)


@router.post("/pemda/{code}/units", response={201: UnitOut}, summary="Add a unit")
def unit_create(request, code: str, payload: UnitIn):
    pemda = tenant(request, code, "regions.manage_units")
    fields = payload.model_dump(exclude={"parent_id"})
    fields["parent"] = unit_ref(actor=request.user, pemda=pemda, unit_id=payload.parent_id, field="parent_id")
    return services.unit_create(actor=request.user, pemda=pemda, **fields)


@router.get("/pemda/{code}/units/{id}", response=UnitOut, summary="One unit")
def unit_detail(request, code: str, id: Id):
    pemda = tenant(request, code, "regions.view_units")
    return selectors.unit_get(actor=request.user, pemda=pemda, pk=id)


@router.patch("/pemda/{code}/units/{id}", response=UnitOut, summary="Change a unit (only the fields sent)")
def unit_update(request, code: str, id: Id, payload: UnitPatch):
    pemda = tenant(request, code, "regions.manage_units")
    unit = selectors.unit_get(actor=request.user, pemda=pemda, pk=id)
    fields = payload.model_dump(exclude_unset=True)
    if "parent_id" in fields:
        fields["parent"] = unit_ref(actor=request.user, pemda=pemda, unit_id=fields.pop("parent_id"), field="parent_id")
    return services.unit_update(actor=request.user, unit=unit, **fields)
