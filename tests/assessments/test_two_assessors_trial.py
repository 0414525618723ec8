"""Holistic evidence (mapped to the units of two assessors) as an outside trial found it: the other
assessor's page still said a referral stood after the candidate had submitted the evidence again; the
candidate's accepted evidence said it could be referred back, which it cannot; a draft mapped to both
units said "your assessor"; and the other assessor's notice wrote "Alice Adams's" with a straight
apostrophe.

Alice is on HSC331 (Bob Baker assesses it) and H3 25, here moved to Erin Evans (tests/cast.py)."""

import datetime

import pytest
from django.urls import reverse

from assessments.services import judging
from portfolio import services
from portfolio.models import AssessmentMethod, Notification
from portfolio.notification_kinds import NotificationKind
from tests.assessments.judging_people import draft, fresh, last_week, submitted
from tests.factories import put_on_case
from tests.portfolio.test_no_open_unit import _text

pytestmark = pytest.mark.django_db

ACCEPTED = dict.fromkeys(judging.VACS, True)
STALE = "Once the candidate changes it and submits it again, it is back in your queue."


@pytest.fixture
def holistic(alice, erin, hsc331, h3_25):
    """Waiting, mapped to Bob's HSC331 and Erin's H3 25."""
    put_on_case(h3_25.pk, assessor=erin)
    return submitted(alice, hsc331, title="A holistic account", criteria=("HSC331a.2", "H3 25.6"))


def page_of(client, person, evidence) -> str:
    client.force_login(person)
    return _text(client.get(reverse("assessments:evidence_detail", args=[evidence.pk])))


def test_the_other_assessors_referral_note_goes_once_the_candidate_submits_it_again(
    client, alice, bob, erin, holistic
):
    judging.evidence_refer_back(evidence=holistic, assessor=erin, feedback="Name the visit.")
    page = page_of(client, bob, holistic)
    assert f"Erin Evans referred back {holistic.reference}" in page and STALE in page
    services.evidence_update(
        evidence=fresh(holistic),
        editor=alice,
        title="A holistic account",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=last_week(),
        location="Day centre",
        account="I supported Person A to phone their sister.",
    )
    services.evidence_submit(evidence=fresh(holistic), candidate=alice, declared=True)
    assert fresh(holistic).version == 2
    page = page_of(client, bob, holistic)
    assert "Refer back" in page  # back in Bob's queue: his to judge
    assert f"Erin Evans referred back {holistic.reference}" not in page and STALE not in page


def test_accepted_evidence_tells_the_candidate_what_they_can_really_do(client, alice, erin, holistic):
    waiting = page_of(client, alice, holistic)
    assert "You can change it again only if Bob Baker or Erin Evans refers it back to you." in waiting
    judging.evidence_accept(evidence=holistic, assessor=erin, **ACCEPTED)
    page = page_of(client, alice, holistic)
    assert "refers it back to you" not in page
    assert (
        f"{holistic.reference} is accepted: it stays as it is, and can no longer be changed or referred back."
        in page
    )
    assert "write to Bob Baker and Erin Evans below" in page
    assert "Write to Bob Baker and Erin Evans" in page  # the conversation is open to say so


def test_a_draft_mapped_to_both_units_names_both_assessors_who_will_see_it(
    client, alice, erin, hsc331, h3_25
):
    put_on_case(h3_25.pk, assessor=erin)
    item = draft(alice, hsc331, title="Another holistic account", criteria=("HSC331a.3", "H3 25.7"))
    page = page_of(client, alice, item)
    assert "Bob Baker and Erin Evans see it once you submit it." in page
    assert "Your assessor sees it" not in page
    alone = draft(alice, hsc331, title="Supporting a visit", criteria=("HSC331a.1",))
    assert "Your assessor sees it once you submit it." in page_of(client, alice, alone)


