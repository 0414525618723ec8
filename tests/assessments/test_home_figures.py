"""Each person's home page at a glance: what to do next, counted.

Alice is the candidate (HSC331 and H3 25), Bob her assessor, Carol her IQA (and Dave's, whom Erin
assesses), Grace the centre administrator. See tests/assessments/unit_case.py.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import QualityReview
from assessments.services import decisions, iqa, signoff
from portfolio.models import DeactivatedMembership, Enrolment, Membership
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


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def tiles(page: str, name: str) -> dict[str, int]:
    """The figures of the "at a glance" list named `name`: {label: number}."""
    glance = page[page.index(f'aria-label="{name}"'):]
    glance = glance[: glance.index("</ul>")]
    found = re.findall(r'glance-number mb-0" aria-hidden="true">(\d+)</p>.*?(?:aria-hidden="true">|</span>)([^<]+)</', glance, re.S)
    return {label.strip(): int(number) for number, label in found}


def card(page: str, enrolment: Enrolment) -> str:
    found = page[page.index(f'id="unit-card-{enrolment.pk}"'):]
    return words(found[: found.index("</article>")])


def move_target(enrolment: Enrolment, days: int) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(target_date=timezone.localdate() + datetime.timedelta(days=days))


# The candidate: each unit's progress by kind of item and by element, and what to do next on it.


def test_each_unit_card_shows_progress_by_element_and_the_next_step(client, case):
    evidence = accepted_evidence(case, references=["HSC331a.1", "HSC331a.2", "HSC331b.1", "HSC331 K1"])
    decisions.decision_record(
        enrolment=case.hsc331, assessor=case.bob, evidence=[evidence], decided_on=timezone.localdate(),
        criterion=Criterion.objects.get(reference="HSC331a.1"),
    )

    hsc331 = card(home(client, case.alice), case.hsc331)

    assert "Performance criteria 3 of 17 with evidence · 1 met" in hsc331
    assert "Knowledge items 1 of 17 with evidence · 0 met" in hsc331
    assert "HSC331a Support individuals to identify their needs … 2 of 4 with evidence · 1 met" in hsc331
    assert "HSC331b Support individuals to maintain supportive relationships 1 of 6 with evidence · 0 met" in hsc331
    assert "HSC331c" in hsc331 and "0 of 7 with evidence · 0 met" in hsc331
    assert "Next: 30 items with no evidence yet. Add evidence (HSC331)" in hsc331


def test_the_next_step_follows_the_unit_from_evidence_to_countersignature(client, case):
    evidence = accepted_evidence(case)  # mapped to every item of HSC331
    assert "Next: Everything has evidence: your assessor is judging it." in card(home(client, case.alice), case.hsc331)

    meet(case, case.hsc331, [evidence])
    assert "Next: Everything is met: your assessor can sign the unit off." in card(home(client, case.alice), case.hsc331)

    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    page = home(client, case.alice)
    assert "Next: Signed off by your assessor. Countersign (HSC331)" in card(page, case.hsc331)
    assert f'href="{reverse("assessments:countersign", args=[case.hsc331.pk])}"' in page

    signoff.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    assert "Next: Signed off." in card(home(client, case.alice), case.hsc331)


# The assessor: what waits, what is ready to sign off, what is near or past its target date.


def test_the_assessor_sees_what_waits_what_is_ready_and_what_is_due(client, case):
    submitted_evidence(case, title="Waiting one", references=["HSC331c.1"])
    ready = accepted_evidence(case, title="Everything", enrolment=case.h3_25)
    meet(case, case.h3_25, [ready])
    move_target(case.h3_25, days=10)  # due soon, but ready
    move_target(case.hsc331, days=-3)  # past its target

    page = home(client, case.bob)

    assert tiles(page, "At a glance") == {
        "Evidence waiting": 1, "Ready to sign off": 1, "Due within 4 weeks": 1, "Overdue": 1,
    }
    assert "1 piece of evidence waiting for your assessment" in page
    ready_list = words(page[page.index('id="ready-heading"'):page.index("</section>", page.index('id="ready-heading"'))])
    assert "Ready to sign off Alice Adams · H3 25" in ready_list and "Sign off H3 25 for Alice Adams" in ready_list

    signoff.unit_sign_off(enrolment=case.h3_25, assessor=case.bob, declared=True)
    assert tiles(home(client, case.bob), "At a glance") == {
        "Evidence waiting": 1, "Ready to sign off": 0, "Due within 4 weeks": 0, "Overdue": 1,
    }


def test_the_assessors_units_show_what_is_met(client, case):
    meet(case, case.hsc331, [accepted_evidence(case)], skip=4)

    page = home(client, case.bob)

    assert 'aria-label="Alice Adams HSC331: met"' in page and 'aria-valuetext="30 of 34 met"' in page
    assert "30 of 34 met" in words(page)


# The IQA: what waits for review, what is signed off and not sampled, and what the sample covers.


def test_the_iqa_sees_what_waits_for_review_and_what_the_sample_covers(client, case):
    meet(case, case.hsc331, [accepted_evidence(case)])
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)], skip=5)

    before = home(client, case.carol)
    assert tiles(before, "Quality assurance at a glance") == {
        "Waiting for your review": 0, "Signed off, not in your sample": 1, "Gaps in your sample": 4,
    }
    # No sampling plan: the fourth figure says so rather than counting nobody behind a plan.
    assert "No sampling plan yet" in words(before) and "Assessors behind your plan" not in before
    # Each figure says what it counts, the candidates' units as the sampling report counts its "units";
    # the assessors as listed above them (Erin has no decision to sample yet).
    covers = words(before[before.index('id="iqa-coverage-heading"'):])
    assert "Candidates’ units 0 of 3 in your sample" in covers
    assert "Assessors 0 of 2 in your sample 1 with no decision to sample yet" in covers
    assert "Unit standards 0 of 2 in your sample" in covers
    assert before.count('class="list-group-item caseload-line"') == 2

    iqa.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    after = home(client, case.carol)

    assert tiles(after, "Quality assurance at a glance") == {
        "Waiting for your review": 1, "Signed off, not in your sample": 0, "Gaps in your sample": 1,
    }
    waiting = words(after[after.index('id="iqa-waiting-heading"'):after.index("</section>", after.index('id="iqa-waiting-heading"'))])
    assert "Alice Adams · HSC331 Final review · assessed by Bob Baker" in waiting
    assert f'href="{reverse("assessments:iqa_review", args=[case.hsc331.pk])}"' in after
    covers = words(after[after.index('id="iqa-coverage-heading"'):])
    assert "Candidates’ units 1 of 3 in your sample" in covers and "Assessors 1 of 2 in your sample" in covers
    assert "Unit standards 1 of 2 in your sample" in covers


def test_the_iqa_home_marks_a_deactivated_assessor_and_candidate_as_every_other_page_does(client, case):
    """Outside trial: the IQA's home named a deactivated assessor with no mark."""
    meet(case, case.hsc331, [accepted_evidence(case)])
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    iqa.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    for person in (case.bob, case.alice):
        # As the records stand once a leaver's open units are handed on (the service refuses before).
        roles = list(Membership.objects.filter(person=person, centre=case.centre).values_list("role", flat=True))
        DeactivatedMembership.objects.create(person=person, centre=case.centre, roles=roles, deactivated_by=case.grace)
        Membership.objects.filter(person=person, centre=case.centre).delete()

    page = home(client, case.carol)

    assessors = words(page[page.index('id="iqa-assessors-heading"'):page.index("</section>", page.index('id="iqa-assessors-heading"'))])
    assert "Bob Baker (deactivated) 1 candidate" in assessors
    assert "Sample Bob Baker’s units" in assessors
    waiting = words(page[page.index('id="iqa-waiting-heading"'):page.index("</section>", page.index('id="iqa-waiting-heading"'))])
    assert "Alice Adams (deactivated) · HSC331 Final review · assessed by Bob Baker (deactivated)" in waiting


