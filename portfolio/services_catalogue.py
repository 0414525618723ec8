"""Adding a unit to the catalogue from its published text (issue 14): the suite and the unit
written together, or nothing."""

from django.db import transaction

from standards.importing.parsed import ParsedUnit
from standards.importing.writer import UnitExists, write_unit
from standards.models import Suite, Unit

from .errors import PortfolioError
from .models import Person


@transaction.atomic
def import_unit(
    *, parsed: ParsedUnit, suite: Suite | None, suite_code: str = "", suite_title: str = "",
    actor: Person, accept_incomplete: bool = False,
) -> Unit:
    if not parsed.complete and not accept_incomplete:
        raise PortfolioError(f"This text has {parsed.why_incomplete}: it can only be imported as incomplete.")
    if suite is None:
        code = suite_code.strip()
        if Suite.objects.filter(code__iexact=code).exists():
            raise PortfolioError(f"A suite with the code “{code}” is already in the catalogue: choose it instead.")
        suite = Suite.objects.create(code=code, title=suite_title.strip())
    try:
        return write_unit(parsed, suite)
    except UnitExists as exists:
        raise PortfolioError(str(exists)) from None
