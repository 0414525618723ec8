"""Settings for the test suite: fast hashing, email kept in memory, evidence in a temporary folder."""

import tempfile
from pathlib import Path

from . import *  # noqa: F403
from . import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="portfolio-test-evidence-"))
STORAGES = {**STORAGES, "default": {**STORAGES["default"], "OPTIONS": {"location": EVIDENCE_ROOT}}}
