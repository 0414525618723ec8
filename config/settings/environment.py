"""Reading settings from the environment, failing loudly on values that make no sense.

A typo in a production variable should stop the server at start with a message that names the
variable, not surface weeks later as a subtle misbehaviour.
"""

import hashlib
import hmac
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value; use one of: true, false, 1, 0, yes, no, on, off."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the least allowed value, {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_mode(name: str, default: int, *, owner_needs: int) -> int:
    """A file or folder mode written in octal (`0640`). Stored evidence is personal data: a mode
    that lets every account on the machine in (any "other" bit), or that shuts the owner out of
    what it needs (`owner_needs`), stops the app at start."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip().removeprefix("0o"), 8)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an octal mode such as 0640.") from None
    if not 0 <= value <= 0o777:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a permission mode (at most 0777).")
    if value & 0o007:
        raise ImproperlyConfigured(f"{name}={raw!r} lets every account on the machine in; evidence is personal data.")
    if value & owner_needs != owner_needs:
        raise ImproperlyConfigured(f"{name}={raw!r} leaves the owner unable to use what the app writes.")
    return value


def backup_key(value: str, *, debug: bool, secret_key: str, signing_key: str) -> str:
    """PORTFOLIO_BACKUP_KEY: required in production, 32 or more characters, and not a key that
    already serves another purpose. Debug runs and the tests derive one from the secret key, so
    they need no setting and never share a key with production."""
    if not value:
        if not debug:
            raise ImproperlyConfigured(
                "PORTFOLIO_BACKUP_KEY must be set when DJANGO_DEBUG is false: a random string of 32 or "
                "more characters, kept outside the backups (docs/production.md)."
            )
        return hmac.new(secret_key.encode(), b"portfolio backup key (debug)", hashlib.sha256).hexdigest()
    if len(value) < 32:
        raise ImproperlyConfigured(f"PORTFOLIO_BACKUP_KEY is {len(value)} characters; it must be 32 or more.")
    if value in (secret_key, signing_key):
        raise ImproperlyConfigured(
            "PORTFOLIO_BACKUP_KEY must not be DJANGO_SECRET_KEY or PORTFOLIO_SIGNING_KEY: each key is "
            "rotated on its own."
        )
    return value


def site_url(value: str, *, debug: bool, allowed_hosts: list[str]) -> str:
    """PORTFOLIO_SITE_URL: the address people reach the site at, the one base of every link in
    every email (a witness's link, an invitation, a password reset, a notification). Required when
    debug is off: a default would send real people links to a machine they cannot reach. Its host
    must be one the site answers to, or every emailed link would be refused."""
    from urllib.parse import urlsplit

    from django.http.request import split_domain_port, validate_host

    if not value:
        if not debug:
            raise ImproperlyConfigured(
                "PORTFOLIO_SITE_URL must be set when DJANGO_DEBUG is false: the address people reach the "
                "site at, such as https://portfolio.example.org; every link in every email starts with it."
            )
        return "http://127.0.0.1:8000"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"PORTFOLIO_SITE_URL={value!r} is not a web address such as https://portfolio.example.org."
        )
    host, _port = split_domain_port(parts.netloc)
    if not debug and not validate_host(host, allowed_hosts):
        raise ImproperlyConfigured(
            f"PORTFOLIO_SITE_URL={value!r} names a host that is not in DJANGO_ALLOWED_HOSTS, so every "
            "emailed link would be refused."
        )
    return value.rstrip("/")
