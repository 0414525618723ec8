"""Settings for the evidence portfolio, read from the environment.

With no environment at all this is a safe local set-up: debug on, SQLite in the project folder,
evidence in `var/evidence`. Production sets DJANGO_DEBUG=false, DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS, PORTFOLIO_SITE_URL, PORTFOLIO_BACKUP_KEY and DATABASE_URL; see README.md.
"""

import os
import warnings
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .environment import backup_key, env_bool, env_int, env_list, env_mode, env_str, site_url

# pyHanko 0.38 imports cryptography's DSA key class, which cryptography 51 deprecates with a warning
# at import time: every command printed it (a refused restore was three lines, not its one). The
# portfolio's seals are RSA or EC keys, never DSA: the warning is about pyHanko's import, not our use.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PORTFOLIO_VAR_DIR", str(BASE_DIR / "var")))

# Everything the app writes to disk (evidence files, thumbnails, exports, the SQLite
# database and the folders under var/) is personal data: readable by the app's own account and its
# group, never by every account on the machine. The group is the web server's, so nginx can still
# send evidence files by X-Accel-Redirect (docs/serving.md). Set explicitly rather than left to
# the umask, which under gunicorn or systemd is usually 022: world-readable.
PORTFOLIO_FILE_MODE = env_mode("PORTFOLIO_FILE_MODE", 0o640, owner_needs=0o600)
PORTFOLIO_FOLDER_MODE = env_mode("PORTFOLIO_FOLDER_MODE", 0o750, owner_needs=0o700)
FILE_UPLOAD_PERMISSIONS = PORTFOLIO_FILE_MODE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PORTFOLIO_FOLDER_MODE


