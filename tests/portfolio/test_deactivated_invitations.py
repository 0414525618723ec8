"""A deactivated person does not get back into the centre through an invitation (issue 16, an
outside tester's finding): deactivating withdraws their waiting invitations there, accepting one
at a centre that deactivated them is refused, and the centre may not invite them again by hand or
by CSV import, but is pointed to "Reactivate"."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, DeactivatedMembership, Invitation, Membership, Role
from portfolio.services_centre import person_add
from portfolio.services_people import membership_deactivate

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/\S*invitations/\S+/)")
REACTIVATE = (
    "bob@example.org is deactivated at this centre. To give them back their access, choose “Reactivate” on their "
    "page; they get back the roles they held."
)


def text_of(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").replace("&ldquo;", "“").replace("&rdquo;", "”").split())


def _invite_bob_as_candidate(centre, grace) -> str:
    person_add(centre=centre, added_by=grace, email="bob@example.org", first_name="Bob", last_name="Baker",
               role=Role.CANDIDATE)
    return LINK.search(str(mail.outbox[-1].body)).group(1)


def test_deactivating_withdraws_the_persons_waiting_invitations_here_and_the_page_says_so(client, centre, grace, bob):
    link = _invite_bob_as_candidate(centre, grace)
    client.force_login(grace)
    page = text_of(client.get(reverse("portfolio:person_deactivate", args=[centre.pk, bob.pk])))
    assert "Their invitation here as candidate, sent" in page
    assert "is withdrawn: its link stops working." in page

    client.post(reverse("portfolio:person_deactivate", args=[centre.pk, bob.pk]), {"reason": "Left the centre."})

    invitation = Invitation.objects.get(centre=centre, email="bob@example.org", role=Role.CANDIDATE)
    assert invitation.cancelled_at is not None
    assert AuditEvent.objects.filter(action=PortfolioAction.INVITATION_CANCELLED, centre=centre).exists()
    client.force_login(bob)
    assert "This invitation was withdrawn by the centre." in text_of(client.get(link))
    client.post(link)
    assert not Membership.objects.filter(person=bob, centre=centre).exists()


def test_accepting_an_invitation_at_a_centre_that_deactivated_you_is_refused(client, centre, grace, bob):
    link = _invite_bob_as_candidate(centre, grace)
    # Deactivated by another route than the service (which would withdraw the invitation).
    DeactivatedMembership.objects.create(person=bob, centre=centre, roles=[Role.ASSESSOR], deactivated_by=grace)
    Membership.objects.filter(person=bob, centre=centre).delete()

    client.force_login(bob)
    response = client.post(link)

    assert response.status_code == 400
    assert "Your access to Riverside Training has been ended, so this invitation cannot be accepted." in text_of(response)
    assert not Membership.objects.filter(person=bob, centre=centre).exists()
    assert Invitation.objects.get(centre=centre, email="bob@example.org").accepted_at is None


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.ASSESSOR])
def test_adding_a_person_deactivated_here_is_refused_pointing_to_reactivate(client, centre, grace, bob, role):
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    client.force_login(grace)
    response = client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Bob", "last_name": "Baker", "email": "BOB@example.org", "role": role,
    })
    assert REACTIVATE in text_of(response)
    assert not Invitation.objects.filter(centre=centre, email="bob@example.org").exists()


def test_importing_a_person_deactivated_here_is_skipped_in_the_same_words(client, centre, grace, bob):
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    client.force_login(grace)
    rows = "First name,Last name,Email\nBob,Baker,bob@example.org\nNia,Nash,nia@example.org\n"
    response = client.post(reverse("portfolio:people_import", args=[centre.pk]),
                           {"people_file": SimpleUploadedFile("class.csv", rows.encode())})
    page = text_of(client.get(response["Location"] + "?show=all"))
    assert REACTIVATE in page
    assert "Invite 1 candidate" in page


def test_the_person_page_never_says_no_access_while_a_role_here_lets_them_in(client, centre, grace, bob):
    """Records from before deactivating withdrew invitations: deactivated, yet a candidate again."""
    DeactivatedMembership.objects.create(person=bob, centre=centre, roles=[Role.ASSESSOR], deactivated_by=grace)
    membership = Membership.objects.get(person=bob, centre=centre)
    membership.role = Role.CANDIDATE
    membership.save()  # as the portfolio would: sealed, so the request does not take it away
    client.force_login(grace)
    page = text_of(client.get(reverse("portfolio:person_detail", args=[centre.pk, bob.pk])))
    assert "They can open nothing" not in page
    assert "Since then they have held the role of candidate here again" in page
