"""Sending e-mail without turning a mail-server outage into an error page.

Mails are sent after the transaction commits; a failure is logged and the write stands (the
organiser can resend an invitation; a user can ask for a new password link).
"""

import logging

from django.core.mail import send_mail
from django.db import transaction

log = logging.getLogger("labinov.mail")


def send_later(subject: str, body: str, to: list[str]) -> None:
    def send():
        try:
            send_mail(subject, body, None, to, fail_silently=False)
        except Exception:  # the mail server's trouble must not undo the saved work
            log.exception("could not send %r to %s", subject, to)

    transaction.on_commit(send)


def send_now(subject: str, body: str, to: list[str]) -> bool:
    """Sends at once (for commands and tasks, outside a request's transaction); False when the mail
    server refused, which is logged."""
    try:
        send_mail(subject, body, None, to, fail_silently=False)
    except Exception:
        log.exception("could not send %r to %s", subject, to)
        return False
    return True
