"""Outside trial: an IQA reviewing a unit again after an interim review could not tell what was new.
The review page marks each decision, evidence judgement and sign-off made since the reader's last
review of the unit "New since your review on <date>", and says at its top how many are new, with a
link to the first.

Alice is on HSC331; Bob assesses it; Carol is its IQA (tests/assessments/quality_records.py)."""

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from assessments.models import Decision, Judgement, QualityReview, SignOff
from assessments.services import decisions, judging, signoff
from assessments.services import iqa as iqa_services
from portfolio import dates
from standards.models import Criterion
from tests.assessments.judging_people import submitted
from tests.assessments.quality_records import riverside_team, sign_off
from tests.factories import enrol

pytestmark = pytest.mark.django_db

ACCEPTED: dict[str, Any] = dict.fromkeys(judging.VACS, True)


@pytest.fixture
def case(db):
    centre, alice, bob, carol = riverside_team()
    unit = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return type("Case", (), dict(alice=alice, bob=bob, carol=carol, unit=unit))


def _accepted(case, title: str, criterion: str):
    """Alice submits evidence mapped to the criterion; Bob accepts it and records the criterion met."""
    evidence = submitted(case.alice, case.unit, title=title, criteria=(criterion,))
    judging.evidence_accept(
        evidence=evidence, assessor=case.bob, proves=[Criterion.objects.get(reference=criterion)], **ACCEPTED
    )
    return evidence


def _agreed_at_interim(case, days_ago: int = 2) -> QualityReview:
    """Carol agrees with the decisions so far; the review, and all before it, moved `days_ago` back."""
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.unit])
    review = iqa_services.review_record(
        review_or_enrolment=case.unit, iqa=case.carol, outcome=QualityReview.Outcome.COUNTERSIGNED
    )
    back = datetime.timedelta(days=days_ago)
    assert review.reviewed_at is not None
    review.reviewed_at -= back
    review.save(update_fields=["reviewed_at"])
    earlier = timezone.now() - back - datetime.timedelta(hours=1)
    Decision.objects.filter(enrolment=case.unit).update(
        decided_at=earlier, decided_on=timezone.localdate(earlier)
    )
    Judgement.objects.filter(judged_enrolments__enrolment=case.unit).update(judged_at=earlier)
    case.unit.judged_enrolments.update(judged_at=earlier)
    return review


def _page(client, case) -> str:
    client.force_login(case.carol)
    response = client.get(f"/assessments/units/{case.unit.pk}/review/")
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _summary(page: str) -> str:
    """The words at the top of the page saying what is new, as read."""
    return " ".join(
        re.sub(r"<[^>]+>", "", page.split('id="new-since-review">')[1].split("</div>")[0]).split()
    )


def _row(page: str, words: str) -> str:
    [row] = [row.split("</tr>")[0] for row in page.split("<tr") if words in row]
    return row


def test_the_re_review_marks_the_decision_and_judgement_made_since_and_not_the_older_ones(client, case):
    _accepted(case, "Phoning a sister", "HSC331a.1")
    review = _agreed_at_interim(case)
    _accepted(case, "Planning a visit", "HSC331a.2")  # after Carol's review
    page = _page(client, case)
    on = dates.day(review.reviewed_at)
    badge = f"New since your review on {on}"

    assert _summary(page).startswith(
        f"2 new since your review on {on}: 1 decision and 1 evidence judgement, each marked “New since your review” below."
    )
    # The link leads to the first new entry on the page: the decision's row, above the judgements.
    assert 'href="#new-decision-2">Go to the first new one</a>' in page
    assert 'id="new-decision-2"' in _row(page.split('id="decisions-heading"')[1], "HSC331a.2")

    decided = page.split('id="decisions-heading"')[1].split('id="judgements-heading"')[0]
    assert badge in _text(_row(decided, "HSC331a.2")) and badge not in _text(_row(decided, "HSC331a.1"))
    judged = page.split('id="judgements-heading"')[1]
    assert badge in _text(_row(judged, "Planning a visit")) and badge not in _text(
        _row(judged, "Phoning a sister")
    )
    assert _text(page).count(badge) == 2


def test_nothing_new_since_the_review_is_said_and_nothing_is_marked(client, case):
    _accepted(case, "Phoning a sister", "HSC331a.1")
    review = _agreed_at_interim(case)
    page = _text(_page(client, case))
    assert f"Nothing is new since your review on {dates.day(review.reviewed_at)}" in page
    assert "New since your review on" not in page and "Go to the first new one" not in page