# The centre administrator: the centre's units by where they stand.


def test_the_administrator_sees_the_centres_units_by_where_they_stand(client, case):
    meet(case, case.hsc331, [accepted_evidence(case)])
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    move_target(case.dave_hsc331, days=-1)

    needs = words(home(client, case.grace).split('class="list-unstyled small mb-3 centre-needs"')[1].split("</ul>")[0])

    assert "2 in progress: 1 past its target date" in needs
    assert "1 signed off, waiting for the candidate’s countersignature" in needs
    assert "0 finished: signed off, countersigned by the candidate and by the IQA" in needs

    signoff.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    needs = words(home(client, case.grace).split('class="list-unstyled small mb-3 centre-needs"')[1].split("</ul>")[0])
    # Plain words, a line each (an outside trial: "1 signed off and countersigned, 1 of them by the
    # IQA too" was hard to read).
    assert "1 signed off and countersigned by the candidate, not by the IQA" in needs
    assert "0 finished" in needs

    iqa.review_record(review_or_enrolment=case.hsc331, iqa=case.carol, outcome=QualityReview.Outcome.COUNTERSIGNED)
    iqa.review_record(
        review_or_enrolment=case.h3_25, iqa=case.carol, outcome=QualityReview.Outcome.REFERRED,
        comments="Not enough yet.", actions="Observe Alice again.",
    )
    needs = words(home(client, case.grace).split('class="list-unstyled small mb-3 centre-needs"')[1].split("</ul>")[0])
    assert "1 in progress: 1 past its target date" in needs
    assert "1 referred back to its assessor by the IQA" in needs
    assert "1 finished: signed off, countersigned by the candidate and by the IQA" in needs
    assert "not by the IQA" not in needs


def test_the_administrators_units_card_counts_a_deactivated_candidates_units_in_progress_apart(client, case):
    """As the overdue report, "What needs doing" and the caseloads do: the home does not say both "No
    unit overdue" and "1 past its target date" (an outside tester's finding), nor count in progress
    a unit nobody works on."""
    from portfolio.models import DeactivatedMembership, Membership, Role

    move_target(case.dave_hsc331, days=-1)
    centre = case.dave_hsc331.centre
    needs = words(home(client, case.grace).split('class="list-unstyled small mb-3 centre-needs"')[1].split("</ul>")[0])
    assert "3 in progress: 1 past its target date" in needs
    assert "deactivated" not in needs

    DeactivatedMembership.objects.create(person=case.dave, centre=centre, roles=[Role.CANDIDATE], deactivated_by=case.grace)
    Membership.objects.filter(person=case.dave, centre=centre).delete()

    page = home(client, case.grace)
    needs = words(page.split('class="list-unstyled small mb-3 centre-needs"')[1].split("</ul>")[0])

    assert "No unit overdue" in words(page)
    assert "2 in progress 0 finished" in needs  # Alice's two units, and no overdue badge
    assert ("1 unit of deactivated candidates, not signed off, 1 of them past its target date: nobody works on it. "
            "Its record is kept.") in needs
