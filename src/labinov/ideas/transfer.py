"""Bulk import and export of a program's ideas (XLSX): the upload, the parsing and the commit as a job.

The parts live by concern, each usable on its own: `transfer_template` (the empty workbook),
`transfer_reader` (the sheet, its header row and its rows as text), `transfer_validator` (the
checks of each row against the program, the import key, the rows prepared for the commit) and
`transfer_export` (the export). This module runs the job around them and keeps their public names.

The import runs in three steps, the slow ones in background tasks (see tasks.py):

1. `import_start` (in the request): the upload is judged by its content with the archive checks
   of `core.xlsx.check_archive` (a real XLSX, size limit, no zip bomb, no macros, not
   encrypted), stored as ``MEDIA_ROOT/imports/<uuid>.xlsx`` and recorded as an `IdeaImport`
   (status *queued*, with its SHA-256); then the task `parse_idea_import` is enqueued.
2. `parse_import` (task): reads the sheet with openpyxl in read-only mode, checks the header row
   and every row against the program's participating units and the closed lists, counts rows
   that were already imported, and stores every error by row and column (at most
   `MAX_STORED_ERRORS` are stored, all are counted). The progress (`processed_rows` of
   `total_rows`) is written every `PROGRESS_EVERY` rows. An invalid file is deleted at once; a
   clean one is replaced by its checked cell texts (``imports/<uuid>.json``), so the XLSX is
   parsed only once (parsing is most of the cost: see ``bench/bench_import.py``).
3. `commit_request` (in the request) moves a clean *preview* to *committing*, once, and enqueues
   `commit_idea_import`; `commit_import` (task) validates the checked texts again, prepares
   every idea (with its `search_text`) outside any transaction, then in ONE short transaction
   re-checks the program's stage, the import keys and the participating units, bulk-creates
   the new ideas as *submitted* and writes one `idea.import` audit record with the counts. The
   stored texts are deleted. Previews never saved are purged by `purge_stale_files`.

Idempotency: each row has an `import_key`, the SHA-256 of its unit id and its normalised
(whitespace-collapsed, case-folded) title, problem and proposed change. A row whose key already
exists in the program is "already imported" and is not created again; two rows of one file with
the same key are an error. The unique constraint ``idea_import_key_unique`` backs this up.

Why a bulk path rather than `services.idea_create` per row: see `commit_import` (and the
benchmark ``bench/bench_import.py``). The bulk path applies the same rules as `_clean_idea`
(participating unit, closed lists, lengths, replication source) and the same `search_text_for`.

`export_workbook` writes the ideas an actor may see (`selectors.idea_list`) in write-only mode,
with every text that a spreadsheet could take for a formula neutralised.
"""


from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any, Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record
from labinov.core.stages import Capability, stage_allows
from labinov.core.xlsx import check_archive
from labinov.core.xlsx import refuse as _refuse

from .models import Idea, IdeaImport, IdeaStatus, ImportStatus
# The parts, by concern; their public names stay reachable here for the views, tasks, tests and bench.
from .transfer_export import EXPORT_COLUMNS, export_filename, export_workbook  # noqa: F401
from .transfer_reader import COLUMNS, MAX_ROWS, REQUIRED, SHEET  # noqa: F401
from .transfer_template import HELP_SHEET, LIST_SHEET, build_template  # noqa: F401
from .transfer_validator import (  # noqa: F401
    MAX_STORED_ERRORS, PROGRESS_EVERY, ScanResult, Validator, existing_keys, import_key, participating_units, prepare, scan,
    scan_file,
)

log = logging.getLogger(__name__)

IMPORT_DIR = "imports"
RUNNING = frozenset({ImportStatus.QUEUED, ImportStatus.READING, ImportStatus.COMMITTING})
STALE_AFTER = datetime.timedelta(days=2)


