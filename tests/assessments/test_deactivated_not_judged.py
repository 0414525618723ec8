"""A deactivated candidate's evidence waits for no one (the assessor's home, queue and caseload say
so), so nobody judges it, records decisions on it or signs their unit off either: as an IQA's unlock
is refused while the candidate is deactivated. Outside trial: the assessor could open it by its
address, accept it, and be told "Dave Davies has been told", though Dave can open nothing.

Alice and Dave are Bob's candidates at Riverside (Dave on H3 25); Grace administers it (tests/cast.py)."""

import re

import pytest
from django.urls import reverse

from assessments.models import Decision, Judgement
from assessments.services import judging
from assessments.services.signoff import unit_sign_off
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Evidence, EvidenceState
from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.assessments.test_assessor_home import bobs_queue  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

REFUSED = "Dave Davies is deactivated at Riverside Training: their evidence waits until the centre reactivates them"
VACS = dict(valid=True, authentic=True, current=True, sufficient=True)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def daves(centre, grace, dave, bobs_queue):  # noqa: F811
    membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left the course.")
    return bobs_queue["daves"]


def test_the_evidence_page_shows_it_read_only_saying_why_with_no_judge_form(client, bob, daves):
    client.force_login(bob)
    response = client.get(reverse("assessments:evidence_detail", args=[daves.pk]))

    assert response.status_code == 200
    assert REFUSED in _text(response)
    assert 'id="judge"' not in response.content.decode()
    assert "Dave on boundaries" in _text(response)


def test_a_judgement_posted_anyway_changes_nothing_and_answers_as_the_page_does(client, bob, daves):
    client.force_login(bob)
    response = client.post(
        reverse("assessments:judge", args=[daves.pk]),
        {"decision": "accept", **{k: "on" for k in VACS}, "feedback": "Good."},
    )

    assert response.status_code == 403
    page = _text(response)
    assert REFUSED in page and "has been told" not in page
    assert 'id="judge"' not in response.content.decode()
    assert Evidence.objects.get(pk=daves.pk).state == EvidenceState.SUBMITTED
    assert not Judgement.objects.filter(evidence=daves).exists()


def test_the_services_refuse_judging_deciding_and_signing_off(bob, dave, daves):
    for attempt in (
        lambda: judging.evidence_accept(evidence=daves, assessor=bob, **VACS),
        lambda: judging.evidence_refer_back(evidence=daves, assessor=bob, feedback="Say more."),
        lambda: unit_sign_off(enrolment=Enrolment.objects.get(candidate=dave, unit__code="H3 25"), assessor=bob,
                              declared=True),
    ):
        with pytest.raises(PortfolioError, match=REFUSED):
            attempt()
    assert not Judgement.objects.filter(evidence=daves).exists() and not Decision.objects.exists()


def test_the_sign_off_page_says_why_and_offers_no_form(client, bob, dave, daves):
    enrolment = Enrolment.objects.get(candidate=dave, unit__code="H3 25")
    client.force_login(bob)
    for response in (client.get(reverse("assessments:sign_off", args=[enrolment.pk])),
                     client.post(reverse("assessments:sign_off", args=[enrolment.pk]), {"declared": "on"})):
        assert REFUSED in _text(response)
        assert 'name="declared"' not in response.content.decode()
    assert response.status_code == 403


def test_reactivated_their_evidence_is_judged_again(client, bob, centre, grace, dave, daves):
    membership_reactivate(centre=centre, person=dave, reactivated_by=grace, reason="Back at the centre.")
    client.force_login(bob)

    assert 'id="judge"' in client.get(reverse("assessments:evidence_detail", args=[daves.pk])).content.decode()
    judging.evidence_refer_back(evidence=daves, assessor=bob, feedback="Say more.")
    assert Evidence.objects.get(pk=daves.pk).state == EvidenceState.REFERRED
