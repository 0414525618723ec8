"""manage.py backup PATH: the database and every stored file in one consistent ZIP (ops/backups/writing.py)."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.fixity import found_changed_since_sign_off
from assessments.models import SignOff
from assessments.sign_off_seals import sign_offs_changed
from assessments.signing import utc_iso
from ops.backups import BackupError, backup
from portfolio.models import Enrolment


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
        changed = known_changed()
        if changed:
            self.stdout.write(self.style.WARNING(
                f"{len(changed)} signed-off unit(s) were already known changed since sign-off, and are in the "
                "backup as they are now (each unit's page says what changed; restoring this backup will "
                "not put them right):\n" + "\n".join(f"  - {line}" for line in changed)
            ))
        if summary.missing:
            raise CommandError(
                f"The backup is written, but {len(summary.missing)} file(s) named in the database were "
                "missing from storage:\n" + "\n".join(f"  - {name}" for name in summary.missing)
            )


def known_changed() -> list[str]:
    """The units whose signed record the last check found changed, or whose sign-off was voided or
    deleted by hand, as every list marks them (`fixity.found_changed_since_sign_off`, `sign_off_seals`):
    a backup says so, so that nobody takes it for a copy of records as they were signed."""
    found = [
        f"{s.enrolment.unit.code} of {s.enrolment.candidate} (signed off {utc_iso(s.assessor_signed_at)[:10]})"
        for s in SignOff.objects.standing().filter(found_changed_since_sign_off())
        .select_related("enrolment__unit", "enrolment__candidate").order_by("pk")
    ]
    found += [
        f"{e.unit.code} of {e.candidate} (a sign-off of it is not in the database as it was made)"
        for e in Enrolment.objects.filter(sign_offs_changed()).select_related("unit", "candidate").order_by("pk")
    ]
    return found


def size_in_words(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")
