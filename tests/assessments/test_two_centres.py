"""A candidate at two centres (issue 16, item 3: centres are walled). Alice accepted Riverside's
invitation and Hillside's; she is on HSC331 at both, and her evidence at each centre is mapped to
the same unit. Each centre's pages, figures, messages and reports read its own evidence only: the
other centre's evidence is not listed, counted, sampled or told of, to anyone at either centre."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.sampling.methods import methods_of, with_methods
from portfolio import services
from portfolio.models import AssessmentMethod, Enrolment, Evidence, Membership, Role
from standards.models import Criterion, KnowledgeItem, ScopeItem
from tests.assessments.unit_case import accept, items, photo
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

RIVERSIDE_TITLE = "Riverside supported visit"
HILLSIDE_TITLE = "Hillside night shift"


def _evidence(alice, centre, enrolment: Enrolment, title: str, method: str, *, every_item: bool) -> Evidence:
    evidence = services.evidence_create(
        candidate=alice, centre=centre, author=alice, title=title, method=method,
        activity_date=timezone.localdate() - datetime.timedelta(days=10),
        account="What I did, in my own words.", uploads=[photo()],
    )
    criteria, knowledge = items(enrolment)
    if every_item:
        scope = list(ScopeItem.objects.filter(category__unit=enrolment.unit))
    else:
        criteria, knowledge, scope = criteria[:1], [], []
    services.evidence_map(evidence=evidence, editor=alice, criteria=criteria, knowledge_items=knowledge, scope_items=scope)
    return services.evidence_submit(evidence=evidence, candidate=alice, declared=True)


@pytest.fixture
def hal(other_centre):
    return member(other_centre, Role.ASSESSOR, first_name="Hal", last_name="Hart", email="hal@example.org")


@pytest.fixture
def iris(other_centre):
    return member(other_centre, Role.IQA, first_name="Iris", last_name="Irwin", email="iris@example.org")


@pytest.fixture
def there(alice, other_centre, hal, iris):
    """Alice's HSC331 at Hillside, where she accepted an invitation too."""
    Membership.objects.get_or_create(person=alice, centre=other_centre, role=Role.CANDIDATE)
    return enrol(alice, "HSC331", assessor=hal, iqa=iris, centre=other_centre)


@pytest.fixture
def riverside_evidence(alice, bob, centre, hsc331, there):
    """Accepted at Riverside, mapped to every item of HSC331."""
    return accept(_evidence(alice, centre, hsc331, RIVERSIDE_TITLE, AssessmentMethod.REFLECTIVE_ACCOUNT, every_item=True), bob)


@pytest.fixture
def hillside_evidence(alice, other_centre, there, hal, riverside_evidence):
    """Accepted at Hillside, mapped to HSC331's first criterion only."""
    return accept(_evidence(alice, other_centre, there, HILLSIDE_TITLE, AssessmentMethod.PRODUCT, every_item=False), hal)


def page(client, person, name: str, *args) -> str:
    client.force_login(person)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, person)
    return response.content.decode()


def criteria_of(enrolment: Enrolment) -> int:
    return Criterion.objects.filter(unit=enrolment.unit).count()


def test_each_centres_unit_page_lists_and_counts_only_its_own_evidence(
    client, alice, bob, carol, grace, frank, hal, iris, hsc331, there, riverside_evidence, hillside_evidence
):
    total = criteria_of(there)
    for person in (frank, hal, iris, alice):
        text = page(client, person, "assessments:enrolment_detail", there.pk)
        assert HILLSIDE_TITLE in text, person
        assert RIVERSIDE_TITLE not in text, person
        assert f"1 of {total} with evidence" in text, person
        assert f"{total} of {total} with evidence" not in text, person
    for person in (grace, bob, carol, alice):
        text = page(client, person, "assessments:enrolment_detail", hsc331.pk)
        assert RIVERSIDE_TITLE in text, person
        assert HILLSIDE_TITLE not in text, person


