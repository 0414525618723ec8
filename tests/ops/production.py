"""Running the project's Python with production settings, in a subprocess, as a deployment does."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Start each production run from an environment with none of the project's own variables in it.
_PROJECT_PREFIXES = ("DJANGO_", "DATABASE_", "PORTFOLIO_")


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_PROJECT_PREFIXES)}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "k" * 25 + "0123456789abcdefghijklmno",  # 50 characters
        "DJANGO_ALLOWED_HOSTS": "portfolio.example.org",
        "PORTFOLIO_SITE_URL": "https://portfolio.example.org",
        "PORTFOLIO_BACKUP_KEY": "b" * 20 + "0123456789abcdefghijkl",  # 42 characters
        # A file on this machine, so nothing here ever reaches for a database server elsewhere.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portfolio.sqlite3'}",
        "PORTFOLIO_VAR_DIR": str(tmp_path),
        **extra,
    }


def run_python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
