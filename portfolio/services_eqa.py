"""A centre's grants of access to external quality assurers: invited, sent again, renewed, ended;
and the EQA's acceptance of the centre's terms. Each checked, written and audited in one
transaction; the invitation's email is sent inside it, last, so a mail failure saves nothing.

Who reads what under a grant is `portfolio.access`'s alone to say."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from standards.models import Qualification, Unit

from . import access, audit, dates, services_invitations
from .audit import PortfolioAction
from .eqa_models import MAX_GRANT_DAYS, EqaGrant
from .models import Centre, Membership, Person, Role
from .services_centre import Refused, require_administrator, with_article

SUBJECT = "Access to the portfolios of {centre} for external quality assurance"


def check_dates(*, start_date: datetime.date, end_date: datetime.date, counted_from: datetime.date) -> None:
    """The window's rules, with the field each is about: it starts no earlier than today (a new
    grant), ends no earlier than it starts, and no later than 90 days after it starts or is renewed."""
    if end_date < start_date:
        raise Refused("The end date must be on or after the start date.", field="end_date")
    latest = counted_from + datetime.timedelta(days=MAX_GRANT_DAYS)
    if end_date > latest:
        raise Refused(
            f"Access runs for at most {MAX_GRANT_DAYS} days: choose an end date no later than {dates.day(latest)}. "
            "You can renew it before it ends.",
            field="end_date",
        )


def _scope_words(grant: EqaGrant) -> list[str]:
    return [q.code for q in grant.qualifications.all()] + [u.code for u in grant.units.all()]


def eqa_invite(
    *, centre: Centre, invited_by: Person, name: str, email: str, awarding_body: str,
    qualifications: Iterable[Qualification], units: Iterable[Unit], start_date: datetime.date,
    end_date: datetime.date,
) -> EqaGrant:
    """Invites an EQA and makes their grant, which opens nothing until they accept. Whether the
    address has an account is not asked here: the centre's side is the same either way."""
    require_administrator(invited_by, centre)
    qualifications, units = list(qualifications), list(units)
    if not qualifications and not units:
        raise Refused("Choose at least one qualification or unit the EQA may read.", field="units")
    if start_date < access.local_today():
        raise Refused("The start date cannot be in the past.", field="start_date")
    refuse_the_centres_own(centre, email)
    check_dates(start_date=start_date, end_date=end_date, counted_from=start_date)
    with transaction.atomic():
        invitation, token = services_invitations.invitation_make(
            centre=centre, name=name, email=email, role=Role.EQA, invited_by=invited_by
        )
        grant = EqaGrant(
            centre=centre, invitation=invitation, awarding_body=awarding_body.strip(), start_date=start_date,
            end_date=end_date, created_by=invited_by,
        )
        grant.full_clean()
        grant.save()
        grant.qualifications.set(qualifications)
        grant.units.set(units)
        audit.record(
            PortfolioAction.EQA_INVITED, actor=invited_by, centre=centre,
            summary=f"{invitation.name} ({invitation.email}) invited as external quality assurer",
            after={
                "grant": grant.pk, "name": invitation.name, "email": invitation.email,
                "awarding_body": grant.awarding_body, "scope": _scope_words(grant),
                "start_date": start_date.isoformat(), "end_date": end_date.isoformat(),
            },
        )
        _send(grant, token)
    return grant


def refuse_the_centres_own(centre: Centre, email: str) -> None:
    """An external quality assurer comes from the awarding body: none of the centre's own people (a
    candidate, an assessor, an IQA, an administrator) may be one there, or they would read the cases
    of the people they work beside. The centre knows its own people, so saying so tells it nothing."""
    own = Membership.objects.filter(centre=centre, person__email__iexact=email.strip()).first()
    if own is not None:
        raise Refused(
            f"{email.strip()} is {with_article(own.get_role_display().lower())} at {centre.name}: an external "
            "quality assurer comes from the awarding body, not from the centre's own people.",
            field="email",
        )


def _send(grant: EqaGrant, token: str) -> None:
    assert grant.invitation is not None
    services_invitations.invitation_email(
        grant.invitation, token, subject=SUBJECT.format(centre=grant.centre.name),
        template="portfolio/eqa_invitation_email.txt",
        context={"grant": grant, "centre": grant.centre, "scope": _scope_words(grant)},
    )


def eqa_resend(*, grant: EqaGrant, sent_by: Person) -> None:
    """A new link, valid 14 days; the one sent before stops working."""
    require_administrator(sent_by, grant.centre)
    if grant.invitation is None or grant.ended_at is not None:
        raise Refused("This access has ended: invite the EQA again instead.")
    if grant.seal_broken_at is not None:
        raise Refused("This access was changed outside the portfolio: end it and invite the EQA again.")
    with transaction.atomic():
        token = services_invitations.invitation_renew(grant.invitation, sent_by=sent_by)
        _send(grant, token)


