"""manage.py restore PATH: a backup made by `manage.py backup` onto an empty installation."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backups import BackupError, restore

from .backup import size_in_words


class Command(BaseCommand):
    help = (
        "Restores a backup onto an empty installation: checks every digest first, migrates, loads the "
        "data and files, then checks every file and every standing sign-off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The ZIP written by manage.py backup.")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            summary = restore(path, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {summary.rows} rows and {summary.files} files ({size_in_words(summary.file_bytes)}); "
            f"checked {summary.sign_offs} standing sign-off(s)."
        )
        if summary.problems:
            raise CommandError(
                "The data is restored, but it does not all match the backup:\n"
                + "\n".join(f"  - {problem}" for problem in summary.problems)
            )
        self.stdout.write(self.style.SUCCESS(
            "Every row count and file digest matches the backup, and every sign-off is intact."
        ))
