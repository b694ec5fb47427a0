"""Once-only form posts: each rendered form carries a token; posting it twice changes nothing."""

import secrets

from django.db import IntegrityError, transaction

from .errors import DuplicateSubmission
from .models import SubmissionToken

FIELD = "submission_token"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def consume(token: str | None) -> None:
    """Claim the token inside the caller's transaction; raise DuplicateSubmission if already used.

    A missing token (API clients, tests posting by hand) is allowed: the database constraints
    still stop duplicates there.
    """
    if not token:
        return
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(token=token[:64])
    except IntegrityError:
        raise DuplicateSubmission from None
