"""API permission-matrix rows of Deliver (see test_api_permission_matrix.py): the same people as the
pages (rows_delivery.py), with the things of rows_delivery._things in each pemda and both programs in
"Deliver: launching". Bodies are valid, so allowed roles get 2xx.

A signature body names one party: with `unit_head`, the organiser, the national admin and the head
of the unit may record it (the leader and the LAN coach sign other parties: 403).
"""

from .rows_delivery import NOTE_TAKERS, ONE_COMMITMENT, REPORTERS, STAGE, _things
from .rows_timeline import PLAN_OVERSEERS
from .test_permission_matrix import ADMIN, VIEW

PROG = "/api/v1/pemda/{code}/programs/{id}"
INNO = "/api/v1/pemda/{code}/innovations/{innovation_id}"
SIGN_AS_UNIT_HEAD = {"own": ADMIN | {"unit_head"}, "other": ADMIN}


def _prog(w, t):
    return {"id": _things(w, t)["program"].pk}


def _commitment(w, t):
    return {**_prog(w, t), "commitment_id": _things(w, t)["commitment"].pk}


def _inno(w, t):
    return {"innovation_id": _things(w, t)["innovation"].pk}


def _report(w, t):
    milestone = _things(w, t)["innovation"].plans.get().milestones.first()
    return {"milestone_id": milestone.pk, "status": "in_progress", "percent": 20, "note": "Sosialisasi",
            "video_urls": ["https://www.youtube.com/watch?v=abc"]}


def _launch(w, t):
    return {"held_on": "2019-11-14", "place": "Salatiga", "launched_by": "Walikota", "innovation_ids": [_things(w, t)["innovation"].pk],
            "decree_type": "sk_kdh", "decree_number": "050/357/2019"}


API_ROWS: dict = {
    ("GET", PROG + "/commitments"): (_prog, None, PLAN_OVERSEERS, "pemda", STAGE),
    ("POST", PROG + "/commitments/prepare"): (_prog, None, ADMIN, "pemda", STAGE),
    ("GET", PROG + "/commitments/{commitment_id}"): (_commitment, None, ONE_COMMITMENT, "pemda", STAGE),
    ("POST", PROG + "/commitments/{commitment_id}/signatures"): (
        _commitment, lambda w, t: {"party": "unit_head", "signed_by": "Sri Lestari", "signed_on": "2019-11-14"},
        SIGN_AS_UNIT_HEAD, "pemda", STAGE),
    ("GET", PROG + "/progress"): (_prog, None, PLAN_OVERSEERS, "pemda", STAGE),
    ("GET", PROG + "/launches"): (_prog, None, VIEW, "pemda", STAGE),
    ("POST", PROG + "/launches"): (_prog, _launch, ADMIN, "pemda", STAGE),
    ("GET", INNO + "/monitoring"): (_inno, None, VIEW, "pemda", STAGE),
    ("POST", INNO + "/reports"): (_inno, _report, REPORTERS, "pemda", STAGE),
    ("POST", INNO + "/coach-notes"): (_inno, lambda w, t: {"rating": "green", "text": "Sesuai rencana"}, NOTE_TAKERS, "pemda", STAGE),
}
