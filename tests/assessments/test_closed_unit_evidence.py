"""Evidence that bears only on withdrawn or transferred units waits for nobody
(`portfolio.locks.bears_only_on_closed_units`). Outside trial: E3, mapped only to H3 25, was still in
Bob's queue after H3 25 was transferred ("· H3 25 · Judge") and a judgement posted on its page
accepted it and told Alice; Bob's home said "1 piece of evidence waiting for your assessment" while
the queue it links to said nothing was waiting; and Alice, with every unit closed, read "Waiting for
the assessor since …" and could "Write to your assessor", a comment that reached nobody.

Alice is the candidate on HSC331 and H3 25 at Riverside, Bob her assessor, Grace the centre's
administrator (tests/cast.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import caseload, counted
from assessments.models import Decision, EvidenceComment, Judgement
from assessments.services import conversation, judging
from portfolio import dates
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, EnrolmentStatus, EvidenceState
from portfolio.services_enrolments import enrolment_reinstate, enrolment_transfer, enrolment_withdraw
from tests.assessments.judging_people import fresh, submitted
from tests.portfolio.test_no_open_unit import _text

pytestmark = pytest.mark.django_db

VACS = dict(valid=True, authentic=True, current=True, sufficient=True)


def _on() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=3)


def _transfer(enrolment, grace) -> None:
    enrolment_transfer(enrolment=enrolment, to_centre="Hillside College", effective_date=_on(), reason="Moved.",
                       changed_by=grace)


@pytest.fixture
def e3(alice, grace, hsc331, h3_25):
    """The tester's steps: E3 mapped only to H3 25; HSC331 withdrawn, H3 25 transferred, HSC331 reinstated."""
    evidence = submitted(alice, h3_25, title="Boundaries at work", criteria=("H3 25.1",))
    enrolment_withdraw(enrolment=hsc331, effective_date=_on(), reason="Paused.", changed_by=grace)
    _transfer(h3_25, grace)
    enrolment_reinstate(enrolment=hsc331, reason="Back on the course.", changed_by=grace)
    return fresh(evidence)


def _queue(client) -> str:
    return _text(client.get(reverse("assessments:queue")))


def test_the_queue_and_the_home_leave_it_out_and_agree(client, bob, e3):
    client.force_login(bob)

    queue, home = _queue(client), _text(client.get(reverse("home")))

    assert "Boundaries at work" not in queue and "Nothing is waiting for your judgement" in queue
    assert "No evidence is waiting for your assessment" in home
    assert "piece of evidence waiting" not in home and "Boundaries at work" not in home


def test_the_queue_and_the_home_count_the_same_evidence_on_an_open_unit(client, alice, bob, hsc331, e3):
    submitted(alice, hsc331, title="Phoning a sister")
    client.force_login(bob)

    queue, home = _queue(client), _text(client.get(reverse("home")))

    assert "Phoning a sister" in queue and "Boundaries at work" not in queue
    assert "1 piece of evidence waiting for your assessment" in home


def test_with_every_unit_closed_the_home_counts_nothing_either(client, alice, bob, grace, hsc331, h3_25):
    submitted(alice, h3_25, title="Boundaries at work", criteria=("H3 25.1",))
    enrolment_withdraw(enrolment=hsc331, effective_date=_on(), reason="Paused.", changed_by=grace)
    _transfer(h3_25, grace)
    client.force_login(bob)

    assert "No evidence is waiting for your assessment" in _text(client.get(reverse("home")))


def test_its_page_says_why_once_with_no_judge_form_and_no_comment_box(client, bob, e3):
    client.force_login(bob)
    response = client.get(reverse("assessments:evidence_detail", args=[e3.pk]))

    page, html = _text(response), response.content.decode()
    why = f"H3 25 was transferred on {dates.day(_on())}"
    assert response.status_code == 200
    assert page.count(why) == 1 and "read-only" in page
    assert 'id="judge"' not in html and "Waiting for the assessor" not in page
    assert "Write to Alice" not in page


def test_a_judgement_posted_anyway_is_refused_and_changes_nothing(client, bob, e3):
    client.force_login(bob)
    response = client.post(
        reverse("assessments:judge", args=[e3.pk]), {"decision": "accept", **{k: "on" for k in VACS}, "feedback": "Good."}
    )

    assert response.status_code == 403
    page = _text(response)
    assert "bears only on units no longer open" in page and "has been told" not in page
    assert fresh(e3).state == EvidenceState.SUBMITTED
    assert not Judgement.objects.filter(evidence=e3).exists()
    with pytest.raises(PortfolioError, match="no longer open"):
        judging.evidence_accept(evidence=e3, assessor=bob, **VACS)
    with pytest.raises(PortfolioError, match="no longer open"):
        judging.evidence_refer_back(evidence=e3, assessor=bob, feedback="More.")
    assert not Judgement.objects.filter(evidence=e3).exists() and not Decision.objects.filter(evidence=e3).exists()


def test_mapped_to_an_open_unit_too_it_waits_and_is_judged_for_that_unit(client, alice, bob, grace, hsc331, h3_25):
    both = submitted(alice, hsc331, title="Both units", criteria=("HSC331a.1", "H3 25.1"))
    _transfer(h3_25, grace)
    client.force_login(bob)

    assert "Both units" in _queue(client)
    judging.evidence_accept(evidence=both, assessor=bob, proves=[], **VACS)
    assert fresh(both).state == EvidenceState.ACCEPTED


def test_the_candidate_with_every_unit_closed_reads_why_and_cannot_write(client, alice, bob, grace, hsc331, h3_25):
    evidence = submitted(alice, h3_25, title="Boundaries at work", criteria=("H3 25.1",))
    enrolment_withdraw(enrolment=hsc331, effective_date=_on(), reason="Paused.", changed_by=grace)
    _transfer(h3_25, grace)
    client.force_login(alice)
    page_address = reverse("assessments:evidence_detail", args=[evidence.pk])

    page = _text(client.get(page_address))
    assert f"H3 25 was transferred on {dates.day(_on())}" in page
    assert "Waiting for the assessor" not in page and "Write to your assessor" not in page

    sent = client.post(reverse("assessments:evidence_comment", args=[evidence.pk]), {"text": "Any news?"}, follow=True)
    assert "Your comment was not sent" in _text(sent)
    assert not EvidenceComment.objects.filter(evidence=evidence).exists()
    with pytest.raises(PortfolioError, match="no longer open"):
        conversation.evidence_comment(evidence=evidence, author=alice, text="Any news?")
    assert not EvidenceComment.objects.filter(evidence=evidence).exists()


def test_the_administrators_home_and_the_caseloads_report_count_by_the_same_rule(
    client, alice, bob, grace, centre, hsc331, h3_25
):
    from tests.assessments.test_assessor_home import waiting

    waiting(alice, centre, title="Open and late", days=30, criteria=("HSC331a.1",))
    waiting(alice, centre, title="Closed and late", days=30, criteria=("H3 25.1",))
    _transfer(h3_25, grace)
    client.force_login(grace)

    home = _text(client.get(reverse("home")))
    report = client.get(reverse("ops:report_caseload", args=[centre.pk]))
    # The caseloads report's figure, as ops.reports.staff asks it of the centre's active units.
    units = counted.of_current_candidates(Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE))

    assert "1 piece of evidence waiting more than 10 working days" in home
    assert report.status_code == 200 and caseload.waiting_by_assessor(units)[bob.pk].count == 1
    client.force_login(bob)
    assert "1 piece of evidence waiting for your assessment" in _text(client.get(reverse("home")))
