"""Registering a candidate on a qualification, and recording a candidate's identifiers.

A qualification's registration opens an enrolment for each of its units the candidate is not on yet
(its mandatory units and the optional ones chosen), by the same rules as registering on one unit
(`services_centre.enrolment_open`); the units' rules of combination are `standards.combination`'s.
Everything is checked, saved and audited in one transaction, or not at all."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from standards.combination import places_of, registration_problems
from standards.models import Qualification, Unit

from . import audit
from .audit import PortfolioAction
from .identifier_models import identifiers_at
from .identifiers import scn_problem, uln_problem
from .invitation_models import Invitation
from .models import CandidateIdentifiers, Centre, Enrolment, Person, QualificationRegistration, Role
from .services_centre import (
    Refused,
    enrolment_open,
    not_holding,
    require_administrator,
    require_new_case_dates,
)


class RulesNotMet(Refused):
    """The units chosen break the qualification's rules of combination: each problem on its own, so
    the page lists them one by one."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems), field="optional_units")
        self.problems = problems

    def by_field(self) -> list[tuple[str | None, str]]:
        return [(self.field, problem) for problem in self.problems]


def units_chosen(qualification: Qualification, optional_units: list[Unit]) -> dict[int, Unit]:
    """The qualification's mandatory units and the optional ones chosen, by id; refused, naming
    what to choose, when they break its rules of combination."""
    places = places_of(qualification)
    mandatory = [p.unit for p in places if p.group.mandatory]
    units = {u.pk: u for u in [*mandatory, *optional_units]}
    problems = registration_problems(qualification, places, set(units))
    if problems:
        raise RulesNotMet(problems)
    return units


def qualification_register(
    *,
    centre: Centre,
    registered_by: Person,
    candidate: Person,
    qualification: Qualification,
    optional_units: list[Unit],
    assessor: Person,
    iqa: Person,
    start_date: datetime.date,
    target_date: datetime.date,
    registration_number: str = "",
) -> QualificationRegistration:
    """Registers the candidate on the qualification and on each of its units they are not on yet,
    with this assessor and IQA. Refused, naming what to choose, when the units break its rules."""
    require_administrator(registered_by, centre)
    require_new_case_dates(start_date, target_date)
    units = units_chosen(qualification, optional_units)
    try:
        with transaction.atomic():
            return registration_open(
                centre=centre, registered_by=registered_by, candidate=candidate, qualification=qualification,
                units=list(units.values()), assessor=assessor, iqa=iqa, start_date=start_date,
                target_date=target_date, registration_number=registration_number,
            )
    except IntegrityError:
        raise Refused(f"{candidate} is already registered on {qualification.code}.", field="qualification") from None


def registration_open(
    *, centre: Centre, registered_by: Person, candidate: Person, qualification: Qualification, units: list[Unit],
    assessor: Person, iqa: Person, start_date: datetime.date, target_date: datetime.date, registration_number: str,
    prepared: int | None = None,
) -> QualificationRegistration:
    """The registration itself, with an enrolment on each unit not yet opened here, saved and
    audited inside the caller's transaction: registering now, and an invited candidate's prepared
    registration when they accept (`services_prepared_registrations`), open it by the same rules."""
    # Asked of this centre only, as a unit's registration is: another centre's are its own business.
    if QualificationRegistration.objects.filter(candidate=candidate, qualification=qualification, centre=centre).exists():
        raise Refused(f"{candidate} is already registered on {qualification.code}.", field="qualification")
    already = set(
        Enrolment.objects.filter(candidate=candidate, centre=centre, unit__in=units).values_list("unit_id", flat=True)
    )
    registration = QualificationRegistration.objects.create(
        centre=centre, candidate=candidate, qualification=qualification,
        registration_number=registration_number.strip(), registered_by=registered_by,
    )
    registration.units.set(units)
    opened = [
        enrolment_open(
            centre=centre, registered_by=registered_by, candidate=candidate, unit=unit, assessor=assessor,
            iqa=iqa, start_date=start_date, target_date=target_date, registration_number=registration_number,
        ).unit.code
        for unit in units if unit.pk not in already
    ]
    audit.record(
        PortfolioAction.QUALIFICATION_REGISTERED, actor=registered_by, centre=centre, candidate=candidate,
        summary=f"{candidate} registered on {qualification.code} {qualification.title}",
        after={
            "qualification": qualification.code, "title": qualification.title,
            "units": sorted(u.code for u in units), "opened": sorted(opened),
            "registration_number": registration.registration_number, "registration": registration.pk,
            # The invited candidate's registration it opens, for its page to lead here once it has.
            **({"prepared": prepared} if prepared is not None else {}),
        },
    )
    return registration


