"""A candidate's units with different assessors (an outside trial, twice: each assessor's queue
listed the other's evidence, and an assessor accepted, referred back and commented on evidence
mapped only to a unit someone else assesses). Evidence is judged by the assessor of a unit it bears
on (`portfolio.judged_by`); the other reads it and sees whose it is.

Alice is on HSC331 (Bob assesses it) and H3 25, here moved to Erin (tests/cast.py)."""

import pytest
from django.urls import reverse

from assessments import caseload
from assessments.models import EvidenceComment, Judgement
from assessments.services import judging
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, EvidenceState, Notification
from portfolio.notification_kinds import NotificationKind
from portfolio.waiting import waiting_for
from standards.models import ScopeItem
from tests.assessments.judging_people import draft, fresh, shown, submitted
from tests.factories import put_on_case
from tests.portfolio.test_no_open_unit import _text

pytestmark = pytest.mark.django_db

VACS = {"valid": "on", "authentic": "on", "current": "on", "sufficient": "on"}
ACCEPTED = dict.fromkeys(judging.VACS, True)


@pytest.fixture
def split(alice, erin, hsc331, h3_25):
    """Alice's H3 25 assessed by Erin; three items waiting: one on each unit, one on both."""
    put_on_case(h3_25.pk, assessor=erin)
    return {
        "hsc": submitted(alice, hsc331, title="Supporting a visit", criteria=("HSC331a.1",)),
        "h3": submitted(alice, h3_25, title="Agreeing contact", criteria=("H3 25.1",)),
        "both": submitted(alice, hsc331, title="A holistic account", criteria=("HSC331a.2", "H3 25.6")),
    }


def test_each_assessors_queue_lists_what_bears_on_their_units_and_agrees_with_the_caseload_report(
    centre, bob, erin, split
):
    assert set(waiting_for(bob)) == {split["hsc"], split["both"]}
    assert set(waiting_for(erin)) == {split["h3"], split["both"]}
    report = caseload.waiting_by_assessor(Enrolment.objects.filter(centre=centre))
    assert (report[bob.pk].count, report[erin.pk].count) == (2, 2)


def test_the_other_assessor_reads_it_with_no_form_and_is_told_whose_it_is(client, bob, split):
    client.force_login(bob)
    page = _text(client.get(reverse("assessments:evidence_detail", args=[split["h3"].pk])))
    assert "Agreeing contact" in page
    assert f"{split['h3'].reference} bears on units you do not assess (H3 25, assessed by Erin" in page
    assert "Accept" not in page and "Refer back" not in page
    assert "is between the candidate and the assessor of the units it bears on" in page


def test_a_judgement_or_comment_posted_anyway_records_nothing(client, bob, split):
    item = split["h3"]
    client.force_login(bob)
    judged = client.post(reverse("assessments:judge", args=[item.pk]), {"decision": "accept", **VACS})
    assert judged.status_code == 403
    assert "bears on units you do not assess" in _text(judged)
    client.post(reverse("assessments:evidence_comment", args=[item.pk]), {"text": "Looks fine to me."})
    assert fresh(item).state == EvidenceState.SUBMITTED
    assert not Judgement.objects.filter(evidence=item).exists()
    assert not EvidenceComment.objects.filter(evidence=item).exists()
    with pytest.raises(PortfolioError, match="bears on units you do not assess"):
        judging.evidence_refer_back(evidence=item, assessor=bob, feedback="Say more.")


def test_its_own_assessor_judges_it_and_either_judges_what_bears_on_both(client, bob, erin, split):
    client.force_login(erin)
    page = _text(client.get(reverse("assessments:evidence_detail", args=[split["h3"].pk])))
    assert "Refer back" in page and "you do not assess" not in page
    judging.evidence_refer_back(evidence=split["h3"], assessor=erin, feedback="Say who agreed it.")
    judging.evidence_refer_back(evidence=split["both"], assessor=bob, feedback="Name the visit.")
    assert fresh(split["h3"]).state == fresh(split["both"]).state == EvidenceState.REFERRED


def test_only_the_assessors_whose_it_is_are_told_it_was_submitted(bob, erin, split):
    def told(item) -> set[int]:
        link = reverse("assessments:evidence_detail", args=[item.pk])
        return set(Notification.objects.filter(link=link).values_list("recipient", flat=True))

    assert told(split["h3"]) == {erin.pk}
    assert told(split["hsc"]) == {bob.pk}
    assert told(split["both"]) == {bob.pk, erin.pk}


