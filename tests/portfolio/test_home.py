"""The home page: each person sees what their roles need, and nothing of anyone else's."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio.models import EvidenceState, Role
from standards.models import Criterion, KnowledgeItem, Suite, Unit
from tests.factories import EvidenceFactory, enrol, eqa_grant, member

pytestmark = pytest.mark.django_db




def evidence_of(candidate, centre, *, criteria=(), knowledge=(), **fields):
    evidence = EvidenceFactory(candidate=candidate, centre=centre, **fields)
    evidence.criteria.set(Criterion.objects.filter(reference__in=criteria))
    evidence.knowledge_items.set(KnowledgeItem.objects.filter(reference__in=knowledge))
    return evidence


def totals(unit_code: str) -> tuple[int, int]:
    """The unit's number of criteria and of knowledge items, as the standards fixture has them."""
    return (
        Criterion.objects.filter(unit__code=unit_code).count(),
        KnowledgeItem.objects.filter(unit__code=unit_code).count(),
    )


def progress_shown(page: str, label: str, enrolment) -> tuple[int, int]:
    """(with evidence, total) as the bar labelled `label` on `enrolment`'s card shows them."""
    card = page[page.index(f'id="unit-card-{enrolment.pk}"'):]
    card = card[: card.index("</article>")]
    found = re.search(rf'<span class="fw-semibold">{label}</span> <span>(\d+) of (\d+) with evidence', card)
    assert found, f"no {label} progress for {enrolment}"
    return int(found.group(1)), int(found.group(2))


