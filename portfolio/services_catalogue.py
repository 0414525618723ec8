"""Adding a unit to the catalogue from its published text (issue 14): the suite and the unit
written together, or nothing. And who besides the site administrator may do it: the right the site
administrator grants a centre administrator, recorded at that centre and told to the person."""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse

from standards.importing.parsed import ParsedUnit
from standards.importing.writer import UnitExists, write_unit
from standards.models import Suite, Unit

from . import audit
from .audit import PortfolioAction
from .errors import PortfolioError
from .models import Membership, Person, Role
from .notifications import NotificationKind, notify


@transaction.atomic
def import_unit(
    *, parsed: ParsedUnit, suite: Suite | None, suite_code: str = "", suite_title: str = "",
    actor: Person, accept_incomplete: bool = False, supersede: bool = False,
) -> Unit:
    """The parsed unit written into the catalogue; with `supersede`, the older Current versions of
    its code marked Legacy in the same transaction."""
    if not parsed.complete and not accept_incomplete:
        raise PortfolioError(f"This text has {parsed.why_incomplete}: it can only be imported as incomplete.")
    if suite is None:
        code = suite_code.strip()
        if Suite.objects.filter(code__iexact=code).exists():
            raise PortfolioError(f"A suite with the code “{code}” is already in the catalogue: choose it instead.")
        # Two suites of one title would be told apart by nobody in the list (as import_standard refuses too).
        same = Suite.objects.filter(title__iexact=suite_title.strip()).first()
        if same is not None:
            raise PortfolioError(f"The suite {same.code} has that title: choose it instead.")
        suite = Suite.objects.create(code=code, title=suite_title.strip())
    try:
        return write_unit(parsed, suite, supersede=supersede)
    except UnitExists as exists:
        raise PortfolioError(str(exists)) from None


@transaction.atomic
def import_rights_set(
    *, shown: Iterable[Membership], granted: Iterable[Membership], site_administrator: Person,
) -> list[Membership]:
    """Gives the right to import units to the centre administrators in `granted` and takes it from
    the others the page showed (`shown`: someone made an administrator since the page was opened
    keeps what they have). Each change is recorded at the person's centre and told to them; the
    memberships changed are returned."""
    if not (site_administrator.is_active and site_administrator.is_superuser):
        raise PortfolioError("Only the site administrator may say who imports units.")
    wanted = {membership.pk for membership in granted}
    listed = [membership.pk for membership in shown]
    changed = []
    memberships = Membership.objects.select_for_update(of=("self",)).select_related("person", "centre")
    for membership in memberships.filter(pk__in=listed, role=Role.ADMINISTRATOR).order_by("pk"):
        allowed = membership.pk in wanted
        if membership.may_import_units == allowed:
            continue
        membership.may_import_units = allowed
        membership.save(update_fields=["may_import_units"])
        _told(membership, site_administrator)
        changed.append(membership)
    return changed


def _told(membership: Membership, site_administrator: Person) -> None:
    person, allowed = membership.person, membership.may_import_units
    name = person.get_full_name() or person.email
    audit.record(
        PortfolioAction.IMPORT_RIGHT_GRANTED if allowed else PortfolioAction.IMPORT_RIGHT_WITHDRAWN,
        actor=site_administrator, centre=membership.centre,
        summary=f"{name} {'may now' if allowed else 'may no longer'} import units into the catalogue",
        before={"may_import_units": not allowed},
        after={"person": person.pk, "name": name, "email": person.email, "may_import_units": allowed},
    )
    by = site_administrator.get_full_name() or site_administrator.email
    if allowed:
        message = f"{by}, the site administrator, has allowed you to import units into the catalogue of standards"
        link = reverse("portfolio:unit_import")
    else:
        message = f"{by}, the site administrator, has withdrawn your right to import units into the catalogue of standards"
        link = reverse("standards:unit_list")
    notify([person], message, kind=NotificationKind.GENERAL, link=link)
