"""Where evidence files and exports are kept: the local folder of `config.settings` by default, or
S3-compatible object storage when PORTFOLIO_S3_BUCKET is set (see docs/production.md).

Credentials are never settings: boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an
instance role) from the environment itself, so they never appear in `diffsettings` or an error page.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from . import FILE_UPLOAD_MAX_MEMORY_SIZE
from . import STORAGES as _LOCAL_STORAGES
from .environment import env_bool, env_int, env_str

__all__ = ["PORTFOLIO_S3_REDIRECT_DOWNLOADS", "STORAGES"]

_ACLS = {"private": "private", "none": None}


def object_storage(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    prefix: str = "",
    acl: str | None = "private",
    url_seconds: int = 60,
    **credentials: str,
) -> dict[str, Any]:
    """The STORAGES entry for a private S3 bucket. The tests build theirs with this too, so what they
    check is what production runs."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "location": prefix.strip("/"),
            # A name already taken gets a new one instead of replacing what is there: evidence
            # that was signed off must never be overwritten by a later upload.
            "file_overwrite": False,
            # Objects are readable only with the bucket owner's credentials; nothing public.
            "default_acl": acl,
            # url() gives a signed link that works for a minute, for the permission-checked
            # download view to redirect to (portfolio/storage_urls.py); never a public address.
            "querystring_auth": True,
            "querystring_expire": url_seconds,
            "signature_version": "s3v4",
            # Reading a stored file spools it to a temporary file past this size instead of
            # holding a whole video in memory (django-storages' default, 0, never spills).
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
            **credentials,
        },
    }


def _acl() -> str | None:
    raw = env_str("PORTFOLIO_S3_ACL", "private").strip().lower()
    if raw not in _ACLS:
        raise ImproperlyConfigured(
            f"PORTFOLIO_S3_ACL={raw!r} is not allowed; use private, or none for a bucket with ACLs "
            "disabled (evidence is personal data: it is never public)."
        )
    return _ACLS[raw]


_bucket = env_str("PORTFOLIO_S3_BUCKET", "").strip()
if _bucket:
    STORAGES = {
        **_LOCAL_STORAGES,
        "default": object_storage(
            bucket=_bucket,
            endpoint_url=env_str("PORTFOLIO_S3_ENDPOINT_URL", "").strip(),
            region=env_str("PORTFOLIO_S3_REGION", "").strip(),
            prefix=env_str("PORTFOLIO_S3_PREFIX", ""),
            acl=_acl(),
            url_seconds=env_int("PORTFOLIO_S3_URL_SECONDS", 60, minimum=1),
        ),
    }
else:
    STORAGES = _LOCAL_STORAGES

# After the permission check, send the browser to a signed link that works for a minute instead
# of streaming the file through the web process (object storage only).
PORTFOLIO_S3_REDIRECT_DOWNLOADS = env_bool("PORTFOLIO_S3_REDIRECT_DOWNLOADS", False)
if PORTFOLIO_S3_REDIRECT_DOWNLOADS and not _bucket:
    raise ImproperlyConfigured("PORTFOLIO_S3_REDIRECT_DOWNLOADS needs object storage: set PORTFOLIO_S3_BUCKET.")
