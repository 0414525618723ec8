"""What a backup archive holds and how its members are counted: the models and stored files it
takes, the names of its members, and the copy that hashes every byte it moves. Shared by writing a
backup and restoring one."""

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField, Model

if TYPE_CHECKING:
    from _typeshed import SupportsRead, SupportsWrite

# Format 2 added the signature; format 1 archives (unsigned) are read only with --accept-unsigned.
ARCHIVE_FORMAT = 2
UNSIGNED_FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
STANDARDS_DATA = "data/standards.json"
RECORDS_DATA = "data/records.json"
FILES = "files/"
CHUNK = 1024 * 1024

NOT_BACKED_UP_APPS = {"contenttypes", "sessions", "axes"}
# Derived rows the database writes itself (portfolio.EvidenceUnit: triggers rebuild them as the
# evidence and its mappings go back in).
NOT_BACKED_UP_MODELS = {"auth.permission", "admin.logentry", "portfolio.evidenceunit"}
STANDARDS_APP = "standards"

Say = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why in words an operator can act on."""


# What is backed up.


def backed_up_models() -> list[type[Model]]:
    """Every model whose rows go in the archive, with the tables behind many-to-many fields."""
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.swapped or not meta.managed:
            continue
        if meta.app_label in NOT_BACKED_UP_APPS or meta.label_lower in NOT_BACKED_UP_MODELS:
            continue
        chosen.append(model)
    return chosen


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.using(using).count() for model in backed_up_models()}


def stored_file_names(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every name a record gives to a file in the default storage."""
    names: set[str] = set()
    for model in backed_up_models():
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, FileField):
                continue
            if model_field.storage is not default_storage:
                raise BackupError(f"{model._meta.label}.{model_field.name} keeps its files outside the default storage.")
            column = model_field.attname
            rows = model._default_manager.using(using).exclude(**{column: ""}).exclude(**{f"{column}__isnull": True})
            names.update(rows.values_list(column, flat=True))
    return sorted(names)


def applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def copy_counted(source: "SupportsRead[bytes]", target: "SupportsWrite[bytes]") -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return digest.hexdigest(), size


def in_one_line(heading: str, items: list[str], most: int = 5) -> str:
    """A refusal as one line: the heading, then the first few items."""
    shown = "; ".join(item.rstrip(".") for item in items[:most])
    more = f"; and {len(items) - most} more" if len(items) > most else ""
    return f"{heading}: {shown}{more}."

