"""Invitations to a centre (portfolio/invitation_models.py): made, sent again, accepted.

Making one never looks up whether the address has an account, so the centre's side of it (the page,
the audit trail, the time it takes) is the same either way. Only the person who opens the link
learns which it is: with no account they set their name and password there; with one they sign in
as that address and accept, and keep their name and password."""

import datetime
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import audit, pending_seals
from .audit import PortfolioAction
from .errors import PortfolioError
from .invitation_models import INVITATION_VALID_FOR, Invitation, ReplacedInvitationLink
from .links import absolute_url
from .models import CandidateIdentifiers, Centre, DeactivatedMembership, Membership, Person, Role
from .notification_kinds import NotificationKind
from .notifications import notify


class InvitationUnavailable(PortfolioError):
    """The link cannot be used: accepted already, cancelled, expired, or never issued."""

    WORDS = {
        "accepted": "This invitation has already been accepted.",
        "cancelled": "This invitation was withdrawn by the centre.",
        "expired": "This invitation has expired. Ask the centre to send it again.",
        "superseded": "A newer invitation has been sent to you for the same role, so this link no longer works. "
        "Use the link in the latest invitation email.",
        "unknown": "This link is not a valid invitation. Check you copied the whole link from the email.",
    }

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(self.WORDS[reason])


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    invitation = Invitation.objects.filter(token_digest=token_digest(token)).select_related("centre").first()
    # One put in or changed by hand opens nothing: it reads as a link never sent (`pending_seals`).
    return invitation if invitation is None or pending_seals.vouched(invitation) else None


def invitation_opened(token: str) -> tuple[Invitation | None, str]:
    """The invitation a link belongs to and what opening it does now: `Invitation.status()`, or
    "superseded" when a newer invitation went to the same address for the same role here (the same
    invitation sent again, or a new one after this was withdrawn or expired), or "unknown". A link
    whose newer invitation was accepted reads "accepted": the person has joined either way."""
    invitation = invitation_for_token(token)
    if invitation is None:
        replaced = None
        if token and len(token) <= 100:
            replaced = ReplacedInvitationLink.objects.filter(token_digest=token_digest(token)).first()
        if replaced is None:
            return None, "unknown"
        invitation = Invitation.objects.select_related("centre").get(pk=replaced.invitation_id)
        return invitation, "accepted" if invitation.status() == "accepted" else "superseded"
    status = invitation.status()
    if status in ("cancelled", "expired"):
        newer = Invitation.objects.filter(
            centre=invitation.centre_id, email__iexact=invitation.email, role=invitation.role,
            created_at__gt=invitation.created_at,
        ).order_by("-created_at").first()
        if newer is not None:
            return invitation, "accepted" if newer.status() == "accepted" else "superseded"
    return invitation, status


def account_for(invitation: Invitation) -> Person | None:
    """The account the invited address already has, if any: asked only by the link's own page."""
    return Person.objects.filter(email__iexact=invitation.email).first()


def _new_token(invitation: Invitation, now: datetime.datetime) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_digest = token_digest(token)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALID_FOR
    return token


def invitation_make(
    *, centre: Centre, name: str, email: str, role: str, invited_by: Person, uln: str = ""
) -> tuple[Invitation, str]:
    """A new invitation and its link's secret (which is stored nowhere: send it, then forget it)."""
    invitation = Invitation(
        centre=centre, name=name.strip(), email=Person.objects.normalize_email(email.strip()).lower(),
        role=role, invited_by=invited_by, uln=uln,
    )
    token = _new_token(invitation, timezone.now())
    invitation.full_clean()
    invitation.save()
    return invitation, token


def invitation_email(invitation: Invitation, token: str, *, subject: str, template: str, context: dict) -> None:
    """The same email whether or not the address has an account: the link's page says what to do."""
    link = absolute_url(reverse("portfolio:invitation_accept", args=[token]))
    body = render_to_string(template, {**context, "invitation": invitation, "link": link})
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[invitation.email], fail_silently=False)


def invitation_renew(invitation: Invitation, *, sent_by: Person) -> str:
    """A new secret for a waiting invitation: the old link stops working, the new one runs 14 days."""
    if invitation.status() in ("accepted", "cancelled"):
        raise PortfolioError(f"The invitation to {invitation.email} cannot be sent again: it was {invitation.status()}.")
    now = timezone.now()
    ReplacedInvitationLink.objects.create(invitation=invitation, token_digest=invitation.token_digest, replaced_at=now)
    token = _new_token(invitation, now)
    invitation.save(update_fields=["token_digest", "sent_at", "expires_at"])
    audit.record(
        PortfolioAction.INVITATION_RESENT, actor=sent_by, centre=invitation.centre,
        summary=f"Invitation sent again to {invitation.email}",
        after={"email": invitation.email, "expires_at": invitation.expires_at.isoformat()},
    )
    return token


