"""What the candidate reads of their assessors where evidence bears on the units of two (an outside
trial: "your assessor" on the evidence page, in its conversation and above a referral's feedback,
where either of two judges it, and an acceptance notice naming only the judge's unit's items).
With one assessor the words stay "your assessor".

Alice is on HSC331 (Bob Baker assesses it) and H3 25, here moved to Erin Evans (tests/cast.py)."""

import pytest
from django.urls import reverse

from assessments.services import judging
from portfolio.models import Notification
from portfolio.notification_kinds import NotificationKind
from standards.models import Criterion
from tests.assessments.judging_people import draft, submitted
from tests.factories import put_on_case
from tests.portfolio.test_no_open_unit import _text

pytestmark = pytest.mark.django_db

ACCEPTED = dict.fromkeys(judging.VACS, True)


@pytest.fixture
def split(alice, erin, hsc331, h3_25):
    """Alice's H3 25 assessed by Erin; one item waiting on HSC331 alone, one on both units."""
    put_on_case(h3_25.pk, assessor=erin)
    return {
        "hsc": submitted(alice, hsc331, title="Supporting a visit", criteria=("HSC331a.1",)),
        "both": submitted(alice, hsc331, title="A holistic account", criteria=("HSC331a.2", "H3 25.6")),
    }


def page_of(client, person, evidence) -> str:
    client.force_login(person)
    return _text(client.get(reverse("assessments:evidence_detail", args=[evidence.pk])))


def test_a_referral_of_holistic_evidence_names_who_referred_it_and_both_assessors_in_its_conversation(
    client, alice, bob, split
):
    item = split["both"]
    judging.evidence_refer_back(evidence=item, assessor=bob, feedback="Name the visit.")
    page = page_of(client, alice, item)
    assert f"Bob Baker referred {item.reference} back to you" in page
    assert "Change the evidence as Bob Baker asks, then submit it again." in page
    assert f"Between you and your assessors, Bob Baker and Erin Evans about {item.reference}." in page
    assert "Write to Bob Baker and Erin Evans" in page
    assert "Your assessor referred" not in page and "as your assessor asks" not in page
    change = _text(client.get(reverse("portfolio:evidence_edit", args=[item.pk])))
    assert "What Bob Baker asked you to change" in change and "What your assessor asked" not in change


def test_with_one_assessor_the_words_stay_your_assessor(client, alice, bob, split):
    item = split["hsc"]
    judging.evidence_refer_back(evidence=item, assessor=bob, feedback="Name the visit.")
    page = page_of(client, alice, item)
    assert f"Your assessor referred {item.reference} back to you" in page
    assert f"Between you and your assessor about {item.reference}." in page
    assert "Write to your assessor" in page and "Erin Evans" not in page
    change = _text(client.get(reverse("portfolio:evidence_edit", args=[item.pk])))
    assert "What your assessor asked you to change" in change


def test_waiting_holistic_evidence_says_which_assessors_it_waits_for(client, alice, erin, split):
    item = split["both"]
    page = page_of(client, alice, item)
    assert "Waiting for Bob Baker or Erin Evans since" in page
    assert "You can change it again only if Bob Baker or Erin Evans refers it back to you." in page
    assert "Waiting for the assessor since" in page_of(client, alice, split["hsc"])
    # Its assessors read whose conversation it is in the same names.
    assert f"Between Alice Adams and their assessors, Bob Baker and Erin Evans about {item.reference}." in (
        page_of(client, erin, item)
    )


def test_a_draft_mapped_to_both_units_names_both_assessors_to_write_to_once_submitted(
    client, alice, hsc331, split
):
    item = draft(alice, hsc331, title="Another holistic account", criteria=("HSC331a.3", "H3 25.7"))
    page = page_of(client, alice, item)
    assert (
        f"Once you submit {item.reference}, you and your assessors, Bob Baker and Erin Evans, can write to each "
        "other about it here." in page
    )


def test_the_acceptance_notice_and_page_say_the_other_assessor_decides_their_units_items(
    client, alice, erin, split
):
    item = split["both"]
    judging.evidence_accept(
        evidence=item, assessor=erin, proves=[Criterion.objects.get(reference="H3 25.6")], **ACCEPTED
    )
    notice = Notification.objects.get(recipient=alice, kind=NotificationKind.EVIDENCE_ACCEPTED)
    assert notice.message == (
        f"Erin Evans accepted {item.reference} (H3 25, HSC331) “A holistic account” and recorded 1 item as met by "
        f"it: H3 25.6. Bob Baker assesses HSC331 and decides which of its criteria and knowledge items "
        f"{item.reference} proves."
    )
    page = page_of(client, alice, item)
    assert (
        f"Bob Baker assesses HSC331 and decides which of its criteria and knowledge items {item.reference} proves."
        in page
    )


def test_an_acceptance_of_one_assessors_evidence_names_nobody_else(client, alice, bob, split):
    item = split["hsc"]
    judging.evidence_accept(evidence=item, assessor=bob, **ACCEPTED)
    notice = Notification.objects.get(recipient=alice, kind=NotificationKind.EVIDENCE_ACCEPTED)
    assert notice.message == f"Bob Baker accepted {item.reference} (HSC331) “Supporting a visit”."
    assert "decides which of" not in page_of(client, alice, item)