ULN_TAKEN = "This ULN is already recorded at this centre for {holder}: a ULN belongs to one learner. Check it against your records."


def _require_uln_free(centre: Centre, candidate: Person, uln: str) -> None:
    """A ULN identifies one learner: refused when this centre holds it for another candidate or on a
    waiting invitation to another address. Only this centre's records are read."""
    if not uln:
        return
    other = CandidateIdentifiers.objects.filter(centre=centre, uln=uln).exclude(candidate=candidate)
    holder = other.select_related("candidate").first()
    if holder is not None:
        named = holder.candidate.get_full_name().strip()
        raise Refused(ULN_TAKEN.format(holder=f"{named} ({holder.candidate.email})" if named else holder.candidate.email), field="uln")
    waiting = Invitation.objects.filter(
        centre=centre, role=Role.CANDIDATE, uln=uln, accepted_at=None, cancelled_at=None, expires_at__gt=timezone.now()
    ).exclude(email__iexact=candidate.email).first()
    if waiting is not None:
        raise Refused(ULN_TAKEN.format(holder=f"{waiting.name} ({waiting.email}), invited and not yet accepted"), field="uln")


def identifiers_change(
    *, centre: Centre, changed_by: Person, candidate: Person, uln: str, scn: str, registration_numbers: dict[int, str]
) -> list[str]:
    """Records a candidate's ULN and SCN as this centre knows them (each centre keeps its own:
    `CandidateIdentifiers`) and the awarding-body registration number on each of their
    qualifications here (by registration id). Returns the names of what changed."""
    require_administrator(changed_by, centre)
    if not candidate.memberships.filter(centre=centre, role=Role.CANDIDATE).exists():
        raise Refused(not_holding(candidate, centre, Role.CANDIDATE))
    uln, scn = uln.replace(" ", ""), scn.replace(" ", "")
    for value, problem, field in ((uln, uln_problem, "uln"), (scn, scn_problem, "scn")):
        why = problem(value) if value else None
        if why:
            raise Refused(why, field=field)
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=candidate.pk)  # one change to them at a time
        held = identifiers_at(candidate.pk, centre.pk)
        for name, value in (("uln", uln), ("scn", scn)):
            if getattr(held, name) != value:
                before[name], after[name] = getattr(held, name), value
                setattr(held, name, value)
        if "uln" in after:
            _require_uln_free(centre, candidate, uln)
        if after:
            try:
                with transaction.atomic():
                    held.save()
            except IntegrityError:  # recorded for someone else between the check and the save
                raise Refused(ULN_TAKEN.format(holder="another candidate"), field="uln") from None
        for registration in QualificationRegistration.objects.filter(
            centre=centre, candidate=candidate, pk__in=list(registration_numbers)
        ).select_related("qualification"):
            number = registration_numbers[registration.pk].strip()
            if registration.registration_number != number:
                key = f"registration {registration.qualification.code}"
                before[key], after[key] = registration.registration_number, number
                registration.registration_number = number
                registration.save(update_fields=["registration_number"])
        if after:
            audit.record(
                PortfolioAction.IDENTIFIERS_CHANGED, actor=changed_by, centre=centre, candidate=candidate,
                summary=f"Identifiers of {candidate} changed: {', '.join(after)}", before=before, after=after,
            )
    return list(after)
