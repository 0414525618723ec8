"""Importing a centre's candidates from a CSV file (issue 16): the upload kept for its preview, the
confirmation, and the background worker's run, which invites each new candidate through
`services_centre.person_add`, the one way anyone is added to a centre.

The run reads and checks the file again (the centre may have changed since the preview), then adds
the rows one by one: each `person_add` is its own transaction, with its own audit event and its own
invitation email, which no rollback could take back, and a single transaction over thousands of
rows would hold its locks for minutes. A failure part-way leaves the rows before it added and
recorded; the same file imported again skips them (already here) and adds the rest, so nobody is
added twice. The import itself is audited once, with its counts, when it is done.
"""

import logging
import secrets
from collections.abc import Collection

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from . import audit, people_import
from .audit import PortfolioAction
from .identifier_models import identifiers_at
from .invitation_models import Invitation
from .models import CandidateIdentifiers, Centre, DeactivatedMembership, Membership, Person, Role
from .people_import import CORRECT, HERE, INVITE, PROBLEM, CentreRoll, PeopleFile, PeopleRow
from .people_import_models import DRAFT_KEPT_FOR, PeopleImport
from .services_centre import Refused, person_add, require_administrator, waiting_in_other_roles, with_article
from .services_qualifications import identifiers_change
from .tasks import run_people_import

logger = logging.getLogger(__name__)

# How often the run writes how far it has got, for the page that shows it.
PROGRESS_EVERY = 100


def centre_roll(centre: Centre, emails: Collection[str], ulns: Collection[str] = ()) -> CentreRoll:
    """What the centre knows of these (lower-case) email addresses: which are its candidates, its
    pending candidate invitations (with the ULN and the name it holds for each), its staff, those it
    deactivated and its invitations to them in other roles; and who at this centre already holds
    any of these ULNs. Seven queries, each looking up the file's addresses or ULNs only (by
    Person's index of lower-case addresses), however many people the centre has."""
    emails = list(emails)
    held_uln = CandidateIdentifiers.objects.filter(candidate=OuterRef("person"), centre=centre).values("uln")[:1]
    candidates = {
        email: (uln, f"{first} {last}")
        for email, uln, first, last in Membership.objects.filter(centre=centre, role=Role.CANDIDATE)
        .alias(address=Lower("person__email")).filter(address__in=emails)
        .annotate(uln=Subquery(held_uln)).values_list("person__email", "uln", "person__first_name", "person__last_name")
    }
    waiting = Invitation.objects.filter(
        centre=centre, role=Role.CANDIDATE, accepted_at=None, cancelled_at=None, expires_at__gt=timezone.now()
    )
    invited = {
        email: (uln, name)
        for email, uln, name in waiting.alias(address=Lower("email")).filter(address__in=emails)
        .values_list("email", "uln", "name")
    }
    staff: dict[str, list[str]] = {}
    held = (
        Membership.objects.filter(centre=centre).exclude(role=Role.CANDIDATE)
        .alias(address=Lower("person__email")).filter(address__in=emails).order_by("role")
    )
    for email, role in held.values_list("person__email", "role"):
        staff.setdefault(email.lower(), []).append(str(Role(role).label).lower())
    deactivated = (
        DeactivatedMembership.objects.filter(centre=centre)
        .alias(address=Lower("person__email")).filter(address__in=emails)
        .values_list("person__email", flat=True)
    )
    return CentreRoll(
        also_invited=waiting_in_other_roles(centre, emails, Role.CANDIDATE),
        deactivated=frozenset(email.lower() for email in deactivated),
        candidates=frozenset(email.lower() for email in candidates),
        invited=frozenset(email.lower() for email in invited),
        ulns={email.lower(): uln or "" for email, (uln, _name) in (*invited.items(), *candidates.items())},
        names={email.lower(): name.strip() for email, (_uln, name) in (*invited.items(), *candidates.items())},
        uln_holders=_uln_holders(centre, waiting, ulns),
        staff={email: with_article(" and ".join(roles)) for email, roles in staff.items()},
    )


