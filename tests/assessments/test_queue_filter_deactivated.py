"""The assessor's candidate filter leaves out a deactivated candidate (issue 16, an outside trial's
finding): the queue, the home page's queue and the candidates' units page share it, and all three
still offered them, though nothing of theirs waits for anyone. An address naming one is answered in
words, with everyone's shown, never an error or a list that looks filtered and is empty."""

import re

import pytest
from django.urls import reverse

from portfolio.models import Person
from portfolio.services_people import membership_deactivate
from tests.assessments.test_assessor_home import bobs_queue, page_of  # noqa: F401 (bobs_queue: a fixture)

pytestmark = pytest.mark.django_db

FILTERS = {"assessments:queue": "queue-candidate", "home": "home-queue-candidate",
           "assessments:candidate_units": "units-candidate"}


def offered(page: str, select_id: str) -> list[str]:
    select = page[page.index(f'id="{select_id}"') :]
    select = select[: select.index("</select>")]
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


@pytest.fixture
def dave_deactivated(centre, grace, dave, bobs_queue):  # noqa: F811
    membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left the centre.")
    return dave


@pytest.mark.parametrize("url_name", FILTERS)
def test_a_deactivated_candidate_is_not_offered(client, bob, dave, grace, centre, bobs_queue, url_name):  # noqa: F811
    before = page_of(client, bob, reverse(url_name))
    assert offered(before, FILTERS[url_name]) == ["Alice Adams", "Dave Davies"]

    membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left the centre.")

    assert offered(page_of(client, bob, reverse(url_name)), FILTERS[url_name]) == ["Alice Adams"]


@pytest.mark.parametrize("url_name", FILTERS)
def test_an_address_naming_a_deactivated_candidate_is_answered_in_words(client, bob, dave_deactivated, url_name):
    page = page_of(client, bob, reverse(url_name) + f"?candidate={dave_deactivated.pk}")

    assert ("Dave Davies is deactivated at the centre, so is not among your candidates to choose; their records "
            "are kept. Showing all your candidates.") in page
    assert " selected>" not in page[page.index(f'id="{FILTERS[url_name]}"') :].split("</select>")[0]
    assert "Alice Adams" in page[page.index("</select>") :]


def test_a_candidate_still_here_is_filtered_to_without_a_word_of_deactivation(client, bob, alice, bobs_queue):  # noqa: F811
    page = page_of(client, bob, reverse("assessments:queue") + f"?candidate={alice.pk}")

    assert "is deactivated" not in page
    assert f'<option value="{alice.pk}" selected>Alice Adams</option>' in page


def test_the_candidates_units_page_leaves_a_deactivated_candidates_units_out_and_counts_them_apart(
    client, bob, dave_deactivated
):
    page = page_of(client, bob, reverse("assessments:candidate_units"))

    table = page[page.index("</form>") :]
    assert "Dave Davies" not in table
    assert "Alice Adams" in table
    assert "2 units." in table
    # The figure links to the list of those units (tests/assessments/test_deactivated_units_linked.py).
    assert "Not counted here: 1 unit of deactivated candidates. Their records are kept." in re.sub(r"</?a\b[^>]*>", "", table)


@pytest.mark.parametrize("url_name", FILTERS)
def test_an_unknown_or_anothers_candidate_id_is_answered_in_words_naming_nobody(client, bob, alice, bobs_queue, url_name):  # noqa: F811
    stranger = Person.objects.create(email="stranger@example.org", first_name="Sam", last_name="Stranger")
    for asked in (stranger.pk, stranger.pk + 1000):
        page = page_of(client, bob, reverse(url_name) + f"?candidate={asked}")
        assert "That candidate is not one of yours; showing all your candidates." in page
        assert "Stranger" not in page and "stranger@" not in page
        assert "Alice Adams" in page[page.index("</select>") :]
    # Bob's own candidate, or none asked for: no such words.
    for query in (f"?candidate={alice.pk}", ""):
        assert "not one of yours" not in page_of(client, bob, reverse(url_name) + query)


def test_with_every_candidate_deactivated_the_empty_list_says_so_and_where_their_signed_off_units_count(client):
    """Outside trial: the list said "0 units … No candidate has been assigned to you yet" while the
    home said every candidate had been deactivated."""
    from portfolio.services_people import membership_deactivate
    from tests.assessments.quality_records import sign_off
    from tests.assessments.unit_case import build_case

    case = build_case()
    sign_off(case.hsc331)
    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace, reason="Left the course.")
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_of(client, case.bob, reverse("assessments:candidate_units"))))

    assert "No candidate has been assigned to you yet" not in page
    assert ("Every candidate assigned to you has been deactivated at their centre, so none of their 2 units is work "
            "for you here; their records are kept. 1 of their units is signed off: the centre’s reports count it as "
            "signed off.") in page
    # Said once (an outside trial: a "Not counted here" line above it said it again).
    assert "Not counted here" not in page and page.count("deactivated") == 1


def test_an_empty_list_says_each_reason_truly_once_deactivated_or_withdrawn(client):
    """Outside trial: with one candidate deactivated and another's unit withdrawn, the empty list said
    "Every candidate assigned to you has been deactivated", and said the deactivated one twice."""
    from django.utils import timezone

    from portfolio.models import Role
    from portfolio.services_enrolments import enrolment_withdraw
    from tests.assessments.unit_case import build_case
    from tests.factories import enrol, member

    case = build_case()  # Dave's HSC331 is Erin's
    fay = member(case.centre, Role.CANDIDATE, first_name="Fay", last_name="Fox", email="fay@example.org")
    enrolment_withdraw(enrolment=enrol(fay, "H3 25", assessor=case.erin, iqa=case.carol, centre=case.centre),
                       effective_date=timezone.localdate(),
                       reason="Left the job.", changed_by=case.grace)
    membership_deactivate(centre=case.centre, person=case.dave, deactivated_by=case.grace, reason="Left the course.")
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_of(client, case.erin, reverse("assessments:candidate_units"))))

    assert ("None of your candidates’ units is work for you here: 1 unit of deactivated candidates and 1 unit "
            "withdrawn or transferred. Their records are kept.") in page
    assert "Every candidate assigned to you has been deactivated" not in page
    assert "Not counted here" not in page and page.count("deactivated") == 1