def home_text(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# The candidate


def test_it_shows_a_candidate_each_unit_with_assessor_iqa_and_target_date(client, alice, hsc331):
    page = home_text(client, alice)

    assert "Your units" in page
    assert "HSC331" in page
    assert "Support individuals to develop and maintain social networks and relationships" in page
    assert "Bob Baker" in page
    assert "Carol Clark" in page
    assert hsc331.target_date.strftime("%-d %B %Y") in page


def test_it_counts_each_criterion_and_knowledge_item_once_however_much_evidence_covers_it(
    client, alice, hsc331, centre
):
    evidence_of(alice, centre, criteria=["HSC331a.1", "HSC331a.2"], knowledge=["HSC331 K1"], state=EvidenceState.SUBMITTED)
    evidence_of(alice, centre, criteria=["HSC331a.1", "H3 25.1"], state=EvidenceState.ACCEPTED)

    page = home_text(client, alice)

    criteria, knowledge = totals("HSC331")
    assert progress_shown(page, "Performance criteria", hsc331) == (2, criteria)
    assert progress_shown(page, "Knowledge items", hsc331) == (1, knowledge)
    assert f"<span>2 of {criteria} with evidence · 0 met</span>" in page


def test_it_counts_only_the_candidates_own_evidence(client, alice, hsc331, bob, carol, centre):
    dave = member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean")
    enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    evidence_of(dave, centre, criteria=["HSC331a.1"], knowledge=["HSC331 K1"])

    page = home_text(client, alice)

    assert progress_shown(page, "Performance criteria", hsc331)[0] == 0
    assert progress_shown(page, "Knowledge items", hsc331)[0] == 0


def test_it_shows_a_candidate_on_several_units_each_with_its_own_progress(
    client, alice, hsc331, bob, carol, centre
):
    on_h325 = enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    evidence_of(alice, centre, criteria=["H3 25.1", "H3 25.2", "H3 25.3"], state=EvidenceState.SUBMITTED)

    page = home_text(client, alice)

    criteria, knowledge = totals("H3 25")
    assert "Work within appropriate boundaries with customers" in page
    assert progress_shown(page, "Performance criteria", on_h325) == (3, criteria)
    assert progress_shown(page, "Knowledge items", on_h325) == (0, knowledge)
    assert progress_shown(page, "Performance criteria", hsc331) == (0, totals("HSC331")[0])


def test_it_shows_a_candidate_their_latest_evidence_with_its_state_in_words(
    client, alice, hsc331, centre
):
    draft = evidence_of(alice, centre, title="Planning a family visit")
    submitted = evidence_of(
        alice, centre, title="Supporting a friendship group", state=EvidenceState.SUBMITTED
    )

    page = home_text(client, alice)

    assert "Your latest evidence" in page
    assert "Planning a family visit" in page
    assert f'href="{reverse("assessments:evidence_detail", args=[draft.pk])}"' in page
    assert f'href="{reverse("assessments:evidence_detail", args=[submitted.pk])}"' in page
    assert "Draft" in page
    assert "Submitted for assessment" in page
    assert draft.reference in page


def test_it_offers_a_candidate_add_evidence_and_all_my_evidence(client, alice, hsc331):
    page = home_text(client, alice)

    assert f'href="{reverse("portfolio:evidence_create")}">Add evidence</a>' in page
    assert f'href="{reverse("portfolio:evidence_list")}">All my evidence</a>' in page


def test_it_links_each_unit_to_the_candidates_unit_page(client, alice, hsc331):
    unit_page = reverse("assessments:enrolment_detail", args=[hsc331.pk])

    assert f'href="{unit_page}"' in home_text(client, alice)


def test_it_tells_a_candidate_not_yet_on_a_unit_what_happens_next(client, alice):
    page = home_text(client, alice)

    assert "You are not registered on any unit yet" in page
    assert "Add evidence</a>" not in page


def test_it_does_not_show_a_candidate_anyone_elses_evidence(
    client, alice, hsc331, bob, carol, centre
):
    dave = member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean")
    enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    evidence_of(dave, centre, title="Dave's own observation")

    assert "Dave's own observation" not in home_text(client, alice).replace("&#x27;", "'")


# The assessor


def test_it_shows_an_assessor_their_candidates_units_with_target_and_progress(
    client, alice, hsc331, bob, centre
):
    evidence_of(
        alice, centre, criteria=["HSC331a.1"], knowledge=["HSC331 K2", "HSC331 K3"], state=EvidenceState.SUBMITTED
    )

    page = home_text(client, bob)

    assert "Your candidates" in page
    assert "Alice Adams" in page
    assert "HSC331" in page
    assert hsc331.target_date.strftime("%-d %B %Y") in page
    criteria, knowledge = totals("HSC331")
    assert re.search(rf"<td[^>]*>1 of {criteria}</td>", page)
    assert re.search(rf"<td[^>]*>2 of {knowledge}</td>", page)


def test_the_candidate_and_their_assessor_count_the_same_evidence_and_the_candidate_is_told_of_drafts(
    client, people, hsc331, centre
):
    """An outside trial: the candidate's home counted their drafts "with evidence", the assessor's
    table did not. A draft counts for nobody until submitted; the candidate's card says it waits."""
    alice = people["alice"]
    evidence_of(alice, centre, criteria=["HSC331a.1", "HSC331a.2"], state=EvidenceState.DRAFT)
    evidence_of(alice, centre, criteria=["HSC331a.1"], knowledge=["HSC331 K1"], state=EvidenceState.REFERRED)
    criteria, knowledge = totals("HSC331")

    page = home_text(client, people["bob"])
    own = home_text(client, alice)
    unit_page = client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).content.decode()

    # The referred item counts (it was submitted); the draft on nobody's figures, Alice's included.
    assert re.search(rf"<td[^>]*>1 of {criteria}</td>", page) and re.search(rf"<td[^>]*>1 of {knowledge}</td>", page)
    assert progress_shown(own, "Performance criteria", hsc331) == (1, criteria)
    assert progress_shown(own, "Knowledge items", hsc331) == (1, knowledge)
    assert f"1 of {criteria} with evidence · 0 of {criteria} met" in unit_page
    card = own[own.index(f'id="unit-card-{hsc331.pk}"') :]
    assert "1 draft mapped here waits for you to submit it: evidence counts once submitted." in card
    assert "submit your draft when ready" in card[: card.index("</article>")]


def test_the_candidates_card_says_nothing_of_drafts_when_there_are_none(client, alice, hsc331, centre):
    evidence_of(alice, centre, criteria=["HSC331a.1"], state=EvidenceState.SUBMITTED)

    assert "unit-drafts" not in home_text(client, alice)