def test_an_iqa_who_has_not_reviewed_the_unit_sees_no_marks(client, case):
    _accepted(case, "Phoning a sister", "HSC331a.1")
    page = _page(client, case)
    assert 'id="new-since-review"' not in page and "New since your review" not in page


def test_a_sign_off_since_the_interim_review_is_marked_with_the_candidates_countersignature(client, case):
    _accepted(case, "Phoning a sister", "HSC331a.1")
    review = _agreed_at_interim(case)
    sign_off(case.unit)  # signed by Bob and countersigned by Alice after Carol's review
    page = _page(client, case)
    badge = f"New since your review on {dates.day(review.reviewed_at)}"
    signed = page.split('id="sign-off-heading"')[1].split("</ul>")[0]
    assert _text(signed).count(badge) == 2  # the assessor's sign-off and the candidate's countersignature
    summary = _summary(page)
    assert (
        "2 new since your review" in summary
        and "1 sign-off and 1 countersignature by the candidate" in summary
    )
    assert 'href="#new-sign-off">Go to the first new one</a>' in page


def test_a_decision_withdrawn_since_the_review_is_marked_and_its_folded_list_opened(client, case):
    _accepted(case, "Phoning a sister", "HSC331a.1")
    _accepted(case, "Planning a visit", "HSC331a.2")
    old = Decision.objects.get(enrolment=case.unit, criterion__reference="HSC331a.1")
    decisions.decision_withdraw(decision=old, assessor=case.bob, reason="Withdrawn while the unit was open.")
    review = _agreed_at_interim(case)  # moves every decision, the withdrawn one too, before the review
    Decision.objects.filter(pk=old.pk).update(withdrawn_at=review.reviewed_at - datetime.timedelta(minutes=5))
    newer = Decision.objects.get(enrolment=case.unit, criterion__reference="HSC331a.2", withdrawn_at__isnull=True)
    decisions.decision_withdraw(decision=newer, assessor=case.bob, reason="The account does not show it after all.")
    page = _page(client, case)
    badge = f"New since your review on {dates.day(review.reviewed_at)}"

    folded = page.split("Withdrawn decisions (2)")[0].rsplit("<details", 1)[1]
    assert folded.startswith(" open")  # opened, so the link's target can be seen
    withdrawn = page.split("Withdrawn decisions (2)")[1].split("</ul>")[0]
    [recent] = [item for item in withdrawn.split("<li")[1:] if "does not show it" in item]
    [earlier] = [item for item in withdrawn.split("<li")[1:] if "while the unit was open" in item]
    assert badge in _text(recent) and badge not in _text(earlier)
    assert "1 decision" in _summary(page)


def test_a_sign_off_made_and_voided_since_the_review_is_marked(client, case):
    _accepted(case, "Phoning a sister", "HSC331a.1")
    review = _agreed_at_interim(case)
    sign_off(case.unit)  # after Carol's review; then Bob unlocks the unit again
    signoff.unit_unlock(enrolment=case.unit, person=case.bob, reason="A decision cited the wrong evidence.")
    page = _page(client, case)
    badge = f"New since your review on {dates.day(review.reviewed_at)}"
    [voided] = SignOff.objects.filter(enrolment=case.unit)
    assert f'id="new-voided-{voided.pk}"' in page
    assert badge in _text(page.split(f'id="new-voided-{voided.pk}"')[1].split("</li>")[0])
    assert "1 sign-off" in _summary(page)


def test_a_decision_recorded_since_the_review_but_dated_before_it_says_when_it_was_recorded(client, case):
    """Bob records on Thursday a criterion met on the visit of Monday, and Carol reviewed on Tuesday:
    the decision is new to her, and its row says why a decision of Monday is new since Tuesday."""
    _accepted(case, "Phoning a sister", "HSC331a.1")
    review = _agreed_at_interim(case, days_ago=2)
    _accepted(case, "Planning a visit", "HSC331a.2")
    monday = timezone.localdate() - datetime.timedelta(days=3)
    Decision.objects.filter(enrolment=case.unit, criterion__reference="HSC331a.2").update(decided_on=monday)
    decided = _page(client, case).split('id="decisions-heading"')[1].split('id="judgements-heading"')[0]

    row = _text(_row(decided, "HSC331a.2"))
    assert f"New since your review on {dates.day(review.reviewed_at)}" in row
    recorded = Decision.objects.get(enrolment=case.unit, criterion__reference="HSC331a.2").decided_at
    assert f"{dates.day(monday)} recorded {dates.day_time(recorded)}" in row  # the time too: a review may be that day
    # A decision recorded on the day it is dated, or not new, says no more.
    assert "recorded" not in _text(_row(decided, "HSC331a.1"))
