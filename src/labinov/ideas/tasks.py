"""Background tasks of the idea import (Django's built-in `django.tasks`; the DB backend in production).

Both take only JSON-ready arguments. Each claims its import by a conditional status update, so a
task run twice does nothing the second time. The work itself is in transfer.py.
"""

from django.tasks import task


@task
def parse_idea_import(import_id: int, language: str | None = None) -> str:
    """Reads and checks an uploaded file: the import ends in preview, invalid or failed."""
    from .transfer import parse_import

    return parse_import(import_id, language=language)


@task
def commit_idea_import(import_id: int, actor_id: int | None = None, language: str | None = None) -> dict:
    """Saves a previewed import's new ideas, all or nothing."""
    from .transfer import commit_import

    return commit_import(import_id, actor_id=actor_id, language=language)
