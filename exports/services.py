"""Asking for a centre's bulk export or an EQA's visit pack."""


from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import pluralize

from portfolio import access, audit
from portfolio.errors import PortfolioError
from portfolio.models import Centre, Enrolment, Person

from . import access as export_access
from .audit_actions import ExportAction
from .models import BulkExport, VisitPack
from .tasks import build_bulk_export, build_visit_pack

MAX_PACK_UNITS = 200  # a visit's sample, not the centre: a bigger one is a bulk export


def bulk_export_request(
    *, centre: Centre, administrator: Person, enrolments: list[Enrolment], description: str
) -> tuple[BulkExport, bool]:
    """The export of these units, and whether it is new. A confirmation sent twice (a double click,
    a form sent again) builds one export: while the administrator's export of the same units, in the
    same words, still waits or is being built, that is the export (an outside trial built two)."""
    # The view fetched the centre as one the person administers; checked again here, since a
    # bulk export carries every chosen candidate's evidence out of the product.
    if not access.administers(administrator, centre):
        raise PortfolioError(f"Only the administrators of {centre} can export its portfolios.")
    if not enrolments:
        raise PortfolioError("Choose at least one unit to export.")
    if any(e.centre_id != centre.pk for e in enrolments):
        raise PortfolioError("Only this centre's units can be exported here.")
    with transaction.atomic():
        Centre.objects.select_for_update().filter(pk=centre.pk).first()  # two sent at once: one at a time
        if same := _same_export_pending(centre, administrator, enrolments, description[:300]):
            return same, False
        export = BulkExport.objects.create(
            centre=centre, requested_by=administrator, description=description[:300],
            units_total=len(enrolments),
        )
        export.enrolments.set(enrolments)
        audit.record(
            ExportAction.EXPORT_REQUESTED,
            actor=administrator,
            centre=centre,
            summary=f"Bulk export of {len(enrolments)} unit{pluralize(len(enrolments))} requested: {description}"[:300],
            after={"export": export.pk, "enrolments": sorted(e.pk for e in enrolments)},
        )
        transaction.on_commit(lambda: build_bulk_export.enqueue(export.pk))
    return export, True


def _same_export_pending(centre: Centre, administrator: Person, enrolments: list[Enrolment], description: str) -> BulkExport | None:
    pending = BulkExport.objects.filter(
        centre=centre, requested_by=administrator, description=description, units_total=len(enrolments),
        status__in=[BulkExport.Status.QUEUED, BulkExport.Status.RUNNING],
    )
    wanted = {e.pk for e in enrolments}
    for export in pending:  # none or one, as a rule
        if set(export.enrolments.values_list("pk", flat=True)) == wanted:
            return export
    return None


def visit_pack_request(*, centre: Centre, person: Person, enrolments: list[Enrolment]) -> VisitPack:
    """A visit pack of the chosen units, built on the worker. The person is the centre's
    administrator or an EQA: each chosen unit must be one they may read (checked again here, as the
    view's list was), since the pack carries its records out of the product."""
    try:
        export_access.pack_centre_for_user(person, centre.pk)
    except Http404:
        raise PortfolioError(f"Only the administrators and external quality assurers of {centre} can build its visit packs.") from None
    if not enrolments:
        raise PortfolioError("Choose at least one unit for the visit pack.")
    if len(enrolments) > MAX_PACK_UNITS:
        raise PortfolioError(f"A visit pack holds at most {MAX_PACK_UNITS} units; choose fewer.")
    readable = set(export_access.pack_units_for_user(person, centre).values_list("pk", flat=True))
    if any(e.centre_id != centre.pk or e.pk not in readable for e in enrolments):
        raise PortfolioError("Only units of this centre that you may read can go into its visit pack.")
    with transaction.atomic():
        pack = VisitPack.objects.create(centre=centre, requested_by=person, units_total=len(enrolments))
        pack.enrolments.set(enrolments)
        audit.record(
            ExportAction.VISIT_PACK_REQUESTED,
            actor=person,
            centre=centre,
            summary=f"Visit pack {pack.pk} of {len(enrolments)} unit{pluralize(len(enrolments))} requested",
            after={"pack": pack.pk, "enrolments": sorted(e.pk for e in enrolments)},
        )
        transaction.on_commit(lambda: build_visit_pack.enqueue(pack.pk))
    return pack
