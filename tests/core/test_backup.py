"""labinov backup / labinov restore (issue 15.5): a restore drill while writes continue, and the refusals.

Runs on SQLite and, when DATABASE_URL points to PostgreSQL (`scripts/with-postgres.sh`), on PostgreSQL: the drill
restores into a fresh database (a new SQLite file / a new PostgreSQL database) and a fresh files folder, never
into the test database itself.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone, translation

from labinov.core import backup as bk

ROOT = Path(__file__).resolve().parents[2]


def _vendor():
    return connection.vendor  # "sqlite" or "postgresql"


# ---------------------------------------------------------------------------------------------------------------
# helpers


def make_data(w, media_root: Path):
    """Ideas (ideas_world), an innovation with an approved plan, a progress report and its evidence file, a signed
    decree and a logo, plus a few MiB of generated PDFs so the backup takes long enough for writes to overlap it."""
    from labinov.delivery.models import Evidence, ProgressReport
    from labinov.innovations.models import ActionPlan, Innovation, Milestone

    inno = Innovation.objects.create(pemda=w.own, program=w.program, unit=w.kel, name="Surat pengantar online",
                                     form="pelayanan_publik", urusan=["adminduk"])
    plan = ActionPlan.objects.create(innovation=inno, version=1, status="approved", objective="Layanan lebih cepat")
    ms = Milestone.objects.create(plan=plan, order=0, activity="Uji coba", starts_on=datetime.date(2019, 8, 1),
                                  ends_on=datetime.date(2019, 9, 30), pic="Lurah")
    report = ProgressReport.objects.create(milestone=ms, innovation=inno, status="in_progress", percent=10,
                                           reported_at=timezone.now())
    content = b"%PDF-1.4\n" + os.urandom(40_000) + b"\n%%EOF\n"
    ev = Evidence(report=report, kind="pdf", content_type="application/pdf", original_name="laporan.pdf",
                  size=len(content), sha256=hashlib.sha256(content).hexdigest())
    ev.file.save("laporan.pdf", ContentFile(content), save=True)
    for rel, size in [("decrees/sk-tim.pdf", 30_000), ("logos/salatiga.png", 5_000),
                      ("commitments/signed/1-1.jpg", 60_000)] + [(f"generated/booklet-{i}.pdf", 1_000_000) for i in range(6)]:
        p = media_root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(os.urandom(size))
    return ev


def source_db(tmp_path: Path) -> dict:
    """The database to back up. PostgreSQL: the test database itself (transaction=True tests commit). SQLite: the
    test database is in memory, so it is copied into a WAL-mode file, like a real installation's."""
    if _vendor() == "postgresql":
        return dict(connection.settings_dict)
    connection.ensure_connection()
    path = tmp_path / "source.sqlite3"
    dst = sqlite3.connect(path)
    connection.connection.backup(dst)
    dst.execute("PRAGMA journal_mode=WAL")
    dst.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


class AuditWriter(threading.Thread):
    """Keeps committing audit records, one per transaction, through its own connection, until stopped."""

    def __init__(self, db: dict):
        super().__init__(daemon=True)
        self.db, self.stop_event, self.count, self.error = db, threading.Event(), 0, None

    def run(self):
        try:
            if bk.engine_of(self.db) == "sqlite":
                conn, mark = sqlite3.connect(self.db["NAME"], timeout=20, isolation_level=None), "?"
            else:
                conn, mark = bk._pg_connect(self.db, autocommit=True), "%s"
            sql = (f"INSERT INTO core_auditrecord (created_at, action, object_type, object_id, object_repr, changes) "
                   f"VALUES ({', '.join([mark] * 6)})")
            while not self.stop_event.is_set():
                conn.execute(sql, (datetime.datetime.now(datetime.UTC).isoformat(), "drill.write", "drill",
                                   str(self.count), "drill row", "{}"))
                self.count += 1
                time.sleep(0.002)
            conn.close()
        except Exception as e:  # reported by the test
            self.error = e

    def wait_for(self, n, timeout=30):
        end = time.monotonic() + timeout
        while self.count < n and self.error is None and time.monotonic() < end:
            time.sleep(0.005)
        assert self.error is None, self.error
        assert self.count >= n, "the writer thread did not write"