def test_each_centres_decisions_page_offers_only_its_own_evidence(
    client, bob, hal, hsc331, there, riverside_evidence, hillside_evidence
):
    text = page(client, hal, "assessments:decisions", there.pk)
    assert HILLSIDE_TITLE in text and RIVERSIDE_TITLE not in text
    text = page(client, bob, "assessments:decisions", hsc331.pk)
    assert RIVERSIDE_TITLE in text and HILLSIDE_TITLE not in text


def test_the_candidates_home_tells_of_each_unit_from_its_own_centres_evidence(
    client, alice, hsc331, there, riverside_evidence, hillside_evidence
):
    text = page(client, alice, "home")
    missing = criteria_of(there) - 1 + KnowledgeItem.objects.filter(unit=there.unit).count()
    assert f"{missing} items with no evidence yet." in text
    assert "Everything has evidence: your assessor is judging it." in text  # Riverside's, all accepted, none met
    assert text.count("Everything has evidence") == 1


def test_the_assessors_lists_count_only_their_centres_evidence(
    client, hal, bob, hsc331, there, riverside_evidence, hillside_evidence
):
    total = criteria_of(there)
    knowledge = KnowledgeItem.objects.filter(unit=there.unit).count()
    for name in ("home", "assessments:candidate_units"):
        text = re.sub(r"\s+", " ", page(client, hal, name))
        assert re.search(rf"<td[^>]*>1 of {total}</td>", text), name
        assert re.search(rf"<td[^>]*>0 of {knowledge}</td>", text), name
    text = re.sub(r"\s+", " ", page(client, bob, "assessments:candidate_units"))
    assert re.search(rf"<td[^>]*>{total} of {total}</td>", text)


def test_the_mapping_page_counts_only_the_evidence_at_the_items_centre(
    client, alice, there, riverside_evidence, hillside_evidence
):
    text = page(client, alice, "portfolio:evidence_map", hillside_evidence.pk)
    first = Criterion.objects.filter(unit=there.unit).order_by("position").first()
    row = text[text.index(f'id="map-criteria-{first.pk}"'):]
    assert re.search(r">\s*1 evidence</span>", row[:2000])
    assert re.search(r">\s*0 evidence</span>", text)  # every other item: Riverside's mapping is not counted here


def test_sampling_reads_the_methods_of_the_evidence_at_the_units_centre(hsc331, there, riverside_evidence, hillside_evidence):
    masks = dict(with_methods(Enrolment.objects.filter(pk__in=[hsc331.pk, there.pk])).values_list("pk", "methods"))
    assert methods_of(masks[hsc331.pk]) == (AssessmentMethod.REFLECTIVE_ACCOUNT,)
    assert methods_of(masks[there.pk]) == (AssessmentMethod.PRODUCT,)


def csv_rows(client, person, centre, slug: str) -> dict[str, dict[str, str]]:
    """Each assessor's row of a report's CSV by their email, its cells by the CSV's own headings."""
    client.force_login(person)
    response = client.get(reverse(f"ops:report_{slug}_csv", args=[centre.pk]))
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return {row[1]: dict(zip(lines[0], row, strict=True)) for row in lines[1:] if len(row) > 1}


def test_reports_and_waiting_figures_count_each_centres_own_evidence(
    client, alice, bob, grace, frank, hal, centre, other_centre, hsc331, there, riverside_evidence, hillside_evidence
):
    _evidence(alice, centre, hsc331, "Riverside waiting account", AssessmentMethod.REFLECTIVE_ACCOUNT, every_item=True)
    waiting = csv_rows(client, grace, centre, "caseload")
    assert waiting["bob@example.org"]["evidence waiting"] == "1"
    waiting = csv_rows(client, frank, other_centre, "caseload")
    assert waiting["hal@example.org"]["evidence waiting"] == "0"
    accepted = csv_rows(client, frank, other_centre, "decisions")
    assert [row["evidence judged"] for email, row in accepted.items() if email == "hal@example.org"] == ["1"]
    text = re.sub(r"\s+", " ", page(client, hal, "assessments:candidate_units"))
    # Hillside has nothing of Alice's waiting: the cell says "None" (its label, "Evidence waiting", is markup).
    assert " waiting</a>" not in text.split("<tbody>")[1].split("</tbody>")[0]
