"""Registering an invited candidate on a qualification before they accept (issue 16: the centre
prepares registrations at once, as it prepares an invited candidate's units), and opening it when
they do.

The registration waits as a `PreparedRegistration`: checked now by every rule that can be asked
before the candidate has an account (the rules of combination, the dates, the team), and opened by
`services_qualifications.registration_open` inside the acceptance's transaction, which asks them
all again. One whose assessor or IQA has gone by then is kept for the centre to choose its team
(`services_prepared_held`, as a unit's); one the rules no longer allow otherwise is dropped, and the
centre's audit trail and administrators say why; the acceptance still stands. Nothing here looks up whether the invited address has an account."""

import datetime

from django.db import IntegrityError, transaction

from standards.models import Qualification, Unit

from . import audit, pending_seals, services_prepared_held
from .audit import PortfolioAction
from .invitation_models import Invitation, PreparedRegistration
from .models import Person, Role
from .services_centre import Refused, require_administrator, require_new_case_dates, with_article
from .services_centre_invitations import require_team_for, require_waiting
from .services_qualifications import registration_open, units_chosen


def qualification_prepare(
    *, invitation: Invitation, prepared_by: Person, qualification: Qualification, optional_units: list[Unit],
    assessor: Person, iqa: Person, start_date: datetime.date, target_date: datetime.date,
    registration_number: str = "",
) -> PreparedRegistration:
    """Registers an invited candidate on the qualification now; it becomes their registration, with
    an enrolment on each of its units, when they accept."""
    require_administrator(prepared_by, invitation.centre)
    require_waiting(invitation, "registered on a qualification")
    if invitation.role != Role.CANDIDATE:
        raise Refused(f"{invitation.name} is invited as {with_article(Role(invitation.role).label.lower())}, "
                      "not as a candidate.", field="candidate")
    require_new_case_dates(start_date, target_date)
    units = units_chosen(qualification, optional_units)
    require_team_for(invitation, assessor, iqa)
    already = f"{invitation.name} is already registered on {qualification.code}, waiting for them to accept."
    if invitation.prepared_registrations.filter(qualification=qualification).exists():
        raise Refused(already, field="qualification")
    prepared = PreparedRegistration(
        invitation=invitation, qualification=qualification, assessor=assessor, iqa=iqa, start_date=start_date,
        target_date=target_date, registration_number=registration_number.strip(), prepared_by=prepared_by,
    )
    try:
        with transaction.atomic():
            prepared.full_clean()
            prepared.save()
            prepared.units.set(list(units.values()))
            audit.record(
                PortfolioAction.QUALIFICATION_PREPARED, actor=prepared_by, centre=invitation.centre,
                summary=f"{invitation.name} ({invitation.email}) registered on {qualification.code}, "
                "waiting for acceptance",
                after={"invitation": invitation.pk, "name": invitation.name, "email": invitation.email,
                       "qualification": qualification.code, "title": qualification.title,
                       "units": sorted(u.code for u in units.values()), "assessor": assessor.pk, "iqa": iqa.pk,
                       "start_date": start_date.isoformat(), "target_date": target_date.isoformat()},
            )
    except IntegrityError:
        raise Refused(already, field="qualification") from None
    return prepared


def prepared_registrations_open(invitation: Invitation, candidate: Person) -> tuple[list[str], list[str]]:
    """Inside the acceptance's transaction, after the invitation's prepared units are opened: each
    prepared qualification becomes a registration, by the rules of any other (a unit already opened
    is not opened twice). One whose assessor or IQA no longer holds the role is kept, for the centre
    to choose its team, as a unit's is (`services_prepared_held`); one the rules refuse otherwise is
    dropped. Returns those kept and those dropped (with why), for the centre's administrators to be
    told (`services_prepared_held.tell_administrators`)."""
    held: list[str] = []
    dropped: list[str] = []
    kept: list[int] = []
    waiting = invitation.prepared_registrations.select_related("qualification", "assessor", "iqa", "prepared_by")
    for prepared in waiting.prefetch_related("units"):
        if not pending_seals.vouched(prepared):  # put in or changed by hand: never opened, and told
            dropped.append(f"{prepared.registered_on} (changed outside the portfolio)")
            continue
        if reason := services_prepared_held.team_gone(invitation, prepared.assessor, prepared.iqa):
            services_prepared_held.hold(prepared, candidate, reason)
            held.append(prepared.registered_on)
            kept.append(prepared.pk)
            continue
        try:
            with transaction.atomic():
                registration_open(
                    centre=invitation.centre, registered_by=prepared.prepared_by, candidate=candidate,
                    qualification=prepared.qualification, units=list(prepared.units.all()),
                    assessor=prepared.assessor, iqa=prepared.iqa, start_date=prepared.start_date,
                    target_date=prepared.target_date, registration_number=prepared.registration_number,
                    prepared=prepared.pk,
                )
        except (Refused, IntegrityError) as refusal:
            dropped.append(f"{prepared.qualification.code} ({refusal})")
            audit.record(
                PortfolioAction.QUALIFICATION_PREPARED_DROPPED, actor=candidate, centre=invitation.centre,
                candidate=candidate,
                summary=f"Registration on {prepared.qualification.code} not opened: {refusal}",
                after={"qualification": prepared.qualification.code, "reason": str(refusal)},
            )
    invitation.prepared_registrations.exclude(pk__in=kept).delete()
    return held, dropped
