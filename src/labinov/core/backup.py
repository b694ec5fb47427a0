"""Backups and restores of a whole installation: the database and every file under MEDIA_ROOT, in one archive.

An archive is a tar file (gzip-compressed when its name ends in .gz) holding
- ``database.sqlite3`` (SQLite: a copy made with the online backup API, safe while the app writes) or
  ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``, taken in an exported REPEATABLE READ snapshot);
- ``files/...``: everything under MEDIA_ROOT (evidence, decrees, signed documents, logos, generated PDFs);
- ``manifest.json``: Labinov version, engine, applied migrations, the row count of every table *in the snapshot
  that was dumped* (so the counts match the dump even while writes go on) and the SHA-256 of the database file
  and of every file.

A restore checks the archive (every checksum), the engine and that the target is empty (unless forced) before it
changes anything; then it replaces the database (SQLite: atomic rename of a complete copy; PostgreSQL:
``pg_restore --clean --if-exists --single-transaction``) and the files, and verifies the row counts and file
checksums against the manifest.

The functions take the connection settings (a ``DATABASES`` entry) and a media folder explicitly, so the restore
drill of the test suite can restore into a fresh database and folder; the ``backup`` and ``restore`` management
commands pass the installation's own.
"""

from __future__ import annotations

import datetime
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

import labinov

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
FILES_PREFIX = "files/"
CHUNK = 1024 * 1024
# Tables a bare `migrate` fills: a database holding rows only there counts as empty.
MIGRATE_FILLED = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in the user's language."""


@dataclass
class Report:
    path: Path
    engine: str
    tables: dict[str, int]
    files: dict[str, str]
    database_bytes: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def engine_of(db: dict) -> str:
    name = db["ENGINE"]
    if name.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in name:
        return "postgresql"
    raise BackupError(_("Backups support SQLite and PostgreSQL only, not %(engine)s.") % {"engine": name})


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Raw connections (not Django's: the drill restores into a database Django is not configured for)


def _sqlite_connect(db: dict) -> sqlite3.Connection:
    name = str(db["NAME"])
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=20, isolation_level=None)


def _pg_params(db: dict) -> dict:
    params = {"dbname": db.get("NAME") or "postgres"}
    for key, param in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if db.get(key):
            params[param] = str(db[key])
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if (db.get("OPTIONS") or {}).get(key):
            params[key] = str(db["OPTIONS"][key])
    return params


def _pg_connect(db: dict, **overrides):
    import psycopg

    return psycopg.connect(**{**_pg_params(db), **overrides})


