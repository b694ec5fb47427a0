from django.tasks import task


@task
def rebuild_catalogue_index() -> int:
    from .similarity import catalogue_index_rebuild

    return catalogue_index_rebuild()
