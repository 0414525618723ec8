"""The assessor's and the IQA's caseload at a glance, against counts made by hand, and its cost: the
same number of queries for a small caseload and a larger one.

Bob assesses Alice (HSC331 ready to sign off and due in 10 days; H3 25 with evidence waiting for
two weeks and 3 days past its target), Fay (H3 25, nothing yet, due in 100 days) and Gus (HSC331,
signed off, its target date 5 days ago: not overdue, being signed off). Erin assesses Dave. Carol is everyone's IQA. See tests/assessments/unit_case.py.
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import home_caseload
from assessments.caseload import oldest_wait_words, wait_words, working_days_waited
from assessments.home_caseload import Standing, assessor_caseload
from assessments.home_iqa_caseload import iqa_caseload
from assessments.models import QualityReview
from assessments.sampling_plan_models import SamplingPlan
from assessments.services import iqa, signoff
from portfolio.models import Enrolment, Evidence, Role
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def move_target(enrolment: Enrolment, days: int) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(target_date=days_from_today(days))


def signed_off_unit(case, candidate, unit_code: str) -> Enrolment:
    enrolment = enrol(candidate, unit_code, assessor=case.bob, iqa=case.carol, centre=case.centre)
    meet(case, enrolment, [accepted_evidence(case, candidate=candidate, enrolment=enrolment)])
    signoff.unit_sign_off(enrolment=enrolment, assessor=case.bob, declared=True)
    return enrolment


@pytest.fixture
def case():
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Everything on HSC331")])
    move_target(case.hsc331, 10)
    waiting = submitted_evidence(case, title="Boundaries", enrolment=case.h3_25)
    Evidence.objects.filter(pk=waiting.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=14))
    move_target(case.h3_25, -3)
    case.people["fay"] = member(case.centre, Role.CANDIDATE, first_name="Fay", last_name="Fox")
    case.fay_h3_25 = enrol(case.fay, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
    move_target(case.fay_h3_25, 100)
    case.people["gus"] = member(case.centre, Role.CANDIDATE, first_name="Gus", last_name="Gray")
    case.gus_hsc331 = signed_off_unit(case, case.gus, "HSC331")
    move_target(case.gus_hsc331, -5)
    return case


def words(fragment: str) -> str:
    """The words a sighted reader sees (an SVG's title is not shown)."""
    fragment = re.sub(r"<title>.*?</title>", " ", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def unlinked(fragment: str) -> str:
    """The fragment with its links' tags taken out, their words left: a link's words run on into the
    punctuation after them as they are read."""
    return re.sub(r"</?a\b[^>]*>", "", fragment)


def home(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def region(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return words(page[start:page.index("</section>", start)])


# Working days.


@pytest.mark.parametrize(
    ("submitted", "today", "expected"),
    [
        (datetime.date(2026, 12, 4), datetime.date(2026, 12, 4), 0),  # the same Friday
        (datetime.date(2026, 12, 4), datetime.date(2026, 12, 7), 1),  # Friday to Monday
        (datetime.date(2026, 12, 5), datetime.date(2026, 12, 7), 1),  # Saturday to Monday
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 15), 10),  # two weeks
        (datetime.date(2026, 12, 2), datetime.date(2026, 12, 4), 2),  # Wednesday to Friday
    ],
)
def test_a_wait_is_counted_in_working_days(submitted, today, expected):
    at_noon = timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(12)))

    assert working_days_waited(at_noon, today) == expected
    assert working_days_waited(submitted, today) == expected  # a moment counts as its day


def test_nothing_waiting_has_no_wait():
    assert oldest_wait_words(None, datetime.date(2026, 12, 4)) == ""
    assert wait_words(None) == ""
    assert wait_words(0) == "less than a working day"
    assert wait_words(1) == "1 working day"
    assert wait_words(2) == "2 working days"


def test_overdue_is_past_the_target_date_and_not_signed_off():
    today = datetime.date(2026, 12, 4)
    yesterday = today - datetime.timedelta(days=1)

    assert home_caseload.is_overdue(yesterday, signed_off=False, today=today)
    assert not home_caseload.is_overdue(yesterday, signed_off=True, today=today)
    assert not home_caseload.is_overdue(today, signed_off=False, today=today)


# The assessor.


def test_the_assessors_caseload_counts_units_by_where_they_stand(case):
    caseload = assessor_caseload(case.bob)

    assert len(caseload.units) == 4 and len(caseload.candidates) == 3
    assert {standing: caseload.count(standing) for standing in Standing} == {
        Standing.WAITING: 1, Standing.READY: 1, Standing.WORKING: 1, Standing.SIGNED_OFF: 1,
    }
    # H3 25 of Alice's is past its target; Gus's HSC331 is too, but it is signed off.
    assert caseload.overdue == 1
    assert caseload.near_target == 1  # Alice's HSC331, in 10 days
    assert [line.enrolment for line in caseload.ready] == [case.hsc331]


