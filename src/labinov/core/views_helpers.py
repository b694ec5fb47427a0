"""What every pemda page does first: find the pemda (404 if the actor can't see it), check a permission."""

from django.core.exceptions import PermissionDenied


def require(actor, perm: str, obj=None) -> None:
    """403 when the actor can see the object but may not do this with it."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def tenant(request, slug: str, perm: str | None = None):
    """The pemda of the URL, visible to the actor (else 404), optionally checked against `perm` (else 403)."""
    from labinov.regions.selectors import pemda_get

    pemda = pemda_get(actor=request.user, slug=slug)
    request.labinov_pemda = pemda
    if perm:
        require(request.user, perm, pemda)
    return pemda


def program_page(request, slug: str, pk, perm: str | None = None):
    """(pemda, program) of a page under /pemda/<slug>/programs/<pk>/: the program must be the pemda's
    and visible to the actor (else 404), and allow `perm` if given (else 403)."""
    from labinov.programs.selectors import program_get

    pemda = tenant(request, slug)
    program = program_get(actor=request.user, pemda=pemda, pk=pk)
    if perm:
        require(request.user, perm, program)
    return pemda, program
