"""Permission-matrix rows of rows_transfer (see test_permission_matrix.py for the format).

The bulk import of ideas needs `ideas.import_ideas` (national admin, organiser; program in
Diagnose: the fifth element puts both programs there); the export needs `ideas.export_ideas`.

For `idea_import_status` the kwargs function creates (once per pemda, get_or_create) an
`IdeaImport` of that pemda's program: kwargs run inside the test, with database access, before
the roles are tried. The import is *invalid* (no stored file), so the page renders without
starting anything; the POST side (Save all) is covered in tests/ideas/test_transfer.py.
"""

ADMIN = {"national_admin", "organiser"}
EXPORT = {"national_admin", "national_coach", "organiser", "coach", "verifier", "leader"}
P = "pemda"
DIAGNOSE = "diagnose"


def _program(w, t):
    program = w.program if t == "own" else w.other_program
    return {"pemda": program.pemda.slug, "program": program.pk}


def _job(w, t):
    from labinov.ideas.models import IdeaImport, ImportStatus

    program = w.program if t == "own" else w.other_program
    job, _created = IdeaImport.objects.get_or_create(
        program=program, file_name="matrix.xlsx",
        defaults={"file_sha256": "0" * 64, "status": ImportStatus.INVALID, "message": "Matrix test."},
    )
    return {**_program(w, t), "job": job.pk}


ROWS: dict = {
    "idea_import_template": ("get", _program, ADMIN, P, DIAGNOSE),
    "idea_import": ("get", _program, ADMIN, P, DIAGNOSE),
    "idea_import_status": ("get", _job, ADMIN, P, DIAGNOSE),
    "idea_export": ("get", _program, EXPORT, P, DIAGNOSE),
}
