"""Outside trial (LOW): Carol agreed with the decisions so far on HSC331 at an interim review, then
added it to her sample again. Her sample page listed it under "Waiting for your review", counted it
there and on her home, and the unit page said it waited for her review, yet the review page refused
to agree again: nothing had changed. What is true: she agreed on <date> and nothing is new since, so
it is in her sample but not waiting for her; once a decision is recorded or withdrawn (or the unit
is signed off) it waits for her again, saying what is new since her agreement.

Alice is the candidate on HSC331 (in progress); Bob assesses it; Carol is the IQA."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from assessments import home_figures, home_iqa_caseload, sampling
from assessments.models import Decision, QualityReview
from assessments.services import iqa as iqa_services
from portfolio.errors import PortfolioError
from portfolio.models import Role
from tests.assessments.quality_records import accepted_evidence, decide, riverside_team, sign_off
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

PAGE = "/assessments/quality/"
AGREE = QualityReview.Outcome.COUNTERSIGNED


@pytest.fixture
def case(db):
    centre, alice, bob, carol = riverside_team()
    interim = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    decide(interim, accepted_evidence(interim, title="Social networks"), count=2)
    return type("Case", (), dict(alice=alice, bob=bob, carol=carol, centre=centre, interim=interim))


def _agreed_then_sampled_again(case) -> None:
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])
    iqa_services.review_record(review_or_enrolment=case.interim, iqa=case.carol, outcome=AGREE)
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])


def _today() -> str:
    return date_format(timezone.localdate(), "j F Y")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _waiting_section(page: str) -> str:
    return _text(page.split('id="waiting-heading"')[1].split('id="units-heading"')[0])


def test_agreed_and_added_again_is_in_the_sample_but_not_waiting_for_review(client, case):
    _agreed_then_sampled_again(case)
    client.force_login(case.carol)
    html = client.get(PAGE).content.decode()
    waiting = _waiting_section(html)

    assert "Waiting for your review 0 units" in waiting
    assert "No unit in your sample is waiting for your review." in waiting
    assert "Also in your sample, with nothing new to review 1 unit" in waiting
    assert (
        f"Alice Adams , HSC331 , assessed by Bob Baker: agreed at interim review {_today()}, nothing new since; "
        f"in your sample since {_today()}"
    ) in waiting
    assert "<table" not in html.split('id="waiting-heading"')[1].split('id="resting-heading"')[0], (
        "no table of units waiting"
    )
    listed = _text(client.get(PAGE + "?sample=waiting").content.decode())
    assert "No unit matches the filters." in listed


def test_the_home_and_the_unit_page_do_not_say_it_waits_for_review(client, case):
    _agreed_then_sampled_again(case)
    figures = home_figures.iqa_figures(case.carol)
    assert (figures.waiting_count, figures.waiting) == (0, [])
    [line] = home_iqa_caseload.iqa_caseload(case.carol).assessors
    assert line.to_review == 0

    client.force_login(case.carol)
    page = _text(client.get(f"/assessments/units/{case.interim.pk}/").content.decode())
    assert "waiting for review" not in page and "waiting for your review" not in page
    assert (
        f"This unit is in the IQA’s sample. The IQA agreed with the decisions so far on {_today()} (interim review) "
        "and no decision has been recorded or withdrawn since, so nothing new waits for review."
    ) in page


def test_adding_it_again_says_nothing_is_new_since_the_agreement(client, case):
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])
    iqa_services.review_record(review_or_enrolment=case.interim, iqa=case.carol, outcome=AGREE)
    client.force_login(case.carol)
    page = _text(client.post(PAGE, {"enrolments": [case.interim.pk]}, follow=True).content.decode())

    assert (
        "1 unit added to your sample: Alice Adams, HSC331. You agreed with the decisions so far on Alice Adams, "
        "HSC331 at an interim review, and nothing has changed since: it waits in your sample, not for your review, "
        "until a decision on it is recorded or withdrawn, or it is signed off."
    ) in page


def test_a_new_decision_puts_it_back_waiting_saying_what_is_new_since(client, case):
    _agreed_then_sampled_again(case)
    decide(case.interim, accepted_evidence(case.interim, title="Another"), count=1)
    client.force_login(case.carol)
    waiting = _waiting_section(client.get(PAGE).content.decode())

    assert "Waiting for your review 1 unit" in waiting
    assert f"Agreed at interim review {_today()}; 1 decision recorded since" in waiting
    assert "nothing new to review" not in waiting
    assert home_figures.iqa_figures(case.carol).waiting_count == 1
    # and she can record her review of it
    iqa_services.review_record(review_or_enrolment=case.interim, iqa=case.carol, outcome=AGREE)


def test_a_withdrawn_decision_is_new_too(client, case):
    _agreed_then_sampled_again(case)
    decision = Decision.objects.filter(enrolment=case.interim).first()
    Decision.objects.filter(pk=decision.pk).update(withdrawn_at=timezone.now(), withdrawn_by=case.bob)
    client.force_login(case.carol)
    waiting = _waiting_section(client.get(PAGE).content.decode())

    assert "Waiting for your review 1 unit" in waiting
    assert f"Agreed at interim review {_today()}; 1 decision withdrawn since" in waiting


def test_the_list_of_all_units_says_nothing_new_since_the_agreement(client, case):
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])
    iqa_services.review_record(review_or_enrolment=case.interim, iqa=case.carol, outcome=AGREE)
    client.force_login(case.carol)
    page = _text(client.get(PAGE).content.decode())
    assert f"Interim review: agreed {_today()}, nothing new since" in page

    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])
    page = _text(client.get(PAGE).content.decode())
    assert f"Yes, {_today()}; agreed at interim review {_today()}, nothing new since" in page


def test_after_a_referral_answered_she_may_agree_again_and_it_waits_for_her(client, case):
    """The agreement is no longer her last word once she referred the unit back: the actions done,
    the unit waits for her, and agreeing is not refused as "none has changed since"."""
    _agreed_then_sampled_again(case)
    referral = iqa_services.review_record(
        review_or_enrolment=case.interim,
        iqa=case.carol,
        outcome=QualityReview.Outcome.REFERRED,
        actions="Give Alice fuller feedback.",
    )
    iqa_services.review_actions_done(review=referral, assessor=case.bob, note="Done.")
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])
    assert home_figures.iqa_figures(case.carol).waiting_count == 1

    iqa_services.review_record(review_or_enrolment=case.interim, iqa=case.carol, outcome=AGREE)


def test_agreeing_twice_with_nothing_new_is_still_refused(case):
    _agreed_then_sampled_again(case)
    with pytest.raises(PortfolioError, match=r"agreed on .*, and none has changed since"):
        iqa_services.review_record(review_or_enrolment=case.interim, iqa=case.carol, outcome=AGREE)


def test_the_register_and_the_rows_say_the_same(case):
    _agreed_then_sampled_again(case)
    [summary] = sampling.register(case.carol).summaries
    [row] = sampling.sample_rows(case.carol)
    assert (summary.waiting, summary.nothing_new, row.nothing_new) == (False, True, True)
    decide(case.interim, accepted_evidence(case.interim, title="Another"), count=1)
    [summary] = sampling.register(case.carol).summaries
    [row] = sampling.sample_rows(case.carol)
    assert (summary.waiting, summary.nothing_new, row.nothing_new) == (True, False, False)


def test_the_sample_page_reads_in_the_same_queries_for_one_or_three_such_units(client, case):
    _agreed_then_sampled_again(case)
    client.force_login(case.carol)

    def counted() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    one = counted()
    for n in range(2):
        candidate = member(case.centre, Role.CANDIDATE, email=f"more{n}@example.org")
        more = enrol(candidate, "HSC331", assessor=case.bob, iqa=case.carol, centre=case.centre)
        decide(more, accepted_evidence(more, title="More"), count=2)
        iqa_services.sample_add(iqa=case.carol, enrolments=[more])
        iqa_services.review_record(review_or_enrolment=more, iqa=case.carol, outcome=AGREE)
        iqa_services.sample_add(iqa=case.carol, enrolments=[more])
    assert "with nothing new to review 3 units" in _waiting_section(client.get(PAGE).content.decode())
    assert counted() == one


def test_signed_off_since_it_waits_for_a_final_review(client, case):
    _agreed_then_sampled_again(case)
    sign_off(case.interim)
    client.force_login(case.carol)
    waiting = _waiting_section(client.get(PAGE).content.decode())

    assert "Waiting for your review 1 unit" in waiting
    assert "(final review)" in waiting
    assert f"Agreed at interim review {_today()}; signed off since, on {_today()}" in waiting