def _uln_holders(centre: Centre, waiting: QuerySet[Invitation], ulns: Collection[str]) -> dict[str, tuple[str, str]]:
    """Who at this centre holds each of these ULNs: a candidate's record here, or a waiting
    invitation. Another centre's records are never read (centres are walled)."""
    ulns = [uln for uln in ulns if uln]
    if not ulns:
        return {}
    holders = {
        uln: (email.lower(), f"{_named(inviting, email)}, invited and not yet accepted")
        for uln, email, inviting in waiting.filter(uln__in=ulns).values_list("uln", "email", "name")
    }
    recorded = CandidateIdentifiers.objects.filter(centre=centre, uln__in=ulns).values_list(
        "uln", "candidate__email", "candidate__first_name", "candidate__last_name"
    )
    holders |= {uln: (email.lower(), _named(f"{first} {last}", email)) for uln, email, first, last in recorded}
    return holders


def _named(name: str, email: str) -> str:
    return f"{name.strip()} ({email})" if name.strip() else email


def people_preview(people_import_: PeopleImport) -> PeopleFile:
    """What confirming would do with each row. Raises `people_import.UnreadableFile`."""
    people = people_import.read(people_import_.text)
    emails = {row.email for row in people.rows if row.email}
    ulns = {row.uln_kept for row in people.rows}
    return people_import.checked(people, centre_roll(people_import_.centre, emails, ulns))


def still_importing(draft: PeopleImport, people: PeopleFile) -> list[PeopleImport]:
    """The centre's other imports confirmed and not yet run to the end that invite any of the same
    addresses: their rows show "Will be invited" in this preview until the worker has run. Confirming
    this one cannot invite anyone twice (each run checks the centre again as it goes, and a second
    waiting invitation is refused by the database), but the preview says so (an outside trial)."""
    emails = {row.email.lower() for row in people.rows if row.email}
    running = PeopleImport.objects.filter(
        centre=draft.centre, status__in=[PeopleImport.Status.QUEUED, PeopleImport.Status.RUNNING]
    ).exclude(pk=draft.pk).order_by("confirmed_at")
    found = []
    for other in running:
        try:
            theirs = {row.email.lower() for row in people_import.read(other.text).rows if row.email}
        except people_import.UnreadableFile:
            continue
        if theirs & emails:
            found.append(other)
    return found


def people_import_start(*, centre: Centre, uploaded_by: Person, text: str, file_name: str) -> PeopleImport:
    """Keeps a checked file for its preview. Earlier unconfirmed uploads of the same administrator
    lose their file (it holds people's names and addresses) and are marked replaced, so a preview
    left open in another tab says so when confirmed instead of not being found; anyone's left for a
    day are deleted."""
    require_administrator(uploaded_by, centre)
    Status = PeopleImport.Status
    PeopleImport.objects.filter(status=Status.DRAFT, uploaded_by=uploaded_by).update(status=Status.REPLACED, text="")
    unconfirmed = PeopleImport.objects.filter(status__in=[Status.DRAFT, Status.REPLACED])
    unconfirmed.filter(created_at__lt=timezone.now() - DRAFT_KEPT_FOR).delete()
    return PeopleImport.objects.create(
        centre=centre, uploaded_by=uploaded_by, token=secrets.token_urlsafe(16), file_name=file_name, text=text
    )


def people_import_confirm(*, people_import_: PeopleImport, confirmed_by: Person) -> PeopleImport:
    """Hands the import to the background worker. Confirming twice (a double click, a second tab)
    starts it once."""
    require_administrator(confirmed_by, people_import_.centre)
    with transaction.atomic():
        locked = PeopleImport.objects.select_for_update().get(pk=people_import_.pk)
        if locked.status != PeopleImport.Status.DRAFT:
            return locked
        locked.status, locked.confirmed_at = PeopleImport.Status.QUEUED, timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        transaction.on_commit(lambda: run_people_import.enqueue(locked.pk))
    return locked


def people_import_run(import_id: int) -> None:
    """The worker's part: invites each row still to be invited, skips the rest, keeps the report and
    records the import with its counts. A run already done does nothing."""
    with transaction.atomic():
        run = PeopleImport.objects.select_for_update().select_related("centre", "uploaded_by").get(pk=import_id)
        if run.status not in (PeopleImport.Status.QUEUED, PeopleImport.Status.RUNNING):
            return
        run.status = PeopleImport.Status.RUNNING
        run.save(update_fields=["status"])
    try:
        people = people_preview(run)
        PeopleImport.objects.filter(pk=run.pk).update(rows_total=len(people.rows))
        for number, row in enumerate(people.rows, start=1):
            _invite(run, row)
            if number % PROGRESS_EVERY == 0:
                PeopleImport.objects.filter(pk=run.pk).update(rows_done=number)
    except Exception:
        logger.exception("The import of candidates %s stopped part-way", run.pk)
        PeopleImport.objects.filter(pk=run.pk).update(status=PeopleImport.Status.FAILED, finished_at=timezone.now())
        return
    _finish(run, people)