def test_the_assessors_candidates_come_what_needs_them_first(case):
    alice, fay, gus = assessor_caseload(case.bob).candidates

    assert (alice.candidate, fay.candidate, gus.candidate) == (case.alice, case.fay, case.gus)
    assert (alice.met, alice.items) == (34, 34 + 31)
    assert (alice.waiting, alice.oldest_words, alice.overdue) == (1, "10 working days", 1)
    assert alice.action.label == "Sign off HSC331"
    assert alice.action.url == reverse("assessments:sign_off", args=[case.hsc331.pk])
    assert fay.action.label == "Units" and fay.next_target == days_from_today(100)
    assert (gus.met, gus.items, gus.next_target) == (34, 34, None)


def test_a_candidate_with_only_evidence_waiting_leads_to_the_queue(case):
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    alice = assessor_caseload(case.bob).candidates[0]

    assert alice.candidate == case.alice
    assert alice.action.label == "Judge 1"
    assert alice.action.url == reverse("assessments:queue") + f"?candidate={case.alice.pk}"


def referral(enrolment, *, done: bool = False) -> None:
    now = timezone.now()
    QualityReview.objects.create(
        enrolment=enrolment, iqa=enrolment.iqa, stage=QualityReview.Stage.INTERIM,
        outcome=QualityReview.Outcome.REFERRED, sampled_at=now, reviewed_at=now,
        actions="Cite the observation.", actions_done_at=now if done else None,
    )


def test_a_unit_referred_back_by_the_iqa_waits_for_the_assessor_until_they_answer(case):
    referral(case.fay_h3_25)  # nothing yet on it: the referral alone makes it wait for Bob
    referral(case.gus_hsc331)  # signed off: the referral still comes first
    referral(case.hsc331, done=True)  # answered: ready to sign off, as before

    caseload = assessor_caseload(case.bob)
    lines = {line.enrolment.pk: line for line in caseload.units}

    assert lines[case.fay_h3_25.pk].standing == Standing.WAITING and lines[case.fay_h3_25.pk].referred
    assert lines[case.gus_hsc331.pk].standing == Standing.WAITING and lines[case.gus_hsc331.pk].referred
    assert lines[case.hsc331.pk].standing == Standing.READY and not lines[case.hsc331.pk].referred
    fay = next(line for line in caseload.candidates if line.candidate == case.fay)
    assert fay.action.label == "Answer your IQA"
    assert fay.action.url == reverse("assessments:enrolment_detail", args=[case.fay_h3_25.pk])


def test_the_assessors_home_shows_the_caseload_and_each_candidate(client, case):
    page = home(client, case.bob)

    caseload = region(page, "caseload-heading")
    assert "3 candidates · 4 units · 1 overdue" in caseload
    assert "Waiting for you: 1 Ready to sign off: 1 Candidate working: 1 Signed off: 1" in caseload
    assert 'aria-label="Your 4 units: Waiting for you: 1; Ready to sign off: 1; Candidate working: 1; Signed off: 1"' in page
    lines = region(page, "candidates-heading")
    assert lines.index("Alice Adams") < lines.index("Fay Fox") < lines.index("Gus Gray")
    assert (
        "Alice Adams 1 unit waiting for you · 1 unit ready to sign off Sign off HSC331 for Alice Adams 34 of 65 items met "
        f"1 waiting , longest 10 working days 1 overdue Nearest target date {days_from_today(-3):%-d %B %Y}"
    ) in lines
    assert "Gus Gray 1 unit signed off Units for Gus Gray 34 of 34 items met Nothing waiting All signed off" in lines
    assert f'href="{reverse("assessments:sign_off", args=[case.hsc331.pk])}"' in page


def test_the_assessors_home_lists_the_open_units_most_overdue_first(client, case):
    page = home(client, case.bob)

    units = region(page, "units-heading")
    assert "3 units not signed off, 1 overdue ." in units
    assert units.index("H3 25") < units.index("HSC331")  # 3 days past, then due in 10
    assert "Gus Gray" not in units


# The IQA.


def test_the_iqas_caseload_counts_each_assessors_units(case):
    SamplingPlan.objects.create(
        iqa=case.carol, centre=case.centre, period_start=timezone.localdate(), period_end=days_from_today(364)
    )
    iqa.sample_add(iqa=case.carol, enrolments=[case.gus_hsc331])

    caseload = iqa_caseload(case.carol)

    bob, erin = caseload.assessors
    assert (bob.name, bob.candidates, bob.units, bob.signed_off, bob.overdue, bob.near_target) == (
        "Bob Baker", 3, 4, 1, 1, 1,
    )
    assert (bob.to_review, len(bob.waiting.ids), bob.oldest_words) == (1, 1, "10 working days")
    # Nobody rated: planned as new, every unit at both stages; nothing reviewed yet.
    assert (bob.interim.words, bob.summative.words, bob.plan_met) == ("0 of 4 planned", "0 of 4 planned", False)
    assert (erin.name, erin.units, erin.to_review, erin.overdue) == ("Erin Evans", 1, 0, 0)
    assert caseload.behind_plan == 2
    assert [(plan.centre, plan.assessors_met) for plan in caseload.plans] == [(case.centre, 0)]
    assert caseload.plan_to_make is None


