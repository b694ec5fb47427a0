"""Permission-matrix rows of Deliver: commitment documents, monitoring, the dashboard and launchings
(see test_permission_matrix.py for the format). Both programs are in "Deliver: launching", the stage
that allows preparing, signing, reporting and launching.

- Commitments as a whole and the dashboard: the plan overseers (rows_timeline.PLAN_OVERSEERS).
- One commitment: those and the people of its unit (Kelurahan Kalicacing in the own pemda).
- Preparing, generating, editing, uploading, activating, judging: the organiser and national admin.
- Recording a signature: those, the unit head of the unit, the leader, and a national (LAN) coach.
- Monitoring page and evidence: whoever sees the innovation; reports: its unit and the organiser;
  coach notes: the organiser, the pemda's coaches and the coaches assigned in the program.
- Launchings: everyone of the pemda sees them; the organiser records them.

Posts are sent empty: an allowed role gets the form back with its errors or a redirect with a
message (both "ok"); nothing is changed.
"""

from .api_rows_plans import _innovation_obj, _make_plan
from .rows_timeline import PLAN_OVERSEERS, _program
from .test_permission_matrix import ADMIN, NATIONAL, P, VIEW

STAGE = "deliver_launching"
UNIT_PEOPLE = {"unit_head", "innovator"}
ONE_COMMITMENT = PLAN_OVERSEERS | UNIT_PEOPLE
SIGNERS = ADMIN | {"unit_head", "leader", "national_coach"}
REPORTERS = ADMIN | UNIT_PEOPLE
NOTE_TAKERS = {"own": ADMIN | {"coach", "national_coach"}, "other": ADMIN}


def _things(w, t):
    """An innovation with an approved plan, its commitment (with a PDF and a signed scan), a finished
    batch, a report with an evidence file, and a launching, in the tenant's pemda (made once)."""
    cache = getattr(w, "_delivery", None)
    if cache is None:
        cache = w._delivery = {}
    if t in cache:
        return cache[t]
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from labinov.delivery.models import Commitment, CommitmentBatch, Evidence, Launch, ProgressReport

    own = t == "own"
    innovation = _innovation_obj(w, t)
    plan = _make_plan(innovation, 1, "approved")
    program = innovation.program
    commitment = Commitment(pemda=program.pemda, program=program, unit=innovation.unit, sequence=1, number="050/001/KK/2019",
                            unit_head_name="Sri Lestari")
    commitment.document.save("test.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    commitment.signed_file.save("signed.pdf", ContentFile(b"%PDF-1.7 signed"), save=False)
    commitment.signed_file_type = "application/pdf"
    commitment.save()
    from django.core.files.storage import default_storage

    batch = CommitmentBatch.objects.create(program=program, commitment_ids=[commitment.pk], total=1, done=1, status="done",
                                           zip_name=default_storage.save("commitment-batches/t.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18)),
                                           pdf_name=default_storage.save("commitment-batches/t.pdf", ContentFile(b"%PDF-1.7 all")))
    report = ProgressReport.objects.create(milestone=plan.milestones.first(), innovation=innovation, status="in_progress", percent=50,
                                           reported_at=timezone.now())
    evidence = Evidence(report=report, kind="pdf", content_type="application/pdf", original_name="bukti.pdf", size=13)
    evidence.file.save("bukti.pdf", ContentFile(b"%PDF-1.7 bukti"), save=True)
    launch = Launch.objects.create(pemda=program.pemda, program=program, held_on=timezone.localdate(), place="Salatiga",
                                   launched_by="Walikota Salatiga")
    cache[t] = {"innovation": innovation, "program": program, "commitment": commitment, "batch": batch, "evidence": evidence,
                "launch": launch, "unit": w.kel if own else w.other_unit}
    return cache[t]


def _prog(w, t):
    _things(w, t)
    return _program(w, t)


def _commitment(w, t):
    return {**_prog(w, t), "commitment": _things(w, t)["commitment"].pk}


def _batch(w, t):
    return {**_prog(w, t), "batch": _things(w, t)["batch"].pk}


def _unit(w, t):
    return {**_prog(w, t), "unit": _things(w, t)["unit"].pk}


def _launch(w, t):
    return {**_prog(w, t), "launch": _things(w, t)["launch"].pk}


def _innovation(w, t):
    return {"pemda": (w.own if t == "own" else w.other).slug, "innovation": _things(w, t)["innovation"].pk}


def _evidence(w, t):
    return {**_innovation(w, t), "evidence": _things(w, t)["evidence"].pk}


ROWS: dict = {
    "commitment_list": ("get", _prog, PLAN_OVERSEERS, P, STAGE),
    "commitment_settings": ("get", _prog, ADMIN, P, STAGE),
    "commitment_prepare": ("post", _prog, ADMIN, P, STAGE),
    "commitment_generate": ("post", _prog, ADMIN, P, STAGE),
    # the bulk signature: whoever sees the list; the posted ids are then checked one by one (empty: a message)
    "commitment_sign_many": ("post", _prog, PLAN_OVERSEERS, P, STAGE),
    "commitment_batch": ("get", _batch, PLAN_OVERSEERS, P, STAGE),
    "commitment_batch_zip": ("get", _batch, PLAN_OVERSEERS, P, STAGE),
    "commitment_batch_pdf": ("get", _batch, PLAN_OVERSEERS, P, STAGE),
    "commitment_detail": ("get", _commitment, ONE_COMMITMENT, P, STAGE),
    "commitment_preview": ("get", _commitment, ONE_COMMITMENT, P, STAGE),
    "commitment_pdf": ("get", _commitment, ONE_COMMITMENT, P, STAGE),
    "commitment_signed_file": ("get", _commitment, ONE_COMMITMENT, P, STAGE),
    "commitment_make_pdf": ("post", _commitment, ADMIN, P, STAGE),
    "commitment_party": ("post", _commitment, ADMIN, P, STAGE),
    "commitment_sign": ("post", _commitment, SIGNERS, P, STAGE),
    "commitment_upload": ("post", _commitment, ADMIN, P, STAGE),
    "commitment_activate": ("post", _commitment, ADMIN, P, STAGE),
    "commitment_close": ("post", _commitment, ADMIN, P, STAGE),
    "progress_dashboard": ("get", _prog, PLAN_OVERSEERS, P, STAGE),
    "progress_unit": ("get", _unit, PLAN_OVERSEERS, P, STAGE),
    "launch_list": ("get", _prog, VIEW, P, STAGE),
    "launch_create": ("get", _prog, ADMIN, P, STAGE),
    "launch_detail": ("get", _launch, VIEW, P, STAGE),
    "monitoring_detail": ("get", _innovation, VIEW, P, STAGE),
    "progress_report": ("post", _innovation, REPORTERS, P, STAGE),
    "coach_note": ("post", _innovation, NOTE_TAKERS, P, STAGE),
    "evidence_download": ("get", _evidence, VIEW, P, STAGE),
}

assert NATIONAL <= PLAN_OVERSEERS
