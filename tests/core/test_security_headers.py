"""Headers and sessions: Content-Security-Policy everywhere, no-store on personal pages and downloads,
HTTPS settings that pass `check --deploy`, no weak SECRET_KEY in production, sessions that end when
idle and after a maximum, a 12-character password minimum, a password change page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from labinov.core.middleware import LOGIN_AT, SEEN_AT

from ..conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "labinov" / "templates"
PRODUCTION_ENV = {
    # the production settings documented in docs/deploy.md ("Environment")
    "DEBUG": "0",
    "SECRET_KEY": "k" * 10 + "Zx9-Qw8_Er7.Ty6+Ui5/Op4*As3!Df2@Gh1#Jk0$Lm" + "abcdefghij",
    "ALLOWED_HOSTS": "labinov.salatiga.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://labinov.salatiga.go.id",
    "BEHIND_HTTPS_PROXY": "1",
    "EMAIL_HOST": "smtp.salatiga.go.id",
}


def _run_django(args, env_extra, tmp_path):
    # Not inherited: the development switches, and DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests'
    # conftest sets for the whole pytest process (check --deploy rightly refuses it in production).
    drop = {"LABINOV_DEV", "DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra, LABINOV_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="labinov.settings")
    return subprocess.run([sys.executable, "-m", "labinov.cli", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_with_the_documented_production_settings_has_no_warning(tmp_path):
    r = _run_django(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues" in r.stdout


@pytest.mark.parametrize("key", ["x", "short-but-not-50-characters", "a" * 60, "django-insecure-" + "q1w2e3r4t5" * 5])
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, key):
    r = _run_django(["check"], {**PRODUCTION_ENV, "SECRET_KEY": key}, tmp_path)
    assert r.returncode != 0
    assert "SECRET_KEY is too weak for production" in r.stderr


def test_production_without_a_secret_key_says_how_to_make_one(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    r = _run_django(["check"], env, tmp_path)
    assert r.returncode != 0 and "secrets.token_urlsafe(50)" in r.stderr


def test_every_page_carries_a_strict_content_security_policy(world, client):
    for url in (reverse("login"), reverse("password_reset")):
        policy = client.get(url).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"].startswith("'self' 'nonce-")
        assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    client.force_login(world.users["organiser"])
    assert "Content-Security-Policy" in client.get(reverse("person_list", args=[world.own.slug])).headers


def test_templates_have_no_inline_event_handlers_and_no_script_without_src_or_nonce():
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
    script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    style = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (handler, script, style):
            offenders += [f"{path.relative_to(TEMPLATES)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert not offenders, "\n".join(offenders)


def test_inline_styles_of_printable_pages_carry_the_nonce(world, client):
    client.force_login(world.users["organiser"])
    r = client.get(reverse("plan_timeline", args=[world.own.slug, world.program.pk]))
    policy = r.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'<style media="print" nonce="{nonce}">' in r.content.decode()


def test_pages_with_personal_data_and_downloads_are_not_stored(world, client):
    assert "no-store" not in client.get(reverse("password_reset_done")).get("Cache-Control", "")  # public, anonymous
    client.force_login(world.users["organiser"])
    for url in (reverse("person_list", args=[world.own.slug]), reverse("unit_import_template", args=[world.own.slug])):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"], url


def test_api_answers_to_a_token_are_not_stored(world, client):
    from labinov.api.services import api_token_create

    _token, plaintext = api_token_create(actor=world.users["organiser"], name="t")
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]


def _session_times(client, **times):
    session = client.session
    session.update(times)
    session.save()


def test_an_idle_session_ends_after_the_idle_minutes(world, client, settings):
    settings.LABINOV_SESSION_IDLE_MINUTES = 30
    client.force_login(world.users["organiser"])
    url = reverse("person_list", args=[world.own.slug])
    now = int(time.time())
    _session_times(client, **{LOGIN_AT: now - 3600, SEEN_AT: now - 29 * 60})
    assert client.get(url).status_code == 200
    _session_times(client, **{SEEN_AT: int(time.time()) - 31 * 60})
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    page = client.get(r["Location"]).content.decode()
    assert "tanpa aktivitas" in page


def test_a_session_ends_after_the_maximum_hours_even_when_active(world, client, settings):
    settings.LABINOV_SESSION_MAX_HOURS = 12
    client.force_login(world.users["organiser"])
    url = reverse("person_list", args=[world.own.slug])
    now = int(time.time())
    _session_times(client, **{LOGIN_AT: now - 11 * 3600, SEEN_AT: now - 60})
    assert client.get(url).status_code == 200
    _session_times(client, **{LOGIN_AT: now - 12 * 3600 - 5, SEEN_AT: now - 60})
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_logging_in_records_the_time(world, client):
    client.post(reverse("login"), {"username": world.users["coach"].email, "password": PASSWORD})
    assert abs(client.session[LOGIN_AT] - time.time()) < 60


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError):
        validate_password("Kopi-Tubru1")  # 11 characters
    validate_password("Kopi-Tubruk-1")


def test_a_logged_in_person_changes_their_password(world, client):
    user = world.users["verifier"]
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Ganti kata sandi Anda" in page.content.decode()
    assert reverse("password_change") in client.get(reverse("home")).content.decode()  # linked from the header
    wrong = client.post(reverse("password_change"), {"old_password": "salah", "new_password1": "Baru-Sekali-2026",
                                                     "new_password2": "Baru-Sekali-2026"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["old_password"]
    short = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Pendek-12a",
                                                     "new_password2": "Pendek-12a"})
    assert short.status_code == 200 and short.context["form"].errors["new_password2"]
    r = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Baru-Sekali-2026",
                                                 "new_password2": "Baru-Sekali-2026"})
    assert r.status_code == 302 and r["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Baru-Sekali-2026")
    assert client.get(reverse("home")).status_code == 200  # still logged in


def _make_dry_run(target):
    import shutil

    if not shutil.which("make"):
        pytest.skip("no make")
    r = subprocess.run(["make", "-n", target, "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_make_run_serves_as_production_does():
    commands = _make_dry_run("run")
    server = next(line for line in commands.splitlines() if "gunicorn labinov.wsgi:application" in line)
    assert "env -u LABINOV_DEV DEBUG=0" in server and "--workers 2" in server and "--bind 127.0.0.1:8123" in server
    assert "runserver" not in commands and "DEBUG=1" not in commands
    assert "collectstatic" in commands and "db_worker" in commands
    assert 'SECRET_KEY="$(cat var/secret_key)"' in server
    assert "log in at http://127.0.0.1:8123/login/" in commands


def test_make_dev_keeps_the_development_server():
    commands = _make_dry_run("dev")
    assert "DEBUG=1" in commands and "runserver 127.0.0.1:8123" in commands and "gunicorn" not in commands


def test_the_make_run_environment_is_an_accepted_production_configuration(tmp_path):
    """What `make run` sets (a generated 67-character key, DEBUG off, plain HTTP) starts, and DEBUG is off."""
    import secrets

    env = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
           "SECURE_COOKIES": "0"}
    r = _run_django(["shell", "-c", "from django.conf import settings; print(settings.DEBUG, settings.SECURE_SSL_REDIRECT)"],
                    env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[-2:] == ["False", "False"]
