"""A comment on evidence bearing only on a unit whose people were changed in the database
(`portfolio.case_seals`): no assessor may open the unit, so the comment goes to the centre's
administrators, who alone may, with why; nobody the changed row names is told.

Alice's E1 bears on H3 25 (Bob assesses it); H3 25 is moved to Erin in SQL. Grace administers the centre."""

import pytest
from django.urls import reverse

from portfolio import case_seals
from portfolio.models import AuditEvent, Enrolment, Notification
from tests.assessments.judging_people import submitted

pytestmark = pytest.mark.django_db

QUESTION = "Is the date right? The visit was on the Tuesday."


def _send(client, person, evidence):
    client.force_login(person)
    return client.post(reverse("assessments:evidence_comment", args=[evidence.pk]), {"text": QUESTION}, follow=True)


def _marked(enrolment: Enrolment, **columns) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(**columns)
    case_seals.check_every_enrolment()
    Notification.objects.all().delete()  # the administrators' notice of the change is not what is asked here


def test_a_comment_on_evidence_of_a_closed_unit_reaches_the_administrators_and_says_why(
    client, alice, bob, erin, grace, h3_25
):
    evidence = submitted(alice, h3_25, title="Agreeing contact", criteria=("H3 25.1",))
    _marked(h3_25, assessor=erin)

    response = _send(client, alice, evidence)

    told = Notification.objects.get(recipient=grace)
    assert told.kind == "comment"
    assert told.message == (
        "Alice Adams wrote about E1 (H3 25) “Agreeing contact”. No assessor is told: H3 25 is closed for now: "
        "the people on it were changed outside the portfolio. Only the centre’s administrators can open it."
    )
    assert told.link == reverse("assessments:evidence_detail", args=[evidence.pk]) + "#conversation"
    assert not Notification.objects.exclude(recipient=grace).exists()  # not Bob, not Erin
    page = " ".join(response.content.decode().split())
    assert ("Your comment on E1 is sent. H3 25 is closed for now: the people on it were changed outside the "
            "portfolio, so the centre’s administrators have been told.") in page
    assert "Grace Gordon" in AuditEvent.objects.get(action__endswith="commented").summary


def test_while_the_item_bears_on_a_unit_whose_case_holds_its_assessor_is_told_and_not_the_administrators(
    client, alice, bob, grace, erin, hsc331, h3_25
):
    evidence = submitted(alice, h3_25, title="Agreeing contact", criteria=("H3 25.1", "HSC331a.1"))
    _marked(h3_25, assessor=erin)

    _send(client, alice, evidence)

    assert Notification.objects.filter(recipient=bob).count() == 1
    assert not Notification.objects.filter(recipient=grace).exists()
