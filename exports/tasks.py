"""Work done by the background worker (`manage.py db_worker`), not in a web request."""

import logging

from django_tasks import task

from . import bulk
from .models import BulkExport

MAX_ATTEMPTS = 3
logger = logging.getLogger(__name__)


@task()
def build_bulk_export(export_id: int) -> None:
    """Builds one bulk export, trying again (up to three times in all) if a try fails."""
    export = BulkExport.objects.get(pk=export_id)
    if export.is_finished:  # built already, or given up by exports_watch
        return
    try:
        bulk.build(export)
    except bulk.Superseded:
        logger.warning("Bulk export %s: this attempt was given up as stalled and stops", export_id)
    except Exception as error:
        logger.exception("Bulk export %s failed on attempt %s", export_id, export.attempts)
        export.refresh_from_db()
        if export.attempts < MAX_ATTEMPTS:
            export.status = BulkExport.Status.QUEUED
            export.error = (f"attempt {export.attempts} stopped with an error ({type(error).__name__}); "
                            f"attempt {export.attempts + 1} of {MAX_ATTEMPTS} starts when a worker is free")
            export.save(update_fields=["status", "error"])
            build_bulk_export.enqueue(export_id)
        else:
            export.status = BulkExport.Status.FAILED
            export.error = f"{type(error).__name__}: {error}"
            export.save(update_fields=["status", "error"])