def test_the_other_assessors_notice_uses_the_products_apostrophe(bob, erin, holistic):
    judging.evidence_accept(evidence=holistic, assessor=erin, **ACCEPTED)
    notice = Notification.objects.get(recipient=bob, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE)
    assert f"Alice Adams’s {holistic.reference}" in notice.message
    assert "HSC331’s criteria" in notice.message and "HSC331’s scope" in notice.message
    assert "'" not in notice.message


def _resubmitted(alice, evidence):
    """The candidate changes the referred evidence and submits it again: version 2."""
    services.evidence_update(
        evidence=fresh(evidence),
        editor=alice,
        title=evidence.title,
        method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=last_week(),
        location="Day centre",
        account="I supported Person A to phone their sister.",
    )
    return services.evidence_submit(evidence=fresh(evidence), candidate=alice, declared=True)


def test_the_other_assessor_told_of_an_acceptance_is_reminded_of_their_referral_of_an_earlier_version(
    client, alice, bob, erin, hsc331, holistic
):
    referral = judging.evidence_refer_back(evidence=holistic, assessor=bob, feedback="Say who you phoned.")
    # Bob referred version 1 on 3 December 2026, 10:15 in London.
    referral.judged_at = datetime.datetime(2026, 12, 3, 10, 15, tzinfo=datetime.UTC)
    referral.save(update_fields=["judged_at"])
    assert _resubmitted(alice, holistic).version == 2
    judging.evidence_accept(evidence=fresh(holistic), assessor=erin, **ACCEPTED)
    notice = Notification.objects.get(recipient=bob, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE)
    reminder = (
        "You referred version 1 back on 3 December 2026; the acceptance of version 2, submitted since, stands, "
        "so it is not back in your queue."
    )
    assert notice.message == (
        f"Erin Evans accepted version 2 of Alice Adams’s {holistic.reference} “A holistic account”. {reminder} "
        "Which of HSC331’s items and scope it covers is yours to record."
    )
    assert notice.link == reverse("assessments:decisions", args=[hsc331.pk])
    page = page_of(client, bob, holistic)
    assert (
        f"Erin Evans accepted version 2 of {holistic.reference} (they assess another unit it is mapped to)."
        in page
    )
    assert reminder in page
    assert "Refer back" not in page  # true: nothing for Bob to judge
    # Erin referred nothing: her page and notices carry no reminder.
    assert "You referred" not in page_of(client, erin, holistic)


def test_without_a_referral_of_their_own_the_other_assessor_is_not_told_they_referred_it(
    client, alice, bob, erin, holistic
):
    # Erin herself referred version 1, then accepted version 2: Bob referred nothing.
    judging.evidence_refer_back(evidence=holistic, assessor=erin, feedback="Name the visit.")
    _resubmitted(alice, holistic)
    judging.evidence_accept(evidence=fresh(holistic), assessor=erin, **ACCEPTED)
    accepted = Notification.objects.filter(
        recipient=bob, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE
    ).latest("pk")
    assert accepted.message.startswith(f"Erin Evans accepted Alice Adams’s {holistic.reference}")
    assert "You referred" not in accepted.message and "version" not in accepted.message
    page = page_of(client, bob, holistic)
    assert f"Erin Evans accepted {holistic.reference} (they assess another unit it is mapped to)." in page
    assert "You referred" not in page


def test_a_long_title_is_cut_so_the_reminder_and_what_is_left_fit_the_notice(alice, bob, erin, hsc331, h3_25):
    put_on_case(h3_25.pk, assessor=erin)
    title = "Supporting Person A to keep in touch with their sister, brother and old friends from the choir"
    item = submitted(alice, hsc331, title=title, criteria=("HSC331a.2", "H3 25.6"))
    judging.evidence_refer_back(evidence=item, assessor=bob, feedback="Say who you phoned.")
    _resubmitted(alice, item)
    judging.evidence_accept(evidence=fresh(item), assessor=erin, **ACCEPTED)
    notice = Notification.objects.get(recipient=bob, kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE)
    assert "“Supporting Person A to keep in touch…”" in notice.message
    assert "You referred version 1 back on" in notice.message
    assert notice.message.endswith("Which of HSC331’s items and scope it covers is yours to record.")
