"""manage.py check_fixity: the scheduled fixity check. Queues, for the background worker, a check of
every standing sign-off's files (each read from storage and hashed against what was signed, and the
result recorded: `assessments.fixity`). Run it nightly from cron or a systemd timer
(docs/production.md); django-tasks has no periodic jobs of its own.

    manage.py check_fixity                    # every standing sign-off, on the worker
    manage.py check_fixity --older-than 20    # only those not checked in the last 20 hours
    manage.py check_fixity --now              # here and now, one line each; exit status 1 if any has changed
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import fixity
from assessments.tasks import check_sign_off_files


class Command(BaseCommand):
    help = "Checks every standing sign-off's files against what was signed (on the background worker, or --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=float, metavar="HOURS",
            help="Only sign-offs whose files were last checked more than HOURS ago (or never).",
        )
        parser.add_argument(
            "--now", action="store_true",
            help="Check here and now instead of queuing for the worker; print each result, and exit with "
            "status 1 if any signed record has changed.",
        )

    def handle(self, *args: Any, older_than: float | None, now: bool, **options: Any) -> None:
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than takes a number of hours, 0 or more.")
        due = fixity.due_for_a_check(
            older_than=datetime.timedelta(hours=older_than) if older_than is not None else None
        ).select_related("enrolment__unit", "enrolment__candidate")
        if not now:
            count = 0
            for sign_off_id in due.values_list("pk", flat=True):
                check_sign_off_files.enqueue(sign_off_id, fixity.Boundary.SCHEDULE.value)
                count += 1
            self.stdout.write(f"Queued a fixity check of {count} standing sign-off{'s' if count != 1 else ''}.")
            return
        changed = []
        for sign_off in due.iterator():
            report = fixity.check_and_record(sign_off, boundary=fixity.Boundary.SCHEDULE)
            what = f"{sign_off.enrolment.unit.code} of {sign_off.enrolment.candidate} (sign-off {sign_off.pk})"
            if report.intact:
                self.stdout.write(f"Intact: {what}: {report.files_read} files read, {report.decision_count} decisions.")
            else:
                changed.append(what)
                self.stdout.write(f"CHANGED: {what}:")
                for problem in report.problems:
                    self.stdout.write(f"  - {problem}")
        if changed:
            raise CommandError(f"{len(changed)} signed record{'s have' if len(changed) != 1 else ' has'} changed since sign-off.")
        self.stdout.write("Every signed record checked is intact.")