def private_sqlite_file(path: Path) -> None:
    """Makes the local database's folder and an empty database file with the modes above, before
    SQLite would make the file itself under the umask. SQLite gives its journal and WAL files the
    database file's mode. An existing file is left as it is (docs/serving.md: tightening an older
    installation)."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, PORTFOLIO_FOLDER_MODE)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PORTFOLIO_FILE_MODE)
    except FileExistsError:
        return
    os.fchmod(descriptor, PORTFOLIO_FILE_MODE)  # exactly the mode, whatever the umask took away
    os.close(descriptor)

DEBUG: bool = env_bool("DJANGO_DEBUG", True)

_LOCAL_SECRET = "local-only-insecure-key-never-used-when-debug-is-off"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _LOCAL_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
if not DEBUG and (SECRET_KEY == _LOCAL_SECRET or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of 32 or more characters.")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "standards",
    "portfolio",
    "assessments",
    "exports",
    "ops",
]

MIDDLEWARE = [
    "config.request_log.RequestLogMiddleware",
    # GET, HEAD and POST only: a DELETE never reaches a view that would read it as a GET.
    "config.methods.AllowedMethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files, before anything else spends time on the request (docs/serving.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, so only what Django itself answers is marked personal (config/cache_control.py).
    "config.cache_control.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Default deny: every page asks for a signed-in person unless its view is marked
    # `login_not_required` (sign-in, password reset, the standards catalogue, the witness's link,
    # the health check), so a new view forgetting a decorator is not public by accident.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An external quality assurer accepts the centre's terms first; what they open is logged.
    "portfolio.eqa_middleware.EqaVisitMiddleware",
    # Nobody is let in by rights, a role or a case changed in the database (portfolio/sealed_access.py).
    "portfolio.sealed_access.SealedAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A link followed to a form's address gets a page, not a blank 405 (inside the CSP, which it uses).
    "config.not_allowed.NotAllowedPageMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portfolio.context_processors.notifications",
            ],
        },
    },
]


def _database_from_url(url: str) -> dj_database_url.DBConfig:
    try:
        database = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except Exception as error:  # dj-database-url raises several types for a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {error}") from None
    engine = database.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"DATABASE_URL selects {engine or 'an unknown engine'}; use postgres:// or sqlite://."
        )
    return database


_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": _database_from_url(_database_url)}
else:
    # Zero set-up: the local database file lives in var/, made on first use.
    private_sqlite_file(VAR_DIR / "portfolio.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "portfolio.sqlite3"),
            # Writers wait for each other instead of failing at once with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portfolio.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT: Path = VAR_DIR / "staticfiles"

# Evidence is personal data: it lives outside anything served as static or public media, and
# leaves only through the permission-checked download view. There is deliberately no MEDIA_URL.
EVIDENCE_ROOT = Path(env_str("PORTFOLIO_EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EVIDENCE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MB = 1024 * 1024
EVIDENCE_MAX_FILE_BYTES = env_int("PORTFOLIO_MAX_FILE_MB", 100, minimum=1) * MB
EVIDENCE_MAX_REQUEST_BYTES = env_int("PORTFOLIO_MAX_REQUEST_MB", 500, minimum=1) * MB
# Anything above this streams to a temporary file, so memory does not grow with the upload.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * MB
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * MB
FILE_UPLOAD_TEMP_DIR = None

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "portfolio@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The session table keeps a keyed hash of each cookie's key, never the key (config/sessions.py): whoever
# reads the database cannot sign in as anyone with what it holds.
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# A form refused by the CSRF check (left open too long, or sent after signing in again elsewhere)
# gets a page in words that says nothing was saved and what to do (config/csrf_failure.py).
CSRF_FAILURE_VIEW = "config.csrf_failure.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploads and evidence files (portfolio/uploads.py, portfolio/upload_handlers.py).
# The limit handler goes first: it stops keeping a file once it passes EVIDENCE_MAX_FILE_BYTES
# (or the request passes EVIDENCE_MAX_REQUEST_BYTES), before memory or disk fill up; the
# others keep small uploads in memory and stream larger ones to a temporary file.
FILE_UPLOAD_HANDLERS = [
    "portfolio.upload_handlers.EvidenceUploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Images with more pixels than this are refused before they are decoded (decompression bombs).
EVIDENCE_MAX_IMAGE_PIXELS = env_int("PORTFOLIO_MAX_IMAGE_PIXELS", 40_000_000, minimum=1)

# The address people reach the site at: every link in every email starts with it (portfolio/links.py).
# Required in production; debug runs default to runserver's address.
PORTFOLIO_SITE_URL = site_url(env_str("PORTFOLIO_SITE_URL", "").strip(), debug=DEBUG, allowed_hosts=ALLOWED_HOSTS)
# Signs sign-off records, so a signature cannot be re-made by editing the database: whoever can
# change a row cannot also produce its signature without this key. Defaults to the secret key.
PORTFOLIO_SIGNING_KEY = env_str("PORTFOLIO_SIGNING_KEY", SECRET_KEY)
# Signs every backup's manifest (ops/backups/signing.py), so a restore refuses an archive whose
# records or files were edited, even with its digests recomputed. Kept outside the backups and apart
# from the secret key, which can then be rotated without making last year's backups unrestorable.
PORTFOLIO_BACKUP_KEY = backup_key(
    env_str("PORTFOLIO_BACKUP_KEY", "").strip(), debug=DEBUG, secret_key=SECRET_KEY,
    signing_key=PORTFOLIO_SIGNING_KEY,
)
# The seal on every PDF (docs/exports.md). A centre's own seal is kept in the database as a PKCS#12
# encrypted with a passphrase derived from PORTFOLIO_SEAL_KEY, so a copy of the database (or a
# backup) alone cannot seal. Centres without one are sealed with the installation's seal: the
# PKCS#12 at PORTFOLIO_SEAL_PKCS12 (its passphrase in PORTFOLIO_SEAL_PASSPHRASE); unset, one is
# made on first use in var/seal/, readable by the app's account only.
PORTFOLIO_SEAL_KEY = env_str("PORTFOLIO_SEAL_KEY", PORTFOLIO_SIGNING_KEY)
PORTFOLIO_SEAL_PKCS12 = Path(env_str("PORTFOLIO_SEAL_PKCS12", str(VAR_DIR / "seal" / "installation.p12")))
PORTFOLIO_SEAL_PASSPHRASE = env_str("PORTFOLIO_SEAL_PASSPHRASE", "")
# Each centre's latest audit event as `manage.py check_fixity` last found it, signed with the signing
# key (ops/audit_trail/heads.py): the next check finds the newest events deleted, which the chain
# cannot. Kept outside the database, on a volume its administrator cannot write (docs/production.md).
PORTFOLIO_AUDIT_HEADS_PATH = Path(env_str("PORTFOLIO_AUDIT_HEADS_PATH", str(VAR_DIR / "audit-heads.json")))

# Slow work (bulk exports) runs in a background worker, `manage.py db_worker`, with its queue in
# the database: nothing to install or run besides the app and its database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

from .logging import *  # noqa: E402, F403
from .security import *  # noqa: E402, F403
from .storage import *  # noqa: E402, F403
