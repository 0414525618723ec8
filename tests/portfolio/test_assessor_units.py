"""The assessor's candidates' units: the home page lists the few nearest their target date and links
to the full list, which is paginated and narrowed by candidate, unit, past target or evidence
waiting, each row with the candidate's progress."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import EvidenceState, Role
from portfolio.views.home import ASSESSOR_UNITS_SHOWN
from standards.models import Criterion, KnowledgeItem
from tests.factories import EvidenceFactory, enrol, member

pytestmark = pytest.mark.django_db

LIST = reverse("assessments:candidate_units")


def candidates_on(centre, assessor, iqa, count: int, *, first_due_in_days: int = 10) -> list:
    """`count` candidates on HSC331, the first due soonest, each a day after the one before."""
    enrolments = []
    for n in range(count):
        candidate = member(centre, Role.CANDIDATE, first_name=f"Cand{n:02d}", last_name="Lee")
        enrolment = enrol(candidate, "HSC331", assessor=assessor, iqa=iqa, centre=centre)
        enrolment.target_date = timezone.localdate() + datetime.timedelta(days=first_due_in_days + n)
        enrolment.save()
        enrolments.append(enrolment)
    return enrolments


def names_listed(page: str) -> list[str]:
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    return re.findall(r">(Cand\d\d Lee|Alice Adams)</a>", table)


def page_of(client, person, url) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_lists_the_units_nearest_their_target_date_and_links_to_all(
    client, bob, carol, centre
):
    candidates_on(centre, bob, carol, ASSESSOR_UNITS_SHOWN + 3)

    page = page_of(client, bob, reverse("home"))

    assert names_listed(page) == [f"Cand{n:02d} Lee" for n in range(ASSESSOR_UNITS_SHOWN)]
    assert f'<a href="{LIST}">See all your candidates’ units ({ASSESSOR_UNITS_SHOWN + 3})</a>' in page
    assert f"These are the {ASSESSOR_UNITS_SHOWN} nearest their target date, the most overdue first." in page


def test_the_home_page_counts_the_units_past_their_target_date_and_links_to_them(
    client, bob, carol, centre
):
    late, _ = candidates_on(centre, bob, carol, 2)
    late.start_date = timezone.localdate() - datetime.timedelta(days=400)
    late.target_date = timezone.localdate() - datetime.timedelta(days=3)
    late.save()

    page = page_of(client, bob, reverse("home"))

    assert f'<a href="{LIST}?show=past_target">1 overdue</a>' in page
    assert "Past target</span>" in page


def test_the_full_list_shows_every_unit_a_page_at_a_time_with_progress(client, bob, carol, centre):
    first, *_ = candidates_on(centre, bob, carol, 27)
    evidence = EvidenceFactory(candidate=first.candidate, centre=centre, state=EvidenceState.SUBMITTED)
    evidence.criteria.set(Criterion.objects.filter(reference__in=["HSC331a.1", "HSC331a.2"]))
    evidence.knowledge_items.set(KnowledgeItem.objects.filter(reference="HSC331 K1"))

    page = page_of(client, bob, LIST)

    assert "27 units." in page
    assert names_listed(page) == [f"Cand{n:02d} Lee" for n in range(25)]
    criteria = Criterion.objects.filter(unit__code="HSC331").count()
    knowledge = KnowledgeItem.objects.filter(unit__code="HSC331").count()
    assert f'<td data-label="Criteria with evidence">2 of {criteria}</td>' in page
    assert f'<td data-label="Knowledge with evidence">1 of {knowledge}</td>' in page
    assert "Page 1 of 2" in page
    assert 'href="?page=2"' in page

    second = page_of(client, bob, LIST + "?page=2")

    assert names_listed(second) == ["Cand25 Lee", "Cand26 Lee"]


def test_the_full_list_narrows_to_units_with_evidence_waiting(client, bob, carol, centre):
    enrolments = candidates_on(centre, bob, carol, 3)
    waiting = EvidenceFactory(candidate=enrolments[1].candidate, centre=centre, state=EvidenceState.SUBMITTED)
    waiting.criteria.set(Criterion.objects.filter(reference="HSC331a.1"))
    EvidenceFactory(candidate=enrolments[2].candidate, centre=centre, state=EvidenceState.DRAFT)

    page = page_of(client, bob, LIST + "?show=waiting")

    assert names_listed(page) == ["Cand01 Lee"]
    assert "1 waiting</a>" in page
    assert "1 unit matching the filter." in page


def _waiting_on_each_row(page: str) -> dict[str, str]:
    """Each row's unit code and what its Evidence waiting cell says."""
    table = page[page.index("Your candidates’ units"):]
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    rows = body.split("<tr>")[1:]
    return {
        re.search(r'<span class="ref">([^<]+)</span>', row).group(1):
        re.search(r"(\d+ waiting|None)</(?:a|span)></td>\s*</tr>", row).group(1)
        for row in rows
    }


