"""The REST API (OpenAPI 3 at /api/v1/openapi.json, docs at /api/v1/docs)."""

from ninja import NinjaAPI
from ninja.security import SessionAuth

api = NinjaAPI(
    title="Labinov API",
    version="1",
    description="Laboratorium Inovasi: pemda, units, people, programs and events. Same permissions as the pages.",
    auth=[SessionAuth()],
    urls_namespace="api",
)


@api.get("/me", tags=["account"])
def me(request):
    u = request.auth
    return {"email": u.email, "full_name": u.full_name}
