"""A centre's own records: the people it gives roles to and the candidates it registers on units.

Each change is checked against the centre's rules, audited, and saved in one transaction, or not
at all. A refusal names the field it is about, so the page can show it beside that field.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from standards.models import Unit

from . import audit
from .audit import PortfolioAction
from .errors import PortfolioError
from .links import absolute_url
from .models import Centre, Enrolment, Membership, Person, Role

# The roles a centre administrator gives. External quality assurers come from the awarding body.
CENTRE_ROLES = (Role.CANDIDATE, Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR)


class Refused(PortfolioError):
    """A rule the request broke, with the form field it is about (None: the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def require_administrator(person: Person, centre: Centre) -> None:
    if not Membership.objects.filter(person=person, centre=centre, role=Role.ADMINISTRATOR).exists():
        raise Refused(f"Only an administrator of {centre} can change its people and enrolments.")


def _holds_role(person: Person, centre: Centre, role: str) -> bool:
    return Membership.objects.filter(person=person, centre=centre, role=role).exists()


@dataclass(frozen=True)
class PersonAdded:
    person: Person
    role: str
    # True: a new account, which has no password until its owner sets one from the email.
    is_new: bool


def person_add(
    *,
    centre: Centre,
    added_by: Person,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
) -> PersonAdded:
    """Gives someone a role at the centre. An email address already known keeps its person (and
    the name on record): people move between centres and roles, and sign in with one account."""
    require_administrator(added_by, centre)
    if role not in CENTRE_ROLES:
        raise Refused("Choose a role: candidate, assessor, IQA or administrator.", field="role")
    email = Person.objects.normalize_email(email.strip()).lower()
    role_name = Role(role).label.lower()
    try:
        return _person_add(centre, added_by, email, first_name, last_name, role, role_name)
    except IntegrityError:
        # Another administrator added the same email address or role at the same moment.
        raise Refused(f"{email} was added by someone else just now. Check the centre page.") from None


def _person_add(
    centre: Centre, added_by: Person, email: str, first_name: str, last_name: str, role: str, role_name: str
) -> PersonAdded:
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(email__iexact=email).first()
        is_new = person is None
        if person is None:
            person = Person(email=email, first_name=first_name.strip(), last_name=last_name.strip())
            person.set_unusable_password()
            person.full_clean()
            person.save()
        elif _holds_role(person, centre, role):
            raise Refused(
                f"{person} ({person.email}) is already {with_article(role_name)} at {centre}.", field="role"
            )
        membership = Membership(person=person, centre=centre, role=role)
        membership.full_clean()
        membership.save()
        audit.record(
            PortfolioAction.PERSON_ADDED if is_new else PortfolioAction.PERSON_ROLE_ADDED,
            actor=added_by,
            centre=centre,
            candidate=person if role == Role.CANDIDATE else None,
            summary=f"{person} ({person.email}) {'added' if is_new else 'given a new role'} as {role_name}",
            after={"person": person.pk, "email": person.email, "role": role, "new_account": is_new},
        )
    return PersonAdded(person=person, role=role, is_new=is_new)


def with_article(noun: str) -> str:
    """The noun after "a" or "an", as English needs: "a candidate", "an assessor"."""
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def invitation_send(*, person: Person, centre: Centre, sent_by: Person) -> None:
    """Emails a new person a link to choose their password: Django's password-reset token, so the
    link works once, stops working when the password is set, and expires with
    PASSWORD_RESET_TIMEOUT. Sent after the person is saved, so a mail failure loses no record."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    context = {
        "person": person,
        "centre": centre,
        "sent_by": sent_by,
        "set_password_url": absolute_url(reverse("password_reset_confirm", args=[uid, token])),
        "sign_in_url": absolute_url(reverse("login")),
    }
    PasswordResetForm().send_mail(
        "registration/invitation_subject.txt",
        "registration/invitation_email.txt",
        context,
        None,
        person.email,
    )
    with transaction.atomic():
        audit.record(
            PortfolioAction.PERSON_INVITED,
            actor=sent_by,
            centre=centre,
            summary=f"Set-password email sent to {person.email}",
            after={"person": person.pk, "email": person.email},
        )


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
    registered = Enrolment.objects.filter(candidate=candidate, unit__code=unit.code).select_related("unit").first()
    if registered is not None:
        raise Refused(
            f"{candidate} is already registered on {unit.code} (version {registered.unit.version}).", field="unit"
        )


def require_case_people(*, centre: Centre, candidate: Person, assessor: Person, iqa: Person) -> None:
    """The people on a case, as registering one and changing its assessor or IQA both ask: each
    holds their role here, nobody assesses or quality-assures themselves, and the assessor is not
    the IQA. A refusal names the field at fault."""
    # Everyone named must hold the role here: the form offers only them, and a forged request
    # naming someone from another centre stops at this check.
    for person, role, field in (
        (candidate, Role.CANDIDATE, "candidate"),
        (assessor, Role.ASSESSOR, "assessor"),
        (iqa, Role.IQA, "iqa"),
    ):
        if not _holds_role(person, centre, role):
            raise Refused(
                f"{person} is not {with_article(Role(role).label.lower())} at {centre}.", field=field
            )
    if assessor == candidate:
        raise Refused("A candidate cannot be their own assessor.", field="assessor")
    if iqa == candidate:
        raise Refused("A candidate cannot be their own internal quality assurer.", field="iqa")
    if iqa == assessor:
        raise Refused(
            "Choose a different IQA: the assessor cannot quality-assure their own assessment decisions.",
            field="iqa",
        )


def _record_enrolment_registered(enrolment: Enrolment, registered_by: Person) -> None:
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
) -> Enrolment:
    """The enrolment itself, checked, saved and audited, inside the caller's transaction: a unit's
    registration and a qualification's (`services_qualifications`) open a case by the same rules."""
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
    _record_enrolment_registered(enrolment, registered_by)
    return enrolment
