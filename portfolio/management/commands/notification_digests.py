"""manage.py notification_digests: queues the daily digest emails for the worker (portfolio/digest.py),
or with --now sends them from this process. Run it once a day from cron or a systemd timer
(docs/production.md); django-tasks has no periodic jobs of its own."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portfolio import digest
from portfolio.tasks import send_notification_digests


class Command(BaseCommand):
    help = (
        "Queues the daily digest emails for the worker: each person who chose the digest for some "
        "notifications gets one email listing those they have not read, never the same one twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true",
            help="Send the digests from this process instead of queueing them for the worker.",
        )

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        if now:
            sent = digest.send_digests()
            self.stdout.write(f"Daily digests sent: {sent}")
        else:
            send_notification_digests.enqueue()
            self.stdout.write("Daily digests queued for the worker.")
