"""Errors a service raises. Views and the API turn them into messages; nothing is saved."""

from django.core.exceptions import ValidationError  # noqa: F401  (re-exported for services)


class DuplicateSubmission(Exception):
    """The same form was posted twice; the first post already did the work."""
