"""The site administrator's running of centres (their pages: portfolio/views/site_centres.py): a
centre renamed, and the invitations of its administrators made, sent again or withdrawn, so a
centre whose first administrator never accepted (a mistyped address, a link run out) is not left
without one. A centre is created by `services_centre_invitations.centre_create`.

Nothing else of a centre is theirs: its people are its administrators' to run, and its candidates'
evidence is seen only by the people on each case. Each change is checked, written and audited in
one transaction; an invitation's email is sent inside it, last, so a mail failure saves nothing."""

from django.db import transaction

from standards.permissions import is_site_administrator

from . import audit, services_centre, services_centre_invitations
from .audit import PortfolioAction
from .invitation_models import Invitation
from .models import Centre, Person, Role
from .services_centre import Refused


def _require_site_administrator(person: Person) -> None:
    if not is_site_administrator(person):
        raise Refused("Only the site administrator runs centres from these pages.")


def _require_an_administrators(invitation: Invitation) -> None:
    if invitation.role != Role.ADMINISTRATOR:
        raise Refused("This is not an invitation to administer the centre: the centre's administrators run it.")


def centre_rename(*, centre: Centre, renamed_by: Person, name: str) -> None:
    _require_site_administrator(renamed_by)
    name = name.strip()
    if not name:
        raise Refused("Enter the centre's name.", field="name")
    if name == centre.name:
        return
    with transaction.atomic():
        before = centre.name
        centre.name = name
        centre.full_clean()
        centre.save(update_fields=["name"])
        audit.record(
            PortfolioAction.CENTRE_RENAMED, actor=renamed_by, centre=centre,
            summary=f"Centre {before} renamed {centre.name}",
            before={"name": before}, after={"name": centre.name, "code": centre.code},
        )


def administrator_invite(
    *, centre: Centre, invited_by: Person, first_name: str, last_name: str, email: str
) -> Invitation:
    """Another administrator for the centre, or the right address after a mistyped one."""
    _require_site_administrator(invited_by)
    return services_centre.invite_to_centre(
        centre=centre, invited_by=invited_by, email=email, name=f"{first_name.strip()} {last_name.strip()}",
        role=Role.ADMINISTRATOR,
    )


def administrator_invitation_resend(*, invitation: Invitation, sent_by: Person) -> None:
    """A new link, valid 14 days from now; the one sent before stops working."""
    _require_site_administrator(sent_by)
    _require_an_administrators(invitation)
    services_centre_invitations.send_again(invitation, sent_by=sent_by)


def administrator_invitation_withdraw(*, invitation: Invitation, withdrawn_by: Person) -> None:
    """The link stops working; the site administrator may then invite the right address."""
    _require_site_administrator(withdrawn_by)
    _require_an_administrators(invitation)
    services_centre_invitations.withdraw(invitation, withdrawn_by=withdrawn_by)
