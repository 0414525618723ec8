"""A centre's own records: the people it gives roles to and the candidates it registers on units.

Each change is checked against the centre's rules, audited, and saved in one transaction, or not
at all. A refusal names the field it is about, so the page can show it beside that field.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from standards.models import Unit

from . import audit, dates, services_invitations
from .audit import PortfolioAction
from .deactivation_models import deactivated_here_words
from .errors import PortfolioError
from .identifiers import uln_problem
from .invitation_models import also_waiting_words
from .models import Centre, DeactivatedMembership, Enrolment, Invitation, Membership, Person, Role

# The roles a centre administrator gives. External quality assurers come from the awarding body.
CENTRE_ROLES = (Role.CANDIDATE, Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR)
# The people on a case, by their field on the enrolment.
CASE_FIELDS = ("candidate", "assessor", "iqa")


class Refused(PortfolioError):
    """A rule the request broke, with the form field it is about (None: the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field

    def by_field(self) -> list[tuple[str | None, str]]:
        """Each message with the field it is about, for a form to show beside it."""
        return [(self.field, str(self))]


class DatesRefused(Refused):
    """A case's dates, each wrong in its own way: every one said at once, beside its own field, so a
    form with two wrong dates is corrected in one go."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()), field=next(iter(problems)))
        self.by_date = problems

    def by_field(self) -> list[tuple[str | None, str]]:
        return list(self.by_date.items())


def require_administrator(person: Person, centre: Centre) -> None:
    if not Membership.objects.filter(person=person, centre=centre, role=Role.ADMINISTRATOR).exists():
        raise Refused(f"Only an administrator of {centre} can change its people and enrolments.")


def holds_role(person: Person, centre: Centre, role: str) -> bool:
    return Membership.objects.filter(person=person, centre=centre, role=role).exists()


def person_add(
    *,
    centre: Centre,
    added_by: Person,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    uln: str = "",
) -> Invitation:
    """Invites someone to a role at the centre, and emails them the link. No account is looked up
    or made here: the page, the audit trail and the time taken are the same whether or not the
    address has one, and nobody joins a centre without accepting (issue 16: centres are walled).
    A candidate's `uln` (from a CSV import) waits with the invitation and becomes the centre's
    record of it when they accept."""
    require_administrator(added_by, centre)
    if role not in CENTRE_ROLES:
        raise Refused("Choose a role: candidate, assessor, IQA or administrator.", field="role")
    uln = uln.replace(" ", "") if role == Role.CANDIDATE else ""
    if uln and (problem := uln_problem(uln)):
        raise Refused(problem, field="uln")
    return invite_to_centre(
        centre=centre, invited_by=added_by, email=email, name=f"{first_name.strip()} {last_name.strip()}", role=role,
        uln=uln,
    )


def invite_to_centre(
    *, centre: Centre, invited_by: Person, email: str, name: str, role: str, uln: str = ""
) -> Invitation:
    """The invitation itself, made, audited and emailed in one transaction (a mail failure saves
    nothing), once the caller has checked who may invite: a centre administrator (`person_add`), or
    the site administrator inviting a new centre's first administrator."""
    email = Person.objects.normalize_email(email.strip()).lower()
    role_name = Role(role).label.lower()
    try:
        with transaction.atomic():
            _refuse_a_second(centre, email, role, role_name)
            invitation, token = services_invitations.invitation_make(
                centre=centre, name=name, email=email, role=role, invited_by=invited_by, uln=uln
            )
            audit.record(
                PortfolioAction.INVITATION_MADE, actor=invited_by, centre=centre,
                summary=f"{invitation.name} ({email}) invited as {role_name}",
                after={"invitation": invitation.pk, "name": invitation.name, "email": email, "role": role},
            )
            invitation_email_send(invitation, token)
    except IntegrityError:
        # Another administrator invited the same address at the same moment.
        raise Refused(f"{email} was invited by someone else just now. Check the centre page.") from None
    return invitation


def waiting_in_other_roles(centre: Centre, emails: list[str], role: str) -> dict[str, str]:
    """The words of `also_waiting_words` by (lower-case) address, for those of `emails` with a
    waiting invitation here in a role other than `role`: the centre's own invitations only."""
    waiting: dict[str, list[tuple[str, datetime.datetime]]] = {}
    invitations = (
        Invitation.objects.filter(centre=centre, accepted_at=None, cancelled_at=None, expires_at__gt=timezone.now())
        .exclude(role__in=[role, Role.EQA]).alias(address=Lower("email")).filter(address__in=emails)
        .order_by("sent_at", "pk")
    )
    for email, held, sent in invitations.values_list("email", "role", "sent_at"):
        waiting.setdefault(email.lower(), []).append((held, sent))
    return {email: also_waiting_words(each) for email, each in waiting.items()}


def _refuse_a_second(centre: Centre, email: str, role: str, role_name: str) -> None:
    """Asks only of this centre's own people and invitations, which the centre already sees."""
    if DeactivatedMembership.objects.filter(centre=centre, person__email__iexact=email).exists():
        raise Refused(deactivated_here_words(email), field="email")
    if Membership.objects.filter(centre=centre, role=role, person__email__iexact=email).exists():
        raise Refused(f"{email} is already {with_article(role_name)} at {centre}.", field="email")
    waiting = Invitation.objects.filter(
        centre=centre, role=role, email__iexact=email, accepted_at__isnull=True, cancelled_at__isnull=True
    ).first()
    if waiting is not None:
        state = "is waiting for them to accept" if waiting.status() == "pending" else "has expired"
        raise Refused(
            f"{email} has already been invited as {with_article(role_name)} here, and the invitation {state}. "
            "Send it again from the centre page instead.",
            field="email",
        )


def invitation_email_send(invitation: Invitation, token: str) -> None:
    """The same email whether or not the address has an account: the link's page says what to do."""
    role_name = Role(invitation.role).label.lower()
    services_invitations.invitation_email(
        invitation, token, subject=f"Your invitation to {invitation.centre.name}",
        template="portfolio/centre_invitation_email.txt",
        context={"centre": invitation.centre, "role_name": role_name, "as_role": with_article(role_name)},
    )


def not_holding(person: Person, centre: Centre, role: str) -> str:
    """Why the person may not be named in the role: "… is deactivated at …" when a candidate is (a
    role is never taken from a candidate with units), else "… is not an assessor at …"."""
    if role == Role.CANDIDATE and DeactivatedMembership.objects.filter(person=person, centre=centre).exists():
        return f"{person} is deactivated at {centre}."
    return f"{person} is not {with_article(Role(role).label.lower())} at {centre}."


# Capital letters said with a vowel first ("eff", "aitch", "em"...): "an IQA", "an SVQ", "a CPD record".
_SAID_WITH_A_VOWEL = set("AEFHILMNORSX")


def with_article(noun: str) -> str:
    """The noun after "a" or "an", as English needs: "a candidate", "an assessor", and an
    abbreviation said letter by letter as its first letter is said: "an IQA", "a CPD record"."""
    if noun[:2].isupper():
        return f"an {noun}" if noun[0] in _SAID_WITH_A_VOWEL else f"a {noun}"
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _require_case_may_be_opened(
    *,
    centre: Centre,
    candidate: Person,
    unit: Unit,
    assessor: Person,
    iqa: Person,
    start_date: datetime.date,
    target_date: datetime.date,
) -> None:
    """Refuses a registration the centre's rules do not allow, naming the field at fault."""
    require_case_people(centre=centre, candidate=candidate, assessor=assessor, iqa=iqa)
    if target_date < start_date:
        raise Refused("The target date cannot be before the start date.", field="target_date")
    # One enrolment per unit whatever its version: a newer version is reached by moving the enrolment.
    # Asked of this centre only: a registration elsewhere is another centre's business, not this one's.
    registered = (
        Enrolment.objects.filter(candidate=candidate, centre=centre, unit__code=unit.code).select_related("unit").first()
    )
    if registered is not None:
        raise Refused(
            f"{candidate} is already registered on {unit.code} (version {registered.unit.version}).", field="unit"
        )


def require_case_people(
    *, centre: Centre, candidate: Person, assessor: Person, iqa: Person, joining: tuple[str, ...] = CASE_FIELDS
) -> None:
    """The people on a case, as registering one and changing its assessor or IQA both ask: each
    joining it (`joining`, the fields: at registration all three) holds their role here, nobody
    assesses or quality-assures themselves, and the assessor is not the IQA. A refusal names the
    field at fault.

    Changing the assessor or the IQA asks it of the newcomer only. The others are on the case
    already and stay on it: a candidate deactivated since, or an assessor who has left with the
    units they signed off, is still the centre's record of it, and the unit must pass to someone who
    is here, or staff could never leave."""
    # Everyone named must hold the role here: the form offers only them, and a forged request
    # naming someone from another centre stops at this check.
    for person, role, field in (
        (candidate, Role.CANDIDATE, "candidate"),
        (assessor, Role.ASSESSOR, "assessor"),
        (iqa, Role.IQA, "iqa"),
    ):
        if field in joining and not holds_role(person, centre, role):
            raise Refused(not_holding(person, centre, role), field=field)
    if assessor == candidate:
        raise Refused("A candidate cannot be their own assessor.", field="assessor")
    if iqa == candidate:
        raise Refused("A candidate cannot be their own internal quality assurer.", field="iqa")
    if iqa == assessor:
        raise Refused(
            "Choose a different IQA: the assessor cannot quality-assure their own assessment decisions.",
            field="iqa",
        )


# How far from today a unit's dates may lie. An NVQ/SVQ unit takes months and a whole qualification
# a year or two (an apprenticeship at most about four); the centre keeps its records at least 3
# years. A date further off is a slip of the year (0001 for 2001, 9999 for "no end"), and would rate
# the unit at risk, or on track for ever, from a plan nobody made.
YEARS_FROM_TODAY = 5


def years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def _out_of_reach(start_date: datetime.date | None, target_date: datetime.date | None) -> dict[str, str]:
    """A start more than 5 years from today either way, a target more than 5 years away: each by its
    field. (A start out of reach is named as such, not as a target before it.)"""
    today = timezone.localdate()
    earliest, latest = years_from(today, -YEARS_FROM_TODAY), years_from(today, YEARS_FROM_TODAY)
    problems = {}
    if start_date is not None and start_date < earliest:
        problems["start_date"] = (
            f"The start date is more than {YEARS_FROM_TODAY} years ago: choose a date on or after {dates.day(earliest)}."
        )
    elif start_date is not None and start_date > latest:
        problems["start_date"] = (
            f"The start date is more than {YEARS_FROM_TODAY} years away: choose a date on or before "
            f"{dates.day(latest)}, when the candidate will begin the unit."
        )
    if target_date is not None and target_date > latest:
        problems["target_date"] = (
            f"The target date is more than {YEARS_FROM_TODAY} years away: choose a date on or before "
            f"{dates.day(latest)}, one the candidate can plan for."
        )
    return problems


def require_case_dates_within_reach(*, target_date: datetime.date, start_date: datetime.date | None = None) -> None:
    """A unit's start within 5 years of today either way, and its target no more than 5 years
    after: one rule for registering a unit or a qualification and for changing a target date. Every
    date out of reach is refused at once (`DatesRefused`)."""
    if problems := _out_of_reach(start_date, target_date):
        raise DatesRefused(problems)


def new_case_date_problems(*, start_date: datetime.date | None, target_date: datetime.date | None) -> dict[str, str]:
    """What is wrong with a new registration's dates, each date's first problem by its field (none
    for a date not given): both within reach of today, the target after the start, and not already
    passed. A past target is almost always a slip of the year, and a candidate already behind needs
    a date they can still meet, from which the centre can tell whether they are on track. (An
    invited candidate's registration opens by its date when they accept, even if it has passed.)
    The registration forms show them all at once; the services ask again (`require_new_case_dates`)."""
    problems = _out_of_reach(start_date, target_date)
    if target_date is None or "target_date" in problems:
        return problems
    if start_date is not None and "start_date" not in problems and target_date < start_date:
        problems["target_date"] = "The target date cannot be before the start date."
    elif problem := target_passed(target_date):
        problems["target_date"] = problem
    return problems


def target_passed(target_date: datetime.date) -> str:
    """What is wrong with a target date already passed, or nothing: the one rule for registering a
    unit or a qualification and for changing a unit's target date."""
    if target_date < timezone.localdate():
        return "The target date has passed: choose today or a later date, one the candidate can still meet."
    return ""


def require_new_case_dates(start_date: datetime.date, target_date: datetime.date) -> None:
    """A new registration's dates, refused with every problem at once (`new_case_date_problems`)."""
    if problems := new_case_date_problems(start_date=start_date, target_date=target_date):
        raise DatesRefused(problems)


def _record_enrolment_registered(enrolment: Enrolment, registered_by: Person, prepared: int | None) -> None:
    # An invited candidate's unit records the registration it was prepared as, so that the page of
    # that registration can lead to this one once it has opened (`access_centre.opened_from_prepared`).
    audit.record(
        PortfolioAction.ENROLMENT_REGISTERED,
        actor=registered_by,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=(
            f"{enrolment.candidate} registered on {enrolment.unit.code}; "
            f"assessor {enrolment.assessor}, IQA {enrolment.iqa}"
        ),
        after={
            "unit": enrolment.unit.code,
            "unit_version": enrolment.unit.version,
            "assessor": enrolment.assessor.pk,
            "iqa": enrolment.iqa.pk,
            "start_date": enrolment.start_date.isoformat(),
            "target_date": enrolment.target_date.isoformat(),
            "registration_number": enrolment.registration_number,
            **({"prepared": prepared} if prepared is not None else {}),
        },
    )


def enrolment_register(
    *,
    centre: Centre,
    registered_by: Person,
    candidate: Person,
    unit: Unit,
    assessor: Person,
    iqa: Person,
    start_date: datetime.date,
    target_date: datetime.date,
    registration_number: str = "",
) -> Enrolment:
    """Registers a candidate on a unit and puts an assessor and an IQA on their case."""
    require_administrator(registered_by, centre)
    require_new_case_dates(start_date, target_date)
    try:
        with transaction.atomic():
            return enrolment_open(
                centre=centre, registered_by=registered_by, candidate=candidate, unit=unit, assessor=assessor,
                iqa=iqa, start_date=start_date, target_date=target_date, registration_number=registration_number,
            )
    except IntegrityError:
        # Two administrators registering the same candidate at the same moment.
        raise Refused(f"{candidate} is already registered on {unit.code}.", field="unit") from None


def enrolment_open(
    *,
    centre: Centre,
    registered_by: Person,
    candidate: Person,
    unit: Unit,
    assessor: Person,
    iqa: Person,
    start_date: datetime.date,
    target_date: datetime.date,
    registration_number: str = "",
    prepared: int | None = None,
) -> Enrolment:
    """The enrolment itself, checked, saved and audited, inside the caller's transaction: a unit's
    registration and a qualification's (`services_qualifications`) open a case by the same rules;
    `prepared` is the id of the invited candidate's registration it opens, if it opens one."""
    _require_case_may_be_opened(
        centre=centre,
        candidate=candidate,
        unit=unit,
        assessor=assessor,
        iqa=iqa,
        start_date=start_date,
        target_date=target_date,
    )
    enrolment = Enrolment(
        centre=centre,
        candidate=candidate,
        unit=unit,
        assessor=assessor,
        iqa=iqa,
        start_date=start_date,
        target_date=target_date,
        registration_number=registration_number.strip(),
        registered_by=registered_by,
    )
    enrolment.full_clean()
    enrolment.save()
    _record_enrolment_registered(enrolment, registered_by, prepared)
    return enrolment