def _media_path(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root / IMPORT_DIR not in path.parents:
        raise ValueError(f"not an import file: {relative}")
    return path


def _delete_file(imp: IdeaImport) -> None:
    if not imp.stored_file:
        return
    try:
        _media_path(imp.stored_file).unlink(missing_ok=True)
    except (OSError, ValueError):
        log.warning("idea import %s: could not delete %s", imp.pk, imp.stored_file, exc_info=True)
    imp.stored_file = ""


def _save(imp: IdeaImport, *fields: str) -> None:
    imp.save(update_fields=[*fields, "updated_at"])


# --------------------------------------------------------------------------- reads


def import_get(*, actor, program, pk: int) -> IdeaImport:
    """An import of this program (404 for any other program's)."""
    try:
        imp = IdeaImport.objects.select_related("uploaded_by").get(program=program, pk=pk)
    except (IdeaImport.DoesNotExist, ValueError):
        raise Http404 from None
    imp.program = program
    return imp


# --------------------------------------------------------------------------- the stored files


def _read_stored(imp: IdeaImport) -> bytes:
    """The uploaded XLSX, as it was uploaded (its SHA-256 is checked)."""
    if not imp.stored_file:
        raise _refuse(_("The uploaded file is no longer available; upload it again."))
    try:
        data = _media_path(imp.stored_file).read_bytes()
    except (OSError, ValueError):
        raise _refuse(_("The uploaded file is no longer available; upload it again.")) from None
    if hashlib.sha256(data).hexdigest() != imp.file_sha256:
        raise _refuse(_("The stored file has changed since it was uploaded; upload it again."))
    check_archive(data)  # cheap, and the file on disk is checked as the upload was
    return data


def _write_prepared(imp: IdeaImport, prepared: list[dict[str, Any]]) -> str:
    """The prepared new rows of a clean preview, kept for the commit (the XLSX is parsed only once)."""
    relative = f"{IMPORT_DIR}/{uuid.uuid4().hex}.json"
    path = _media_path(relative)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"import": imp.pk, "sha256": imp.file_sha256, "rows": prepared}, out, ensure_ascii=False)
    return relative


def _read_prepared(imp: IdeaImport) -> list[dict[str, Any]]:
    try:
        if not imp.stored_file.endswith(".json"):
            raise ValueError(imp.stored_file)
        with open(_media_path(imp.stored_file), encoding="utf-8") as f:
            saved = json.load(f)
        if saved.get("import") != imp.pk or saved.get("sha256") != imp.file_sha256:
            raise ValueError("another import's rows")
        return saved["rows"]
    except (OSError, ValueError, KeyError):
        raise _refuse(_("The uploaded file is no longer available; upload it again.")) from None


# --------------------------------------------------------------------------- the upload


def import_start(*, actor, program, upload, language: str | None = None) -> IdeaImport:
    """Checks the upload (ValidationError with one message), stores it, records it and enqueues the parsing."""
    if not stage_allows(program.stage, Capability.IDEA_CREATE):
        raise ValidationError(_("Ideas are imported during Diagnose; the program is in %(stage)s.")
                              % {"stage": program.get_stage_display()})
    upload.seek(0)
    data = upload.read(settings.LABINOV_MAX_IMPORT_BYTES + 1)
    check_archive(data).close()
    purge_stale_files()

    relative = f"{IMPORT_DIR}/{uuid.uuid4().hex}.xlsx"
    path = _media_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    imp = IdeaImport.objects.create(
        program=program, uploaded_by=actor if getattr(actor, "pk", None) else None, file_name=name or "ideas.xlsx",
        file_sha256=hashlib.sha256(data).hexdigest(), stored_file=relative, status=ImportStatus.QUEUED,
    )
    imp.program = program
    from .tasks import parse_idea_import

    try:
        parse_idea_import.enqueue(imp.pk, language=language or translation.get_language())
    except Exception:
        log.exception("idea import %s: could not enqueue the parsing", imp.pk)
        _fail(imp, _("The file could not be queued for reading. Please try again later."))
    return imp


def _fail(imp: IdeaImport, message: str, *, status: str = ImportStatus.FAILED, errors=None, summary=None) -> None:
    _delete_file(imp)
    imp.status, imp.message = status, message
    fields = ["status", "message", "stored_file"]
    if errors is not None:
        imp.errors = errors
        fields.append("errors")
    if summary is not None:
        imp.summary = summary
        fields.append("summary")
    _save(imp, *fields)


def _progress_writer(pk: int) -> Callable[[int, int], None]:
    def write(done: int, total: int) -> None:
        IdeaImport.objects.filter(pk=pk).update(processed_rows=done, total_rows=total, updated_at=timezone.now())

    return write


def _claim(pk: int, from_status: str, to_status: str) -> bool:
    return bool(IdeaImport.objects.filter(pk=pk, status=from_status).update(
        status=to_status, processed_rows=0, updated_at=timezone.now()))


