"""Settings for the test suite: fast hashing, email kept in memory, evidence in a temporary folder,
background tasks run at once."""

import os
import tempfile
from pathlib import Path

from . import *  # noqa: F403
from . import DATABASES, STORAGES
from .logging import logging_settings

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Production's lines (JSON), whatever a developer's environment says: the log tests read them.
LOGGING = logging_settings("json")
EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="portfolio-test-evidence-"))
STORAGES = {**STORAGES, "default": {**STORAGES["default"], "OPTIONS": {"location": EVIDENCE_ROOT}}}

# An in-memory SQLite database is shared between the test and the browser tests' live server,
# so a request still running when a test ends can stop the flush after it. A file gives each
# thread its own connection, as PostgreSQL does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"portfolio-test-{os.getpid()}.sqlite3")}

# Tasks run when enqueued, inside the test, so a test sees their whole effect.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Each test process makes its own installation seal on first use, away from var/.
PORTFOLIO_SEAL_PKCS12 = Path(tempfile.mkdtemp(prefix="portfolio-test-seal-")) / "installation.p12"
# Each test has its own (tests/conftest.py); this one is never the project's var/.
PORTFOLIO_AUDIT_HEADS_PATH = Path(tempfile.mkdtemp(prefix="portfolio-test-heads-")) / "audit-heads.json"
