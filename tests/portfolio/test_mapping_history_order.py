"""The evidence's History says what it was mapped to unit by unit in the standard's order: each
unit's criteria, knowledge and scope together, and H3 25.2 before H3 25.10 (they were listed as
text sorts them, and both units' criteria before either unit's knowledge)."""

import html

import pytest
from django.urls import reverse

from assessments.services.decide import map_what_the_candidate_missed
from portfolio import services
from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent
from standards.models import Criterion, KnowledgeItem
from tests.assessments.judging_people import draft
from tests.factories import enrol

pytestmark = pytest.mark.django_db


def mapping_sentences(evidence) -> list[str]:
    events = AuditEvent.objects.filter(evidence=evidence, action=PortfolioAction.EVIDENCE_MAPPED).order_by("pk")
    return [sentence(event) for event in events]


@pytest.fixture
def both_units(centre, alice, bob, carol):
    return [enrol(alice, code, assessor=bob, iqa=carol, centre=centre) for code in ("HSC331", "H3 25")]


def test_a_mapping_across_two_units_is_said_unit_by_unit(client, alice, both_units):
    evidence = draft(
        alice, both_units[0], criteria=("HSC331a.1", "H3 25.10", "H3 25.2"), knowledge=("HSC331 K3", "H3 25 K(c)")
    )
    said = "Alice Adams mapped E1 to H3 25.2, H3 25.10, H3 25 K(c), HSC331a.1 and HSC331 K3"
    assert mapping_sentences(evidence) == [said]

    client.force_login(alice)
    page = html.unescape(client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode())
    assert said in page


def test_a_change_of_mapping_lists_what_it_added_and_removed_in_that_order(alice, both_units):
    evidence = draft(alice, both_units[0], criteria=("HSC331a.1", "H3 25.10"))
    services.evidence_map(
        evidence=evidence, editor=alice,
        criteria=Criterion.objects.filter(reference__in=["HSC331a.2", "H3 25.11", "H3 25.3"]),
        knowledge_items=KnowledgeItem.objects.filter(reference__in=["HSC331 K1"]), scope_items=[],
    )
    assert mapping_sentences(evidence)[-1] == (
        "Alice Adams changed the mapping of E1, adding H3 25.3, H3 25.11, HSC331a.2 and HSC331 K1 "
        "and removing H3 25.10 and HSC331a.1"
    )


def test_what_the_assessor_adds_when_accepting_is_said_in_that_order_too(alice, bob, both_units):
    evidence = draft(alice, both_units[0], criteria=("HSC331a.1",))
    map_what_the_candidate_missed(
        evidence, bob, [*Criterion.objects.filter(reference__in=["HSC331a.4", "HSC331a.3"]),
                        KnowledgeItem.objects.get(reference="HSC331 K2")],
    )
    assert mapping_sentences(evidence)[-1] == "Bob Baker changed the mapping of E1, adding HSC331a.3, HSC331a.4 and HSC331 K2"


def test_a_mapping_of_many_items_is_said_whole(alice, both_units):
    """It once said "HSC331a.1, … and 5 more", and once the mapping changed, the five were nowhere on the page."""
    criteria = [f"HSC331a.{n}" for n in range(1, 5)] + [f"H3 25.{n}" for n in range(1, 13)]
    evidence = draft(alice, both_units[0], criteria=criteria)
    [sentence] = mapping_sentences(evidence)
    listed = [f"H3 25.{n}" for n in range(1, 13)] + [f"HSC331a.{n}" for n in range(1, 5)]
    assert sentence == f"Alice Adams mapped E1 to {', '.join(listed[:-1])} and {listed[-1]}"
