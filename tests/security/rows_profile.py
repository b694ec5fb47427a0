"""Permission-matrix rows of the innovation and its profile (see test_permission_matrix.py for the format).

The matrix world (`ideas_world`) has no innovation: `design_innovation` makes one per pemda, of
Kelurahan Kalicacing (the unit of the unit head and the innovator) in the own pemda and of the other
pemda's unit there, with the program's screening published (before that a unit does not see the
innovations, which would reveal the decisions: a 404 the matrix cannot express for some pemda roles
only; tests/innovations/test_views.py covers it). Every row puts both programs in Design.
"""

from .test_permission_matrix import P, VIEW

# Who writes the profile and the plan: the organiser (and the national admin) and the unit's people.
WRITERS = {"national_admin", "organiser", "unit_head", "innovator"}
DESIGN = "design"


def design_innovation(w, t, *, decree: bool = False):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from labinov.ideas.models import Screening
    from labinov.innovations.models import Innovation, InnovationProfile

    key = f"_design_innovation_{t}"
    innovation = getattr(w, key, None)
    if innovation is None:
        own = t == "own"
        program = w.program if own else w.other_program
        Screening.objects.update_or_create(program=program, defaults={"published_at": timezone.now()})
        innovation = Innovation.objects.create(pemda=w.own if own else w.other, program=program, unit=w.kel if own else w.other_unit,
                                               name="Surat pengantar online" if own else "Antrean puskesmas daring")
        setattr(w, key, innovation)
    if decree:
        profile, _created = InnovationProfile.objects.get_or_create(innovation=innovation)
        if not profile.decree_file:
            profile.decree_file.save(f"{innovation.pk}-decree.pdf", ContentFile(b"%PDF-1.4\n%test\n" + b"0" * 64), save=True)
    return innovation


def innovation_kwargs(w, t, **options):
    innovation = design_innovation(w, t, **options)
    return {"pemda": (w.own if t == "own" else w.other).slug, "innovation": innovation.pk}


ROWS: dict = {
    "innovation_detail": ("get", innovation_kwargs, VIEW, P, DESIGN),
    "profile_edit": ("get", innovation_kwargs, WRITERS, P, DESIGN),
    "profile_decree": ("get", lambda w, t: innovation_kwargs(w, t, decree=True), VIEW, P, DESIGN),
}
