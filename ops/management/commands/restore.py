"""manage.py restore PATH: a backup made by `manage.py backup` onto an empty installation."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backups import BackupError, restore

from .backup import size_in_words


class Command(BaseCommand):
    help = (
        "Restores a backup onto an empty installation: checks its signature by PORTFOLIO_BACKUP_KEY and "
        "every digest first, migrates, loads the data and files, then checks every file and every "
        "standing sign-off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The ZIP written by manage.py backup.")
        parser.add_argument(
            "--accept-unsigned", action="store_true",
            help=(
                "Also restore a backup made before backups were signed. Nothing then proves its records "
                "and files were not edited (an enrolment moved to another assessor, the audit trail "
                "rewritten): use it only for a backup you know has not left your hands. A signed backup "
                "is still refused if its signature does not verify."
            ),
        )

    def handle(self, *args: Any, path: Path, accept_unsigned: bool, **options: Any) -> None:
        try:
            summary = restore(path, accept_unsigned=accept_unsigned, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {summary.rows} rows and {summary.files} files ({size_in_words(summary.file_bytes)}); "
            f"checked {summary.sign_offs} standing sign-off(s)."
        )
        changed = "".join(f"\n  - {problem}" for problem in summary.changed_records)
        if summary.problems:
            raise CommandError(
                "The data is restored, but it does not all match the backup:\n"
                + "\n".join(f"  - {problem}" for problem in summary.problems)
                + (f"\nAnd signed records do not match what was signed:{changed}" if changed else "")
            )
        if changed:
            # The restore matches the backup: the backup itself holds these records as they were changed.
            raise CommandError(
                "The data is restored, and every row count and file digest matches the backup; but "
                f"{len(summary.changed_records)} finding(s) of the checks after the restore say signed records "
                "have changed since sign-off. The backup holds them so (they were changed before it was made); "
                f"the people on each case have been told:{changed}"
            )
        self.stdout.write(self.style.SUCCESS(
            "Every row count and file digest matches the backup, and every sign-off is intact."
        ))