def _pg_env(db: dict) -> dict:
    """libpq environment for pg_dump / pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT"),
                     ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if (db.get("OPTIONS") or {}).get(key):
            env["PG" + key.upper()] = str(db["OPTIONS"][key])
    return env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.split("/")[4].split(".")])
    if candidates:
        return candidates[-1]
    raise BackupError(_("%(tool)s was not found on PATH nor in /usr/lib/postgresql/*/bin: install the PostgreSQL "
                        "client tools.") % {"tool": name})


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _pg_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts(conn, tables: list[str]) -> dict[str, int]:
    return {t: conn.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0] for t in tables}


def _migrations(conn, tables: list[str]) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    out: dict[str, list[str]] = {}
    for app, name in conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name"):
        out.setdefault(app, []).append(name)
    return out


def table_counts(db: dict) -> dict[str, int]:
    """Row count of every table of a database, as a restore verifies them."""
    if engine_of(db) == "sqlite":
        conn = _sqlite_connect(db)
        try:
            return _counts(conn, _sqlite_tables(conn))
        finally:
            conn.close()
    with _pg_connect(db) as conn:
        return _counts(conn, _pg_tables(conn))


# ---------------------------------------------------------------------------------------------------------------
# Backup


class _HashingReader(io.RawIOBase):
    """Reads a file for tarfile while hashing exactly what goes into the archive."""

    def __init__(self, f):
        self.f, self.h = f, hashlib.sha256()

    def read(self, n=-1):
        data = self.f.read(n)
        self.h.update(data)
        return data


def default_archive_name(now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now()
    return f"labinov-backup-{now:%Y%m%d-%H%M%S}.tar.gz"


def _dump_sqlite(db: dict, dest: Path) -> tuple[dict, dict]:
    src = _sqlite_connect(db)
    dst = sqlite3.connect(dest)
    try:
        # One step (pages=-1): the copy is read inside one read transaction, a consistent snapshot; in WAL mode
        # the app's writers are not blocked meanwhile.
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    conn = sqlite3.connect(dest)
    try:
        tables = _sqlite_tables(conn)
        return _counts(conn, tables), _migrations(conn, tables)
    finally:
        conn.close()


def _dump_postgresql(db: dict, dest: Path) -> tuple[dict, dict]:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    conn = _pg_connect(db)
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        # The counts and pg_dump read the same snapshot, so the manifest describes exactly what was dumped.
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = _pg_tables(conn)
        result = subprocess.run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password",
                                 f"--file={dest}"], env=_pg_env(db), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})
        return _counts(conn, tables), _migrations(conn, tables)
    finally:
        conn.rollback()
        conn.close()


def _media_files(media_root: Path) -> list[tuple[str, Path]]:
    if not media_root.is_dir():
        return []
    out = []
    for dirpath, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if p.is_file() and not p.is_symlink():
                out.append((p.relative_to(media_root).as_posix(), p))
    return out


def create_backup(output: Path, *, db: dict, media_root: Path) -> Report:
    """Write one archive holding the database, every file under media_root and the manifest; atomic (the archive
    appears under its name only once complete)."""
    engine = engine_of(db)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    mode = "w:gz" if output.name.endswith(".gz") else "w"
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="labinov-backup-", dir=output.parent) as tmp:
        dump = Path(tmp) / DB_MEMBER[engine]
        # The database first: every file it refers to was written before its row was committed, so it is on disk
        # by the time the files are read.
        tables, migrations = (_dump_sqlite if engine == "sqlite" else _dump_postgresql)(db, dump)
        files: dict[str, str] = {}
        try:
            with tarfile.open(partial, mode) as tar:
                tar.add(dump, arcname=DB_MEMBER[engine])
                for rel, path in _media_files(Path(media_root)):
                    try:
                        f = open(path, "rb")
                    except FileNotFoundError:  # deleted meanwhile
                        continue
                    with f:
                        info = tar.gettarinfo(fileobj=f, arcname=FILES_PREFIX + rel)
                        reader = _HashingReader(f)
                        tar.addfile(info, reader)
                        files[rel] = reader.h.hexdigest()
                manifest = {
                    "format": FORMAT,
                    "labinov_version": labinov.__version__,
                    "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "engine": engine,
                    "database": {"member": DB_MEMBER[engine], "sha256": sha256_file(dump),
                                 "bytes": dump.stat().st_size},
                    "migrations": migrations,
                    "tables": tables,
                    "files": files,
                }
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(datetime.datetime.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
            os.chmod(partial, 0o600)  # it holds every pemda's data
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return Report(path=output, engine=engine, tables=tables, files=files, database_bytes=dump.stat().st_size)


# ---------------------------------------------------------------------------------------------------------------
# Restore


def _damaged(path, why) -> BackupError:
    return BackupError(_("The archive %(path)s is damaged or not a Labinov backup (%(why)s). Nothing was "
                         "changed.") % {"path": path, "why": why})


def read_archive(path: Path, into: Path) -> dict:
    """Unpack the archive into `into` and check it whole: the manifest, the database checksum, every file's checksum,
    no file missing or extra. Returns the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no archive at %(path)s. Nothing was changed.") % {"path": path})
    try:
        with tarfile.open(path, "r:*") as tar:
            tar.extractall(into, filter="data")
        manifest = json.loads((into / MANIFEST).read_text())
        engine, member = manifest["engine"], manifest["database"]["member"]
        expected_files = manifest["files"]
        manifest["tables"].items()
    except (tarfile.TarError, OSError, EOFError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise _damaged(path, e.__class__.__name__ + (f": {e}" if str(e) else "")) from None
    if manifest.get("format") != FORMAT or engine not in DB_MEMBER or member != DB_MEMBER[engine]:
        raise _damaged(path, _("unknown format"))
    db_file = into / member
    if not db_file.is_file() or sha256_file(db_file) != manifest["database"]["sha256"]:
        raise _damaged(path, _("the database checksum does not match"))
    files_dir = into / "files"
    found = {rel for rel, _p in _media_files(files_dir)}
    if found != set(expected_files):
        raise _damaged(path, _("the files do not match the manifest"))
    for rel, digest in expected_files.items():
        if sha256_file(files_dir / rel) != digest:
            raise _damaged(path, _("checksum mismatch: %(file)s") % {"file": rel})
    return manifest


def unknown_migrations(manifest: dict) -> list[str]:
    """Migrations applied in the archive's database that this version's code does not have."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, names in sorted(manifest["migrations"].items()) for name in names
            if (app, name) not in known]


def _model_tables() -> set[str]:
    from django.apps import apps

    return {m._meta.db_table for m in apps.get_models(include_auto_created=True)} - MIGRATE_FILLED


def target_contents(db: dict, media_root: Path) -> list[str]:
    """What the target already holds (empty list: nothing a restore would lose)."""
    engine = engine_of(db)
    held = []
    if engine == "sqlite":
        name = str(db["NAME"])
        if name.startswith("file:") or Path(name).exists():
            conn = _sqlite_connect(db)
            try:
                tables = [t for t in _sqlite_tables(conn) if t in _model_tables()]
                held = [t for t in tables if conn.execute(f"SELECT 1 FROM {_quote(t)} LIMIT 1").fetchone()]
            finally:
                conn.close()
    else:
        with _pg_connect(db) as conn:
            tables = [t for t in _pg_tables(conn) if t in _model_tables()]
            held = [t for t in tables if conn.execute(f"SELECT 1 FROM {_quote(t)} LIMIT 1").fetchone()]
    nfiles = len(_media_files(Path(media_root)))
    return held + ([_("%(count)s files in %(path)s") % {"count": nfiles, "path": media_root}] if nfiles else [])


def _restore_sqlite(db: dict, source: Path):
    name = str(db["NAME"])
    if name.startswith("file:"):
        raise BackupError(_("Cannot restore into an in-memory SQLite database."))
    target = Path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".restoring")
    try:
        shutil.copyfile(source, tmp)
        conn = sqlite3.connect(tmp)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            ok = False
        finally:
            conn.close()
        if not ok:
            raise BackupError(_("The database in the archive fails SQLite's integrity check. Nothing was changed."))
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    # The old file's write-ahead log and shared-memory index must not be applied to the new file.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(name + suffix).unlink(missing_ok=True)
    os.replace(tmp, target)
    dirfd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dirfd)
    finally:
        os.close(dirfd)


def _restore_postgresql(db: dict, source: Path):
    pg_restore = pg_tool("pg_restore")
    result = subprocess.run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", "--no-password", f"--dbname={db.get('NAME')}", str(source)],
        env=_pg_env(db), capture_output=True, text=True)
    if result.returncode != 0:
        # --single-transaction: a failed restore leaves the database as it was
        raise BackupError(_("pg_restore failed, the database was left as it was: %(error)s")
                          % {"error": result.stderr.strip()})


def _replace_files(staged: Path, media_root: Path):
    media_root = Path(media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    if not staged.exists():
        staged.mkdir()
    old = media_root.with_name(media_root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    try:
        if media_root.exists():
            os.replace(media_root, old)
        os.replace(staged, media_root)
    except OSError:
        # another file system (a mount point): copy instead of renaming
        if media_root.exists() and media_root.is_dir():
            for child in media_root.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        shutil.copytree(staged, media_root, dirs_exist_ok=True)
    shutil.rmtree(old, ignore_errors=True)


def verify(manifest: dict, *, db: dict, media_root: Path) -> list[str]:
    """Differences between a restored installation and the manifest (empty: all match)."""
    problems = []
    counts = table_counts(db)
    for table, expected in sorted(manifest["tables"].items()):
        got = counts.get(table)
        if got != expected:
            problems.append(_("table %(table)s: %(got)s rows, the manifest says %(expected)s")
                            % {"table": table, "got": got if got is not None else "-", "expected": expected})
    files = dict(_media_files(Path(media_root)))
    for rel, digest in sorted(manifest["files"].items()):
        if rel not in files:
            problems.append(_("file %(file)s is missing") % {"file": rel})
        elif sha256_file(files[rel]) != digest:
            problems.append(_("file %(file)s: checksum mismatch") % {"file": rel})
    return problems


def restore_backup(path: Path, *, db: dict, media_root: Path, force: bool = False) -> Report:
    """Check the archive, then replace the database and the files, then verify them against the manifest.
    Raises BackupError, having changed nothing, for a damaged archive, another engine or a non-empty target
    (unless force)."""
    engine = engine_of(db)
    media_root = Path(media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".labinov-restore-", dir=media_root.parent) as tmp:
        manifest = read_archive(Path(path), Path(tmp))
        if manifest["engine"] != engine:
            raise BackupError(_("The archive holds a %(archive)s database but this installation uses %(here)s: "
                                "restore it on a %(archive)s installation. Nothing was changed.")
                              % {"archive": manifest["engine"], "here": engine})
        unknown = unknown_migrations(manifest)
        if unknown:
            raise BackupError(_("The archive comes from a newer Labinov (version %(version)s) with migrations this "
                                "version does not have (%(migrations)s): upgrade Labinov first. Nothing was changed.")
                              % {"version": manifest.get("labinov_version", "?"),
                                 "migrations": ", ".join(unknown[:3]) + (" …" if len(unknown) > 3 else "")})
        if not force:
            held = target_contents(db, media_root)
            if held:
                shown = ", ".join(held[:5]) + (" …" if len(held) > 5 else "")
                raise BackupError(_("The target is not empty (%(held)s): a restore would replace it. Pass --force "
                                    "to replace it anyway. Nothing was changed.") % {"held": shown})
        source = Path(tmp) / manifest["database"]["member"]
        if engine == "sqlite":
            _restore_sqlite(db, source)
        else:
            _restore_postgresql(db, source)
        _replace_files(Path(tmp) / "files", media_root)
    problems = verify(manifest, db=db, media_root=media_root)
    return Report(path=Path(path), engine=engine, tables=manifest["tables"], files=manifest["files"],
                  database_bytes=manifest["database"]["bytes"], mismatches=problems)
