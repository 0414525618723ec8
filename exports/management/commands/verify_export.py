"""manage.py verify_export FILE [--root CERT]: checks a unit PDF, a bulk-export ZIP or a visit pack
(docs/exports.md)."""

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.seal import Roots, read_roots
from exports.verification import ExportCheck, UnitCheck, check_export
from exports.verification_live import centre_roots, compare_with_live_record, database_available


class Command(BaseCommand):
    help = (
        "Checks a unit PDF, a bulk-export ZIP or a visit pack, unit by unit: the seal is valid, the embedded "
        "manifest matches every file in the ZIP, nothing has changed; in a ZIP, manifest.json carries the centre's "
        "seal and every file is the one it lists. Needs no database when given the centre's "
        "root certificate (--root); with the database it also compares each unit with the live record. "
        "Exit status 0 only when everything holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A unit PDF, a bulk-export ZIP or a visit pack ZIP.")
        parser.add_argument(
            "--root", type=Path, action="append", default=[],
            help="A PEM file of the root certificate(s) to trust (`centre_seal_root` prints a centre's). "
            "May be given more than once. Without it, the roots of the centre's seals in the database.",
        )
        parser.add_argument("--offline", action="store_true", help="Do not use the database, even if there is one.")

    def handle(self, *args: Any, file: Path, root: list[Path], offline: bool, **options: Any) -> None:
        live = not offline and database_available()
        roots: Roots = [certificate for path in root for certificate in _roots(path)]
        if not root and live:
            roots = centre_roots
        try:
            with file.open("rb") as source, _quiet():
                result = check_export(source, file.name, roots, compare_with_live_record if live else None)
        except OSError as error:
            raise CommandError(f"{file} could not be read: {error.strerror}.") from None
        for unit in result.units:
            self._report(unit)
        if result.list_seal is not None and result.list_seal.valid:
            seal = result.list_seal
            self.stdout.write(f"VALID      manifest.json: the list of every file in the ZIP; {_sealed(seal)}")
        for problem in result.problems:
            self.stdout.write(f"NOT VALID  {problem}")
        for unit_left_out in result.left_out:
            self.stdout.write(f"LEFT OUT   {unit_left_out} (the export says so; not in the ZIP)")
        if not live:
            why = "--offline: the database was not used" if offline else "no database"
            self.stdout.write(f"Not compared with the live record ({why}).")
        if not result.valid:
            raise CommandError(_summary(result), returncode=1)
        self.stdout.write(self.style.SUCCESS(_summary(result)))

    def _report(self, unit: UnitCheck) -> None:
        seal = _sealed(unit) if unit.sealed_by else "no valid seal"
        if unit.valid:
            self.stdout.write(f"VALID      {unit.path}: {unit.title}; {seal}")
        elif not unit.problems:
            self.stdout.write(f"CHANGED    {unit.path}: {unit.title}; {seal}")
            self.stdout.write(
                "           The seal is valid, but the signatures it carries are on a record that had changed "
                f"since sign-off when this PDF was produced (checked {unit.checked_at}):"
            )
        else:
            self.stdout.write(f"NOT VALID  {unit.path}: {unit.title or 'unit PDF'}; {seal}")
        for problem in unit.problems:
            self.stdout.write(f"           - {problem}")
        for change in unit.changes:
            self.stdout.write(f"           - changed since sign-off: {change}")
        for note in unit.notes:
            self.stdout.write(f"           ({note})")


@contextmanager
def _quiet() -> Iterator[None]:
    """The report is the command's only output: the libraries that read seals and PDFs (pyHanko,
    pypdf) log warnings and tracebacks about what they find wrong, which the report names in words."""
    before = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(before)


def _sealed(seal: Any) -> str:
    when = f" at {seal.sealed_at}" if seal.sealed_at else " (the seal gives no time)"
    return f"sealed by {seal.sealed_by}{when}"


def _roots(path: Path) -> list:
    try:
        certificates = read_roots(path.read_bytes())
    except OSError as error:
        raise CommandError(f"{path} could not be read: {error.strerror}.") from None
    except ValueError:
        certificates = []
    if not certificates:
        raise CommandError(f"{path} holds no PEM or DER certificate.")
    return certificates


def _summary(result: ExportCheck) -> str:
    failed = result.failing
    counts = f"{len(result.units)} unit PDF(s)"
    if result.files_checked or result.list_seal is not None:  # a ZIP: its other files, however many
        counts += f", {result.files_checked} {result.files_word}(s) checked"
    if result.valid:
        return f"Everything holds: {counts}."
    return f"NOT VALID: {counts}; {failed} failing, named above."
