"""Permission-matrix rows of the action plan and its review loop (see test_permission_matrix.py for the format).

Each row's kwargs make the innovation (rows_profile.design_innovation) and a draft plan (version 1,
through plans.plan_start; for the diff also a version 2). POSTs carry no data: an allowed role gets
the plan page back with the service's message (e.g. "an empty plan cannot be sent for review"),
which the matrix counts as "ok"; the others 403 (or 404 outside their pemda).
"""

from .rows_profile import DESIGN, WRITERS, design_innovation, innovation_kwargs
from .test_permission_matrix import ADMIN, P, VIEW

# Reviewers: the organiser, the pemda's coaches and the coaches assigned to the program (the national
# coach is assigned to Kelurahan Kalicacing in the own program only).
REVIEWERS = {"own": {"national_admin", "organiser", "coach", "national_coach"}, "other": {"national_admin", "organiser"}}
# Comments: reviewers, and the unit's people (plain comments).
COMMENTERS = {"own": REVIEWERS["own"] | {"unit_head", "innovator"}, "other": REVIEWERS["other"]}


def _plan(w, t, versions: int = 1):
    from labinov.innovations import plans
    from labinov.innovations.models import ActionPlan

    innovation = design_innovation(w, t)
    if not innovation.plans.exists():
        plans.plan_start(actor=w.users["organiser" if t == "own" else "other_organiser"], innovation=innovation)
    for v in range(2, versions + 1):
        ActionPlan.objects.get_or_create(innovation=innovation, version=v, defaults={"objective": "Versi berikutnya"})
    return {**innovation_kwargs(w, t), "version": 1}


def _diff(w, t):
    return {**_plan(w, t, versions=2), "other": 2}


ROWS: dict = {
    "plan_start": ("post", innovation_kwargs, WRITERS, P, DESIGN),
    "plan_edit": ("get", _plan, WRITERS, P, DESIGN),
    "plan_detail": ("get", _plan, VIEW, P, DESIGN),
    "plan_submit": ("post", _plan, WRITERS, P, DESIGN),
    "plan_comment": ("post", _plan, COMMENTERS, P, DESIGN),
    "plan_coach_approve": ("post", _plan, REVIEWERS, P, DESIGN),
    "plan_unit_approve": ("post", _plan, {"unit_head"}, P, DESIGN),
    "plan_new_version": ("post", innovation_kwargs, WRITERS, P, DESIGN),
    "plan_allow_outside": ("post", _plan, ADMIN, P, DESIGN),
    "plan_diff": ("get", _diff, VIEW, P, DESIGN),
}