def _submitted_to(candidate, centre, references: list[str], knowledge: tuple[str, ...] = ()) -> None:
    evidence = EvidenceFactory(candidate=candidate, centre=centre, state=EvidenceState.SUBMITTED)
    evidence.criteria.set(Criterion.objects.filter(reference__in=references))
    evidence.knowledge_items.set(KnowledgeItem.objects.filter(reference__in=knowledge))


def test_each_unit_counts_the_evidence_waiting_that_is_mapped_to_it(client, alice, bob, carol, centre):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    _submitted_to(alice, centre, ["HSC331a.1"])
    _submitted_to(alice, centre, [], knowledge=("HSC331 K1",))
    _submitted_to(alice, centre, ["H3 25.1"])
    EvidenceFactory(candidate=alice, centre=centre, state=EvidenceState.ACCEPTED).criteria.set(
        Criterion.objects.filter(reference="H3 25.2")
    )

    home = page_of(client, bob, reverse("home"))
    assert _waiting_on_each_row(home) == {"HSC331": "2 waiting", "H3 25": "1 waiting"}
    assert _waiting_on_each_row(page_of(client, bob, LIST)) == {"HSC331": "2 waiting", "H3 25": "1 waiting"}
    unit = Criterion.objects.get(reference="HSC331a.1").unit_id
    assert f'href="{reverse("assessments:queue")}?candidate={alice.pk}&amp;unit={unit}"' in home


def test_evidence_mapped_to_two_units_counts_on_each_and_an_unmapped_unit_shows_none(client, alice, bob, carol, centre):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    _submitted_to(alice, centre, ["HSC331a.1", "HSC331a.2", "H3 25.1"])

    assert _waiting_on_each_row(page_of(client, bob, reverse("home"))) == {"HSC331": "1 waiting", "H3 25": "1 waiting"}
    _submitted_to(alice, centre, ["HSC331b.1"])
    only_hsc = page_of(client, bob, LIST + "?show=waiting")
    assert _waiting_on_each_row(only_hsc) == {"HSC331": "2 waiting", "H3 25": "1 waiting"}


def test_a_unit_with_only_another_units_evidence_waiting_is_not_listed_as_waiting(client, alice, bob, carol, centre):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    _submitted_to(alice, centre, ["H3 25.1"])

    page = page_of(client, bob, LIST + "?show=waiting")
    assert _waiting_on_each_row(page) == {"H3 25": "1 waiting"}
    assert "1 unit matching the filter." in page


def test_the_full_list_narrows_to_one_candidate_or_unit_and_keeps_the_filter_across_pages(
    client, bob, carol, centre, alice
):
    candidates_on(centre, bob, carol, 26)
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)

    only_alice = page_of(client, bob, f"{LIST}?candidate={alice.pk}")
    on_hsc331 = page_of(client, bob, f"{LIST}?unit={Criterion.objects.get(reference='HSC331a.1').unit_id}")

    assert names_listed(only_alice) == ["Alice Adams"]
    assert "Alice Adams" not in names_listed(on_hsc331)
    assert "26 units matching the filter." in on_hsc331
    assert "unit=" in re.search(r'href="(\?[^"]*page=2[^"]*)"', on_hsc331).group(1)


def test_the_full_list_shows_no_one_elses_candidates(client, bob, carol, centre, hsc331):
    erin = member(centre, Role.ASSESSOR, first_name="Erin", last_name="Evans")
    dave = member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean")
    enrol(dave, "HSC331", assessor=erin, iqa=carol, centre=centre)

    page = page_of(client, bob, LIST)

    assert "Alice Adams" in page
    assert "Dave Dean" not in page


def test_the_full_list_is_only_for_assessors(client, alice, hsc331):
    client.force_login(alice)

    assert client.get(LIST).status_code == 404
