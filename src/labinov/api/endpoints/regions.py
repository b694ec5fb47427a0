from ninja import Query, Router
from ninja.pagination import paginate

from labinov.regions import lookup

from ..numbers import IntRange
from ..pagination import MAX_LIMIT, LimitOffset
from ..schemas import RegionOut
from ..selectors import enabled_region_codes

router = Router(tags=["regions"])


@router.get("/regions", response=list[RegionOut], summary="Search the Kemendagri region list")
@paginate(LimitOffset)
def region_search(request, q: str = Query("", description='A code ("33.73", "3373") or part of a name'),
                  level: IntRange(1, 4) | None = Query(None, description="1 provinsi … 4 kelurahan/desa")):
    """At most 200 matches are returned; narrow the query for more."""
    q = q.strip()[:100]
    results = lookup.search(q, level=level, limit=MAX_LIMIT) if q else []
    enabled = enabled_region_codes(codes=[r.code for r in results]) if results else set()
    return [
        {"code": r.code, "name": r.name, "level": r.level, "level_name": str(lookup.LEVEL_NAMES[r.level]), "type": r.type,
         "path": r.path, "pemda_enabled": r.code in enabled}
        for r in results
    ]
