"""What every pemda page does first: find the pemda (404 if the actor can't see it), check a permission."""

from django.core.exceptions import PermissionDenied


def require(actor, perm: str, obj=None) -> None:
    """403 when the actor can see the object but may not do this with it; the error page says why."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(denial_reason(actor, perm, obj))


def denial_reason(actor, perm: str, obj=None) -> str:
    """Why `perm` is refused, in the user's language: the program's stage, or the role.

    A stale link (a page left open while the program moved on) is refused by the stage, not by
    the role: that is the case when the same actor would be allowed in another stage.
    """
    from django.utils.translation import gettext as _

    from labinov.core.rules import program_of
    from labinov.core.stages import ORDER, get_stage

    program = program_of(obj) if obj is not None and hasattr(obj, "_meta") else None
    stage = getattr(program, "stage", None)
    if stage in ORDER:
        allowed_in = []
        try:
            for other in ORDER:
                if other == stage:
                    continue
                program.stage = other
                try:
                    allowed = actor.has_perm(perm, obj)
                except Exception:  # noqa: BLE001 - explaining a refusal must not turn it into a 500
                    allowed = False
                if allowed:
                    allowed_in.append(get_stage(other).label)
        finally:
            program.stage = stage
        if allowed_in:
            return _("The program %(program)s is now in the %(stage)s stage, which no longer (or not yet) allows this. "
                     "It is possible in: %(stages)s.") % {
                "program": program.name, "stage": get_stage(stage).label, "stages": ", ".join(str(s) for s in allowed_in)}
    return _("Your role does not allow this action here.")


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
