"""Every user-visible string is in the Indonesian catalogue, translated, and the catalogue compiles."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "labinov"
PO = SRC / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _msgids(po_text: str) -> set[str]:
    ids, current, in_id = set(), [], False
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            in_id, current = True, [line[6:]]
        elif line.startswith(("msgid_plural", "msgstr", "msgctxt")):
            if in_id:
                ids.add("".join(s.strip('"') for s in current))
            in_id = False
        elif in_id and line.startswith('"'):
            current.append(line)
    ids.discard("")
    return ids


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is installed by make system-deps")
def test_catalogue_is_complete_and_valid():
    out = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
                         capture_output=True, text=True, check=True)
    stats = out.stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is installed by make system-deps")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, settings):
    """Runs makemessages on a copy of the source and compares the msgids with the committed catalogue."""
    from django.core.management import call_command

    copy = tmp_path / "labinov"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "migrations"))
    (copy / "locale" / "id" / "LC_MESSAGES" / "django.po").unlink()
    cwd = Path.cwd()
    try:
        import os

        os.chdir(copy)
        settings.LOCALE_PATHS = [copy / "locale"]
        call_command("makemessages", locale=["id"], no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
    extracted = _msgids((copy / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text())
    committed = _msgids(PO.read_text())
    missing = sorted(extracted - committed)
    assert not missing, f"{len(missing)} strings are not in locale/id/LC_MESSAGES/django.po; run `make messages-update`: {missing[:20]}"


def test_indonesian_is_the_default_and_english_available(client, db):
    r = client.get("/login/")
    assert 'lang="id"' in r.content.decode()
    r = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in r.content.decode()
    assert re.search(r"Log in", r.content.decode())
