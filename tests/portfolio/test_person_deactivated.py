"""The person page of someone deactivated at the centre (an outside tester's findings): it says
which of their waiting invitations deactivating withdrew, and that they cannot open anything of the
centre, never whether their account may sign in (that is for the other centres it opens)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Invitation, Role
from portfolio.services_centre import person_add
from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.factories import updated
from tests.portfolio.test_deactivated_invitations import text_of

pytestmark = pytest.mark.django_db


def _invite_bob(centre, grace, role) -> None:
    person_add(centre=centre, added_by=grace, email="bob@example.org", first_name="Bob", last_name="Baker", role=role)


def _page(client, centre, grace, person) -> str:
    client.force_login(grace)
    return text_of(client.get(reverse("portfolio:person_detail", args=[centre.pk, person.pk])))


def test_the_page_says_which_invitations_deactivating_withdrew(client, centre, grace, bob):
    _invite_bob(centre, grace, Role.CANDIDATE)
    _invite_bob(centre, grace, Role.IQA)
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    page = _page(client, centre, grace, bob)
    assert ("Their invitations as candidate and internal quality assurer were withdrawn when they were "
            "deactivated: their links no longer work.") in page


def test_an_invitation_withdrawn_before_deactivating_is_not_said_to_be_withdrawn_by_it(client, centre, grace, bob):
    _invite_bob(centre, grace, Role.CANDIDATE)
    updated(Invitation.objects.filter(email="bob@example.org"), cancelled_at=timezone.now())
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    page = _page(client, centre, grace, bob)
    assert "withdrawn when they were deactivated" not in page
    # Deactivated again after a reactivation that withdrew nothing: the first one's are not this one's.
    membership_reactivate(centre=centre, person=bob, reactivated_by=grace, reason="Back at the centre.")
    _invite_bob(centre, grace, Role.IQA)
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    assert "Their invitation as internal quality assurer was withdrawn when they were deactivated: its link no longer works." in _page(client, centre, grace, bob)


def test_signing_in_says_a_deactivated_person_cannot_open_anything_here(client, centre, grace, bob):
    assert "Not locked out: they may sign in." in _page(client, centre, grace, bob)
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    page = _page(client, centre, grace, bob)
    assert "Deactivated here: they cannot open anything of Riverside Training." in page
    assert "they may sign in" not in page
    assert "withdrawn when they were deactivated" not in page  # none was waiting


def test_deactivating_records_the_invitations_it_withdrew(centre, grace, bob):
    _invite_bob(centre, grace, Role.CANDIDATE)
    _invite_bob(centre, grace, Role.IQA)
    record = membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    assert sorted(record.invitations_withdrawn.values_list("role", flat=True)) == [Role.CANDIDATE, Role.IQA]


def test_the_page_reads_what_deactivating_recorded_after_the_address_changes(client, centre, grace, bob):
    """The site administrator corrects the person's address after they were deactivated: the page
    still names the invitations deactivating withdrew (worked out from the address, it named none)."""
    _invite_bob(centre, grace, Role.IQA)
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    bob.email = "robert.baker@example.org"
    bob.save(update_fields=["email"])
    page = _page(client, centre, grace, bob)
    assert "Their invitation as internal quality assurer was withdrawn when they were deactivated: its link no longer works." in page


def test_an_invitation_withdrawn_after_deactivating_by_something_else_is_not_said_to_be_withdrawn_by_it(client, centre, grace, bob):
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    # An invitation to the address that was not waiting when they were deactivated, withdrawn
    # afterwards (as the site administrator might in the admin pages): not deactivating's doing.
    Invitation.objects.create(
        centre=centre, name="Bob Baker", email="bob@example.org", role=Role.CANDIDATE, token_digest="b" * 64,
        invited_by=grace, sent_at=timezone.now(), expires_at=timezone.now(), cancelled_at=timezone.now(),
    )
    assert "withdrawn when they were deactivated" not in _page(client, centre, grace, bob)


def test_reactivating_leaves_the_withdrawn_invitations_withdrawn_and_says_nothing_of_them(client, centre, grace, bob):
    _invite_bob(centre, grace, Role.IQA)
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    membership_reactivate(centre=centre, person=bob, reactivated_by=grace, reason="Back at the centre.")
    assert Invitation.objects.get(email="bob@example.org").cancelled_at is not None
    assert "withdrawn when they were deactivated" not in _page(client, centre, grace, bob)
    # Deactivated again with nothing waiting: the first deactivation's withdrawals are not this one's.
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    assert "withdrawn when they were deactivated" not in _page(client, centre, grace, bob)
