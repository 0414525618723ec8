"""The environment chooses the storage: the local folder with nothing set, a private S3 bucket with
PORTFOLIO_S3_BUCKET; a value that would make evidence public stops start-up. Each check runs
`config.settings` in a new Python, as a server would start it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
_PROJECT_PREFIXES = ("DJANGO_", "DATABASE_", "PORTFOLIO_", "AWS_")
S3 = {
    "PORTFOLIO_S3_BUCKET": "riverside-evidence",
    "PORTFOLIO_S3_ENDPOINT_URL": "http://127.0.0.1:9",  # never contacted
    "PORTFOLIO_S3_REGION": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "an-access-key",
    "AWS_SECRET_ACCESS_KEY": "a-secret-key-that-must-never-be-a-setting",
}
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "s" * 25 + "0123456789abcdefghijklmno",
    "DJANGO_ALLOWED_HOSTS": "portfolio.example.org",
    "PORTFOLIO_SITE_URL": "https://portfolio.example.org",
    "PORTFOLIO_BACKUP_KEY": "b" * 20 + "0123456789abcdefghijkl",
}
SHOW_STORAGE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'default': settings.STORAGES['default'], "
    "'redirect': settings.PORTFOLIO_S3_REDIRECT_DOWNLOADS}, default=str))"
)


def run(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_PROJECT_PREFIXES)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={
            **clean, "DJANGO_SETTINGS_MODULE": "config.settings", "PORTFOLIO_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'portfolio.sqlite3'}", **env,
        },
        capture_output=True, text=True, timeout=120,
    )


def storage(tmp_path, env) -> dict:
    result = run(tmp_path, env, "-c", SHOW_STORAGE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_it_keeps_evidence_in_the_local_folder_with_nothing_set(tmp_path):
    chosen = storage(tmp_path, {})
    assert chosen["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert chosen["redirect"] is False


def test_it_keeps_evidence_in_a_private_bucket_when_one_is_named(tmp_path):
    chosen = storage(tmp_path, {**S3, "PORTFOLIO_S3_PREFIX": "/riverside/", "PORTFOLIO_S3_REDIRECT_DOWNLOADS": "true"})

    assert chosen["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = chosen["default"]["OPTIONS"]
    assert options["bucket_name"] == "riverside-evidence" and options["location"] == "riverside"
    assert options["endpoint_url"] == "http://127.0.0.1:9" and options["region_name"] == "eu-west-2"
    assert (options["file_overwrite"], options["default_acl"]) == (False, "private")
    assert (options["querystring_auth"], options["querystring_expire"]) == (True, 60)
    assert chosen["redirect"] is True
    # boto3 reads the keys from the environment itself; they are never settings.
    assert "a-secret-key" not in json.dumps(chosen)


def test_production_with_object_storage_passes_the_deployment_checklist(tmp_path):
    result = run(tmp_path, {**PRODUCTION, **S3}, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        pytest.param({**S3, "PORTFOLIO_S3_ACL": "public-read"}, "PORTFOLIO_S3_ACL", id="public-acl"),
        pytest.param({**S3, "PORTFOLIO_S3_URL_SECONDS": "0"}, "PORTFOLIO_S3_URL_SECONDS", id="links-that-never-work"),
        pytest.param({"PORTFOLIO_S3_REDIRECT_DOWNLOADS": "true"}, "PORTFOLIO_S3_REDIRECT_DOWNLOADS", id="redirect-without-bucket"),
        pytest.param({"PORTFOLIO_LOG_LEVEL": "chatty"}, "PORTFOLIO_LOG_LEVEL", id="log-level"),
    ],
)
def test_a_bad_storage_or_log_setting_stops_start_up_and_names_the_variable(tmp_path, env, variable):
    result = run(tmp_path, env, "-c", SHOW_STORAGE)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr
