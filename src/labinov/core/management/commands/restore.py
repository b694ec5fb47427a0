"""labinov restore ARCHIVE [--force] — restore a `labinov backup` archive: the database and every file under
MEDIA_ROOT. Refuses, with a clear message, exit status 2 and nothing changed: a damaged archive (any checksum
mismatch), an archive of another database engine, a target that already holds data (unless --force). Afterwards
it checks every table's row count and every file's checksum against the manifest and says so.
Stop the app servers and the worker first. See labinov.core.backup and docs/deploy.md § Backups."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django.utils.translation import gettext as _

from labinov.core.commands import MessageOnErrorCommand
from labinov.core.backup import BackupError, restore_backup

REFUSED = 2
MISMATCH = 1


class Command(MessageOnErrorCommand):
    help = "Restore a backup archive (database and files), then verify row counts and checksums against its manifest."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Archive written by `labinov backup`")
        parser.add_argument("--force", action="store_true",
                            help="Replace a database and files that already hold data")
        parser.add_argument("--language", choices=["id", "en"], help="Language of the messages (default: the site's)")


    def handle(self, *args, archive, force=False, language=None, **options):
        with translation.override(language or translation.get_language()):
            connection = connections["default"]
            connection.close()  # SQLite: the file is about to be replaced
            try:
                report = restore_backup(Path(archive), db=connection.settings_dict,
                                        media_root=Path(settings.MEDIA_ROOT), force=force)
            except BackupError as e:
                raise CommandError(str(e), returncode=REFUSED) from None
            finally:
                connection.close()
            self.stdout.write(_("Restored %(path)s: %(engine)s database, %(tables)s tables, %(rows)s rows, "
                                "%(files)s files.") % {"path": report.path, "engine": report.engine,
                                                       "tables": len(report.tables), "rows": report.rows,
                                                       "files": len(report.files)})
            if report.mismatches:
                raise CommandError("\n".join([_("Verification FAILED: the restored data differs from the manifest:"),
                                              *(f"- {m}" for m in report.mismatches)]), returncode=MISMATCH)
            self.stdout.write(_("Verified: every table's row count and every file's SHA-256 match the manifest."))
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if pending:
                self.stdout.write(_("The backup is from an older version: run `labinov migrate` (%(count)s "
                                    "migrations to apply).") % {"count": len(pending)})
            self.stdout.write(_("Then run `labinov rebuild_index` and start the app servers and the worker."))
