"""The REST API (OpenAPI 3 at /api/v1/openapi.json, docs at /api/v1/docs).

Thin by rule: parse the input, find the pemda of the URL (404 if the caller can't see it), check
the same permission as the page (403), then call one selector or one service. Errors are JSON
(see errors.py); service validation errors are 422 in the language of the request.

Authentication: `Authorization: Bearer <token>` (tokens from `labinov api_token EMAIL NAME`) or
the browser session (writes then need the CSRF token, as on the pages).
"""

from ninja import NinjaAPI
from ninja.security import SessionAuth

from . import errors
from .auth import BearerTokenAuth
from .endpoints import account, audit, delivery, events, ideas, pemda, people, plans, programs, regions, units

class LabinovAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        # Every operation can answer 401, 403, 404 and 422 (and 400 to a bad body): errors.py.
        return errors.declare_error_responses(super().get_openapi_schema(*args, **kwargs))


api = LabinovAPI(
    title="Labinov API",
    version="1",
    description="Laboratorium Inovasi: pemda, units, people, programs and events. Same permissions as the pages.\n\n"
    "Authenticate with `Authorization: Bearer <token>` (create one with `labinov api_token EMAIL NAME`) "
    "or with a signed-in session (writes then need the `X-CSRFToken` header). Lists take `limit` (1–200) and "
    "`offset` and return `{\"count\": …, \"items\": […]}`. Errors: 400 (a body that is not a JSON object), 401, 403, "
    "404 `{\"detail\": \"…\"}`; "
    "422 `{\"detail\": [{\"field\": …, \"message\": …}]}` in the language of `Accept-Language` (Indonesian by default).",
    # The token first: a request carrying a token is judged by it, and needs no CSRF token.
    auth=[BearerTokenAuth(), SessionAuth()],
    urls_namespace="api",
    parser=errors.JsonObjectParser(),
)

errors.install(api)

for module in (account, regions, pemda, units, people, programs, events, audit, ideas, plans, delivery):
    api.add_router("", module.router)
