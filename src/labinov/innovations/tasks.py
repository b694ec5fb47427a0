from django.tasks import task


@task
def rebuild_catalogue_index() -> int:
    from .similarity import catalogue_index_rebuild

    return catalogue_index_rebuild()


@task
def build_booklet(job_id: int) -> None:
    from .exports import booklet_job_run

    booklet_job_run(job_id)
