"""The candidate's home page says what to do next: evidence referred back (with the feedback's first
line), drafts not yet submitted and units waiting for the countersignature; and each unit card says
how much is met and whether the unit is signed off.

Alice is the candidate (HSC331 and H3 25), Bob her assessor. See tests/assessments/unit_case.py.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from assessments.services import decisions, judging
from assessments.services.signoff import unit_countersign, unit_sign_off, unit_unlock
from portfolio import services
from portfolio.models import AssessmentMethod, Evidence
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def home(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def to_do(page: str) -> str:
    """The words of the "To do" list, as a reader sees them; "" when there is none."""
    found = re.search(r'<section aria-labelledby="todo-heading".*?</section>', page, re.S)
    return " ".join(strip_tags(found.group(0)).split()) if found else ""


def unit_card(page: str, code: str) -> str:
    cards = re.findall(r'<article class="card h-100 shadow-sm unit-card"[^>]*>.*?</article>', page, re.S)
    return next(" ".join(strip_tags(card).split()) for card in cards if f">{code}</span>" in card)


def draft(case, title="Notes from a team meeting"):
    return services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title=title,
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=case.hsc331.start_date,
        account="What I did.", uploads=[],
    )


def test_nothing_to_do_shows_no_list(client, case):
    assert to_do(home(client, case.alice)) == ""


def test_evidence_referred_back_is_listed_with_the_first_line_of_the_feedback(client, case):
    evidence = submitted_evidence(case)
    judging.evidence_refer_back(
        evidence=evidence, assessor=case.bob,
        feedback="Say what Person A chose.\nAnd how you checked they were happy with the plan.",
    )

    page = home(client, case.alice)

    listed = to_do(page)
    assert "E1 Supporting a family visit was referred back to you: change it and submit it again." in listed
    assert "Feedback: “Say what Person A chose.”" in listed
    assert "how you checked" not in listed
    assert f'href="{reverse("assessments:evidence_detail", args=[evidence.pk])}"' in page


def test_the_latest_feedback_is_the_one_shown(client, case):
    evidence = submitted_evidence(case)
    judging.evidence_refer_back(evidence=evidence, assessor=case.bob, feedback="First round.")
    services.evidence_submit(evidence=Evidence.objects.get(pk=evidence.pk), candidate=case.alice, declared=True)
    judging.evidence_refer_back(evidence=Evidence.objects.get(pk=evidence.pk), assessor=case.bob, feedback="Second round.")

    listed = to_do(home(client, case.alice))

    assert "Feedback: “Second round.”" in listed and "First round." not in listed


def test_drafts_not_yet_submitted_are_listed(client, case):
    evidence = draft(case)
    submitted_evidence(case, title="Already submitted")

    page = home(client, case.alice)

    listed = to_do(page)
    assert "E1 Notes from a team meeting is a draft: map it to what it proves and submit it for assessment." in listed
    assert "Already submitted" not in listed
    assert f'href="{reverse("assessments:evidence_detail", args=[evidence.pk])}"' in page


def test_a_draft_already_mapped_is_only_to_be_submitted(client, case):
    """It said "map it to what it proves" of a draft that was mapped."""
    mapped = draft(case, title="Planning a visit")
    services.evidence_map(
        evidence=mapped, editor=case.alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )
    draft(case, title="Not mapped yet")

    page = home(client, case.alice)

    listed = to_do(page)
    assert "E1 Planning a visit is a draft: submit it for assessment." in listed
    assert "E2 Not mapped yet is a draft: map it to what it proves and submit it for assessment." in listed
    assert f'<a href="{reverse("portfolio:evidence_submit", args=[mapped.pk])}">submit it for assessment</a>' in page


def test_a_unit_signed_off_by_the_assessor_waits_for_the_countersignature(client, case):
    meet(case, case.hsc331, [accepted_evidence(case)])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    page = home(client, case.alice)

    assert (
        "HSC331 was signed off by Bob Baker and waits for your countersignature: countersign HSC331." in to_do(page)
    )
    assert f'href="{reverse("assessments:countersign", args=[case.hsc331.pk])}">countersign HSC331</a>' in page


def test_a_countersigned_or_unlocked_unit_no_longer_waits(client, case):
    meet(case, case.hsc331, [accepted_evidence(case)])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    assert "countersignature" not in to_do(home(client, case.alice))

    unit_unlock(enrolment=case.hsc331, person=case.bob, reason="K6 needs another look.")
    assert "countersignature" not in to_do(home(client, case.alice))


def test_each_unit_card_counts_what_is_met_and_says_when_it_is_signed_off(client, case):
    evidence = accepted_evidence(case)
    meet(case, case.hsc331, [evidence])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)], skip=30)

    page = home(client, case.alice)

    hsc331, h3_25 = unit_card(page, "HSC331"), unit_card(page, "H3 25")
    assert "34 of 34 met Signed off" in hsc331
    assert re.search(r"\b1 of 31 met\b", h3_25) and "Signed off" not in h3_25


def test_the_candidates_home_costs_the_same_with_nothing_to_do_or_everything(client, case):
    def queries() -> int:
        client.force_login(case.alice)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    nothing = queries()
    draft(case)
    referred = submitted_evidence(case, title="To change")
    judging.evidence_refer_back(evidence=referred, assessor=case.bob, feedback="Change it.")
    meet(case, case.hsc331, [accepted_evidence(case)])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)], skip=3)

    assert queries() == nothing


def test_the_home_card_the_unit_page_and_the_sign_off_page_agree_on_what_is_met(client, case):
    """One count of what is met: a withdrawn decision no longer counts on any of the three pages."""
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)], skip=25)
    withdrawn = case.h3_25.decisions.standing().order_by("pk").first()
    decisions.decision_withdraw(decision=withdrawn, assessor=case.bob, reason="Cited the wrong visit.")

    card = unit_card(home(client, case.alice), "H3 25")
    met = int(re.search(r"\b(\d+) of 31 met\b", card).group(1))
    assert met == 5
    client.force_login(case.alice)
    unit_page = client.get(reverse("assessments:enrolment_detail", args=[case.h3_25.pk])).content.decode()
    said = re.search(r"(\d+) of \d+ criteria and (\d+) of \d+ knowledge items met", " ".join(strip_tags(unit_page).split()))
    criteria, knowledge = map(int, said.groups())
    assert criteria + knowledge == met
    client.force_login(case.bob)
    sign_off_page = client.get(reverse("assessments:sign_off", args=[case.h3_25.pk])).content.decode()
    assert f"<strong>Not ready to sign off:</strong> {31 - met} criteria and knowledge items are not met yet." in sign_off_page
