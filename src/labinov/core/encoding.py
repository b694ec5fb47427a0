"""Form bodies must be UTF-8 (issue 10.6).

Django decodes a form body that is not UTF-8 with replacement characters, so "Dinas\\xff" would be
saved as "Dinas\\ufffd\\ufffd" (and some views failed on it). This middleware answers such a request
400, in the user's language and inside the layout, before any view reads it: nothing is changed.
Multipart bodies (uploads) are left to Django's parser, which reads them as a stream.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

FORM = "application/x-www-form-urlencoded"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class Utf8FormBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and request.content_type == FORM and not _is_utf8(request.body):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        message = _("The form was not sent as UTF-8 text, so it could not be read. Nothing was changed; "
                    "reload the page and send it again.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        from .error_views import _render

        return _render(request, "core/400_encoding.html", 400, reason=message)