# Evidence bearing on both assessors' units is judged once, by whichever judges it; each unit's
# scope and decisions stay its own assessor's (an outside trial: Erin, judging the holistic item
# first, recorded HSC331's scope on Bob's unit, and it left Bob's queue without a word to him).


def _scope(*references: str) -> list[ScopeItem]:
    return list(ScopeItem.objects.filter(reference__in=references))


def test_whoever_judges_holistic_evidence_records_the_scope_of_their_own_units_alone(client, erin, split):
    client.force_login(erin)
    page = _text(client.get(reverse("assessments:evidence_detail", args=[split["both"].pk])))
    assert "Refer back" in page and "HSC331 S1.2" not in page  # Bob's unit's scope is not offered
    with pytest.raises(PortfolioError, match="another unit's scope is its own assessor's record"):
        judging.evidence_accept(evidence=split["both"], assessor=erin, scope_items=_scope("HSC331 S1.2"), **ACCEPTED)
    assert fresh(split["both"]).state == EvidenceState.SUBMITTED
    assert not Judgement.objects.filter(evidence=split["both"]).exists()


def test_the_other_assessor_is_told_and_their_page_says_what_is_still_theirs(client, bob, erin, hsc331, split):
    judging.evidence_accept(evidence=split["both"], assessor=erin, **ACCEPTED)
    notice = Notification.objects.get(recipient=bob, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE)
    assert notice.message.startswith(f"{erin} accepted Alice")
    assert "HSC331, a unit you assess" in notice.message
    assert notice.link == reverse("assessments:decisions", args=[hsc331.pk])
    assert not Notification.objects.filter(recipient=erin, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE).exists()
    client.force_login(bob)
    page = _text(client.get(reverse("assessments:evidence_detail", args=[split["both"].pk])))
    assert f"{erin} accepted {split['both'].reference}" in page and "HSC331 decisions" in page
    client.force_login(erin)
    page = _text(client.get(reverse("assessments:evidence_detail", args=[split["both"].pk])))
    assert "HSC331 decisions" not in page  # she judged it: nothing of hers is left


def test_a_referral_tells_the_other_assessor_it_will_be_back_in_their_queue(bob, erin, split):
    judging.evidence_refer_back(evidence=split["both"], assessor=bob, feedback="Name the visit.")
    notice = Notification.objects.get(recipient=erin, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE)
    assert "back in your queue" in notice.message and "H3 25, a unit you assess" in notice.message


def test_accepted_evidence_of_the_other_assessors_unit_still_says_whose_it_is(client, bob, erin, split):
    judging.evidence_accept(evidence=split["hsc"], assessor=bob, **ACCEPTED)
    client.force_login(erin)
    page = _text(client.get(reverse("assessments:evidence_detail", args=[split["hsc"].pk])))
    assert f"{split['hsc'].reference} bears on units you do not assess (HSC331, assessed by Bob" in page
    assert not Notification.objects.filter(recipient=erin, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE).exists()


def test_the_candidate_is_told_by_name_who_judges_evidence_mapped_to_both_units(client, alice, bob, erin, hsc331, h3_25):
    put_on_case(h3_25.pk, assessor=erin)
    item = draft(alice, h3_25, title="A holistic account", criteria=("HSC331a.2", "H3 25.6"))
    client.force_login(alice)
    page = _text(client.get(reverse("portfolio:evidence_submit", args=[item.pk])))
    said = page[page.index("Once submitted,"):page.index("back to you.")]
    assert str(bob) in said and str(erin) in said and "whichever of them judges it first" in said
    submitted_page = _text(client.post(reverse("portfolio:evidence_submit", args=[item.pk]), {"declared": "on"}, follow=True))
    assert "have been told it is waiting" in submitted_page and "Your assessor will be told" not in submitted_page
    only_hsc = draft(alice, h3_25, title="Supporting a visit", criteria=("HSC331a.1",))
    page = _text(client.get(reverse("portfolio:evidence_submit", args=[only_hsc.pk])))
    assert f"Once submitted, {bob} judges it" in page and str(erin) not in page


def test_the_judges_confirmation_names_the_other_assessor_told(client, bob, erin, split):
    client.force_login(erin)
    item = split["both"]
    response = client.post(
        reverse("assessments:judge", args=[item.pk]), {"decision": "accept", **VACS, **shown(item)}, follow=True
    )
    assert f"{bob} (who assesses HSC331) has been told too." in _text(response)
