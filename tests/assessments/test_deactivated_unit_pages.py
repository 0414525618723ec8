"""A deactivated candidate's unit page, observation, questions-and-answers and decisions pages
offer the assessor nothing the product then refuses (`held_roles.deactivated_refusal`): each says
why, once, with no form, and a form posted anyway changes nothing. Outside trial: the unit page
still said "1 piece of evidence waits for your judgement" with "Judge E8", "Record an observation"
and "Record decisions"; the observation form could be filled in and was refused only on saving.
The evidence page offers no comment box either: Dave can open nothing, so it says why instead.

Dave is Bob's candidate on H3 25 at Riverside, deactivated by Grace (tests/cast.py)."""

import pytest
from django.urls import reverse

from assessments.models import Decision, EvidenceComment
from portfolio.models import Enrolment, Evidence
from portfolio.services_people import membership_reactivate
from tests.assessments.test_assessor_home import bobs_queue  # noqa: F401 (a fixture)
from tests.assessments.test_deactivated_not_judged import REFUSED, _text, daves  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(dave, daves):  # noqa: F811
    return Enrolment.objects.get(candidate=dave, unit__code="H3 25")


def test_the_unit_page_says_why_once_and_offers_no_action(client, bob, unit):
    client.force_login(bob)
    response = client.get(reverse("assessments:enrolment_detail", args=[unit.pk]))

    page, html = _text(response), response.content.decode()
    assert response.status_code == 200
    assert page.count(REFUSED) == 1
    assert "waits for your judgement" not in page
    for offered in ("Judge E", "Record an observation", "Record questions and answers", "Record decisions"):
        assert offered not in page
    assert reverse("assessments:assessor_evidence_create", args=[unit.pk]) not in html
    assert f'href="{reverse("assessments:sign_off", args=[unit.pk])}"' not in html


@pytest.mark.parametrize("method", ["direct_observation", "questioning"])
def test_the_observation_and_questioning_pages_say_why_with_no_form(client, bob, unit, method):
    client.force_login(bob)
    address = reverse("assessments:assessor_evidence_create", args=[unit.pk]) + f"?method={method}"
    response = client.get(address)

    assert response.status_code == 200
    assert REFUSED in _text(response)
    assert 'id="evidence-form"' not in response.content.decode()


def test_an_observation_posted_anyway_changes_nothing(client, bob, dave, unit):
    before = Evidence.objects.filter(candidate=dave).count()
    client.force_login(bob)
    response = client.post(
        reverse("assessments:assessor_evidence_create", args=[unit.pk]),
        {"method": "direct_observation", "title": "Observation", "activity_date": "2026-01-05",
         "location": "Day centre", "account": "Dave supported Person A well.", "criteria": []},
    )

    assert response.status_code == 403
    assert REFUSED in _text(response) and 'id="evidence-form"' not in response.content.decode()
    assert Evidence.objects.filter(candidate=dave).count() == before
    assert not Decision.objects.exists()


def test_the_decisions_page_says_why_with_no_form_and_a_posted_one_changes_nothing(client, bob, unit):
    client.force_login(bob)
    page = client.get(reverse("assessments:decisions", args=[unit.pk]))
    assert page.status_code == 200
    assert REFUSED in _text(page)
    assert reverse("assessments:decision_record", args=[unit.pk]) not in page.content.decode()

    posted = client.post(reverse("assessments:decision_record", args=[unit.pk]), {"decided_on": "2026-01-05"})
    assert posted.status_code == 403
    assert REFUSED in _text(posted)
    assert reverse("assessments:decision_record", args=[unit.pk]) not in posted.content.decode()
    assert not Decision.objects.exists()


def test_the_evidence_page_offers_no_comment_box_and_says_why(client, bob, daves):  # noqa: F811
    client.force_login(bob)
    address = reverse("assessments:evidence_detail", args=[daves.pk])
    response = client.get(address)

    page = _text(response)
    assert "Write to Dave Davies" not in page
    assert reverse("assessments:evidence_comment", args=[daves.pk]) not in response.content.decode()
    # Said once, at the top; the conversation says only what it means there (an outside trial found it twice).
    assert page.count("Dave Davies is deactivated") == 1 and REFUSED in page
    assert "Nothing can be written to Dave Davies while they are deactivated (as said above)." in page

    sent = client.post(reverse("assessments:evidence_comment", args=[daves.pk]), {"text": "Are you there?"}, follow=True)
    assert "Your comment was not sent" in _text(sent)
    assert not EvidenceComment.objects.filter(evidence=daves).exists()


def test_reactivated_the_unit_page_offers_the_actions_again(client, bob, centre, grace, dave, unit):
    membership_reactivate(centre=centre, person=dave, reactivated_by=grace, reason="Back at the centre.")
    client.force_login(bob)
    page = _text(client.get(reverse("assessments:enrolment_detail", args=[unit.pk])))

    assert REFUSED not in page
    assert "Judge E" in page and "Record an observation" in page
