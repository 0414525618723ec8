"""Who may export what. A centre's bulk exports are its administrators' alone: anyone else, on the
case or not, finds nothing (404). A unit's PDF is anyone's on the case: its view fetches the unit
through assessments.access."""

from django.shortcuts import get_object_or_404

from portfolio import access as portfolio_access
from portfolio.models import Centre, Person, Role

from .models import BulkExport


def exporting_centre_for_user(person: Person, pk: int) -> Centre:
    """A centre whose portfolios the person may export: one they administer (404 for anyone else)."""
    return portfolio_access.administered_centre_for_user(person, pk)


def export_for_user(person: Person, pk: int) -> BulkExport:
    """An export of a centre the person administers; anyone else finds nothing."""
    centres = portfolio_access.centres_where(person, Role.ADMINISTRATOR)
    return get_object_or_404(BulkExport.objects.select_related("centre", "requested_by"), pk=pk, centre__in=centres)
