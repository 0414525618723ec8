"""manage.py import_standard FILE [--dry-run] [--json] [--accept-incomplete] [--suite CODE] [--supersede]

Imports one unit from its published text (a .txt file, or a PDF's text layer) into the catalogue.
A newer version of a unit already there sits beside it; `--supersede` marks the older Current
versions Legacy in the same transaction (candidates stay on them until moved).
Exit status: 0 complete; 3 incomplete (imported only with --accept-incomplete, and still 3 when
it was); 4 not a recognisable unit (nor a readable PDF); 1 any other refusal (the unit already in
the catalogue, in a dry run too); 2 a usage error (no such file, no suite named, a new suite
without its title or with another suite's title).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, OperationalError, ProgrammingError, transaction

from standards import versions
from standards.importing.detect import parse
from standards.importing.parsed import NotAUnit, ParsedUnit
from standards.importing.pdf_text import UnreadablePdf, extract_text
from standards.importing.writer import UnitExists, write_unit
from standards.models import Suite, Unit

INCOMPLETE, NOT_A_UNIT, USAGE = 3, 4, 2


def read_source(path: Path) -> str:
    """The text of the file: a PDF's text layer, or the file as UTF-8 text."""
    if not path.is_file():
        raise CommandError(f"There is no file {path}.", returncode=USAGE)
    if path.suffix.lower() == ".pdf" or path.read_bytes()[:5] == b"%PDF-":
        return extract_text(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotAUnit(f"{path.name} is neither a PDF nor text: it cannot be read as a unit.") from error


def summary(unit: ParsedUnit) -> list[str]:
    counts = [
        (len(unit.elements), "element", "elements"),
        (len(unit.criteria), "performance criterion", "performance criteria"),
        (len(unit.knowledge), "knowledge item", "knowledge items"),
        (len(unit.scope), "scope category", "scope categories"),
        (len(unit.key_words), "key word", "key words"),
    ]
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts]
    lines = [f"{unit.code} {unit.title} ({unit.layout}): {', '.join(parts)}."]
    if not unit.complete:
        lines.append(f"Incomplete: {unit.why_incomplete}.")
    return lines + [f"Warning: {warning}" for warning in unit.warnings]


def _already_held(unit: ParsedUnit) -> bool:
    """The catalogue holds this version of the unit. A dry run checks a text on a machine whose
    database may not be set up yet: with no catalogue, nothing is held."""
    try:
        return Unit.objects.filter(code=unit.code, version=unit.version).exists()
    except (OperationalError, ProgrammingError):
        return False


class Command(BaseCommand):
    help = "Import a unit (National Occupational Standard) from its published text or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the unit's text (.txt) or its PDF")
        parser.add_argument("--dry-run", action="store_true", help="read and check it; write nothing")
        parser.add_argument("--json", action="store_true", help="print the parsed unit as one JSON object")
        parser.add_argument(
            "--accept-incomplete", action="store_true", help="import a unit missing criteria or knowledge"
        )
        parser.add_argument("--suite", metavar="CODE", help="the suite the unit belongs to, e.g. HSC")
        parser.add_argument("--suite-title", metavar="TITLE", help="the suite's name, if it is new")
        parser.add_argument(
            "--supersede", action="store_true",
            help="mark the older Current versions of the unit Legacy (candidates stay on them until moved)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            unit = parse(read_source(options["file"]))
        except (NotAUnit, UnreadablePdf) as error:
            self.stderr.write(str(error))
            raise SystemExit(NOT_A_UNIT) from error
        report = self.stderr if options["json"] else self.stdout
        if options["json"]:
            self.stdout.write(json.dumps(unit.as_json(), ensure_ascii=False, indent=2))
        else:
            for line in summary(unit):
                self.stdout.write(line)
        if options["dry_run"]:
            if _already_held(unit):
                raise CommandError(
                    f"{unit.code} version {unit.version} is already in the catalogue: importing it would be "
                    "refused. Dry run: nothing was imported."
                )
            report.write("Dry run: nothing was imported.")
        elif unit.complete or options["accept_incomplete"]:
            self._import(unit, options, report)
            if not unit.complete:
                report.write(f"{unit.code} was imported as incomplete ({unit.why_incomplete}): "
                             "it is marked incomplete wherever it appears.")  # fmt: skip
        else:
            report.write("Nothing was imported: the unit is incomplete. Check it against the published "
                         "text; --accept-incomplete imports it as it is.")  # fmt: skip
        if not unit.complete:
            raise SystemExit(INCOMPLETE)

    def _import(self, unit: ParsedUnit, options: dict[str, Any], report: Any) -> None:
        try:
            with transaction.atomic():
                older = versions.superseded_by(unit.code, unit.version)
                written = write_unit(
                    unit, self._suite(unit, options["suite"], options["suite_title"]), supersede=options["supersede"]
                )
        except UnitExists as error:
            raise CommandError(str(error)) from error
        except IntegrityError as error:
            raise CommandError(f"{unit.code} could not be imported, and nothing was: {error}") from error
        report.write(f"Imported {written.code} {written.title} into {written.suite.title}.")
        named = " and ".join(f"version {u.version}" for u in older)
        if older and options["supersede"]:
            them = "it" if len(older) == 1 else "them"
            report.write(f"Version {written.version} supersedes {named}, now marked Legacy; candidates stay on {them} until moved.")
        elif older:
            them = "it" if len(older) == 1 else "them"
            report.write(
                f"Version {written.version} sits beside {named}, still marked Current; --supersede marks {them} Legacy."
            )

    def _suite(self, unit: ParsedUnit, code: str | None, title: str | None) -> Suite:
        if code is None:
            suite = Suite.objects.filter(title=unit.suite_title).first() if unit.suite_title else None
            if suite is None:
                raise CommandError("Say which suite the unit belongs to: --suite CODE.", returncode=USAGE)
            return suite
        suite = Suite.objects.filter(code=code).first()
        if suite is None:
            if not (title or unit.suite_title):
                raise CommandError(f"There is no suite {code} yet: give its name with --suite-title.", returncode=USAGE)
            title = title or unit.suite_title
            if same := Suite.objects.filter(title__iexact=title.strip()).first():
                raise CommandError(f"{same.code} has that title: use --suite {same.code}.", returncode=USAGE)
            suite = Suite.objects.create(code=code, title=title)
        return suite
