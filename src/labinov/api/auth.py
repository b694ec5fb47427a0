"""Who is calling: a personal access token (`Authorization: Bearer <token>`) or the browser session."""

from __future__ import annotations

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token made by `labinov api_token EMAIL NAME`.

    An unknown or revoked token is a 401 at once, even with a session cookie present: a client
    that sends a token means that token. The token's user becomes `request.user`, so permission
    checks (`request.user.has_perm`) and services see the same account as on the pages.
    Token requests need no CSRF token: a browser never sends this header on its own.
    """

    def authenticate(self, request, token: str):
        from .selectors import api_token_get_active
        from .services import api_token_touch, hash_token

        token = (token or "").strip()
        found = api_token_get_active(key_hash=hash_token(token)) if token else None
        if found is None:
            raise AuthenticationError()
        api_token_touch(token=found)
        request.user = found.user
        request.api_token = found
        return found.user
