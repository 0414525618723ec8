"""Why someone was deactivated (an outside trial: the centre and its EQA expect to know): asked, as
an enrolment's changes ask it, kept with the deactivation on the person's page and in the audit
trail, and not told to the person. A deactivation from before it was asked says it has none."""

import re

import pytest
from django.urls import reverse

from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent, DeactivatedMembership, Invitation, Membership, Notification, Role
from portfolio.services_centre import Refused, person_add
from portfolio.services_enrolments import REASON_LENGTH
from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.migrating import latest, migrate_to
from tests.portfolio.test_deactivated_invitations import text_of

pytestmark = pytest.mark.django_db

REASON = "Finished the course in June; left the centre."


def deactivate_url(centre, person) -> str:
    return reverse("portfolio:person_deactivate", args=[centre.pk, person.pk])


def words(response) -> str:
    """What the page reads as, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def person_page(client, centre, person) -> str:
    return words(client.get(reverse("portfolio:person_detail", args=[centre.pk, person.pk])))


def nothing_changed(centre, bob) -> None:
    assert set(Membership.objects.filter(person=bob, centre=centre).values_list("role", flat=True)) == {Role.ASSESSOR}
    assert not DeactivatedMembership.objects.exists()
    assert not AuditEvent.objects.filter(action=PortfolioAction.PERSON_DEACTIVATED).exists()
    assert not Notification.objects.filter(recipient=bob).exists()
    assert not Invitation.objects.filter(email="bob@example.org", cancelled_at__isnull=False).exists()


@pytest.fixture
def bob_invited_as_iqa(centre, grace, bob):
    """A waiting invitation, which a deactivation would withdraw: a refused one must not."""
    person_add(centre=centre, added_by=grace, email=bob.email, first_name="Bob", last_name="Baker", role=Role.IQA)


def test_the_page_asks_why(client, centre, grace, bob):
    client.force_login(grace)
    response = client.get(deactivate_url(centre, bob))
    assert f'<textarea name="reason" cols="40" rows="3" maxlength="{REASON_LENGTH}"' in response.content.decode()
    page = text_of(response)
    assert "For example: left the centre, finished the course, a duplicate account." in page
    assert "not sent to them" in page


@pytest.mark.parametrize("typed", ["", "   \n  "])
def test_an_empty_reason_is_refused_and_nothing_changes(client, centre, grace, bob, bob_invited_as_iqa, typed):
    client.force_login(grace)
    response = client.post(deactivate_url(centre, bob), {"reason": typed})
    assert response.status_code == 400
    assert ("Say why: the reason is kept with the deactivation, on their page here and in the centre's audit "
            "trail.") in text_of(response)
    assert "Deactivate Bob Baker</button>" in response.content.decode()
    nothing_changed(centre, bob)


def test_an_over_long_reason_is_refused_kept_as_typed_and_nothing_changes(client, centre, grace, bob, bob_invited_as_iqa):
    client.force_login(grace)
    typed = "Left. " + "x" * REASON_LENGTH
    response = client.post(deactivate_url(centre, bob), {"reason": typed})
    assert response.status_code == 400
    assert f"the most this box takes is {REASON_LENGTH}" in text_of(response)
    assert typed in response.content.decode()  # in the box again, to shorten
    nothing_changed(centre, bob)


def test_the_service_refuses_no_reason_naming_the_field(centre, grace, bob):
    with pytest.raises(Refused, match="Give the reason: it is kept with the deactivation") as refused:
        membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(Refused, match=f"Keep the reason within {REASON_LENGTH} characters"):
        membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="x" * (REASON_LENGTH + 1))
    nothing_changed(centre, bob)


def test_the_reason_is_on_the_persons_page_and_in_the_audit_trail_and_not_told_to_them(client, centre, grace, bob):
    client.force_login(grace)
    response = client.post(deactivate_url(centre, bob), {"reason": f"  {REASON}  "}, follow=True)

    page = words(response)
    assert "Bob Baker is deactivated" in page
    assert "Deactivated on " in page and f"by Grace Gordon, for this reason: {REASON}" in page
    assert DeactivatedMembership.objects.get(person=bob, centre=centre).reason == REASON
    event = AuditEvent.objects.get(action=PortfolioAction.PERSON_DEACTIVATED)
    assert event.after["reason"] == REASON and event.actor == grace
    assert sentence(event) == f"Grace Gordon deactivated Bob Baker at the centre, as assessor: “{REASON}”"
    assert REASON not in Notification.objects.get(recipient=bob).message


def test_reactivating_ends_the_record_and_the_audit_trail_keeps_the_reason(client, centre, grace, bob):
    """The record of the current deactivation goes; the page keeps the ended one apart, under its
    past deactivations (`test_past_deactivations`)."""
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason=REASON)
    membership_reactivate(centre=centre, person=bob, reactivated_by=grace, reason="Back at the centre.")

    assert not DeactivatedMembership.objects.exists()
    deactivated = AuditEvent.objects.get(action=PortfolioAction.PERSON_DEACTIVATED)
    assert deactivated.after["reason"] == REASON
    reactivated = AuditEvent.objects.get(action=PortfolioAction.PERSON_REACTIVATED)
    assert reactivated.before["reason"] == REASON and reactivated.before["deactivated_by"] == "Grace Gordon"
    # Deactivated again, the page says the new reason, and the old only among the past deactivations.
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="A duplicate account.")
    client.force_login(grace)
    current, past = person_page(client, centre, bob).split("Past deactivations here")
    assert "for this reason: A duplicate account." in current and REASON not in current
    assert REASON in past and "A duplicate account." not in past


def test_a_deactivation_from_before_reasons_were_asked_says_it_has_none(client, centre, grace, bob):
    DeactivatedMembership.objects.create(person=bob, centre=centre, roles=[Role.ASSESSOR], deactivated_by=grace)
    Membership.objects.filter(person=bob, centre=centre).delete()
    client.force_login(grace)
    assert "by Grace Gordon: no reason recorded." in person_page(client, centre, bob)
    older = AuditEvent(action=PortfolioAction.PERSON_DEACTIVATED, actor=grace, actor_name="Grace Gordon",
                       after={"person": bob.pk, "email": bob.email, "roles": ["assessor"]})
    assert sentence(older) == "Grace Gordon deactivated Bob Baker at the centre, as assessor (no reason recorded)"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_deactivations_an_empty_reason():
    newest = latest()
    try:
        old = migrate_to([("portfolio", "0042_name_suggestion_replaced_by")])
        centre = old.get_model("portfolio", "Centre").objects.create(name="Riverside Training", code="riverside")
        people = old.get_model("portfolio", "Person").objects
        grace, bob = people.create(email="grace@example.org"), people.create(email="bob@example.org")
        old.get_model("portfolio", "DeactivatedMembership").objects.create(
            person=bob, centre=centre, roles=["assessor"], deactivated_by=grace,
        )
    finally:
        migrate_to(newest)
    assert DeactivatedMembership.objects.get().reason == ""