def parse_import(import_id: int, *, language: str | None = None) -> str:
    """The task body: reads and checks the stored file; the import ends in preview, invalid or failed."""
    if not _claim(import_id, ImportStatus.QUEUED, ImportStatus.READING):
        return "skipped"  # already parsed (a repeated task)
    imp = IdeaImport.objects.select_related("program", "program__pemda").get(pk=import_id)
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            _parse(imp)
        except ValidationError as e:
            _fail(imp, " ".join(e.messages), status=ImportStatus.INVALID, errors=[], summary={})
        except Exception:
            log.exception("idea import %s: reading failed", import_id)
            _fail(imp, _("The file could not be read because of an unexpected error. Please try again or contact the administrator."))
            raise
    return imp.status


def _parse(imp: IdeaImport) -> None:
    started = time.perf_counter()
    result = scan_file(imp.program, _read_stored(imp), progress=_progress_writer(imp.pk), prepare_new=True)
    imp.total_rows = imp.processed_rows = result.rows
    imp.errors, imp.summary = result.errors, {**result.summary(), "read_ms": round((time.perf_counter() - started) * 1000)}
    if result.error_rows:
        imp.status = ImportStatus.INVALID
        imp.message = _("The file has errors; nothing was saved. Correct the file and upload it again.")
        _delete_file(imp)
    elif not result.new:
        imp.status = ImportStatus.PREVIEW
        imp.message = _("Every idea in this file was already imported; there is nothing to save.")
        _delete_file(imp)
    else:
        imp.status, imp.message = ImportStatus.PREVIEW, ""
        prepared = _write_prepared(imp, result.prepared)
        _delete_file(imp)  # the XLSX is parsed once; the commit reads the prepared rows
        imp.stored_file = prepared
    _save(imp, "status", "message", "errors", "summary", "total_rows", "processed_rows", "stored_file")


# --------------------------------------------------------------------------- the commit


def commit_request(*, actor, imp: IdeaImport, language: str | None = None) -> IdeaImport:
    """“Save all”: a clean preview with new ideas moves to committing, once; the commit task is enqueued."""
    program = imp.program
    if not stage_allows(program.stage, Capability.IDEA_CREATE):
        raise ValidationError(_("Ideas are imported during Diagnose; the program is in %(stage)s.")
                              % {"stage": program.get_stage_display()})
    if imp.status != ImportStatus.PREVIEW or not imp.stored_file or not (imp.summary or {}).get("new"):
        raise ValidationError(_("This import cannot be saved (it was already saved, or it has nothing new to save)."))
    if not _claim(imp.pk, ImportStatus.PREVIEW, ImportStatus.COMMITTING):
        raise ValidationError(_("This import is already being saved."))
    imp.status = ImportStatus.COMMITTING
    from .tasks import commit_idea_import

    commit_idea_import.enqueue(imp.pk, actor_id=actor.pk if getattr(actor, "pk", None) else None,
                               language=language or translation.get_language())
    return imp


