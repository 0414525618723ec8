"""manage.py exports_watch: restarts bulk exports and visit packs whose worker was killed, or fails them with a
message the administrator sees (exports/watch.py). Run it every minute from cron or a systemd
timer (docs/production.md); django-tasks has no periodic jobs of its own."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from exports.watch import STALE_AFTER, restart_stalled


class Command(BaseCommand):
    help = "Restarts (or, after its last attempt, fails) every bulk export or visit pack whose worker stopped sending a heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-minutes", type=int, default=int(STALE_AFTER.total_seconds() // 60),
            help="Minutes without a heartbeat after which a running export counts as stalled (default %(default)s).",
        )

    def handle(self, *args: Any, stale_minutes: int, **options: Any) -> None:
        for stalled in restart_stalled(stale_after=datetime.timedelta(minutes=max(1, stale_minutes))):
            verb = "restarted" if stalled.restarted else "failed"
            self.stdout.write(f"{stalled.label.capitalize()} {stalled.export_id} {verb}: {stalled.message}")
