"""API permission-matrix rows of the Design endpoints: innovation profiles and action plans
(see test_api_permission_matrix.py).

The world is `ideas_world` with both programs in Design. Each row's params function creates what
the operation needs in the pemda of the tenant (an innovation of Kelurahan Kalicacing in the own
pemda, of Dinas Kesehatan in the other, and the plan version in the state the operation expects)
and publishes the screening decisions, so that every role of the pemda sees the innovation.
"""

import datetime

from .test_permission_matrix import ADMIN, VIEW

DESIGN = "design"
# change_profile, write_plan, edit_plan, revise_plan: administrators and the people of the innovation's unit.
WRITERS = ADMIN | {"unit_head", "innovator"}
# review_plan: administrators, the pemda's coaches and the coaches assigned to the program
# (the LAN coach is assigned to the own program only); not verifiers.
REVIEWERS = {"own": ADMIN | {"coach", "national_coach"}, "other": ADMIN}
# A plain comment: whoever may edit or review the version.
COMMENTERS = {"own": WRITERS | {"coach", "national_coach"}, "other": ADMIN}
# approve_plan_as_unit: the head of the innovation's unit only (no organiser; none in the other pemda).
UNIT_HEADS = {"unit_head"}

P = "/api/v1/pemda/{code}/innovations/{innovation_id}"

CONTENT = {
    "objective": "Surat pengantar selesai dalam satu hari",
    "indicators": [{"name": "Waktu layanan", "unit_of_measure": "hari", "baseline": "3", "target": "1"}],
    "milestones": [{"activity": "Sosialisasi ke RT", "starts_on": "2019-07-01", "ends_on": "2019-07-15",
                    "pic": "Lurah", "output": "Berita acara", "budget_source": "APBD", "quick_win": True}],
    "risks": [{"risk": "Warga belum terbiasa", "mitigation": "Pendampingan oleh RT"}],
    "stakeholders": [{"name": "Ketua RT/RW", "contribution": "Sosialisasi"}],
}


def _innovation_obj(w, t):
    from django.utils import timezone

    from labinov.ideas.models import Screening
    from labinov.innovations.models import Innovation

    cache = getattr(w, "_plan_innovations", None)
    if cache is None:
        cache = w._plan_innovations = {}
    if t not in cache:
        own = t == "own"
        program = w.program if own else w.other_program
        Screening.objects.update_or_create(program=program, defaults={"published_at": timezone.now()})
        cache[t] = Innovation.objects.create(
            pemda=w.own if own else w.other, program=program, unit=w.kel if own else w.other_unit,
            name="Surat pengantar online" if own else "Antrean puskesmas daring", form="pelayanan_publik",
            urusan=["adminduk"])
    return cache[t]


def _make_plan(innovation, version: int, status: str, objective: str = CONTENT["objective"], coach=None):
    from labinov.innovations.models import ActionPlan, Indicator, Milestone, Risk, Stakeholder

    plan = ActionPlan.objects.create(innovation=innovation, version=version, status=status, objective=objective,
                                     coach_approved_by=coach)
    Indicator.objects.create(plan=plan, **CONTENT["indicators"][0])
    m = CONTENT["milestones"][0]
    Milestone.objects.create(plan=plan, **{**m, "starts_on": datetime.date.fromisoformat(m["starts_on"]),
                                           "ends_on": datetime.date.fromisoformat(m["ends_on"])})
    Risk.objects.create(plan=plan, **CONTENT["risks"][0])
    Stakeholder.objects.create(plan=plan, **CONTENT["stakeholders"][0])
    return plan


def _inno(w, t):
    return {"innovation_id": _innovation_obj(w, t).pk}


def _plan_in(status):
    """A params function: the innovation with version 1 of its plan, with content, in `status`."""

    def params(w, t):
        innovation = _innovation_obj(w, t)
        _make_plan(innovation, 1, status, coach=w.users["coach"] if status == "coach_approved" else None)
        return {"innovation_id": innovation.pk, "version": 1}

    return params


def _approved(w, t):
    return {"innovation_id": _plan_in("approved")(w, t)["innovation_id"]}


def _two_versions(w, t):
    innovation = _innovation_obj(w, t)
    _make_plan(innovation, 1, "approved")
    _make_plan(innovation, 2, "draft", objective="Surat pengantar selesai dalam dua jam")
    return {"innovation_id": innovation.pk, "version": 1, "other": 2}


def _profile_body(w, t):
    return {"urusan_primary": "adminduk", "iid_stage": "uji_coba", "trial_date": "2019-08-01",
            "problem": "Warga antre lama untuk surat pengantar", "goals": "Layanan satu hari", "budget": 15000000,
            "sdgs": [16], "decree_type": "sk_kpd", "decree_number": "800/12/2019", "decree_date": "2019-06-03",
            "contact_name": "Sri Lestari", "contact_phone": "081234567890",
            "team": [{"role": "manager", "name": "Sri Lestari", "organisation": "Kelurahan Kalicacing"},
                     {"role": "actor", "name": "Ketua RW 03", "pentahelix": "komunitas"}]}


API_ROWS: dict = {
    ("GET", P): (_inno, None, VIEW, "pemda", DESIGN),
    ("PUT", P + "/profile"): (_inno, _profile_body, WRITERS, "pemda", DESIGN),
    ("POST", P + "/plan"): (_inno, None, WRITERS, "pemda", DESIGN),
    ("POST", P + "/plan/new-version"): (_approved, lambda w, t: {"reason": "Jadwal uji coba bergeser"},
                                        WRITERS, "pemda", DESIGN),
    ("GET", P + "/plan/{version}"): (_plan_in("draft"), None, VIEW, "pemda", DESIGN),
    ("PUT", P + "/plan/{version}"): (_plan_in("draft"), lambda w, t: CONTENT, WRITERS, "pemda", DESIGN),
    ("POST", P + "/plan/{version}/submit"): (_plan_in("draft"), None, WRITERS, "pemda", DESIGN),
    ("POST", P + "/plan/{version}/comments"): (
        _plan_in("draft"), lambda w, t: {"text": "Tambahkan jadwal per RW", "milestone_order": 0},
        COMMENTERS, "pemda", DESIGN),
    ("POST", P + "/plan/{version}/coach-approve"): (_plan_in("in_review"), None, REVIEWERS, "pemda", DESIGN),
    ("POST", P + "/plan/{version}/approve"): (_plan_in("coach_approved"), None, UNIT_HEADS, "pemda", DESIGN),
    ("GET", P + "/plan/{version}/diff/{other}"): (_two_versions, None, VIEW, "pemda", DESIGN),
}
