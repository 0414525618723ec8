"""The environment a benchmark runs the product in: production settings (debug off, fresh keys) on a
database and storage of its own in a temporary folder, so figures are those a centre would see and
nothing of this machine's own data is touched."""

import os
import secrets
from pathlib import Path


def production_env(folder: Path, *, database_name: str, site_url: str, hosts: str) -> dict[str, str]:
    """PostgreSQL when DATABASE_URL names one (the production database); otherwise a SQLite file in `folder`."""
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(url):
        url = f"sqlite:///{folder / database_name}"
    var = folder / "var"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "PORTFOLIO_BACKUP_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": hosts,
        "PORTFOLIO_SITE_URL": site_url,
        # Plain HTTP on loopback; production's HTTPS redirect is nginx's job.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "PORTFOLIO_VAR_DIR": str(var),
        "PORTFOLIO_EVIDENCE_ROOT": str(var / "evidence"),
        "PORTFOLIO_S3_BUCKET": "",
    }


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def centre_env(folder: Path, database_url: str, *, site_url: str, hosts: str) -> dict[str, str]:
    """The environment for a centre generated before and kept: its database, and its folder as
    `manage.py benchmark --keep` leaves it (sign-in.json, keys.env with the keys its sign-offs were
    signed with, var/ with its files)."""
    for name in ("sign-in.json", "keys.env", "var"):
        if not (folder / name).exists():
            raise FileNotFoundError(f"{folder} has no {name}: not a centre's folder as `benchmark --keep` leaves it")
    keys = {}
    for line in (folder / "keys.env").read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        if name.strip() and not name.lstrip().startswith("#"):
            keys[name.strip()] = value.strip()
    return {
        **production_env(folder, database_name="centre.sqlite3", site_url=site_url, hosts=hosts),
        **keys,
        "DATABASE_URL": database_url,
    }