def eqa_renew(*, grant: EqaGrant, renewed_by: Person, end_date: datetime.date) -> bool:
    """A new end date, at most 90 days from today. A grant not yet accepted has its invitation sent
    again with the new dates (a new link; the old one, whose email names the old dates, stops
    working): returns whether it was."""
    require_administrator(renewed_by, grant.centre)
    if grant.ended_at is not None:
        raise Refused("This access was ended: invite the EQA again instead.")
    if grant.seal_broken_at is not None:
        raise Refused("This access was changed outside the portfolio: end it and invite the EQA again.")
    today = access.local_today()
    if grant.status(today) == "expired":
        # Reopened, it would run on terms accepted for another visit: a fresh invitation instead.
        raise Refused(f"This access ran out on {dates.day(grant.end_date)}: invite the EQA again instead.")
    if end_date < today:
        raise Refused("The new end date cannot be in the past.", field="end_date")
    check_dates(start_date=grant.start_date, end_date=end_date, counted_from=max(today, grant.start_date))
    before = grant.end_date
    with transaction.atomic():
        grant.end_date, grant.renewed_on = end_date, today
        grant.full_clean()
        grant.save(update_fields=["end_date", "renewed_on"])
        audit.record(
            PortfolioAction.EQA_RENEWED, actor=renewed_by, centre=grant.centre,
            summary=f"External quality assurance access renewed until {end_date.isoformat()}",
            before={"end_date": before.isoformat()},
            after={"grant": grant.pk, "who": _who(grant), "end_date": end_date.isoformat()},
        )
        if not invitation_waiting(grant):
            return False
        assert grant.invitation is not None
        _send(grant, services_invitations.invitation_renew(grant.invitation, sent_by=renewed_by))
    return True


def invitation_waiting(grant: EqaGrant) -> bool:
    """Whether the grant's invitation still waits to be accepted (sent, or its link run out): the
    EQA's email then names the grant's dates, so a renewal sends it again."""
    invitation = grant.invitation
    return grant.person_id is None and invitation is not None and invitation.status() not in ("accepted", "cancelled")


def eqa_end(*, grant: EqaGrant, ended_by: Person) -> None:
    """Ends the access now (and withdraws the invitation, if it is still waiting)."""
    require_administrator(ended_by, grant.centre)
    if grant.ended_at is not None:
        raise Refused("This access has already ended.")
    now = timezone.now()
    with transaction.atomic():
        grant.ended_at, grant.ended_by = now, ended_by
        grant.save(update_fields=["ended_at", "ended_by"])
        invitation = grant.invitation
        if invitation is not None and invitation.accepted_at is None and invitation.cancelled_at is None:
            invitation.cancelled_at = now
            invitation.save(update_fields=["cancelled_at"])
        audit.record(
            PortfolioAction.EQA_ENDED, actor=ended_by, centre=grant.centre,
            summary=f"External quality assurance access of {_who(grant)} ended",
            after={"grant": grant.pk, "who": _who(grant)},
        )


def eqa_terms_accept(*, grant: EqaGrant, person: Person) -> None:
    if grant.person_id != person.pk or grant.ended_at is not None:
        raise Refused("These terms are for the external quality assurer the centre invited.")
    if grant.terms_accepted_at is not None:
        return
    with transaction.atomic():
        grant.terms_accepted_at = timezone.now()
        grant.save(update_fields=["terms_accepted_at"])
        audit.record(
            PortfolioAction.EQA_TERMS_ACCEPTED, actor=person, centre=grant.centre,
            summary=f"{person} accepted the centre's data-protection terms",
            after={"grant": grant.pk, "terms": grant.centre.eqa_terms},
        )


def _who(grant: EqaGrant) -> str:
    """The EQA as the centre knows them: the account once accepted, the name typed until then."""
    if grant.person is not None:
        return f"{grant.person} ({grant.person.email})"
    invitation = grant.invitation
    return f"{invitation.name} ({invitation.email})" if invitation is not None else "an external quality assurer"


def eqa_grant_give(
    *, centre: Centre, person: Person, units: Iterable[Unit], start_date: datetime.date, end_date: datetime.date,
    awarding_body: str = "", terms_accepted: bool = False,
) -> EqaGrant:
    """A grant already accepted, with no invitation: for the demonstration centre and for tests
    (setup_demo), as the migration made them from EQA memberships."""
    grant = EqaGrant.objects.create(
        centre=centre, person=person, awarding_body=awarding_body, start_date=start_date, end_date=end_date,
        terms_accepted_at=timezone.now() if terms_accepted else None,
    )
    grant.units.set(units)
    return grant
