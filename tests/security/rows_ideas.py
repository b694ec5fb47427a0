"""Permission-matrix rows of the idea pages (see test_permission_matrix.py for the format).

The matrix runs on the `ideas_world` fixture: both programs in Diagnose, world.idea a submitted
idea of Kelurahan Kalicacing (the unit of the unit head and the innovator), world.other_idea a
submitted idea of the other pemda. Every pemda role sees world.idea (its unit's people, and the
organiser, coach, verifier and leader who see every submitted idea), so its detail page is VIEW;
the 404 a unit member gets for another unit's idea before publication is tested in
tests/ideas/test_idea_views.py (the matrix's expectations cannot say "404 for some pemda roles").
"""

from .test_permission_matrix import P, VIEW

# Who writes ideas: the organiser (for any participating unit), the national admin, and the unit's people.
WRITERS = {"national_admin", "organiser", "unit_head", "innovator"}


def _program(w, t):
    own = t == "own"
    return {"pemda": (w.own if own else w.other).slug, "program": (w.program if own else w.other_program).pk}


def _idea(w, t):
    return {**_program(w, t), "idea": (w.idea if t == "own" else w.other_idea).pk}


def _unit(w, t):
    return {**_program(w, t), "unit": (w.kel if t == "own" else w.other_unit).pk}


ROWS: dict = {
    "idea_list": ("get", _program, VIEW, P),
    "idea_create": ("get", _program, WRITERS, P, "diagnose"),
    "idea_similar": ("get", _program, VIEW, P),
    "idea_detail": ("get", _idea, VIEW, P),
    "idea_edit": ("get", _idea, WRITERS, P, "diagnose"),
    # world.idea is already submitted: the writers get the page back with a message, the others 403.
    "idea_submit": ("post", _idea, WRITERS, P, "diagnose"),
    "idea_unit_sheet": ("get", _unit, VIEW, P),
    "funnel": ("get", _program, VIEW, P),
}
