"""The error pages (400, 403, 404, 500 and the CSRF failure): in the user's language, inside the
site's layout, saying why and where to go next.

Django calls these through `handler400` … `handler500` in urls.py and `CSRF_FAILURE_VIEW` in the
settings. The 500 page renders without the request's context processors: whatever broke (the
database, a context processor) must not break the error page too.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

log = logging.getLogger("labinov.errors")


def _exception_message(exception) -> str:
    """The message a view gave a PermissionDenied (a translated string), or "" for a bare one."""
    args = getattr(exception, "args", ())
    if len(args) == 1 and not isinstance(args[0], (dict, list, tuple)):
        return str(args[0])
    return ""


def way_back(request) -> list[dict]:
    """Links out of the error: the program of the URL, its pemda, then the home page.

    Only pages the user may open are offered; the pemda comes from `tenant()` (already checked)
    and the program is re-read through its selector and permission.
    """
    links = []
    pemda = getattr(request, "labinov_pemda", None)
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if pemda is not None and user is not None and user.is_authenticated:
        program_pk = None
        if match is not None:
            program_pk = match.kwargs.get("program")
            if program_pk is None and match.url_name and match.url_name.startswith("program_"):
                program_pk = match.kwargs.get("pk")
        if program_pk is not None:
            try:
                from labinov.programs.selectors import program_get

                program = program_get(actor=user, pemda=pemda, pk=program_pk)
                if user.has_perm("programs.view_program", program):
                    links.append({"url": reverse("program_detail", args=[pemda.slug, program.pk]),
                                  "label": _("Back to the program %(name)s") % {"name": program.name}})
            except Exception:  # noqa: BLE001 - an error page offers what it can
                pass
        try:
            links.append({"url": reverse("pemda_detail", args=[pemda.slug]),
                          "label": _("Back to %(pemda)s") % {"pemda": pemda.name}})
        except NoReverseMatch:  # pragma: no cover
            pass
    links.append({"url": reverse("home"), "label": _("Go to the home page")})
    return links


def _render(request, template: str, status: int, **context):
    context.setdefault("links", way_back(request))
    return render(request, template, context, status=status)


def bad_request(request, exception=None):
    # Django's own 400 messages are technical English (SuspiciousOperation): not shown.
    return _render(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _render(request, "403.html", 403, reason=_exception_message(exception))


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404, path=request.path)


def csrf_failure(request, reason: str = ""):
    """The form was sent from a page that had expired (or the cookie was refused)."""
    back = request.META.get("HTTP_REFERER", "")
    from django.utils.http import url_has_allowed_host_and_scheme

    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return _render(request, "403_csrf.html", 403, back=back, no_cookie=reason == "CSRF cookie not set.")


def server_error(request):
    """Rendered without the request: no context processor, no database, no session."""
    try:
        html = loader.get_template("500.html").render({"links": [{"url": "/", "label": _("Go to the home page")}]})
    except Exception:  # noqa: BLE001 - the last resort must not fail
        log.exception("the 500 page could not be rendered")
        html = "<!doctype html><title>500</title><h1>500</h1>"
    return HttpResponseServerError(html)