class FreshTarget:
    """A fresh, empty database of the current engine and an empty files folder to restore into."""

    def __init__(self, tmp_path: Path):
        self.media_root = tmp_path / "restored" / "files"
        self.pg_name = None
        if _vendor() == "sqlite":
            self.db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored" / "labinov.sqlite3")}
        else:
            self.pg_name = f"labinov_restore_{uuid.uuid4().hex[:10]}"
            with bk._pg_connect(connection.settings_dict, autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{self.pg_name}"')
            self.db = {**connection.settings_dict, "NAME": self.pg_name}

    def drop(self):
        if self.pg_name:
            with bk._pg_connect(connection.settings_dict, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


@pytest.fixture
def fresh_target(tmp_path):
    target = FreshTarget(tmp_path)
    yield target
    target.drop()


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:*") as tar:
        return json.load(tar.extractfile(bk.MANIFEST))


def rewrite_archive(src: Path, dest: Path, change):
    """Copy an archive member by member; change(name, data) returns (name, data) or None to drop the member."""
    with tarfile.open(src, "r:*") as tin, tarfile.open(dest, "w:gz") as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read()
            out = change(m.name, data)
            if out is None:
                continue
            info = tarfile.TarInfo(out[0])
            info.size = len(out[1])
            tout.addfile(info, io.BytesIO(out[1]))


def snapshot(db: dict, media_root: Path):
    """What a refused restore must leave exactly as it was."""
    files = {rel: bk.sha256_file(p) for rel, p in bk._media_files(Path(media_root))}
    return bk.table_counts(db), files


# ---------------------------------------------------------------------------------------------------------------
# the drill


@pytest.mark.django_db(transaction=True)
def test_restore_drill_while_writes_continue(ideas_world, settings, tmp_path, fresh_target):
    ev = make_data(ideas_world, Path(settings.MEDIA_ROOT))
    src = source_db(tmp_path)
    archive = tmp_path / "backups" / "drill.tar.gz"

    writer = AuditWriter(src)
    writer.start()
    try:
        writer.wait_for(5)
        before = bk.table_counts(src)["core_auditrecord"]
        started = writer.count
        report = bk.create_backup(archive, db=src, media_root=Path(settings.MEDIA_ROOT))
        during = writer.count - started
        writer.wait_for(writer.count + 5)  # and writes go on after it
    finally:
        writer.stop_event.set()
        writer.join(10)
    assert writer.error is None, writer.error
    after = bk.table_counts(src)["core_auditrecord"]
    assert during > 0, "no row was written while the backup ran: the drill proves nothing"

    manifest = read_manifest(archive)
    assert manifest["engine"] == _vendor()
    assert manifest["labinov_version"]
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["tables"] == report.tables
    # the snapshot holds the rows committed before it and not the ones after
    assert before <= manifest["tables"]["core_auditrecord"] < after
    assert manifest["tables"]["ideas_idea"] == 4 and manifest["tables"]["regions_unit"] == 3
    assert manifest["tables"]["delivery_evidence"] == 1
    assert manifest["files"][ev.file.name] == ev.sha256
    assert len(manifest["files"]) == 10

    restored = bk.restore_backup(archive, db=fresh_target.db, media_root=fresh_target.media_root)
    assert restored.mismatches == []

    # independently of the restore's own verification: every table's count, every file's checksum
    assert bk.table_counts(fresh_target.db) == manifest["tables"]
    got = {rel: bk.sha256_file(p) for rel, p in bk._media_files(fresh_target.media_root)}
    assert got == manifest["files"]
    assert got == {rel: bk.sha256_file(p) for rel, p in bk._media_files(Path(settings.MEDIA_ROOT))}
    if _vendor() == "sqlite":
        conn = sqlite3.connect(fresh_target.db["NAME"])
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        title = conn.execute("SELECT title FROM ideas_idea WHERE id = ?", (ideas_world.idea.pk,)).fetchone()[0]
        conn.close()
    else:
        with bk._pg_connect(fresh_target.db) as conn:
            title = conn.execute("SELECT title FROM ideas_idea WHERE id = %s", (ideas_world.idea.pk,)).fetchone()[0]
    assert title == "Layanan surat pengantar online"


# ---------------------------------------------------------------------------------------------------------------
# the commands and the refusals


@pytest.fixture
def archive(world, settings, tmp_path):
    (Path(settings.MEDIA_ROOT) / "evidence").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "evidence" / "foto.png").write_bytes(b"\x89PNG" + os.urandom(2000))
    path = tmp_path / "b.tar.gz"
    out = io.StringIO()
    with translation.override("en"):
        call_command("backup", output=str(path), stdout=out)
    assert f"Backup written to {path}" in out.getvalue()
    assert "1 files." in out.getvalue()
    return path


@pytest.mark.django_db(transaction=True)
def test_backup_command_writes_one_archive_with_manifest(archive, settings):
    names = tarfile.open(archive, "r:gz").getnames()
    assert sorted(names) == sorted([bk.DB_MEMBER[_vendor()], "files/evidence/foto.png", "manifest.json"])
    m = read_manifest(archive)
    assert m["tables"]["regions_pemda"] == 2 and m["tables"]["regions_unit"] == 3
    assert m["files"]["evidence/foto.png"] == bk.sha256_file(Path(settings.MEDIA_ROOT) / "evidence" / "foto.png")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert not list(archive.parent.glob("*.partial"))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_non_empty_target_and_changes_nothing(archive, settings):
    before = snapshot(connection.settings_dict, settings.MEDIA_ROOT)
    with translation.override("en"), pytest.raises(CommandError) as e:
        call_command("restore", str(archive))
    assert e.value.returncode == 2
    assert "not empty" in str(e.value) and "--force" in str(e.value) and "Nothing was changed" in str(e.value)
    assert snapshot(connection.settings_dict, settings.MEDIA_ROOT) == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", ["file content", "database", "missing file", "truncated", "manifest"])
def test_restore_refuses_damaged_archive_even_with_force(archive, settings, tmp_path, damage):
    bad = tmp_path / "bad.tar.gz"
    if damage == "truncated":
        data = archive.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    else:
        def change(name, data):
            if damage == "file content" and name == "files/evidence/foto.png":
                return name, data[:-1] + bytes([data[-1] ^ 1])
            if damage == "database" and name.startswith("database."):
                return name, data + b"\0"
            if damage == "missing file" and name == "files/evidence/foto.png":
                return None
            if damage == "manifest" and name == "manifest.json":
                return name, data[:-10]
            return name, data
        rewrite_archive(archive, bad, change)
    before = snapshot(connection.settings_dict, settings.MEDIA_ROOT)
    with translation.override("en"), pytest.raises(CommandError) as e:
        call_command("restore", str(bad), force=True)
    assert e.value.returncode == 2
    assert "damaged" in str(e.value) and "Nothing was changed" in str(e.value)
    assert snapshot(connection.settings_dict, settings.MEDIA_ROOT) == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_archive_of_another_engine(archive, settings, tmp_path):
    other = "postgresql" if _vendor() == "sqlite" else "sqlite"

    def change(name, data):
        if name.startswith("database."):
            return bk.DB_MEMBER[other], data
        if name == "manifest.json":
            m = json.loads(data)
            m["engine"], m["database"]["member"] = other, bk.DB_MEMBER[other]
            return name, json.dumps(m).encode()
        return name, data

    foreign = tmp_path / "foreign.tar.gz"
    rewrite_archive(archive, foreign, change)
    before = snapshot(connection.settings_dict, settings.MEDIA_ROOT)
    with translation.override("en"), pytest.raises(CommandError) as e:
        call_command("restore", str(foreign), force=True)
    assert e.value.returncode == 2
    assert f"holds a {other} database but this installation uses {_vendor()}" in str(e.value)
    assert snapshot(connection.settings_dict, settings.MEDIA_ROOT) == before


@pytest.mark.django_db(transaction=True)
def test_restore_messages_in_indonesian(archive):
    with translation.override("id"), pytest.raises(CommandError) as e:
        call_command("restore", str(archive))
    assert "tidak kosong" in str(e.value)


def unit_names(db):
    sql = "SELECT name FROM regions_unit ORDER BY name"
    if bk.engine_of(db) == "sqlite":
        conn = sqlite3.connect(db["NAME"])
        try:
            return [r[0] for r in conn.execute(sql)]
        finally:
            conn.close()
    with bk._pg_connect(db) as conn:
        return [r[0] for r in conn.execute(sql)]


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_replaces_target_and_verifies(archive, settings, tmp_path, fresh_target):
    """--force over a target that holds other data: the archive's data replaces it (files not in the archive go)."""
    first = bk.restore_backup(archive, db=fresh_target.db, media_root=fresh_target.media_root)
    assert first.mismatches == []
    (fresh_target.media_root / "stray.txt").write_text("not in the backup")
    if _vendor() == "sqlite":
        conn = sqlite3.connect(fresh_target.db["NAME"])
        conn.execute("UPDATE regions_unit SET name = 'changed ' || id")
        conn.execute("DELETE FROM core_auditrecord")
        conn.commit()
        conn.close()
    else:
        with bk._pg_connect(fresh_target.db) as conn:
            conn.execute("UPDATE regions_unit SET name = 'changed ' || id")
            conn.execute("DELETE FROM core_auditrecord")
    with pytest.raises(bk.BackupError):
        bk.restore_backup(archive, db=fresh_target.db, media_root=fresh_target.media_root)
    again = bk.restore_backup(archive, db=fresh_target.db, media_root=fresh_target.media_root, force=True)
    assert again.mismatches == []
    assert bk.table_counts(fresh_target.db) == read_manifest(archive)["tables"]
    assert read_manifest(archive)["tables"]["core_auditrecord"] > 0
    assert unit_names(fresh_target.db) == ["Dinas Kesehatan", "Kelurahan Kalicacing", "SD Negeri Salatiga 01"]
    assert not (fresh_target.media_root / "stray.txt").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the -wal/-shm files and the file rename are SQLite's")
def test_sqlite_restore_drops_the_old_files_write_ahead_log(archive, tmp_path):
    target = tmp_path / "t" / "labinov.sqlite3"
    target.parent.mkdir()
    Path(str(target) + "-wal").write_bytes(b"stale log of the old file")
    Path(str(target) + "-shm").write_bytes(b"stale")
    db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)}
    report = bk.restore_backup(archive, db=db, media_root=tmp_path / "t" / "files")
    assert report.mismatches == []
    assert not Path(str(target) + "-wal").exists() or Path(str(target) + "-wal").read_bytes() != b"stale log of the old file"
    assert not list(target.parent.glob("*.restoring"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="pg_dump runs only on PostgreSQL (make test runs this file again under with-postgres.sh)")
def test_pg_dump_gets_the_password_from_the_environment_not_the_command_line(archive, monkeypatch, tmp_path):
    seen = []
    real_run = subprocess.run

    def spy(args, **kwargs):
        seen.append((args, kwargs.get("env", {})))
        return real_run(args, **kwargs)

    monkeypatch.setattr(bk.subprocess, "run", spy)
    db = {**connection.settings_dict, "PASSWORD": "s3cret-Sandi"}  # trust auth ignores it
    bk.create_backup(tmp_path / "pw.tar", db=db, media_root=tmp_path / "none")
    (args, env), = seen
    assert "pg_dump" in args[0] and "--format=custom" in args
    assert not any("s3cret-Sandi" in a for a in args)
    assert env["PGPASSWORD"] == "s3cret-Sandi"


def test_restore_from_the_command_line_exits_2_without_traceback(tmp_path):
    env = {**os.environ, "LABINOV_DEV": "1", "LABINOV_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "restore", str(tmp_path / "nope.tar.gz"),
                             "--language", "en"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "There is no archive at" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_archive_of_a_newer_version(archive, settings, tmp_path):
    def change(name, data):
        if name == "manifest.json":
            m = json.loads(data)
            m["migrations"]["core"].append("9999_from_the_future")
            return name, json.dumps(m).encode()
        return name, data

    newer = tmp_path / "newer.tar.gz"
    rewrite_archive(archive, newer, change)
    before = snapshot(connection.settings_dict, settings.MEDIA_ROOT)
    with translation.override("en"), pytest.raises(CommandError) as e:
        call_command("restore", str(newer), force=True)
    assert e.value.returncode == 2
    assert "newer Labinov" in str(e.value) and "core.9999_from_the_future" in str(e.value)
    assert snapshot(connection.settings_dict, settings.MEDIA_ROOT) == before


@pytest.mark.django_db(transaction=True)
def test_verify_lists_every_difference_from_the_manifest(archive, fresh_target):
    assert bk.restore_backup(archive, db=fresh_target.db, media_root=fresh_target.media_root).mismatches == []
    (fresh_target.media_root / "evidence" / "foto.png").write_bytes(b"other")
    if _vendor() == "sqlite":
        conn = sqlite3.connect(fresh_target.db["NAME"])
        conn.execute("INSERT INTO django_session VALUES ('drill-extra-key', 'd', '2030-01-01 00:00:00')")
        conn.commit()
        conn.close()
    else:
        with bk._pg_connect(fresh_target.db) as conn:
            conn.execute("INSERT INTO django_session VALUES ('drill-extra-key', 'd', '2030-01-01 00:00:00+00')")
    manifest = read_manifest(archive)
    with translation.override("en"):
        problems = bk.verify(manifest, db=fresh_target.db, media_root=fresh_target.media_root)
    expected_sessions = manifest["tables"]["django_session"]
    assert f"table django_session: {expected_sessions + 1} rows, the manifest says {expected_sessions}" in problems
    assert "file evidence/foto.png: checksum mismatch" in problems


def test_pg_tools_get_the_connection_settings_from_the_environment():
    env = bk._pg_env({"NAME": "labinov", "USER": "lab", "PASSWORD": "s3cret", "HOST": "db.local", "PORT": 5433,
                      "OPTIONS": {"sslmode": "require"}})
    assert (env["PGDATABASE"], env["PGUSER"], env["PGPASSWORD"], env["PGHOST"], env["PGPORT"], env["PGSSLMODE"]) == (
        "labinov", "lab", "s3cret", "db.local", "5433", "require")
