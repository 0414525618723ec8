"""Importing a centre's candidates from a spreadsheet (issue 16): the preview's check, and the
confirmation that invites each new candidate through `services_centre.person_add`, the one way
anyone is added to a centre.

The confirmation reads and checks the file again (the centre may have changed since the preview),
then adds the rows one by one: each `person_add` is its own transaction, with its own audit event
and its own invitation email, which no rollback could take back. A failure part-way leaves the rows
before it added and recorded; the same file uploaded again skips them (already here) and adds the
rest, so nothing is added twice. The import itself is audited once, with its counts.
"""

from django.db import transaction
from django.utils import timezone

from . import audit, people_import
from .audit import PortfolioAction
from .invitation_models import Invitation
from .models import Centre, Membership, Person, Role
from .people_import import HERE, INVITE, CentreRoll, PeopleFile
from .services_centre import Refused, person_add, require_administrator


def centre_roll(centre: Centre) -> CentreRoll:
    """The centre's candidates and pending candidate invitations: two queries, however long the file."""
    candidates = Membership.objects.filter(centre=centre, role=Role.CANDIDATE).values_list("person__email", flat=True)
    invited = Invitation.objects.filter(
        centre=centre, role=Role.CANDIDATE, accepted_at=None, cancelled_at=None, expires_at__gt=timezone.now()
    ).values_list("email", flat=True)
    return CentreRoll(
        candidates=frozenset(email.lower() for email in candidates),
        invited=frozenset(email.lower() for email in invited),
    )


def people_preview(*, centre: Centre, text: str) -> PeopleFile:
    """What confirming would do with each row. Raises `people_import.UnreadableFile`."""
    return people_import.checked(people_import.read(text), centre_roll(centre))


def people_import_confirm(*, centre: Centre, imported_by: Person, text: str, file_name: str) -> PeopleFile:
    """Invites each row still to be invited, skips the rest, and records the import with its counts.
    Returns the rows with what became of each."""
    require_administrator(imported_by, centre)
    people = people_preview(centre=centre, text=text)
    for row in people.rows:
        if row.outcome != INVITE:
            continue
        try:
            person_add(
                centre=centre, added_by=imported_by, email=row.email, first_name=row.first_name,
                last_name=row.last_name, role=Role.CANDIDATE,
            )
        except Refused:
            # Added or invited by someone else since the check: the centre has them already.
            row.outcome, row.note = HERE, "Already a candidate or invited at this centre."
    tally = people_import.counts(people)
    with transaction.atomic():
        audit.record(
            PortfolioAction.PEOPLE_IMPORTED,
            actor=imported_by,
            centre=centre,
            summary=(
                f"Imported “{file_name}”: {tally[INVITE]} candidates invited, {tally[HERE]} already here, "
                f"{tally[people_import.PROBLEM]} not imported"
            ),
            after={
                "file": file_name, "rows": tally["rows"], "invited": tally[INVITE], "already_here": tally[HERE],
                "not_imported": tally[people_import.PROBLEM],
            },
        )
    return people
