"""Short-lived signed links to stored files, for the download view to redirect to after its
permission check, when the storage can make them (S3-compatible object storage can; the local
folder cannot, and its files are streamed instead)."""

from typing import Any

from django.db.models.fields.files import FieldFile
from django.utils.http import content_disposition_header


def signed_url(
    file_field: FieldFile,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    as_attachment: bool = True,
) -> str | None:
    """A link that works for the storage's `querystring_expire` seconds (a minute by default), or
    None when the storage makes no signed links.

    The object store answers it with the content type and disposition given here, not with
    whatever was stored, so the browser treats the file as the download view would have."""
    # Only django-storages' S3Storage, which ships no types, takes `parameters`; Storage's stub does not.
    storage: Any = file_field.storage
    if not getattr(storage, "querystring_auth", False) or getattr(storage, "custom_domain", None):
        # No signing, or a public domain in front of the bucket: either would give a bare
        # address anyone could reuse.
        return None
    parameters: dict[str, str | None] = {"ResponseCacheControl": "private, no-store"}
    if content_type:
        parameters["ResponseContentType"] = content_type
    if filename or as_attachment:
        parameters["ResponseContentDisposition"] = content_disposition_header(as_attachment, filename or "")
    return storage.url(file_field.name, parameters=parameters)
