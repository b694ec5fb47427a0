"""Session lifetime and caching rules that apply to every response (settings.MIDDLEWARE)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

LOGIN_AT = "labinov_login_at"
SEEN_AT = "labinov_seen_at"
#: the last-seen time is written at most this often, so a page view is not always a session write
SEEN_RESOLUTION = 60


@receiver(user_logged_in, dispatch_uid="labinov_session_login_time")
def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Logs a browser session out after settings.LABINOV_SESSION_IDLE_MINUTES without a request, and
    settings.LABINOV_SESSION_MAX_HOURS after logging in, whatever happened in between.

    The times live in the session (the database), so every server process applies the same limits.
    After the logout the request goes on as anonymous: a page that needs an account sends the person
    to the log-in page, where a message says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session, now = request.session, int(time.time())
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        idle = settings.LABINOV_SESSION_IDLE_MINUTES * 60
        most = settings.LABINOV_SESSION_MAX_HOURS * 3600
        if login_at is not None and most and now - login_at > most:
            logout(request)
            messages.info(request, _("Your session ended %(hours)d hours after you logged in. Please log in again.")
                          % {"hours": settings.LABINOV_SESSION_MAX_HOURS})
        elif seen_at is not None and idle and now - seen_at > idle:
            logout(request)
            messages.info(request, _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                          % {"minutes": settings.LABINOV_SESSION_IDLE_MINUTES})
        else:
            if login_at is None:
                session[LOGIN_AT] = now
            if seen_at is None or now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = now


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to someone logged in (pages with names, NIP and
    phone numbers; API answers to a token) and on every download, so neither a shared computer's
    browser cache nor a proxy keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        download = "attachment" in response.get("Content-Disposition", "")
        if logged_in or download:
            add_never_cache_headers(response)
        return response
