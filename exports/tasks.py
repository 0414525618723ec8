"""Work done by the background worker (`manage.py db_worker`), not in a web request."""

from django_tasks import task

from . import bulk, visit_pack, zip_builds
from .models import BulkExport, VisitPack

MAX_ATTEMPTS = zip_builds.MAX_ATTEMPTS


@task()
def build_bulk_export(export_id: int) -> None:
    """Builds one bulk export, trying again (up to three times in all) if a try fails."""
    export = BulkExport.objects.get(pk=export_id)
    zip_builds.run_with_retries(export, lambda: bulk.build(export), lambda: build_bulk_export.enqueue(export_id))


@task()
def build_visit_pack(pack_id: int) -> None:
    """Builds one visit pack, trying again (up to three times in all) if a try fails."""
    pack = VisitPack.objects.get(pk=pack_id)
    zip_builds.run_with_retries(pack, lambda: visit_pack.build(pack), lambda: build_visit_pack.enqueue(pack_id))
