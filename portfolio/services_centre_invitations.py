"""A centre's invitations to its own roles (made by `services_centre.person_add`): sent again,
withdrawn, candidates' enrolments prepared before they accept and opened when they do; and the site
administrator's new centre with the invitation of its first administrator.

Each is checked, written and audited in one transaction; an email is sent inside it, last, so a
mail failure saves nothing. Nothing here looks up whether an invited address has an account."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from standards.models import Unit
from standards.permissions import is_site_administrator

from . import audit, pending_seals, services_centre, services_invitations, services_prepared_held
from .audit import PortfolioAction
from .invitation_models import Invitation, PreparedEnrolment, PreparedRegistration
from .models import Centre, Person, Role
from .services_centre import Refused, require_administrator, with_article


def require_waiting(invitation: Invitation, doing: str) -> None:
    if invitation.role not in services_centre.CENTRE_ROLES:
        raise Refused("External quality assurers' invitations are on the external quality assurers page.")
    status = invitation.status()
    if status in ("accepted", "cancelled"):
        words = "accepted" if status == "accepted" else "withdrawn"
        raise Refused(f"The invitation to {invitation.email} was {words}, so it cannot be {doing}.")


def invitation_resend(*, invitation: Invitation, sent_by: Person) -> None:
    """A new link, valid 14 days from now; the one sent before stops working."""
    require_administrator(sent_by, invitation.centre)
    send_again(invitation, sent_by=sent_by)


def send_again(invitation: Invitation, *, sent_by: Person) -> None:
    """`invitation_resend` once the caller has checked who asks (the site administrator's pages
    send a centre administrator's invitation again through it too)."""
    require_waiting(invitation, "sent again")
    with transaction.atomic():
        token = services_invitations.invitation_renew(invitation, sent_by=sent_by)
        services_centre.invitation_email_send(invitation, token)


def invitation_rename(*, invitation: Invitation, renamed_by: Person, first_name: str, last_name: str) -> bool:
    """Corrects the name the centre typed on a waiting invitation (it is the centre's own words
    until the person accepts and gives their own); False when it was already that name."""
    require_administrator(renamed_by, invitation.centre)
    require_waiting(invitation, "corrected")
    first_name, last_name = first_name.strip(), last_name.strip()
    if not (first_name and last_name):
        raise Refused("Give both a first name and a last name.")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        require_waiting(invitation, "corrected")
        before, name = invitation.name, f"{first_name} {last_name}"
        if before == name:
            return False
        invitation.name = name
        invitation.full_clean()
        invitation.save(update_fields=["name"])
        audit.record(
            PortfolioAction.INVITATION_RENAMED, actor=renamed_by, centre=invitation.centre,
            summary=f"Name on the invitation of {invitation.email} corrected from {before} to {name}",
            before={"name": before}, after={"invitation": invitation.pk, "email": invitation.email, "name": name},
        )
    return True


def invitation_cancel(*, invitation: Invitation, cancelled_by: Person) -> None:
    """Withdraws a waiting invitation: its link stops working and its prepared enrolments go."""
    require_administrator(cancelled_by, invitation.centre)
    withdraw(invitation, withdrawn_by=cancelled_by)


def withdraw(invitation: Invitation, *, withdrawn_by: Person) -> None:
    """`invitation_cancel` once the caller has checked who asks (as `send_again`)."""
    require_waiting(invitation, "withdrawn")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        require_waiting(invitation, "withdrawn")
        units = list(invitation.prepared_enrolments.values_list("unit__code", flat=True))
        invitation.prepared_enrolments.all().delete()
        qualifications = list(invitation.prepared_registrations.values_list("qualification__code", flat=True))
        invitation.prepared_registrations.all().delete()
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        audit.record(
            PortfolioAction.INVITATION_CANCELLED, actor=withdrawn_by, centre=invitation.centre,
            summary=f"Invitation of {invitation.name} ({invitation.email}) withdrawn",
            after={"invitation": invitation.pk, "name": invitation.name, "email": invitation.email,
                   "role": invitation.role, "prepared_units_dropped": units,
                   "prepared_qualifications_dropped": qualifications},
        )


def require_team_for(invitation: Invitation, assessor: Person, iqa: Person) -> None:
    """An invited candidate's assessor and IQA, as `services_centre.require_case_people` asks of an
    enrolment's, as far as it can be asked before the candidate has an account."""
    centre = invitation.centre
    for person, role, field in ((assessor, Role.ASSESSOR, "assessor"), (iqa, Role.IQA, "iqa")):
        if not services_centre.holds_role(person, centre, role):
            raise Refused(f"{person} is not {with_article(Role(role).label.lower())} at {centre}.", field=field)
    if invitation.email.lower() in (assessor.email.lower(), iqa.email.lower()):
        raise Refused("A candidate cannot be their own assessor or internal quality assurer.", field="assessor")
    if iqa == assessor:
        raise Refused(
            "Choose a different IQA: the assessor cannot quality-assure their own assessment decisions.", field="iqa"
        )


def _require_case_may_be_prepared(
    invitation: Invitation, unit: Unit, assessor: Person, iqa: Person, start_date: datetime.date,
    target_date: datetime.date,
) -> None:
    """The rules `services_centre.enrolment_open` applies, as far as they can be asked before the
    candidate has an account; it asks them all again when they accept."""
    if invitation.role != Role.CANDIDATE:
        raise Refused(f"{invitation.name} is invited as {with_article(Role(invitation.role).label.lower())}, "
                      "not as a candidate.", field="candidate")
    if target_date < start_date:
        raise Refused("The target date cannot be before the start date.", field="target_date")
    require_team_for(invitation, assessor, iqa)
    if invitation.prepared_enrolments.filter(unit__code=unit.code).exists():
        raise Refused(f"{invitation.name} is already registered on {unit.code}, waiting for them to accept.",
                      field="unit")


def enrolment_prepare(
    *, invitation: Invitation, prepared_by: Person, unit: Unit, assessor: Person, iqa: Person,
    start_date: datetime.date, target_date: datetime.date, registration_number: str = "",
) -> PreparedEnrolment:
    """Registers an invited candidate on a unit now; it becomes their enrolment when they accept."""
    require_administrator(prepared_by, invitation.centre)
    require_waiting(invitation, "registered on a unit")
    services_centre.require_new_case_dates(start_date, target_date)
    _require_case_may_be_prepared(invitation, unit, assessor, iqa, start_date, target_date)
    prepared = PreparedEnrolment(
        invitation=invitation, unit=unit, assessor=assessor, iqa=iqa, start_date=start_date, target_date=target_date,
        registration_number=registration_number.strip(), prepared_by=prepared_by,
    )
    try:
        with transaction.atomic():
            prepared.full_clean()
            prepared.save()
            audit.record(
                PortfolioAction.ENROLMENT_PREPARED, actor=prepared_by, centre=invitation.centre,
                summary=f"{invitation.name} ({invitation.email}) registered on {unit.code}, waiting for acceptance",
                after={"invitation": invitation.pk, "name": invitation.name, "email": invitation.email,
                       "unit": unit.code, "unit_version": unit.version, "assessor": assessor.pk, "iqa": iqa.pk,
                       "start_date": start_date.isoformat(), "target_date": target_date.isoformat()},
            )
    except IntegrityError:
        raise Refused(f"{invitation.name} is already registered on {unit.code}.", field="unit") from None
    return prepared


def prepared_enrolment_change(
    *, prepared: PreparedEnrolment | PreparedRegistration, assessor: Person, iqa: Person, target_date: datetime.date,
    changed_by: Person,
) -> list[str]:
    """Changes the assessor, IQA or target date of an invited candidate's registration (on a unit or
    a qualification) before they accept; returns the names of what changed. Nobody is told: nobody
    has the unit yet."""
    invitation = prepared.invitation
    require_administrator(changed_by, invitation.centre)
    require_waiting(invitation, "changed")
    with transaction.atomic():
        prepared = type(prepared).objects.select_for_update().get(pk=prepared.pk)
        require_team_for(invitation, assessor, iqa)
        if target_date != prepared.target_date:
            services_centre.require_new_case_dates(prepared.start_date, target_date)
        before = {"assessor": prepared.assessor_id, "iqa": prepared.iqa_id, "target_date": prepared.target_date}
        after = {"assessor": assessor.pk, "iqa": iqa.pk, "target_date": target_date}
        changed = [name for name in before if before[name] != after[name]]
        if not changed:
            raise Refused("Nothing has changed: choose a new assessor, IQA or target date.")
        prepared.assessor, prepared.iqa, prepared.target_date = assessor, iqa, target_date
        prepared.full_clean()
        prepared.save(update_fields=changed)
        audit.record(
            PortfolioAction.ENROLMENT_PREPARED_CHANGED, actor=changed_by, centre=invitation.centre,
            summary=f"Registration of {invitation.name} on {prepared.registered_on} changed before acceptance: "
            f"{', '.join(changed)}",
            before={name: str(before[name]) for name in changed},
            after={"name": invitation.name, "email": invitation.email, "unit": prepared.registered_on,
                   "assessor": assessor.pk, "iqa": iqa.pk, "target_date": target_date.isoformat(),
                   "changed": changed},
        )
    return changed


def prepared_held(centre: Centre, person: Person, field: str) -> list[PreparedEnrolment | PreparedRegistration]:
    """The registrations waiting for their candidate to accept that name the person as assessor
    (`field="assessor"`) or IQA (`"iqa"`) at the centre, on qualifications first and then on units:
    what a handover moves beside the units."""
    waiting = {
        "invitation__centre": centre, "invitation__accepted_at__isnull": True,
        "invitation__cancelled_at__isnull": True, field: person,
    }
    on_qualifications = PreparedRegistration.objects.filter(**waiting).select_related("invitation", "qualification")
    on_units = PreparedEnrolment.objects.filter(**waiting).select_related("invitation", "unit")
    return [
        *on_qualifications.order_by("invitation__name", "qualification__code", "pk"),
        *on_units.order_by("invitation__name", "unit__code", "pk"),
    ]


def prepared_enrolment_hand_over(
    *, prepared: PreparedEnrolment | PreparedRegistration, field: str, person: Person, reason: str, changed_by: Person
) -> None:
    """Inside a handover's transaction (`services_handover`): the waiting registration (on a unit
    or a qualification) names `person` as its assessor or IQA instead. Nobody is told: nobody has
    the unit yet."""
    invitation = prepared.invitation
    prepared = type(prepared).objects.select_for_update().get(pk=prepared.pk)
    before = getattr(prepared, field)
    assessor, iqa = (person, prepared.iqa) if field == "assessor" else (prepared.assessor, person)
    require_team_for(invitation, assessor, iqa)
    setattr(prepared, field, person)
    prepared.full_clean()
    prepared.save(update_fields=[field])
    audit.record(
        PortfolioAction.ENROLMENT_PREPARED_CHANGED, actor=changed_by, centre=invitation.centre,
        summary=f"Registration of {invitation.name} on {prepared.registered_on} handed over before acceptance: "
        f"{field}, {before} to {person}",
        before={field: str(before.pk)},
        after={"name": invitation.name, "email": invitation.email, "unit": prepared.registered_on,
               "target_date": prepared.target_date.isoformat(), field: person.pk, "changed": [field],
               "handover": {"role": field, "to": str(person)}, "reason": reason},
    )


def prepared_enrolment_cancel(*, prepared: PreparedEnrolment | PreparedRegistration, cancelled_by: Person) -> None:
    """Drops an invited candidate's registration on a unit or a qualification; the invitation itself stands."""
    invitation = prepared.invitation
    require_administrator(cancelled_by, invitation.centre)
    if invitation.accepted_at is None:  # else kept at acceptance for a team: it may be cancelled still
        require_waiting(invitation, "changed")
    with transaction.atomic():
        registered_on = prepared.registered_on
        prepared.delete()
        audit.record(
            PortfolioAction.ENROLMENT_PREPARED_CANCELLED, actor=cancelled_by, centre=invitation.centre,
            summary=f"Registration of {invitation.name} on {registered_on} cancelled before acceptance",
            after={"name": invitation.name, "email": invitation.email, "unit": registered_on},
        )


def prepared_enrolments_open(invitation: Invitation, candidate: Person) -> tuple[list[str], list[str]]:
    """Inside the acceptance's transaction: each prepared enrolment becomes an enrolment, by the
    rules of any other. One whose assessor or IQA no longer holds the role is kept, for the centre
    to choose its team (`services_prepared_held`); one the rules refuse otherwise is dropped, with
    the reason in the audit trail. Returns the units kept and those dropped (with why), for the
    centre's administrators to be told; the candidate's acceptance stands either way."""
    held: list[str] = []
    dropped: list[str] = []
    kept: list[int] = []
    for prepared in invitation.prepared_enrolments.select_related("unit", "assessor", "iqa", "prepared_by"):
        if not pending_seals.vouched(prepared):  # put in or changed by hand: never opened, and told
            dropped.append(f"{prepared.unit.code} (changed outside the portfolio)")
            continue
        if reason := services_prepared_held.team_gone(invitation, prepared.assessor, prepared.iqa):
            services_prepared_held.hold(prepared, candidate, reason)
            held.append(prepared.unit.code)
            kept.append(prepared.pk)
            continue
        try:
            with transaction.atomic():
                services_centre.enrolment_open(
                    centre=invitation.centre, registered_by=prepared.prepared_by, candidate=candidate,
                    unit=prepared.unit, assessor=prepared.assessor, iqa=prepared.iqa, start_date=prepared.start_date,
                    target_date=prepared.target_date, registration_number=prepared.registration_number,
                    prepared=prepared.pk,
                )
        except (Refused, IntegrityError) as refusal:
            dropped.append(f"{prepared.unit.code} ({refusal})")
            audit.record(
                PortfolioAction.ENROLMENT_PREPARED_DROPPED, actor=candidate, centre=invitation.centre,
                candidate=candidate,
                summary=f"Registration on {prepared.unit.code} not opened: {refusal}",
                after={"unit": prepared.unit.code, "reason": str(refusal)},
            )
    invitation.prepared_enrolments.exclude(pk__in=kept).delete()
    return held, dropped


def centre_create(*, created_by: Person, name: str, code: str, administrator_name: str, email: str) -> Centre:
    """The site administrator's: a new centre, and the invitation of its first administrator."""
    if not is_site_administrator(created_by):
        raise Refused("Only the site administrator creates centres.")
    if Centre.objects.filter(code__iexact=code.strip()).exists():
        raise Refused(f"A centre already has the code {code.strip()}. Choose another.", field="code")
    with transaction.atomic():
        centre = Centre(name=name.strip(), code=code.strip())
        centre.full_clean()
        centre.save()
        audit.record(
            PortfolioAction.CENTRE_CREATED, actor=created_by, centre=centre,
            summary=f"Centre {centre.name} ({centre.code}) created",
            after={"name": centre.name, "code": centre.code},
        )
        services_centre.invite_to_centre(
            centre=centre, invited_by=created_by, email=email, name=administrator_name, role=Role.ADMINISTRATOR
        )
    return centre
