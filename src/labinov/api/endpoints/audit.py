from django.core.exceptions import ValidationError
from ninja import Query, Router
from ninja.pagination import paginate

from labinov.core.audit_forms import AuditFilterForm
from labinov.core.selectors import audit_presented
from labinov.core.views_helpers import tenant

from ..pagination import LimitOffset
from ..schemas_audit import AuditOut

router = Router(tags=["audit"])


@router.get("/pemda/{code}/audit", response=list[AuditOut],
            summary="The audit trail of the pemda (newest first)",
            description="Records about objects the caller may not see (e.g. a unit's draft idea) keep who, when and "
                        "which action, with `hidden` true and without the object's name and changes.")
@paginate(LimitOffset)
def audit_list_view(
    request, code: str,
    action: str = Query("", description='Actions starting with this, e.g. "unit." or "program.advance"'),
    actor: str = Query("", description="Only the records of this user (id)"),
    object_type: str = Query("", description='Only records about this type of object, e.g. "ideas.idea"'),
    object_id: str = Query("", description="Only records about the object with this id (with object_type)"),
    date_from: str = Query("", description="From this day (YYYY-MM-DD or DD/MM/YYYY), included"),
    date_to: str = Query("", description="Until this day (YYYY-MM-DD or DD/MM/YYYY), included"),
):
    pemda = tenant(request, code, "core.view_audit")
    form = AuditFilterForm({"action": action, "actor": actor, "object_type": object_type, "object_id": object_id,
                            "date_from": date_from, "date_to": date_to})
    if not form.is_valid():
        raise ValidationError({name: errors for name, errors in form.errors.as_data().items()})
    return audit_presented(actor=request.user, pemda=pemda, **form.filters())