def _open(invitation: Invitation, token: str) -> Invitation:
    """The invitation, locked, if this token opens it and it is still waiting."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not secrets.compare_digest(invitation.token_digest, token_digest(token)) or not pending_seals.vouched(invitation):
        raise InvitationUnavailable("unknown")
    status = invitation.status()
    if status != "pending":
        raise InvitationUnavailable(status)
    return invitation


def _refuse_deactivated(invitation: Invitation, person: Person) -> None:
    """Someone the centre deactivated does not come back through an invitation sent before (or by
    another route): only the centre's "Reactivate" gives access back."""
    if DeactivatedMembership.objects.filter(person=person, centre=invitation.centre).exists():
        raise PortfolioError(
            f"Your access to {invitation.centre.name} has been ended, so this invitation cannot be accepted. "
            f"Contact {invitation.centre.name} if you think this is a mistake."
        )


def _accepted(invitation: Invitation, person: Person) -> None:
    _refuse_deactivated(invitation, person)
    now = timezone.now()
    invitation.accepted_at, invitation.accepted_by = now, person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.role == Role.EQA:
        # Someone who became one of the centre's own people after the invitation was sent.
        if Membership.objects.filter(centre=invitation.centre, person=person).exists():
            raise PortfolioError(
                f"You hold a role at {invitation.centre.name}, so you cannot be its external quality assurer too. "
                "Ask the centre to invite someone from the awarding body."
            )
        grant = invitation.eqa_grant
        grant.person = person
        grant.save(update_fields=["person"])
    else:
        Membership.objects.get_or_create(person=person, centre=invitation.centre, role=invitation.role)
        if invitation.uln and invitation.role == Role.CANDIDATE:
            _uln_recorded(invitation, person)
        # Imported here: services_centre makes invitations through this module, so importing it at
        # the top would be a cycle.
        from .services_centre_invitations import prepared_enrolments_open
        from .services_prepared_held import tell_administrators
        from .services_prepared_registrations import prepared_registrations_open

        held, dropped = prepared_enrolments_open(invitation, person)
        held_qualifications, dropped_qualifications = prepared_registrations_open(invitation, person)
        held += held_qualifications
        dropped += dropped_qualifications
        tell_administrators(invitation, person, held=held, dropped=dropped)
    audit.record(
        PortfolioAction.INVITATION_ACCEPTED, actor=person, centre=invitation.centre,
        summary=f"{person} accepted the invitation sent to {invitation.email}",
        after={"email": invitation.email, "role": invitation.role, "person": person.pk},
    )
    _tell_the_inviter(invitation, person)


def _tell_the_inviter(invitation: Invitation, person: Person) -> None:
    """The administrator who sent the invitation hears that it was accepted, if they still run the
    centre (or are the site administrator, who invites a new centre's first administrator)."""
    inviter, centre = invitation.invited_by, invitation.centre
    if Membership.objects.filter(person=inviter, centre=centre, role=Role.ADMINISTRATOR).exists():
        link = (reverse("portfolio:eqa_access_list", args=[centre.pk]) if invitation.role == Role.EQA
                else reverse("portfolio:person_detail", args=[centre.pk, person.pk]))
    elif inviter.is_superuser:
        link = reverse("portfolio:centre_create")
    else:
        return
    from .services_centre import with_article  # a cycle at the top: services_centre makes invitations here

    notify(
        [inviter], f"{person} ({invitation.email}) accepted your invitation to {centre.name} as "
        f"{with_article(Role(invitation.role).label.lower())}.",
        kind=NotificationKind.INVITATION_ACCEPTED, link=link, subject=f"Your invitation to {centre.name} accepted",
    )


def _uln_recorded(invitation: Invitation, person: Person) -> None:
    """The ULN the centre imported with the invitation becomes its record of the candidate's, unless
    the centre has recorded one for them already (its own record is not overwritten), or has since
    recorded that ULN for another candidate (a ULN identifies one learner: the centre sorts out which
    from their Identifiers page)."""
    held, _ = CandidateIdentifiers.objects.get_or_create(candidate=person, centre=invitation.centre)
    taken = CandidateIdentifiers.objects.filter(centre=invitation.centre, uln=invitation.uln).exclude(pk=held.pk)
    if not held.uln and not taken.exists():
        held.uln = invitation.uln
        held.save(update_fields=["uln"])


def invitation_accept(*, invitation: Invitation, token: str, person: Person) -> None:
    """Someone signed in as the invited address accepts; their name and password are unchanged."""
    if person.email.lower() != invitation.email.lower():
        raise PortfolioError(f"This invitation is for {invitation.email}. Sign in with that address to accept it.")
    with transaction.atomic():
        _accepted(_open(invitation, token), person)


def invitation_accept_new(
    *, invitation: Invitation, token: str, first_name: str, last_name: str, password: str
) -> Person:
    """Someone with no account sets their name and password, and accepts."""
    person = Person(email=invitation.email, first_name=first_name.strip(), last_name=last_name.strip())
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise PortfolioError(" ".join(error.messages)) from None
    person.set_password(password)
    try:
        with transaction.atomic():
            invitation = _open(invitation, token)
            if account_for(invitation) is not None:
                raise PortfolioError("This address already has an account: sign in to accept the invitation.")
            person.full_clean()
            person.save()
            _accepted(invitation, person)
    except IntegrityError:
        raise PortfolioError("This address already has an account: sign in to accept the invitation.") from None
    return person
