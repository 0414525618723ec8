"""Registering a class on a unit: several candidates at once (the centre's people and those it has
invited as candidates), with one assessor, one IQA and the same dates.

All or nothing: each candidate is checked by the rules of registering one (`services_centre.
enrolment_register`, `services_centre_invitations.enrolment_prepare`), inside one transaction; if any
is refused, nobody is registered and every refusal is listed by name. A class registered by halves
would leave the administrator to work out who is still to do and to choose the rest again; with
every refusal listed at once they untick or correct those and register the class in one more go."""

import datetime
from collections.abc import Sequence

from django.db import transaction

from standards.models import Unit

from . import services_centre, services_centre_invitations
from .invitation_models import Invitation, PreparedEnrolment
from .models import Centre, Enrolment, Person, Role
from .services_centre import Refused, holds_role, require_administrator, require_new_case_dates, with_article


class CandidatesRefused(Refused):
    """Some of the candidates chosen may not be registered: each refusal on its own, named."""

    def __init__(self, refusals: list[str]):
        super().__init__(" ".join(refusals), field="candidate")
        self.refusals = refusals


def _require_team(centre: Centre, assessor: Person, iqa: Person) -> None:
    """What is asked of every candidate's case alike, asked once so a wrong IQA is said once."""
    for person, role, field in ((assessor, Role.ASSESSOR, "assessor"), (iqa, Role.IQA, "iqa")):
        if not holds_role(person, centre, role):
            raise Refused(f"{person} is not {with_article(Role(role).label.lower())} at {centre}.", field=field)
    if iqa == assessor:
        raise Refused(
            "Choose a different IQA: the assessor cannot quality-assure their own assessment decisions.", field="iqa"
        )


def _named(candidate: Person | Invitation, refusal: Refused) -> str:
    name = candidate.name if isinstance(candidate, Invitation) else str(candidate)
    said = str(refusal)
    return said if said.startswith(name) else f"{name}: {said[:1].lower()}{said[1:]}"


def enrolments_register(
    *,
    centre: Centre,
    registered_by: Person,
    candidates: Sequence[Person | Invitation],
    unit: Unit,
    assessor: Person,
    iqa: Person,
    start_date: datetime.date,
    target_date: datetime.date,
    registration_number: str = "",
) -> list[Enrolment | PreparedEnrolment]:
    """Registers each candidate on the unit (an invited one's registration waits for them to
    accept), or nobody: `CandidatesRefused` lists everyone who may not be, and why."""
    require_administrator(registered_by, centre)
    if not candidates:
        raise Refused("Choose at least one candidate.", field="candidate")
    if len(candidates) > 1 and registration_number.strip():
        raise Refused(
            "A registration number is one candidate's: leave it empty when registering several.",
            field="registration_number",
        )
    require_new_case_dates(start_date, target_date)
    _require_team(centre, assessor, iqa)
    registered: list[Enrolment | PreparedEnrolment] = []
    refusals: list[str] = []
    with transaction.atomic():
        for candidate in candidates:
            try:
                if isinstance(candidate, Invitation):
                    registered.append(services_centre_invitations.enrolment_prepare(
                        invitation=candidate, prepared_by=registered_by, unit=unit, assessor=assessor, iqa=iqa,
                        start_date=start_date, target_date=target_date, registration_number=registration_number))
                else:
                    registered.append(services_centre.enrolment_register(
                        centre=centre, registered_by=registered_by, candidate=candidate, unit=unit, assessor=assessor,
                        iqa=iqa, start_date=start_date, target_date=target_date,
                        registration_number=registration_number))
            except Refused as refusal:
                if len(candidates) == 1:
                    raise  # one candidate's refusal, beside the field it is about, as registering one says it
                refusals.append(_named(candidate, refusal))
        if refusals:
            # Raised inside the transaction, so the registrations made before it are undone.
            raise CandidatesRefused(refusals)
    return registered
