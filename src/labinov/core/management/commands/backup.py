"""labinov backup [--output FILE | --dir DIR] — one archive (tar, gzip when the name ends in .gz) holding the
database (SQLite online backup API or pg_dump --format=custom), every file under MEDIA_ROOT and a manifest
(version, engine, migrations, per-table row counts, SHA-256 of every file). Safe while the app runs.
See labinov.core.backup and docs/deploy.md § Backups."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _

from labinov.core.commands import MessageOnErrorCommand
from labinov.core.backup import BackupError, create_backup, default_archive_name

FAILED = 2


class Command(MessageOnErrorCommand):
    help = "Back up the database and every uploaded or generated file into one archive (safe while the app runs)."
    requires_system_checks = []

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--output", "-o", help="Archive file to write (.tar or .tar.gz)")
        target.add_argument("--dir", help="Folder to write a dated labinov-backup-YYYYMMDD-HHMMSS.tar.gz into "
                                          "(default: $LABINOV_DATA_DIR/backups)")
        parser.add_argument("--language", choices=["id", "en"], help="Language of the messages (default: the site's)")


    def handle(self, *args, output=None, dir=None, language=None, **options):
        with translation.override(language or translation.get_language()):
            if output:
                path = Path(output)
            else:
                path = Path(dir or Path(settings.DATA_DIR) / "backups") / default_archive_name()
            if path.exists():
                raise CommandError(_("%(path)s already exists: choose another name.") % {"path": path},
                                   returncode=FAILED)
            try:
                report = create_backup(path, db=connections["default"].settings_dict, media_root=Path(settings.MEDIA_ROOT))
            except BackupError as e:
                raise CommandError(str(e), returncode=FAILED) from None
            self.stdout.write(_("Backup written to %(path)s: %(engine)s database, %(tables)s tables, %(rows)s rows, "
                                "%(files)s files.") % {"path": path.resolve(), "engine": report.engine,
                                                       "tables": len(report.tables), "rows": report.rows,
                                                       "files": len(report.files)})
