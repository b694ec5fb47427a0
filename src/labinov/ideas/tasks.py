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
    from .models import IdeaImport
    from .transfer import commit_import
    from .vectors import refresh_program

    result = commit_import(import_id, actor_id=actor_id, language=language)
    # The new ideas' sentence vectors, in the same worker run (5,000 ideas take minutes; the
    # consolidation page shows how many are still pending and compares those by TF-IDF meanwhile).
    program_id = IdeaImport.objects.filter(pk=import_id).values_list("program_id", flat=True).first()
    if program_id:
        refresh_program(program_id)
    return result


@task
def refresh_idea_vectors(program_id: int) -> int:
    """Computes the sentence vectors of the program's ideas that have none or an outdated one, then
    (large programs) rebuilds the similar-ideas panel's stored index."""
    from .vectors import refresh_program

    return refresh_program(program_id)


@task
def scan_duplicates(scan_id: int) -> str:
    """Groups a large program's ideas into proposed duplicates, reporting progress on the scan."""
    from .consolidation import scan_run

    return scan_run(scan_id)
