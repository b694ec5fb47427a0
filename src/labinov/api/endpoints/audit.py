from ninja import Query, Router
from ninja.pagination import paginate

from labinov.core.selectors import audit_list
from labinov.core.views_helpers import tenant

from ..pagination import LimitOffset
from ..schemas import AuditOut

router = Router(tags=["audit"])


@router.get("/pemda/{code}/audit", response=list[AuditOut], summary="The audit trail of the pemda (newest first)")
@paginate(LimitOffset)
def audit_list_view(request, code: str, action: str = Query("", description='Actions starting with this, e.g. "unit."')):
    pemda = tenant(request, code, "core.view_audit")
    return audit_list(actor=request.user, pemda=pemda, action=action[:64])
