"""Finding bulk exports whose worker was killed (a deploy, the out-of-memory killer, a machine
lost) and trying them again, or giving them up with a message the administrator sees.

django-tasks has no periodic jobs and its database worker never takes back a task whose process
died: that task stays "running" for good, and so did its export. The builder records a heartbeat
after every unit and every file it copies (exports/bulk.py, exports/visit_pack.py); `manage.py
exports_watch`, run every minute by cron or a systemd timer (docs/production.md), calls
`restart_stalled`, for bulk exports and visit packs alike. A try taken for stalled that is in fact
alive finds the export no longer its own at its next heartbeat and stops (`zip_builds.Superseded`),
so two builders never finish one export.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portfolio import audit, dates

from .audit_actions import ExportAction
from .models import BackgroundZip, BulkExport, VisitPack
from .tasks import MAX_ATTEMPTS, build_bulk_export, build_visit_pack

# A unit's PDF takes seconds and a file's copy rarely a minute: ten minutes without a heartbeat
# is a worker that is gone, not a slow one.
STALE_AFTER = datetime.timedelta(minutes=10)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stalled:
    export_id: int
    restarted: bool  # False: given up, marked failed
    message: str
    label: str = BulkExport.label  # "bulk export" or "visit pack"


# Each kind of ZIP built on the worker, with the task that builds it.
WATCHED = ((BulkExport, build_bulk_export), (VisitPack, build_visit_pack))


def restart_stalled(*, stale_after: datetime.timedelta = STALE_AFTER) -> list[Stalled]:
    """Every export "being built" without a heartbeat for `stale_after`: queued again while it
    has attempts left, failed otherwise. Returns what was done, for the command to print."""
    cutoff = timezone.now() - stale_after
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, requested_at__lt=cutoff)
    done = []
    for model, builder in WATCHED:
        running = model._default_manager.filter(silent, status=BackgroundZip.Status.RUNNING)
        for export_id in running.values_list("pk", flat=True):
            with transaction.atomic():
                export = model._default_manager.select_for_update().filter(silent, pk=export_id).first()
                if export is None or export.status != BackgroundZip.Status.RUNNING:
                    continue  # it finished or beat again since the list was read
                done.append(_restart_or_fail(export, builder))
    return done


def _restart_or_fail(export: BackgroundZip, builder: Any) -> Stalled:
    heard = timezone.localtime(export.heartbeat_at or export.requested_at)
    where = f"at unit {export.units_done + 1} of {export.units_total} (last heard from {dates.day_time(heard)})"
    restarting = export.attempts < MAX_ATTEMPTS
    if restarting:
        export.status = BackgroundZip.Status.QUEUED
        export.error = (f"the background worker building it stopped {where}; "
                        f"attempt {export.attempts + 1} of {MAX_ATTEMPTS} starts when a worker is free")
        export.heartbeat_at = timezone.now()
        transaction.on_commit(lambda: builder.enqueue(export.pk))
    else:
        export.status = BackgroundZip.Status.FAILED
        export.error = f"the background worker building it stopped each time, the last time {where}"
        export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "heartbeat_at", "finished_at"])
    logger.warning("%s %s stalled: %s", export.label.capitalize(), export.pk, export.error)
    audit.record(
        ExportAction.EXPORT_RESTARTED if restarting else ExportAction.EXPORT_FAILED,
        actor=None,
        centre=export.centre,
        summary=f"{export.label.capitalize()} {export.pk} stalled: {export.error}"[:300],
        after={"export": export.pk, "attempts": export.attempts, "status": export.status, "kind": export.label},
    )
    return Stalled(export.pk, restarting, export.error, export.label)
