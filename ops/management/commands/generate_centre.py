"""manage.py generate_centre: a realistic training centre of generated people and evidence, built
from a seed in an empty database (ops/generated_centre says what it holds and how it is made).

    manage.py generate_centre --assessors 20 --candidates 1000 --enrolments 2 --evidence 60 --seed 42
"""

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.generated_centre import (
    PASSWORD,
    UNIT_CODES,
    CentreGenerator,
    CentreSize,
    ensure_standards,
    refuse_unless_empty,
)


class Command(BaseCommand):
    help = "Builds a realistic centre of generated people and evidence in an empty database, from a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assessors", type=int, default=4)
        parser.add_argument("--iqas", type=int, default=0, help="Default: one per five assessors.")
        parser.add_argument("--candidates", type=int, default=40)
        parser.add_argument("--enrolments", type=int, default=2,
                            help=f"Units per candidate, at most {len(UNIT_CODES)} (the units there are).")
        parser.add_argument("--evidence", type=int, default=20, help="Evidence items per candidate.")
        parser.add_argument("--files-per-evidence", type=int, default=1)
        parser.add_argument("--signed-off-percent", type=int, default=15)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--showcase", action="store_true",
                            help="Add a candidate with a signed-off HSC331 of 40 evidence items, 20 of them photos.")
        parser.add_argument("--people-json", help="Write the sign-in emails by role to this file.")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("assessors", "candidates", "enrolments"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be 1 or more.")
        for name in ("evidence", "files_per_evidence", "iqas"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} cannot be negative.")
        refuse_unless_empty()
        if ensure_standards():
            self.stdout.write("Loaded the standards (HSC331 and H3 25).")
        if options["enrolments"] > len(UNIT_CODES):
            self.stdout.write(f"Only {len(UNIT_CODES)} units exist, so each candidate is enrolled on {len(UNIT_CODES)}.")
        size = CentreSize(
            assessors=options["assessors"], iqas=options["iqas"], candidates=options["candidates"],
            enrolments=options["enrolments"], evidence=options["evidence"],
            files_per_evidence=options["files_per_evidence"], signed_off_percent=options["signed_off_percent"],
            showcase=options["showcase"],
        )
        started = time.monotonic()
        generator = CentreGenerator(size, options["seed"])
        generator.plan_people()
        counts = generator.write(log=self.stdout.write)
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Made {generator.centre} (id {generator.centre.pk}) in {seconds:.1f} s:"))
        for name, number in counts.items():
            self.stdout.write(f"  {name.replace('_', ' '):<16} {number:>9,}")
        self.stdout.write(f"Every generated person signs in with the password {PASSWORD}.")
        if options["people_json"]:
            with open(options["people_json"], "w", encoding="utf-8") as out:
                json.dump({**generator.sign_in_list(), "seconds": round(seconds, 1), "counts": dict(counts)}, out,
                          indent=2)
            self.stdout.write(f"Sign-in emails by role written to {options['people_json']}.")