def test_it_counts_for_an_assessor_only_submitted_evidence_of_their_own_candidates(
    client, alice, hsc331, bob, carol, centre
):
    evidence_of(alice, centre, state=EvidenceState.SUBMITTED)
    evidence_of(alice, centre, state=EvidenceState.SUBMITTED)
    evidence_of(alice, centre, state=EvidenceState.DRAFT)
    evidence_of(alice, centre, state=EvidenceState.ACCEPTED)
    erin = member(centre, Role.ASSESSOR, first_name="Erin", last_name="Evans")
    dave = member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean")
    enrol(dave, "HSC331", assessor=erin, iqa=carol, centre=centre)
    evidence_of(dave, centre, state=EvidenceState.SUBMITTED)

    page = home_text(client, bob)

    assert "2 pieces of evidence waiting for your assessment" in page
    assert "Dave Dean" not in page


def test_it_counts_a_candidates_waiting_evidence_once_when_they_are_on_two_of_the_assessors_units(
    client, alice, hsc331, bob, carol, centre
):
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    evidence_of(alice, centre, state=EvidenceState.SUBMITTED)

    assert "1 piece of evidence waiting for your assessment" in home_text(client, bob)


def test_it_tells_an_assessor_when_nothing_waits(client, bob, hsc331):
    assert "No evidence is waiting for your assessment" in home_text(client, bob)


# The IQA


def test_it_shows_an_iqa_their_assessors_with_their_caseloads(
    client, alice, hsc331, bob, carol, centre
):
    erin = member(centre, Role.ASSESSOR, first_name="Erin", last_name="Evans")
    dave = member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean")
    enrol(dave, "H3 25", assessor=erin, iqa=carol, centre=centre)
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)

    page = " ".join(re.sub(r"<[^>]+>", " ", home_text(client, carol)).split())

    assert "Quality assurance" in page
    # Each assessor with their caseload; the candidates' names are on the sample page, not here.
    assert "Bob Baker 1 candidate · 2 units" in page
    assert "Erin Evans 1 candidate · 1 unit " in page
    assert "Dave Dean" not in page


def test_it_does_not_show_an_iqa_enrolments_they_do_not_quality_assure(
    client, hsc331, centre, bob
):
    other_iqa = member(centre, Role.IQA, first_name="Ian", last_name="Irwin")

    page = home_text(client, other_iqa)

    assert "No enrolment has been given to you to quality-assure yet" in page
    assert "Alice Adams" not in page


# The administrator and the EQA


def test_it_shows_an_administrator_their_centre_with_its_counts(client, grace, hsc331, centre):
    member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean")

    page = home_text(client, grace)

    assert "Your centre" in page
    assert "Riverside Training" in page
    assert f'href="{reverse("assessments:centre_detail", args=[centre.pk])}"' in page
    assert '<dt class="small fw-normal">Candidates</dt><dd class="fs-3 fw-semibold mb-0 order-first">2</dd></div>' in page
    assert '<dt class="small fw-normal">Assessor</dt><dd class="fs-3 fw-semibold mb-0 order-first">1</dd></div>' in page
    assert '<dt class="small fw-normal">IQA</dt><dd class="fs-3 fw-semibold mb-0 order-first">1</dd></div>' in page
    assert '<dt class="small fw-normal">Enrolment</dt><dd class="fs-3 fw-semibold mb-0 order-first">1</dd>' in page


def test_it_shows_an_administrator_only_their_own_centre(client, frank, centre, hsc331):
    page = home_text(client, frank)

    assert "Hillside College" in page
    assert "Riverside Training" not in page


def test_it_links_the_centres_an_eqa_oversees_to_their_portfolios_not_the_administrators_page(
    client, centre, other_centre
):
    eve = member(centre, Role.EQA, first_name="Eve", last_name="Ellis")
    eqa_grant(other_centre, eve)  # EQAs read by the centre's grant, each centre its own

    page = home_text(client, eve)

    assert "Centres you oversee" in page
    assert "Riverside Training" in page
    assert "Hillside College" in page
    assert "read-only" in page or "cannot change them" in page
    assert f'href="{reverse("assessments:centre_detail", args=[centre.pk])}"' not in page
    assert f'href="{reverse("assessments:centre_portfolios", args=[centre.pk])}"' in page
    assert f'href="{reverse("assessments:centre_portfolios", args=[other_centre.pk])}"' in page


