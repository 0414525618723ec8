"""The assessor's home page and queue: evidence waiting, oldest first, with how long it has waited;
filters by candidate and unit; the IQA's referrals; a fixed number of queries however long the queue.

People as in tests/assessments/judging_people.py: Alice is the candidate, Bob her assessor, Carol
her IQA; Dave is another candidate, Erin his assessor.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import QualityReview
from portfolio.models import EvidenceState
from standards.models import Criterion, KnowledgeItem
from tests.factories import EvidenceFactory, enrol

# The whole cast is present in every test, as it was when these tests began: what a stranger must
# not see exists to be hidden.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("people")]


def waiting(candidate, centre, *, title, days, criteria=("HSC331a.1",), knowledge=()):
    evidence = EvidenceFactory(
        candidate=candidate, centre=centre, title=title, state=EvidenceState.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(days=days, hours=2),
    )
    evidence.criteria.set(Criterion.objects.filter(reference__in=criteria))
    evidence.knowledge_items.set(KnowledgeItem.objects.filter(reference__in=knowledge))
    return evidence


def page_of(client, person, url) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queue_rows(page: str) -> list[str]:
    """The titles in the queue table, in the order shown."""
    table = page[page.index("Evidence waiting for your judgement, the longest waiting first"):]
    table = table[: table.index("</table>")]
    return [title.strip() for title in re.findall(r'<span class="ref">E\d+</span>([^<]+)</a>', table)]


@pytest.fixture
def bobs_queue(alice, bob, carol, dave, centre, hsc331, h3_25):
    """Alice's and Dave's evidence waiting for Bob (Dave is on H3 25 with Bob), and one of Dave's
    that waits for Erin."""
    enrol(dave, "H3 25", assessor=bob, iqa=carol, centre=centre)
    return {
        "newest": waiting(alice, centre, title="Newest from Alice", days=0),
        "oldest": waiting(alice, centre, title="Oldest from Alice", days=3),
        "daves": waiting(dave, centre, title="Dave on boundaries", days=1, criteria=("H3 25.1",)),
        "boundaries": waiting(alice, centre, title="Alice on boundaries", days=2, criteria=("H3 25.2",)),
    }


def test_it_shows_the_assessor_the_evidence_waiting_oldest_first_with_how_long(client, bob, bobs_queue):
    page = page_of(client, bob, reverse("home"))

    assert queue_rows(page) == ["Oldest from Alice", "Alice on boundaries", "Dave on boundaries", "Newest from Alice"]
    assert '<td class="text-nowrap" data-label="Waiting">3\xa0days</td>' in page
    assert '<td class="text-nowrap" data-label="Waiting">2\xa0hours</td>' in page
    oldest = bobs_queue["oldest"]
    assert f'href="{reverse("assessments:evidence_detail", args=[oldest.pk])}#judge">Judge' in page
    assert "4 pieces of evidence waiting for your assessment" in page


def test_it_names_the_units_each_waiting_item_is_mapped_to(client, bob, alice, centre, hsc331, h3_25):
    waiting(alice, centre, title="Holistic", days=1, criteria=("HSC331a.1", "H3 25.3"))

    page = page_of(client, bob, reverse("home"))

    assert '<span class="ref">H3 25</span>, <span class="ref">HSC331</span>' in page


def test_it_filters_the_home_queue_by_candidate(client, bob, dave, bobs_queue):
    page = page_of(client, bob, reverse("home") + f"?candidate={dave.pk}")

    assert queue_rows(page) == ["Dave on boundaries"]
    assert f'<option value="{dave.pk}" selected>Dave Davies</option>' in page


def test_it_filters_the_home_queue_by_unit(client, bob, hsc331, bobs_queue):
    page = page_of(client, bob, reverse("home") + f"?unit={hsc331.unit_id}")

    assert queue_rows(page) == ["Oldest from Alice", "Newest from Alice"]


def test_it_filters_by_candidate_and_unit_together(client, bob, alice, h3_25, bobs_queue):
    page = page_of(client, bob, reverse("assessments:queue") + f"?candidate={alice.pk}&unit={h3_25.unit_id}")

    assert queue_rows(page) == ["Alice on boundaries"]


def test_it_ignores_a_filter_for_a_candidate_the_assessor_does_not_assess(client, bob, erin, people, daves_unit, centre):
    # Dave is Erin's candidate only here: naming him shows Bob nothing of his.
    waiting(people["dave"], centre, title="Dave for Erin", days=1)

    page = page_of(client, bob, reverse("assessments:queue") + f"?candidate={people['dave'].pk}")

    assert "Dave for Erin" not in page
    assert "Dave Davies" not in page


def test_the_queue_shows_only_the_assessors_own_candidates(client, erin, daves_unit, people, centre, hsc331):
    waiting(people["alice"], centre, title="For Bob", days=1)
    waiting(people["dave"], centre, title="For Erin", days=1)

    page = page_of(client, erin, reverse("assessments:queue"))

    assert queue_rows(page) == ["For Erin"]


def test_the_queue_leaves_out_evidence_not_waiting(client, bob, alice, centre, hsc331):
    for state in (EvidenceState.DRAFT, EvidenceState.ACCEPTED, EvidenceState.REFERRED):
        EvidenceFactory(candidate=alice, centre=centre, state=state, title=f"Evidence {state}")

    page = page_of(client, bob, reverse("assessments:queue"))

    assert "Nothing is waiting for your judgement." in page


def test_the_queue_page_is_split_into_pages_oldest_first(client, bob, alice, centre, hsc331):
    for n in range(27):
        waiting(alice, centre, title=f"Item {n:02d}", days=30 - n)

    first = page_of(client, bob, reverse("assessments:queue"))
    second = page_of(client, bob, reverse("assessments:queue") + "?page=2")

    assert queue_rows(first)[:2] == ["Item 00", "Item 01"]
    assert len(queue_rows(first)) == 25
    assert queue_rows(second) == ["Item 25", "Item 26"]
    assert "Page 1 of 2" in first
    assert "27 pieces of evidence waiting" in first


def test_the_home_page_shows_the_ten_waiting_longest_and_links_to_the_whole_queue(client, bob, alice, centre, hsc331):
    for n in range(12):
        waiting(alice, centre, title=f"Item {n:02d}", days=30 - n)

    page = page_of(client, bob, reverse("home"))

    assert queue_rows(page) == [f"Item {n:02d}" for n in range(10)]
    assert f'href="{reverse("assessments:queue")}">See the whole queue (12)</a>' in page


# Referrals from the IQA


def review(enrolment, *, outcome=QualityReview.Outcome.REFERRED, actions="Cite the observation for HSC331a.3.",
           done=False):
    now = timezone.now()
    return QualityReview.objects.create(
        enrolment=enrolment, iqa=enrolment.iqa, stage=QualityReview.Stage.INTERIM, outcome=outcome,
        sampled_at=now, reviewed_at=now, actions=actions if outcome == QualityReview.Outcome.REFERRED else "",
        actions_done_at=now if done else None,
    )


def test_it_shows_the_assessor_what_their_iqa_referred_back_with_the_actions(client, bob, hsc331):
    review(hsc331)

    page = page_of(client, bob, reverse("home"))

    assert "Referred back to you by your IQA" in page
    assert "Cite the observation for HSC331a.3." in page
    assert f'href="{reverse("assessments:enrolment_detail", args=[hsc331.pk])}"' in page
    assert "Interim (decisions before sign-off) review by Carol Clark" in page


def test_it_leaves_out_referrals_done_countersignatures_and_other_assessors_referrals(
    client, bob, hsc331, h3_25, daves_unit
):
    review(hsc331, done=True, actions="Already done.")
    review(h3_25, outcome=QualityReview.Outcome.COUNTERSIGNED)
    review(daves_unit, actions="For Erin only.")

    page = page_of(client, bob, reverse("home"))

    assert "Referred back to you by your IQA" not in page
    assert "Already done." not in page
    assert "For Erin only." not in page


def test_a_candidate_sees_no_queue(client, alice, hsc331, bobs_queue):
    page = page_of(client, alice, reverse("home"))

    assert "Evidence waiting for you" not in page
    assert "Evidence to judge" not in page


def test_the_menu_gives_an_assessor_the_queue(client, bob, hsc331):
    page = page_of(client, bob, reverse("assessments:queue"))

    assert f'<a class="nav-link active" aria-current="page" href="{reverse("assessments:queue")}">Evidence to judge</a>' in page


# A deactivated candidate's evidence waits for no one: left out of the tile and the queue, counted apart.


def test_a_deactivated_candidates_evidence_is_left_out_of_the_queue_and_counted_apart(client, bob, dave, grace,
                                                                                      centre, bobs_queue):
    from portfolio.services_people import membership_deactivate

    membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left the centre.")

    home = page_of(client, bob, reverse("home"))
    assert queue_rows(home) == ["Oldest from Alice", "Alice on boundaries", "Newest from Alice"]
    assert "3 pieces of evidence waiting for your assessment" in home
    note = "Not counted here: 1 piece of evidence of deactivated candidates. Their records are kept."
    assert note in home
    queue = page_of(client, bob, reverse("assessments:queue"))
    assert queue_rows(queue) == ["Oldest from Alice", "Alice on boundaries", "Newest from Alice"]
    assert "3 pieces of evidence waiting." in queue
    assert note in queue


def test_nothing_is_said_of_deactivated_candidates_evidence_when_there_is_none(client, bob, bobs_queue):
    assert "Not counted here" not in page_of(client, bob, reverse("home"))
    assert "Not counted here" not in page_of(client, bob, reverse("assessments:queue"))


# Query counts: the same for a short queue and a long one.


def queries_for(client, person, url) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["home", "assessments:queue"])
def test_the_assessors_pages_cost_the_same_for_one_waiting_item_or_twelve(
    client, bob, alice, dave, carol, centre, hsc331, url_name
):
    waiting(alice, centre, title="First", days=5, criteria=("HSC331a.1",), knowledge=("HSC331 K1",))
    review(hsc331)
    with_one = queries_for(client, bob, reverse(url_name))

    enrol(dave, "H3 25", assessor=bob, iqa=carol, centre=centre)
    for n in range(11):
        waiting(dave if n % 2 else alice, centre, title=f"Item {n}", days=n, criteria=("HSC331a.2", "H3 25.1"),
                knowledge=("HSC331 K2",))
    review(hsc331, actions="Another action.")
    with_twelve = queries_for(client, bob, reverse(url_name))

    assert with_twelve == with_one, (with_one, with_twelve)
