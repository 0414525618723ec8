"""While a person is deactivated, an administrator of that centre corrects the reason (issue 16):
required as when deactivating, the old and new words kept in the audit trail, not told to the
person, and refused (404) to anyone but the centre's administrators."""

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent, DeactivatedMembership, Membership, Notification, Role
from portfolio.services_enrolments import REASON_LENGTH
from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.portfolio.test_deactivated_invitations import text_of
from tests.portfolio.test_past_deactivations import history, words

pytestmark = pytest.mark.django_db

FIRST = "Left the centre in June."
CORRECTED = "Moved to Hillside College to finish the diploma."


def reason_url(centre, person) -> str:
    return reverse("portfolio:person_deactivation_reason", args=[centre.pk, person.pk])


def page_url(centre, person) -> str:
    return reverse("portfolio:person_detail", args=[centre.pk, person.pk])


@pytest.fixture
def bob_deactivated(centre, grace, bob):
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason=FIRST)
    Notification.objects.all().delete()  # what deactivating told him: only what follows counts
    return bob


def corrections():
    return AuditEvent.objects.filter(action=PortfolioAction.DEACTIVATION_REASON_CORRECTED)


def unchanged(centre, bob) -> None:
    assert DeactivatedMembership.objects.get(person=bob, centre=centre).reason == FIRST
    assert not corrections().exists()
    assert not Notification.objects.filter(recipient=bob).exists()


def test_the_deactivated_persons_page_offers_the_reason_to_correct(client, centre, grace, bob_deactivated):
    client.force_login(grace)
    page = client.get(page_url(centre, bob_deactivated)).content.decode()
    assert f'action="{reason_url(centre, bob_deactivated)}"' in page
    assert "Correct the reason" in page and FIRST in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_an_active_persons_page_offers_no_reason_to_correct(client, centre, grace, bob):
    client.force_login(grace)
    assert reason_url(centre, bob) not in client.get(page_url(centre, bob)).content.decode()


def test_the_administrator_corrects_the_reason_audited_with_old_and_new_and_not_told(
    client, centre, grace, bob_deactivated
):
    client.force_login(grace)
    response = client.post(reason_url(centre, bob_deactivated), {"reason": f"  {CORRECTED} "}, follow=True)

    page = words(response)
    assert "The reason Bob Baker is deactivated is corrected. The audit trail keeps the old one." in page
    assert f"by Grace Gordon, for this reason: {CORRECTED}" in page and FIRST not in page
    assert DeactivatedMembership.objects.get(person=bob_deactivated, centre=centre).reason == CORRECTED
    event = corrections().get()
    assert event.actor == grace and event.centre == centre
    assert event.before == {"reason": FIRST} and event.after["reason"] == CORRECTED
    assert sentence(event) == (f"Grace Gordon corrected why Bob Baker is deactivated at the centre: "
                               f"“{FIRST}”, now “{CORRECTED}”")
    assert not Notification.objects.filter(recipient=bob_deactivated).exists()


def test_the_corrected_reason_is_the_one_kept_once_reactivated(client, centre, grace, bob_deactivated):
    client.force_login(grace)
    client.post(reason_url(centre, bob_deactivated), {"reason": CORRECTED})
    membership_reactivate(centre=centre, person=bob_deactivated, reactivated_by=grace, reason="Back at the centre.")
    shown = history(client.get(page_url(centre, bob_deactivated)))
    assert CORRECTED in shown and FIRST not in shown


@pytest.mark.parametrize("typed", ["", "  \n  "])
def test_an_empty_reason_is_refused_clearly_and_nothing_changes(client, centre, grace, bob_deactivated, typed):
    client.force_login(grace)
    response = client.post(reason_url(centre, bob_deactivated), {"reason": typed})
    assert response.status_code == 400
    assert ("Give the reason: it cannot be left empty. It is kept with the deactivation, on their page here and "
            "in the centre's audit trail.") in text_of(response)
    assert 'id="deactivation-reason" open' in response.content.decode()
    unchanged(centre, bob_deactivated)


def test_an_over_long_reason_is_refused_and_nothing_changes(client, centre, grace, bob_deactivated):
    client.force_login(grace)
    response = client.post(reason_url(centre, bob_deactivated), {"reason": "x" * (REASON_LENGTH + 1)})
    assert response.status_code == 400
    assert f"the most this box takes is {REASON_LENGTH}" in text_of(response)
    unchanged(centre, bob_deactivated)


def test_the_same_reason_again_records_nothing(client, centre, grace, bob_deactivated):
    client.force_login(grace)
    response = client.post(reason_url(centre, bob_deactivated), {"reason": FIRST}, follow=True)
    assert "That is the reason recorded already, so nothing changed." in text_of(response)
    unchanged(centre, bob_deactivated)


def test_no_reason_to_correct_for_someone_not_deactivated(client, centre, grace, bob):
    client.force_login(grace)
    response = client.post(reason_url(centre, bob), {"reason": CORRECTED})
    assert response.status_code == 400
    assert "Bob Baker is not deactivated here, so there is no reason to correct." in text_of(response)
    assert not corrections().exists()
    assert set(Membership.objects.filter(person=bob, centre=centre).values_list("role", flat=True)) == {Role.ASSESSOR}


@pytest.mark.parametrize("who", ["frank", "alice", "bob", "carol"])
def test_anyone_but_the_centres_administrators_finds_nothing(client, centre, grace, alice, carol, frank, bob_deactivated, who):
    """Frank administers another centre; Alice, Carol and Bob himself are not administrators here."""
    client.force_login({"frank": frank, "alice": alice, "carol": carol, "bob": bob_deactivated}[who])
    assert client.post(reason_url(centre, bob_deactivated), {"reason": CORRECTED}).status_code == 404
    unchanged(centre, bob_deactivated)


def test_it_is_a_post_only_and_needs_the_csrf_token(centre, grace, bob_deactivated):
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(grace)
    assert checked.get(reason_url(centre, bob_deactivated)).status_code == 405
    assert checked.post(reason_url(centre, bob_deactivated), {"reason": CORRECTED}).status_code == 403
    unchanged(centre, bob_deactivated)
