"""API permission-matrix rows of the ideas endpoints (see test_api_permission_matrix.py).

The world is `ideas_world`: both programs in Diagnose unless a row names another stage; world.idea
(own) and world.other_idea (other pemda) are submitted ideas every role of their pemda may see.
"""

from .test_permission_matrix import ADMIN, VIEW

DESIGN = "design"
# add_idea / change_idea: administrators, and the people of the idea's unit (Kelurahan Kalicacing).
WRITERS = ADMIN | {"unit_head", "innovator"}
# review_idea: administrators, the pemda's coaches and verifiers, and the coaches assigned to the program
# (the LAN coach is assigned to the own program only).
REVIEWERS = {"own": ADMIN | {"coach", "verifier", "national_coach"}, "other": ADMIN}
# view_reviews: the reviewers, leaders and national coaches.
REVIEW_READERS = ADMIN | {"coach", "verifier", "leader", "national_coach"}
SCORES = {"renewal": 4, "benefit": 5, "no_burden": 3, "authority": 4, "replicable": 3, "feasible": 4, "rpjmd": 2}

P = "/api/v1/pemda/{code}/programs/{id}"


def _program(w, t):
    return (w.program if t == "own" else w.other_program).pk


def _prog(w, t):
    return {"id": _program(w, t)}


def _idea(w, t):
    return {"id": _program(w, t), "idea_id": (w.idea if t == "own" else w.other_idea).pk}


def _new_idea(w, t):
    return {"unit_id": (w.kel if t == "own" else w.other_unit).pk, "title": "Pengaduan warga lewat WhatsApp",
            "problem": "Aduan warga tidak tercatat", "proposed_change": "Nomor WhatsApp pengaduan kelurahan",
            "form": "pelayanan_publik", "urusan": ["kominfo"], "submit": True}


def _everything_decided(w, t):
    """Publishing needs every submitted idea decided: reject what is still open, then the program's URL."""
    from labinov.ideas.models import Idea

    program = w.program if t == "own" else w.other_program
    Idea.objects.filter(program=program, status="submitted").update(status="rejected", decision_reason="Belum layak")
    return _prog(w, t)


API_ROWS: dict = {
    ("GET", P + "/ideas"): (_prog, None, VIEW, "pemda"),
    ("POST", P + "/ideas"): (_prog, _new_idea, WRITERS, "pemda"),
    ("GET", P + "/ideas/similar"): (_prog, None, VIEW, "pemda"),
    ("GET", P + "/ideas/{idea_id}"): (_idea, None, VIEW, "pemda"),
    ("PATCH", P + "/ideas/{idea_id}"): (_idea, lambda w, t: {"title": "Surat pengantar daring"}, WRITERS, "pemda"),
    ("POST", P + "/ideas/{idea_id}/submit"): (_idea, None, WRITERS, "pemda"),
    ("GET", P + "/rubric"): (_prog, None, VIEW, "pemda"),
    ("PUT", P + "/rubric"): (_prog, lambda w, t: {"criteria": [
        {"key": "manfaat", "label": "Bermanfaat bagi masyarakat", "weight": 60},
        {"key": "rpjmd", "label": "Selaras dengan RPJMD", "weight": 40},
    ]}, ADMIN, "pemda"),
    ("PUT", P + "/ideas/{idea_id}/review"): (_idea, lambda w, t: {"scores": SCORES, "comment": "Layak"},
                                             REVIEWERS, "pemda", DESIGN),
    ("GET", P + "/screening"): (_prog, None, REVIEW_READERS, "pemda", DESIGN),
    ("POST", P + "/decisions"): (_prog, lambda w, t: {"action": "select", "idea_ids": [_idea(w, t)["idea_id"]]},
                                 ADMIN, "pemda", DESIGN),
    ("POST", P + "/decisions/publish"): (_everything_decided, None, ADMIN, "pemda", DESIGN),
    ("GET", P + "/funnel"): (_prog, None, VIEW, "pemda"),
    ("GET", P + "/innovations"): (_prog, None, VIEW, "pemda"),
}
