"""Outside trial (LOW): an older notification whose page its reader may no longer open (they were
taken off the unit since) answered a bare 404 when clicked. Now opening it shows a plain page saying
the page is no longer open to them and why, in general terms, with what they were told then and
nothing more; it is marked read. A notification still open leads to its page as before, and a
stranger guessing a notification's number still finds nothing (404).

Alice is the candidate on HSC331, Bob its assessor until Grace, the administrator, gives it to Erin;
Frank is at another centre."""

import re

import pytest
from django.urls import reverse

from portfolio import services_enrolments
from portfolio.models import Evidence, EvidenceState, Membership, Notification, Role
from portfolio.notification_kinds import NotificationKind
from portfolio.notification_targets import still_open
from portfolio.notifications import notify
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db

TOLD = "Alice Adams submitted E1 for assessment."


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _open(client, notification: Notification):
    return client.get(reverse("portfolio:notification_open", args=[notification.pk]))


@pytest.fixture
def told_of_the_unit(centre, bob, hsc331) -> Notification:
    notify(
        [bob],
        TOLD,
        centre=centre,
        kind=NotificationKind.EVIDENCE_SUBMITTED,
        link=reverse("assessments:enrolment_detail", args=[hsc331.pk]),
    )
    return Notification.objects.get(recipient=bob, message=TOLD)


def _taken_off(hsc331, erin, grace) -> None:
    services_enrolments.enrolment_reassign(
        enrolment=hsc331, role="assessor", person=erin, reason="Bob's caseload is full.", changed_by=grace
    )


def test_while_on_the_case_it_leads_to_the_page(client, bob, told_of_the_unit, hsc331):
    client.force_login(bob)
    response = _open(client, told_of_the_unit)
    assert response.status_code == 302
    assert response.url == reverse("assessments:enrolment_detail", args=[hsc331.pk])


def test_taken_off_the_unit_the_notification_says_the_page_is_no_longer_open(
    client, bob, erin, grace, hsc331, told_of_the_unit
):
    _taken_off(hsc331, erin, grace)
    client.force_login(bob)
    assert client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).status_code == 404

    response = _open(client, told_of_the_unit)
    page = _text(response)
    assert response.status_code == 200
    assert "This page is no longer open to you" in page
    assert f"“{TOLD}”" in page or TOLD in page
    assert (
        "That happens when your part in it has ended since: for example, you were taken off the unit or your "
        "role at the centre changed, or the unit was moved to another centre."
    ) in page
    assert "Back to your notifications" in page
    # Nothing of the case beyond what they were told: not who has it now, nor why it changed.
    assert "Erin" not in page and "caseload" not in page and "HSC331" not in page
    told_of_the_unit.refresh_from_db()
    assert told_of_the_unit.read_at is not None


def test_evidence_of_a_unit_they_were_taken_off_is_no_longer_open_either(
    client, alice, bob, erin, grace, centre, hsc331
):
    evidence = EvidenceFactory(
        candidate=alice, centre=centre, title="Supporting a family visit", state=EvidenceState.SUBMITTED
    )
    assert still_open(bob, reverse("assessments:evidence_detail", args=[evidence.pk]))
    notify(
        [bob],
        "Alice Adams commented on E1.",
        centre=centre,
        kind=NotificationKind.EVIDENCE_SUBMITTED,
        link=reverse("assessments:evidence_detail", args=[evidence.pk]) + "#conversation",
    )
    _taken_off(hsc331, erin, grace)
    assert not still_open(bob, reverse("assessments:evidence_detail", args=[evidence.pk]) + "#conversation")
    client.force_login(bob)
    page = _text(
        _open(client, Notification.objects.get(recipient=bob, message__startswith="Alice Adams commented"))
    )
    assert "This page is no longer open to you" in page and "Supporting a family visit" not in page
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_someone_else_guessing_the_number_still_finds_nothing(
    client, frank, carol, told_of_the_unit, hsc331, erin, grace
):
    _taken_off(hsc331, erin, grace)
    for stranger in (frank, carol):  # another centre's, and one on the case whose notification it is not
        client.force_login(stranger)
        assert _open(client, told_of_the_unit).status_code == 404


def test_a_link_to_a_page_that_no_longer_exists_is_not_open(bob):
    assert not still_open(bob, "/assessments/no-such-page/")
    assert still_open(bob, reverse("home")), "a page with no question of its own opens as before"


def test_the_administrator_taken_off_the_centre_page(client, centre, grace):
    """A link to the centre's page, to someone who no longer administers it."""
    notify(
        [grace],
        "A registration is waiting.",
        centre=centre,
        kind=NotificationKind.ENROLMENT_CHANGED,
        link=reverse("assessments:centre_detail", args=[centre.pk]) + "#prepared-heading",
    )
    Membership.objects.filter(person=grace, centre=centre, role=Role.ADMINISTRATOR).delete()
    Membership.objects.get_or_create(person=grace, centre=centre, role=Role.ASSESSOR)
    client.force_login(grace)
    page = _text(
        _open(client, Notification.objects.get(recipient=grace, message="A registration is waiting."))
    )
    assert "This page is no longer open to you" in page