def test_the_iqas_home_shows_each_assessor_and_leads_to_their_sample(client, case):
    iqa.sample_add(iqa=case.carol, enrolments=[case.gus_hsc331])

    page = home(client, case.carol)

    assessors = region(page, "iqa-assessors-heading")
    assert (
        "Bob Baker 3 candidates · 4 units Sample Bob Baker’s units 1 of 4 signed off · 1 overdue "
        "1 waiting for your review Evidence waiting for them: 1, longest 10 working days Plan: not in a sampling plan"
    ) in assessors
    assert assessors.index("Bob Baker") < assessors.index("Erin Evans")
    assert "Riverside Training: no sampling plan yet. Make your plan" in assessors
    assert f'href="{reverse("assessments:iqa_sample")}?assessor={case.bob.pk}"' in page
    # With no plan at all, nobody is "behind your plan": the figure says there is no plan yet.
    glance = page[page.index('aria-label="Quality assurance at a glance"'):page.index('id="iqa-assessors-heading"')]
    assert "No sampling plan yet" in glance and "behind your plan" not in glance
    assert f'href="{reverse("assessments:sampling_plan", args=[case.centre.pk, case.carol.pk])}"' in glance
    # Every Sample button looks like one that works: none greyed as if disabled.
    assert "btn-outline-secondary" not in assessors


# The cost: the same queries for three candidates or fifteen.


def more_candidates(case, count: int) -> None:
    for n in range(count):
        candidate = member(case.centre, Role.CANDIDATE, first_name=f"Extra{n:02d}", last_name="Lee")
        enrolment = enrol(candidate, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
        move_target(enrolment, n - 3)
        if n % 2:
            submitted_evidence(case, candidate=candidate, title=f"Extra {n}", enrolment=enrolment)


def queries_for(client, person) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_the_home_costs_the_same_for_a_small_caseload_or_a_larger_one(client, case, who):
    small = queries_for(client, case.people[who])

    more_candidates(case, 12)
    iqa.sample_add(iqa=case.carol, enrolments=[case.gus_hsc331])
    larger = queries_for(client, case.people[who])

    assert larger == small, (small, larger)


def test_a_candidates_line_counts_units_in_words_that_agree_with_the_number():
    from types import SimpleNamespace

    from assessments.home_caseload import CandidateLine, Standing

    units = [SimpleNamespace(standing=s) for s in (Standing.WORKING, Standing.WORKING, Standing.READY)]
    line = CandidateLine(candidate=None, units=units)  # only the standings are read

    assert line.standings == ["1 unit ready to sign off", "2 units in progress"]


# A deactivated candidate (their membership at the centre ended): in no figure or line, counted apart.


def test_a_deactivated_candidates_units_are_left_out_of_the_caseload_and_counted_apart(client, case):
    """Tester's finding: Alice, deactivated, was still "waiting for you" and overdue on Bob's home."""
    from portfolio.services_people import membership_deactivate

    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")

    caseload = assessor_caseload(case.bob)
    assert [line.candidate for line in caseload.candidates] == [case.fay, case.gus]
    assert (len(caseload.units), caseload.overdue, caseload.near_target, caseload.ready) == (2, 0, 0, [])
    assert caseload.left_out == 2
    page = home(client, case.bob)
    assert "2 candidates · 2 units" in region(page, "caseload-heading")
    # The figure links to the list of those units (tests/assessments/test_deactivated_units_linked.py).
    assert "Not counted here: 2 units of deactivated candidates. Their records are kept." in words(unlinked(page))
    assert "Alice Adams" not in region(page, "candidates-heading")
    assert "Alice Adams" not in region(page, "units-heading")
    assert "1 unit not signed off." in region(page, "units-heading")
    bob_line = iqa_caseload(case.carol).assessors[0]
    assert (bob_line.name, bob_line.candidates, bob_line.units, bob_line.overdue) == ("Bob Baker", 2, 2, 0)
    assert len(bob_line.waiting.ids) == 0


def test_a_deactivated_candidates_signed_off_unit_is_said_to_count_in_the_reports(client, case):
    """Outside trial: the assessor's home said "Signed off: 0" and left a finished learner's signed-off
    unit among the units of deactivated candidates, while the caseloads report counted it signed off."""
    from portfolio.services_people import membership_deactivate
    from tests.assessments.quality_records import sign_off

    sign_off(case.hsc331)
    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")
    assert (assessor_caseload(case.bob).left_out, assessor_caseload(case.bob).left_out_signed_off) == (2, 1)
    assert ("Not counted here: 2 units of deactivated candidates, 1 of them signed off (the centre’s reports count it "
            "as signed off). Their records are kept.") in words(unlinked(home(client, case.bob)))


def test_nothing_is_said_of_deactivated_candidates_when_there_are_none(client, case):
    assert assessor_caseload(case.bob).left_out == 0
    assert "Not counted here" not in home(client, case.bob)
