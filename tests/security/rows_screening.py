"""Permission-matrix rows of rows_screening (see test_permission_matrix.py for the format).

Both programs are put in Design, where scoring and decisions happen. Per ideas/rules.py:
- review (ideas.review_idea): the organiser, the national admin, the pemda's coaches and verifiers, and
  coaches assigned to a unit of the program (the national coach, in the own pemda's program only);
- viewing the ranked list, the rubric and the consolidation view (ideas.view_reviews): the reviewers,
  plus the leader and every national coach;
- decisions, merges and their undo (ideas.decide): the organiser and the national admin.
"""

from .test_permission_matrix import ADMIN, P

REVIEW = {
    "own": {"national_admin", "national_coach", "organiser", "coach", "verifier"},
    "other": {"national_admin", "organiser"},
}
VIEW_REVIEWS = {"national_admin", "national_coach", "organiser", "coach", "verifier", "leader"}
DESIGN = "design"


def _program(w, t):
    return {"pemda": (w.own if t == "own" else w.other).slug, "program": (w.program if t == "own" else w.other_program).pk}


def _idea(w, t):
    return {**_program(w, t), "idea": (w.idea if t == "own" else w.other_idea).pk}


def _consolidation(w, t):
    # The fixture has no merge: record one (without an innovation) for each program, once.
    from labinov.ideas.models import Consolidation

    program = w.program if t == "own" else w.other_program
    idea = w.idea if t == "own" else w.other_idea
    merge, _created = Consolidation.objects.get_or_create(program=program, title="Matriks", defaults={"idea_ids": [idea.pk]})
    return {**_program(w, t), "consolidation": merge.pk}


ROWS: dict = {
    "screening_list": ("get", _program, VIEW_REVIEWS, P, DESIGN),
    "rubric_edit": ("get", _program, VIEW_REVIEWS, P, DESIGN),
    "decisions_publish": ("post", _program, ADMIN, P, DESIGN),
    "idea_review": ("get", _idea, REVIEW, P, DESIGN),
    "idea_decide": ("post", _idea, ADMIN, P, DESIGN),
    "consolidation": ("get", _program, VIEW_REVIEWS, P, DESIGN),
    "consolidation_undo": ("post", _consolidation, ADMIN, P, DESIGN),
    "consolidation_scan_status": ("get", _program, VIEW_REVIEWS, P, DESIGN),
}