def test_it_tells_a_person_without_a_role_that_their_centre_has_not_given_them_one(client, django_user_model):
    newcomer = django_user_model.objects.create_user(
        email="new@example.org", password="correct horse battery", first_name="Nia", last_name="New"
    )

    page = home_text(client, newcomer)

    assert "Your centre has not given you a role yet" in page
    assert "new@example.org" in page


def test_it_shows_each_role_of_a_person_with_several_the_first_role_first(
    client, alice, hsc331, bob, carol, centre
):
    # Bob assesses Alice and is himself a candidate on a unit, assessed by Erin.
    erin = member(centre, Role.ASSESSOR, first_name="Erin", last_name="Evans")
    enrol(bob, "H3 25", assessor=erin, iqa=carol, centre=centre)

    page = home_text(client, bob)

    assert page.index("Your portfolio") < page.index("Your candidates")
    assert "Erin Evans" in page  # his own assessor, in his own unit's card
    assert "Alice Adams" in page  # his candidate
    assert page.count("<h1") == 1


# The menu


def test_it_gives_a_candidate_my_evidence_in_the_menu_and_marks_home_as_the_current_page(
    client, alice, hsc331
):
    page = home_text(client, alice)

    assert f'<a class="nav-link" href="{reverse("portfolio:evidence_list")}">My evidence</a>' in page
    assert f'<a class="nav-link active" aria-current="page" href="{reverse("home")}">Home</a>' in page
    assert ">Change password</a>" in page
    assert ">Centre</a>" not in page


def test_it_gives_an_administrator_the_centre_in_the_menu(client, grace, centre):
    page = home_text(client, grace)

    assert f'href="{reverse("assessments:centre_detail", args=[centre.pk])}">Centre</a>' in page
    assert ">My evidence</a>" not in page


# Query counts: the page costs the same however many units it lists.


def _extra_units(count: int) -> list[Unit]:
    suite = Suite.objects.all()[0]
    units = []
    for n in range(1, count + 1):
        unit = Unit.objects.create(suite=suite, code=f"TEST{n}", slug=f"test{n}", title=f"Test unit {n}")
        for position in (1, 2):
            Criterion.objects.create(
                unit=unit, reference=f"TEST{n}.{position}", number=position, text="Do it.", position=position
            )
            KnowledgeItem.objects.create(
                unit=unit,
                reference=f"TEST{n} K{position}",
                label=str(position),
                text="Know it.",
                position=position,
            )
        units.append(unit)
    return units


def _queries_for_home(client, person) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["alice", "bob", "carol"])
def test_it_reads_the_home_page_in_the_same_number_of_queries_for_one_unit_or_five(
    client, viewer, request, alice, bob, carol, centre
):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    evidence_of(alice, centre, criteria=["HSC331a.1"], knowledge=["HSC331 K1"])
    person = request.getfixturevalue(viewer)
    with_one = _queries_for_home(client, person)

    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    for unit in _extra_units(3):
        enrol(alice, unit.code, assessor=bob, iqa=carol, centre=centre)
        evidence_of(alice, centre, criteria=[f"{unit.code}.1"], state=EvidenceState.SUBMITTED)
    with_five = _queries_for_home(client, person)

    assert with_five == with_one, (with_one, with_five)


def test_it_shows_a_past_target_date_in_words(client, alice, hsc331):
    hsc331.start_date = timezone.localdate() - datetime.timedelta(days=400)
    hsc331.target_date = timezone.localdate() - datetime.timedelta(days=1)
    hsc331.save()

    assert "Past target date" in home_text(client, alice)


def test_a_deactivated_candidate_is_told_their_centre_ended_their_access_and_whom_to_contact(
    client, centre, grace, alice, hsc331
):
    from portfolio.services_people import membership_deactivate

    membership_deactivate(centre=centre, person=alice, deactivated_by=grace, reason="Left the centre.")

    page = home_text(client, alice)

    assert "Your access to Riverside Training has been ended" in page
    assert "contact Grace Gordon or another administrator of Riverside Training" in page
    assert "has not given you a role" not in page
    assert "ask your centre administrator to add you" not in page
