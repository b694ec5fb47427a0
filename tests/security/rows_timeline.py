"""Permission-matrix rows of the program's plan overview, reminders and timeline (see
test_permission_matrix.py for the format).

Who sees a program's plans as a whole: the organiser and national admin, the coaches (the pemda's,
the national ones and those assigned in the program), the leader and the verifier; unit heads and
innovators see their own plan on the innovation's page. Reminders: the organiser and national admin.
The rows run in Design; the fixture's programs have no innovation, so the reminder post sends nothing
and comes back to the overview with a message.
"""

from .test_permission_matrix import ADMIN, NATIONAL, P

PLAN_OVERSEERS = NATIONAL | {"organiser", "coach", "leader", "verifier"}


def _program(w, t):
    own = t == "own"
    return {"pemda": (w.own if own else w.other).slug, "program": (w.program if own else w.other_program).pk}


ROWS: dict = {
    "plan_overview": ("get", _program, PLAN_OVERSEERS, P, "design"),
    "plan_reminders": ("post", _program, ADMIN, P, "design"),
    "plan_timeline": ("get", _program, PLAN_OVERSEERS, P, "design"),
}
