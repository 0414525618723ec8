"""When an invited candidate accepts and a registration prepared for them cannot open, the centre
is told, never left to find out (tester's finding, issue 16: such registrations were dropped with
only an audit line, and the candidate's home said they were on no unit).

Deactivating an assessor or IQA, or taking the role, is refused while a waiting registration names
them (`services_people.refuse_leaving`), so this is the exception. A registration on a unit whose
assessor or IQA no longer holds the role is kept, waiting for the centre to choose one
(`held_enrolment_open`, on the waiting registration's own page); the centre's administrators are
told, and their home's "what needs doing" counts it (`assessments.centre_to_do`). A registration
refused for any other reason is dropped as before, and the administrators are told that too, with
the reason. A qualification's registration is kept or dropped by the same rules, and opened, with
its units, by `held_registration_open` from its own page."""

import datetime

from django.db import transaction
from django.urls import reverse

from . import addressed, audit, services_centre
from .addressed import first_up, whose, you_or
from .audit import PortfolioAction
from .invitation_models import Invitation, PreparedEnrolment, PreparedRegistration
from .models import Centre, Enrolment, Membership, Person, QualificationRegistration, Role
from .notification_kinds import NotificationKind
from .notifications import notify
from .services_centre import Refused, require_administrator, with_article
from .services_qualifications import registration_open


def team_gone(invitation: Invitation, assessor: Person, iqa: Person) -> str:
    """Why the registration's assessor or IQA cannot take it on now, or "" if both still can."""
    centre = invitation.centre
    for person, role in ((assessor, Role.ASSESSOR), (iqa, Role.IQA)):
        if not services_centre.holds_role(person, centre, role):
            return f"{person} is no longer {with_article(Role(role).label.lower())} at {centre}."
    return ""


def hold(prepared: PreparedEnrolment | PreparedRegistration, candidate: Person, reason: str) -> None:
    """Inside the acceptance's transaction: the registration (on a unit or a qualification) stays,
    for the centre to choose its team."""
    after: dict = {"unit": prepared.registered_on, "reason": reason, "prepared": prepared.pk}
    if isinstance(prepared, PreparedRegistration):
        after["qualification"] = prepared.qualification.code
    audit.record(
        PortfolioAction.ENROLMENT_PREPARED_HELD, actor=candidate, centre=prepared.invitation.centre,
        candidate=candidate, summary=f"Registration on {prepared.registered_on} kept waiting for a team: {reason}",
        after=after,
    )


def tell_administrators(invitation: Invitation, candidate: Person, *, held: list[str], dropped: list[str]) -> None:
    """The centre's administrators hear of each registration that did not open at acceptance."""
    if not held and not dropped:
        return
    centre = invitation.centre
    words = [f"{candidate} accepted the invitation to {centre.name}."]
    if held:
        words.append(f"Their registration on {', '.join(held)} waits for you to choose an assessor or IQA.")
    if dropped:
        words.append(f"Their registration on {'; '.join(dropped)} could not be opened; register them again.")
    administrators = Person.objects.filter(
        memberships__centre=centre, memberships__role=Role.ADMINISTRATOR
    ).distinct()
    notify(
        list(administrators), " ".join(words), kind=NotificationKind.INVITATION_ACCEPTED, centre=centre,
        link=reverse("assessments:centre_detail", args=[centre.pk]) + "#prepared-heading",
        subject=f"{candidate}’s registration needs you",
    )


def held_at(centre_id: int) -> int:
    """How many registrations (on units and on qualifications) of candidates who have accepted wait
    for the centre to choose a team."""
    accepted = {"invitation__centre_id": centre_id, "invitation__accepted_at__isnull": False}
    return PreparedEnrolment.objects.filter(**accepted).count() + PreparedRegistration.objects.filter(**accepted).count()


def _candidate_still_here(prepared: PreparedEnrolment | PreparedRegistration, target_date: datetime.date) -> Person:
    invitation = prepared.invitation
    centre = invitation.centre
    candidate = invitation.accepted_by
    if candidate is None or not Membership.objects.filter(person=candidate, centre=centre, role=Role.CANDIDATE).exists():
        raise Refused(f"{invitation.name} is not a candidate at {centre} now, so the registration cannot open. "
                      "Cancel it instead.")
    if target_date != prepared.target_date:
        services_centre.require_new_case_dates(prepared.start_date, target_date)
    return candidate


def held_enrolment_open(
    *, prepared: PreparedEnrolment, assessor: Person, iqa: Person, target_date: datetime.date, opened_by: Person
) -> Enrolment:
    """The centre chose the team of a registration kept at acceptance: it opens now, by the rules of
    any enrolment, and the candidate and their team are told."""
    invitation = prepared.invitation
    centre = invitation.centre
    require_administrator(opened_by, centre)
    candidate = _candidate_still_here(prepared, target_date)
    with transaction.atomic():
        prepared = PreparedEnrolment.objects.select_for_update().select_related("unit").get(pk=prepared.pk)
        enrolment = services_centre.enrolment_open(
            centre=centre, registered_by=opened_by, candidate=candidate, unit=prepared.unit, assessor=assessor,
            iqa=iqa, start_date=prepared.start_date, target_date=target_date,
            registration_number=prepared.registration_number, prepared=prepared.pk,
        )
        prepared.delete()
        link = reverse("assessments:enrolment_detail", args=[enrolment.pk])
        _tell_opened(enrolment.unit.code, opened_by, [candidate, assessor, iqa], centre=centre, link=link)
    return enrolment


def held_registration_open(
    *, prepared: PreparedRegistration, assessor: Person, iqa: Person, target_date: datetime.date, opened_by: Person
) -> QualificationRegistration:
    """The centre chose the team of a qualification's registration kept at acceptance: it opens now,
    with its units, by the rules of any registration, and the candidate and their team are told."""
    invitation = prepared.invitation
    centre = invitation.centre
    require_administrator(opened_by, centre)
    candidate = _candidate_still_here(prepared, target_date)
    with transaction.atomic():
        prepared = PreparedRegistration.objects.select_for_update().select_related("qualification").get(pk=prepared.pk)
        registration = registration_open(
            centre=centre, registered_by=opened_by, candidate=candidate, qualification=prepared.qualification,
            units=list(prepared.units.all()), assessor=assessor, iqa=iqa, start_date=prepared.start_date,
            target_date=target_date, registration_number=prepared.registration_number, prepared=prepared.pk,
        )
        prepared.delete()
        code = registration.qualification.code
        link = reverse("assessments:registration_detail", args=[registration.pk])
        _tell_opened(code, opened_by, [candidate, assessor, iqa], centre=centre, link=link)
    return registration


def _tell_opened(code: str, opened_by: Person, team: list[Person], *, centre: Centre, link: str) -> None:
    """The candidate, assessor and IQA (`team`, in that order) of a kept registration now opened are
    told, each addressed as they are (`addressed`: the candidate reads "registered you on HSC331")."""
    candidate, assessor, iqa = team
    addressed.notify_each(
        team,
        lambda reader: (
            f"{opened_by} registered {you_or(candidate, reader)} on {code}, with {you_or(assessor, reader)} as "
            f"assessor and {you_or(iqa, reader)} as IQA.",
            first_up(f"{whose(candidate, reader)} {code} open"),
        ),
        kind=NotificationKind.ENROLMENT_CHANGED, centre=centre, link=link,
    )
