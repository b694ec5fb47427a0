from django.tasks import task


@task
def build_commitments(batch_id: int) -> None:
    from .documents import batch_run

    batch_run(batch_id)


@task
def check_overdue() -> dict:
    """The daily check: flags overdue milestones and sends the e-mail digests (once a day)."""
    from .monitoring import overdue_check

    return overdue_check()