def _invite(run: PeopleImport, row: PeopleRow) -> None:
    if row.outcome == CORRECT:
        try:
            uln_correct(centre=run.centre, corrected_by=run.uploaded_by, email=row.email, uln=row.uln_kept)
        except Refused as refused:
            row.outcome, row.note = HERE, f"The ULN was not corrected: {refused}"
        else:
            row.note = row.note.replace(people_import.WILL_BE_CHANGED, people_import.WAS_CHANGED)
        return
    if row.outcome != INVITE:
        return
    try:
        person_add(
            centre=run.centre, added_by=run.uploaded_by, email=row.email, first_name=row.first_name,
            last_name=row.last_name, role=Role.CANDIDATE, uln=row.uln_kept,
        )
    except Refused:
        # Added or invited by someone else since the check: the centre has them already.
        row.outcome, row.note = HERE, "Already a candidate or invited at this centre."


def uln_correct(*, centre: Centre, corrected_by: Person, email: str, uln: str) -> None:
    """A ULN a re-imported file corrects (`people_import.CORRECT`): on the candidate's record at
    this centre, audited as a correction made on their identifiers page; or on their waiting
    invitation, which keeps it until they accept."""
    candidate = Person.objects.filter(
        email__iexact=email, memberships__centre=centre, memberships__role=Role.CANDIDATE
    ).first()
    if candidate is not None:
        held = identifiers_at(candidate.pk, centre.pk)
        identifiers_change(
            centre=centre, changed_by=corrected_by, candidate=candidate, uln=uln, scn=held.scn, registration_numbers={}
        )
        return
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(
            centre=centre, role=Role.CANDIDATE, email__iexact=email, accepted_at=None, cancelled_at=None
        ).first()
        if invitation is None or invitation.uln == uln:
            return
        before, invitation.uln = invitation.uln, uln
        invitation.full_clean()
        invitation.save(update_fields=["uln"])
        audit.record(
            PortfolioAction.INVITATION_ULN_CHANGED, actor=corrected_by, centre=centre,
            summary=f"ULN on the invitation of {invitation.email} corrected from {before or 'none'} to {uln}",
            before={"uln": before}, after={"invitation": invitation.pk, "email": invitation.email, "uln": uln},
        )


def _finish(run: PeopleImport, people: PeopleFile) -> None:
    tally = people_import.counts(people)
    with transaction.atomic():
        run.report = [
            [row.line, row.first_name, row.last_name, row.email, row.uln, row.outcome, row.note, row.problems,
             row.warnings]
            for row in people.rows
        ]
        run.text, run.status, run.finished_at = "", PeopleImport.Status.DONE, timezone.now()
        run.rows_total = run.rows_done = len(people.rows)
        run.save(update_fields=["report", "text", "status", "finished_at", "rows_total", "rows_done"])
        audit.record(
            PortfolioAction.PEOPLE_IMPORTED,
            actor=run.uploaded_by,
            centre=run.centre,
            summary=(
                f"Imported “{run.file_name}”: {tally[INVITE]} candidates invited, {tally[HERE]} already here, "
                f"{tally[CORRECT]} ULN{'s' if tally[CORRECT] != 1 else ''} corrected, {tally[PROBLEM]} not imported"
            ),
            after={
                "file": run.file_name, "rows": tally["rows"], "invited": tally[INVITE], "already_here": tally[HERE],
                "ulns_corrected": tally[CORRECT], "not_imported": tally[PROBLEM],
            },
        )


def reported_rows(run: PeopleImport) -> list[PeopleRow]:
    """The rows of a finished import, as its report keeps them (reports kept before ULN warnings
    have eight items a row)."""
    return [
        PeopleRow(line=line, first_name=first, last_name=last, email=email, uln=uln, outcome=outcome, note=note,
                  problems=problems, warnings=warnings[0] if warnings else {})
        for line, first, last, email, uln, outcome, note, problems, *warnings in run.report
    ]
