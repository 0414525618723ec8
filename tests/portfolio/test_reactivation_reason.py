"""Why someone was reactivated (an outside trial: deactivating asked a reason, reactivating none):
asked as deactivating asks it, in the same words, kept with the ended deactivation on the person's
page, in the audit event and in the centre's audit trail, and not told to the person. A reactivation
from before it was asked says it has none."""

import re

import pytest
from django.urls import reverse

from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import (
    AuditEvent,
    DeactivatedMembership,
    EndedDeactivation,
    Membership,
    Notification,
)
from portfolio.services_centre import Refused
from portfolio.services_enrolments import REASON_LENGTH
from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.migrating import latest, migrate_to
from tests.portfolio.test_deactivated_invitations import text_of

pytestmark = pytest.mark.django_db

LEFT = "Finished the course in June; left the centre."
BACK = "Back to take the level 3 units."


def reactivate_url(centre, person) -> str:
    return reverse("portfolio:person_reactivate", args=[centre.pk, person.pk])


def page_url(centre, person) -> str:
    return reverse("portfolio:person_detail", args=[centre.pk, person.pk])


def words(response) -> str:
    """What the page reads as, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


@pytest.fixture
def bob_gone(centre, grace, bob):
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason=LEFT)
    Notification.objects.filter(recipient=bob).delete()
    return bob


def still_deactivated(centre, bob) -> None:
    assert not Membership.objects.filter(person=bob, centre=centre).exists()
    assert DeactivatedMembership.objects.get(person=bob, centre=centre).reason == LEFT
    assert not EndedDeactivation.objects.exists()
    assert not AuditEvent.objects.filter(action=PortfolioAction.PERSON_REACTIVATED).exists()
    assert not Notification.objects.filter(recipient=bob).exists()


def test_the_page_asks_why_beside_the_reactivate_button(client, centre, grace, bob_gone):
    client.force_login(grace)
    page = client.get(page_url(centre, bob_gone)).content.decode()
    form = page[page.index('id="reactivate"') :]
    form = form[: form.index("</form>")]
    assert f'<textarea name="reason" cols="40" rows="3" maxlength="{REASON_LENGTH}"' in form
    assert 'id="id_reactivate_reason"' in form and "Reason for reactivating" in form
    assert "For example: back from leave, deactivated by mistake" in form and "not sent to them" in form
    assert "Reactivate Bob Baker</button>" in form
    # The deactivation's own reason form on the same page keeps its id: no two fields share one.
    assert page.count('id="id_reason"') == 1 and page.count('id="id_reactivate_reason"') == 1


@pytest.mark.parametrize("typed", ["", "   \n  "])
def test_an_empty_reason_is_refused_and_they_stay_deactivated(client, centre, grace, bob_gone, typed):
    client.force_login(grace)
    response = client.post(reactivate_url(centre, bob_gone), {"reason": typed})
    assert response.status_code == 400
    page = words(response)
    assert (
        "Say why: the reason is kept with the reactivation, on their page here and in the centre's audit "
        "trail."
    ) in page.replace("’", "'")
    assert "There is a problem" in page
    assert "Reactivate Bob Baker" in page
    still_deactivated(centre, bob_gone)


def test_an_over_long_reason_is_refused_kept_as_typed_and_nothing_changes(client, centre, grace, bob_gone):
    client.force_login(grace)
    typed = "Back. " + "x" * REASON_LENGTH
    response = client.post(reactivate_url(centre, bob_gone), {"reason": typed})
    assert response.status_code == 400
    assert f"the most this box takes is {REASON_LENGTH}" in text_of(response)
    assert typed in response.content.decode()  # in the box again, to shorten
    still_deactivated(centre, bob_gone)


def test_the_service_refuses_no_reason_in_the_deactivations_words(centre, grace, bob_gone):
    with pytest.raises(Refused, match="Give the reason: it is kept with the reactivation") as refused:
        membership_reactivate(centre=centre, person=bob_gone, reactivated_by=grace, reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(Refused, match=f"Keep the reason within {REASON_LENGTH} characters"):
        membership_reactivate(
            centre=centre, person=bob_gone, reactivated_by=grace, reason="x" * (REASON_LENGTH + 1)
        )
    still_deactivated(centre, bob_gone)


def test_the_reason_is_kept_shown_audited_and_not_told_to_them(client, centre, grace, bob_gone):
    client.force_login(grace)
    response = client.post(reactivate_url(centre, bob_gone), {"reason": f"  {BACK}  "}, follow=True)

    page = words(response)
    assert "Bob Baker is reactivated, as assessor." in page
    past = page.split("Past deactivations here")[1]
    assert f"by Grace Gordon, for this reason: {LEFT}" in past
    assert f"by Grace Gordon, for this reason: {BACK}" in past
    assert past.index(LEFT) < past.index(BACK)  # deactivated, then reactivated
    assert EndedDeactivation.objects.get(person=bob_gone, centre=centre).reactivation_reason == BACK
    event = AuditEvent.objects.get(action=PortfolioAction.PERSON_REACTIVATED)
    assert event.after["reason"] == BACK and event.before["reason"] == LEFT and event.actor == grace
    assert sentence(event) == f"Grace Gordon reactivated Bob Baker at the centre, as assessor: “{BACK}”"
    told = Notification.objects.get(recipient=bob_gone)
    assert (
        "gave you back your access" in told.message and BACK not in told.message and LEFT not in told.message
    )


def test_already_reactivated_elsewhere_the_page_says_so_and_nothing_more_is_recorded(
    client, centre, grace, bob_gone
):
    membership_reactivate(centre=centre, person=bob_gone, reactivated_by=grace, reason=BACK)
    client.force_login(grace)
    response = client.post(reactivate_url(centre, bob_gone), {"reason": "Again."})
    assert response.status_code == 400
    assert "Bob Baker is not deactivated here." in words(response)
    assert AuditEvent.objects.filter(action=PortfolioAction.PERSON_REACTIVATED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_earlier_reactivations_no_reason_and_the_page_says_so(client):
    newest = latest()
    try:
        old = migrate_to([("portfolio", "0047_evidence_units")])
        centre = old.get_model("portfolio", "Centre").objects.create(
            name="Riverside Training", code="riverside"
        )
        people = old.get_model("portfolio", "Person").objects
        grace = people.create(email="grace@example.org", first_name="Grace", last_name="Gordon")
        bob = people.create(email="bob@example.org", first_name="Bob", last_name="Baker")
        for person, role in ((grace, "administrator"), (bob, "assessor")):
            old.get_model("portfolio", "Membership").objects.create(person=person, centre=centre, role=role)
        old.get_model("portfolio", "EndedDeactivation").objects.create(
            person=bob,
            centre=centre,
            roles=["assessor"],
            deactivated_by=grace,
            deactivated_at="2025-05-01T12:00Z",
            reason=LEFT,
            reactivated_by=grace,
            reactivated_at="2025-06-01T12:00Z",
        )
    finally:
        migrate_to(newest)
    ended = EndedDeactivation.objects.get()
    assert ended.reactivation_reason == ""
    client.force_login(ended.reactivated_by)
    past = words(client.get(page_url(ended.centre, ended.person))).split("Past deactivations here")[1]
    assert f"for this reason: {LEFT}" in past
    assert "by Grace Gordon: no reason recorded." in past
