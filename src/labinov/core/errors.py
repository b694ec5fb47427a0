"""Errors a service raises. Views and the API turn them into messages; nothing is saved."""

from django.core.exceptions import ValidationError  # noqa: F401  (re-exported for services)


class DuplicateSubmission(Exception):
    """The same form was posted twice; the first post already did the work."""


def raise_with_model_errors(obj, errors: dict, **full_clean_kwargs) -> None:
    """Adds the model's own field validation to `errors` (ours first) and raises if anything is wrong.

    Services collect their business-rule errors by field, then call this, so the user sees every
    problem of the form at once and nothing is saved.
    """
    try:
        obj.full_clean(validate_constraints=False, **full_clean_kwargs)
    except ValidationError as e:
        for field, msgs in e.message_dict.items():
            errors.setdefault(field, msgs)
    if errors:
        raise ValidationError(errors)
