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