def commit_import(import_id: int, *, actor_id: int | None = None, language: str | None = None) -> dict[str, int]:
    """The task body: creates the new ideas of a previewed import, all or nothing.

    The rows were checked and prepared (field values, import key, search_text) by the parsing;
    what may have changed since is checked again inside the one transaction: the program's stage,
    the import keys already in the program (a row imported meanwhile is counted as already
    imported, not created twice) and the participating units. Then one bulk INSERT and one
    `idea.import` audit record.

    Why not `services.idea_create` per row: for each idea it runs `full_clean`, one query for the
    participation, one INSERT and one audit record; ``bench/bench_import.py`` measures it at
    about ten times the cost of this path, all of it inside the single write transaction that
    blocks every other writer of an SQLite database. This path applies the same rules (see
    `Validator`) and the same `search_text_for`.
    """
    from labinov.people.models import User
    from labinov.programs.models import Participation

    imp = IdeaImport.objects.select_related("program", "program__pemda", "uploaded_by").get(pk=import_id)
    if imp.status != ImportStatus.COMMITTING:
        return {"created": 0, "existing": 0}  # a repeated task: nothing to do
    program = imp.program
    actor = User.objects.filter(pk=actor_id).first() if actor_id else imp.uploaded_by
    summary = dict(imp.summary or {})
    unit_errors: list[dict[str, Any]] = []
    started = time.perf_counter()
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            now = timezone.now()
            rows = _read_prepared(imp)
            ideas = [
                Idea(pemda_id=program.pemda_id, program=program, created_by=actor, status=IdeaStatus.SUBMITTED,
                     submitted_at=now, **{k: v for k, v in row.items() if k != "row"})
                for row in rows
            ]
            row_of = {id(idea): row["row"] for idea, row in zip(ideas, rows)}
            prepared = time.perf_counter()
            with transaction.atomic():
                program.refresh_from_db(fields=["stage"])
                if not stage_allows(program.stage, Capability.IDEA_CREATE):
                    raise ValidationError(_("Ideas are imported during Diagnose; the program is in %(stage)s.")
                                          % {"stage": program.get_stage_display()})
                taken = existing_keys(program=program)
                units = set(Participation.objects.filter(program=program).values_list("unit_id", flat=True))
                new = [i for i in ideas if i.import_key not in taken]
                gone = [i for i in new if i.unit_id not in units]
                if gone:
                    unit_errors = [{"row": row_of[id(i)], "column": "unit",
                                    "message": _("This unit no longer takes part in this program.")} for i in gone]
                    raise ValidationError(_("Some units of the file no longer take part in this program; nothing was saved. "
                                            "Correct the file and upload it again."))
                Idea.objects.bulk_create(new, batch_size=500)
                existing = int(summary.get("existing", 0)) + len(ideas) - len(new)
                counts = {"created": len(new), "existing": existing, "rows": int(summary.get("rows", 0))}
                audit_record(actor=actor, action="idea.import", obj=program,
                             changes={**counts, "file": imp.file_name, "sha256": imp.file_sha256, "import": imp.pk})
                imp.status, imp.message = ImportStatus.DONE, ""
                imp.summary = {**summary, "existing": existing, "new": len(new), "created": len(new),
                               "prepare_ms": round((prepared - started) * 1000),
                               "save_ms": round((time.perf_counter() - prepared) * 1000)}
                imp.processed_rows = imp.total_rows
                _save(imp, "status", "message", "summary", "processed_rows")
        except ValidationError as e:
            _fail(imp, " ".join(e.messages), status=ImportStatus.INVALID,
                  errors=unit_errors[:MAX_STORED_ERRORS] if unit_errors else None,
                  summary={**summary, "errors": len(unit_errors), "error_rows": len(unit_errors)} if unit_errors else None)
            return {"created": 0, "existing": 0}
        except IntegrityError:
            log.info("idea import %s: a concurrent import created the same ideas", import_id, exc_info=True)
            _fail(imp, _("The same ideas were saved by someone else at the same moment; nothing was saved. "
                         "Upload the file again to see what is left to import."), status=ImportStatus.INVALID)
            return {"created": 0, "existing": 0}
        except Exception:
            log.exception("idea import %s: saving failed", import_id)
            _fail(imp, _("Saving failed because of an unexpected error; nothing was saved. Please try again."))
            raise
    _delete_file(imp)
    _save(imp, "stored_file")
    return {"created": counts["created"], "existing": counts["existing"]}


def purge_stale_files(*, older_than: datetime.timedelta = STALE_AFTER) -> int:
    """Imports untouched for `older_than` (previews never saved, tasks that never ran) expire; their files are deleted.

    Called by every upload, so no scheduler is needed.
    """
    cutoff = timezone.now() - older_than
    count = 0
    stale = IdeaImport.objects.filter(status__in=[ImportStatus.PREVIEW, *RUNNING], updated_at__lt=cutoff).exclude(stored_file="")
    for imp in stale:
        _fail(imp, _("This import expired before it was saved; upload the file again."))
        count += 1
    return count


def purge_finished(*, older_than: datetime.timedelta) -> int:
    """Deletes finished imports (saved, failed or refused) last touched before `older_than` ago, with any
    file still stored: their error lists and summaries quote the uploaded rows, which hold personal data
    (retention, `labinov cleanup`). The ideas they created stay. Returns how many imports were deleted."""
    cutoff = timezone.now() - older_than
    finished = IdeaImport.objects.filter(
        status__in=[ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.INVALID], updated_at__lt=cutoff)
    for imp in finished.exclude(stored_file=""):
        _delete_file(imp)
    n, _deleted = finished.delete()
    return n
