from ninja import Router

from labinov.core.access import roles_of

from ..schemas import MeOut
from ..selectors import memberships_of

router = Router(tags=["account"])


@router.get("/me", response=MeOut, summary="The signed-in account and its roles")
def me(request):
    user = request.user
    memberships = [
        {
            "role": m.role,
            "role_label": str(m.get_role_display()),
            "pemda": {"code": m.pemda.region_code, "slug": m.pemda.slug, "name": m.pemda.name} if m.pemda_id else None,
            "unit_id": m.unit_id,
            "unit_name": m.unit.name if m.unit_id else None,
        }
        for m in memberships_of(user=user)
    ]
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "national_roles": sorted(roles_of(user).national),
        "memberships": memberships,
    }
