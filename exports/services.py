"""Asking for a centre's bulk export."""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import pluralize

from assessments.models import SignOff
from portfolio import access, audit
from portfolio.errors import PortfolioError
from portfolio.models import Centre, Enrolment, Person

from .audit_actions import ExportAction
from .models import BulkExport
from .tasks import build_bulk_export


def enrolments_signed_off_since(centre: Centre, since: datetime.date) -> QuerySet[Enrolment]:
    signed = SignOff.objects.standing().filter(assessor_signed_at__date__gte=since)
    return Enrolment.objects.filter(centre=centre, sign_offs__in=signed).distinct()


def bulk_export_request(
    *, centre: Centre, administrator: Person, enrolments: list[Enrolment], description: str
) -> BulkExport:
    # The view fetched the centre as one the person administers; checked again here, since a
    # bulk export carries every chosen candidate's evidence out of the product.
    if not access.administers(administrator, centre):
        raise PortfolioError(f"Only {centre}’s administrators can export its portfolios.")
    if not enrolments:
        raise PortfolioError("Choose at least one unit to export.")
    if any(e.centre_id != centre.pk for e in enrolments):
        raise PortfolioError("Only this centre's units can be exported here.")
    with transaction.atomic():
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
    return export
