"""What the site administrator fetches for their centres pages: any centre, and the invitations of
its administrators (no other invitation: a centre's people are its administrators' to run). For
everyone else the pages do not exist (404), as `access.require_site_administrator` says."""

from django.shortcuts import get_object_or_404

from .access import require_site_administrator
from .models import Centre, Invitation, Person, Role


def site_centre_for_user(person: Person, centre_id: int) -> Centre:
    require_site_administrator(person)
    return get_object_or_404(Centre, pk=centre_id)


def site_invitation_for_user(person: Person, centre_id: int, pk: int) -> tuple[Centre, Invitation]:
    """An invitation to administer the centre, for the site administrator to send again or withdraw."""
    centre = site_centre_for_user(person, centre_id)
    invitation = get_object_or_404(
        Invitation.objects.select_related("centre"), pk=pk, centre=centre, role=Role.ADMINISTRATOR
    )
    return centre, invitation
