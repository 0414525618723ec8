"""What a centre's administrator fetches of the centre's own, for its pages: an invitation, an EQA's
grant, a candidate, a person. Each is found only at a centre the person administers
(`access.administered_centre_for_user`); anyone else finds nothing (404)."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from .access import administered_centre_for_user
from .audit import PortfolioAction
from .models import (
    AuditEvent,
    Centre,
    DeactivatedMembership,
    Enrolment,
    EqaGrant,
    Invitation,
    Membership,
    Person,
    PreparedEnrolment,
    PreparedRegistration,
    QualificationRegistration,
    Role,
)


def administered_invitation_for_user(person: Person, centre_id: int, pk: int) -> tuple[Centre, Invitation]:
    """An invitation to one of the centre's own roles, at a centre the person administers."""
    centre = administered_centre_for_user(person, centre_id)
    invitation = get_object_or_404(Invitation.objects.exclude(role=Role.EQA).select_related("centre"), pk=pk, centre=centre)
    return centre, invitation


def administered_eqa_grant_for_user(person: Person, centre_id: int, pk: int) -> tuple[Centre, EqaGrant]:
    """A grant of EQA access at a centre the person administers: the administrator's own page."""
    centre = administered_centre_for_user(person, centre_id)
    grant = get_object_or_404(EqaGrant.objects.select_related("invitation", "person", "centre"), pk=pk, centre=centre)
    return centre, grant


def candidate_at_centre_for_user(person: Person, centre_id: int, candidate_id: int) -> tuple[Centre, Person]:
    """A candidate of a centre the person administers: the administrator's own page about them."""
    centre = administered_centre_for_user(person, centre_id)
    candidate = get_object_or_404(
        Person.objects.filter(memberships__centre=centre, memberships__role=Role.CANDIDATE).distinct(), pk=candidate_id
    )
    return centre, candidate


def person_at_centre_for_user(person: Person, centre_id: int, pk: int) -> tuple[Centre, Person]:
    """Someone with a role at a centre the person administers, or deactivated there: its page about them."""
    centre = administered_centre_for_user(person, centre_id)
    held, ended = (kind.objects.filter(person=OuterRef("pk"), centre=centre) for kind in (Membership, DeactivatedMembership))
    return centre, get_object_or_404(Person.objects.filter(Q(Exists(held)) | Q(Exists(ended))), pk=pk)


def prepared_enrolment_for_user(person: Person, centre_id: int, pk: int) -> tuple[Centre, PreparedEnrolment]:
    """An invited candidate's registration on a unit, still waiting for them to accept, at a centre
    the person administers: once accepted (or withdrawn) it is gone, and so is this page, unless it
    was kept at acceptance for the centre to choose its team (`services_prepared_held`)."""
    centre = administered_centre_for_user(person, centre_id)
    waiting = PreparedEnrolment.objects.filter(
        invitation__centre=centre, invitation__cancelled_at__isnull=True
    ).select_related("invitation__centre", "invitation__accepted_by", "unit", "assessor", "iqa")
    return centre, get_object_or_404(waiting, pk=pk)


def prepared_registration_for_user(person: Person, centre_id: int, pk: int) -> tuple[Centre, PreparedRegistration]:
    """An invited candidate's registration on a qualification, as `prepared_enrolment_for_user` finds
    one on a unit: waiting for them to accept, or kept at acceptance for the centre to choose its team."""
    centre = administered_centre_for_user(person, centre_id)
    waiting = PreparedRegistration.objects.filter(
        invitation__centre=centre, invitation__cancelled_at__isnull=True
    ).select_related("invitation__centre", "invitation__accepted_by", "qualification", "assessor", "iqa")
    return centre, get_object_or_404(waiting, pk=pk)


def opened_from_prepared(
    person: Person, centre_id: int, pk: int, *, qualification: bool
) -> tuple[Centre, Enrolment | QualificationRegistration]:
    """What an invited candidate's registration (on a unit, or with `qualification` on one) opened as
    once they accepted, or once the centre chose the team of one kept then: the prepared one is gone,
    and its opening's audit event names it (`services_centre.enrolment_open`, `registration_open`).
    Only at a centre the person administers, as the prepared one was; anything else finds nothing."""
    centre = administered_centre_for_user(person, centre_id)
    action = PortfolioAction.QUALIFICATION_REGISTERED if qualification else PortfolioAction.ENROLMENT_REGISTERED
    event = AuditEvent.objects.filter(centre=centre, action=action.value, after__prepared=pk).order_by("-pk").first()
    if event is None:
        raise Http404
    opened: Enrolment | QualificationRegistration | None
    if qualification:
        opened = QualificationRegistration.objects.filter(centre=centre, pk=event.after.get("registration")).select_related(
            "candidate", "qualification"
        ).first()
    else:
        opened = Enrolment.objects.filter(centre=centre, pk=event.enrolment_id).select_related("candidate", "unit").first()
    if opened is None:
        raise Http404
    return centre, opened
