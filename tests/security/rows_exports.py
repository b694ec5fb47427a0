"""Permission-matrix rows of the exports of a program's action plans (see test_permission_matrix.py
for the format): the same people as the plan overview (rows_timeline.PLAN_OVERSEERS). The fixture's
programs have no plan, so the booklet comes back to the overview with a message (a redirect: "ok")."""

from .rows_timeline import PLAN_OVERSEERS, _program
from .test_permission_matrix import P

ROWS: dict = {
    "plans_export_xlsx": ("get", _program, PLAN_OVERSEERS, P, "design"),
    "plans_export_pdf": ("get", _program, PLAN_OVERSEERS, P, "design"),
    "booklet_status": ("get", lambda w, t: {**_program(w, t), "job": _job(w, t)}, PLAN_OVERSEERS, P, "design"),
    "booklet_download": ("get", lambda w, t: {**_program(w, t), "job": _job(w, t, done=True)}, PLAN_OVERSEERS, P, "design"),
}


def _job(w, t, done=False):
    """A booklet job of the tenant's program (the download row needs a finished one with its file)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from labinov.innovations.models import BookletJob

    program = w.program if t == "own" else w.other_program
    name = default_storage.save(f"booklets/{program.pk}-test.pdf", ContentFile(b"%PDF-1.7 test")) if done else ""
    job = BookletJob.objects.create(program=program, plans=1, status="done" if done else "running", file_name=name)
    return job.pk
