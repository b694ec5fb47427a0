from ninja import Router
from ninja.pagination import paginate

from labinov.core.views_helpers import tenant
from labinov.regions import selectors

from ..pagination import LimitOffset
from ..schemas import PemdaDetailOut, PemdaOut

router = Router(tags=["pemda"])


@router.get("/pemda", response=list[PemdaOut], summary="The pemda you can see")
@paginate(LimitOffset)
def pemda_list(request):
    return selectors.pemda_list(actor=request.user)


@router.get("/pemda/{code}", response=PemdaDetailOut, summary="One pemda (code 3373 or 33.73)")
def pemda_detail(request, code: str):
    return tenant(request, code, "regions.view_pemda")
