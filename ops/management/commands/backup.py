"""manage.py backup PATH: the database and every stored file in one consistent ZIP (ops/backups/writing.py)."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Writes one consistent backup: the database, every evidence file and export, and a manifest of "
        "digests signed with PORTFOLIO_BACKUP_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Where to write the ZIP; it must not exist yet.")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = backup(path, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Backed up {summary.rows} rows and {summary.files} files ({size_in_words(summary.file_bytes)}) "
            f"to {summary.path} in {time.monotonic() - started:.1f}s, signed with the backup key "
            f"{summary.key_fingerprint}."
        ))
        if summary.missing:
            raise CommandError(
                f"The backup is written, but {len(summary.missing)} file(s) named in the database were "
                "missing from storage:\n" + "\n".join(f"  - {name}" for name in summary.missing)
            )


def size_in_words(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")
