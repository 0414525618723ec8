"""The settings fail loudly, naming the variable, when the environment makes no sense."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Start each check from an environment with none of the project's own variables in it.
_PROJECT_PREFIXES = ("DJANGO_", "DATABASE_", "PORTFOLIO_")

GOOD_PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 25 + "0123456789abcdefghijklmno",  # 50 characters
    "DJANGO_ALLOWED_HOSTS": "portfolio.example.org",
    "PORTFOLIO_SITE_URL": "https://portfolio.example.org",
    "PORTFOLIO_BACKUP_KEY": "b" * 20 + "0123456789abcdefghijkl",  # 42 characters
    "DATABASE_URL": "postgres://portfolio:secret@db.example.org:5432/portfolio",
}


def setup_django(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run django.setup() in a new Python with config.settings and this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_PROJECT_PREFIXES)}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        pytest.param({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG", id="debug-not-yes-or-no"),
        pytest.param({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL", id="database-mysql"),
        pytest.param({"DATABASE_URL": "notaurl"}, "DATABASE_URL", id="database-not-a-url"),
        pytest.param({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY", id="production-no-key"),
        pytest.param(
            {
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": GOOD_PRODUCTION_ENV["DJANGO_SECRET_KEY"],
            },
            "DJANGO_ALLOWED_HOSTS",
            id="production-no-hosts",
        ),
        pytest.param(
            {key: value for key, value in GOOD_PRODUCTION_ENV.items() if key != "PORTFOLIO_BACKUP_KEY"},
            "PORTFOLIO_BACKUP_KEY",
            id="production-no-backup-key",
        ),
        pytest.param({"PORTFOLIO_BACKUP_KEY": "too-short-to-sign-backups"}, "PORTFOLIO_BACKUP_KEY", id="backup-key-short"),
        pytest.param(
            {**GOOD_PRODUCTION_ENV, "PORTFOLIO_BACKUP_KEY": GOOD_PRODUCTION_ENV["DJANGO_SECRET_KEY"]},
            "PORTFOLIO_BACKUP_KEY",
            id="backup-key-is-the-secret-key",
        ),
        pytest.param(
            {key: value for key, value in GOOD_PRODUCTION_ENV.items() if key != "PORTFOLIO_SITE_URL"},
            "PORTFOLIO_SITE_URL",
            id="production-no-site-address",
        ),
        pytest.param(
            {**GOOD_PRODUCTION_ENV, "PORTFOLIO_SITE_URL": "https://elsewhere.example.com"},
            "PORTFOLIO_SITE_URL",
            id="site-address-not-an-allowed-host",
        ),
        pytest.param({"PORTFOLIO_SITE_URL": "portfolio.example.org/path"}, "PORTFOLIO_SITE_URL", id="site-address-no-scheme"),
        pytest.param({"PORTFOLIO_MAX_FILE_MB": "lots"}, "PORTFOLIO_MAX_FILE_MB", id="size-not-a-number"),
        pytest.param({"PORTFOLIO_FILE_MODE": "0644"}, "PORTFOLIO_FILE_MODE", id="files-world-readable"),
        pytest.param({"PORTFOLIO_FOLDER_MODE": "0755"}, "PORTFOLIO_FOLDER_MODE", id="folders-world-readable"),
    ],
)
def test_a_bad_environment_stops_start_up_and_names_the_variable(env, variable):
    result = setup_django(env)

    assert result.returncode != 0, f"django.setup() accepted {env}:\n{result.stdout}"
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    assert variable in result.stderr, result.stderr


def test_a_good_production_environment_starts():
    result = setup_django(GOOD_PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"
