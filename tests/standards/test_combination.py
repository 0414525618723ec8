"""A qualification's rules of combination (standards/combination.py), on the demonstration
qualification and on one with an optional group that asks for units and credits."""

import pytest

from standards.combination import places_of, registration_problems, shortfalls
from standards.demo_qualification import demo_qualification
from standards.models import Qualification, QualificationGroup, QualificationUnit, Unit
from tests.factories import load_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    load_standards()
    return Unit.objects.get(code="HSC331"), Unit.objects.get(code="H3 25")


def test_the_mandatory_unit_and_an_optional_one_meet_the_demo_qualifications_rules(units):
    hsc331, h3_25 = units
    qualification = demo_qualification()
    assert registration_problems(qualification, places_of(qualification), {hsc331.pk, h3_25.pk}) == []


def test_no_optional_unit_chosen_names_the_group_and_the_credits(units):
    hsc331, _ = units
    qualification = demo_qualification()
    problems = registration_problems(qualification, places_of(qualification), {hsc331.pk})
    assert problems == [
        "Choose at least 1 optional unit from Group B (optional) (0 chosen).",
        "Choose optional units worth at least 5 credits from Group B (optional): those chosen give 0.",
        "The units chosen give 9 credits; the qualification needs 14.",
    ]


def test_a_mandatory_unit_left_out_is_named(units):
    _, h3_25 = units
    qualification = demo_qualification()
    problems = registration_problems(qualification, places_of(qualification), {h3_25.pk})
    assert "Every unit of Group A (mandatory) is mandatory: HSC331 must be included." in problems


@pytest.fixture
def svq(units):
    """Two optional units in Group B, which asks for 2 units; a total of 127 credits."""
    hsc331, h3_25 = units
    qualification = Qualification.objects.create(
        title="SVQ 3 Social Services and Healthcare", awarding_body="SQA", code="GJ1C 23", level="SVQ 3",
        scqf_level=7, credits=127,
    )
    group = QualificationGroup.objects.create(qualification=qualification, name="Group B", min_units=2, min_credits=20)
    QualificationUnit.objects.create(group=group, unit=hsc331, credit=30)
    QualificationUnit.objects.create(group=group, unit=h3_25, credit=10)
    return qualification


def test_too_few_units_and_credits_in_an_optional_group_and_in_total(svq, units):
    hsc331, _ = units
    problems = registration_problems(svq, places_of(svq), {hsc331.pk})
    assert "Choose at least 2 optional units from Group B (1 chosen)." in problems
    assert "The units chosen give 30 credits; the qualification needs 127." in problems
    assert not any("worth at least 20 credits" in p for p in problems)  # 30 credits chosen: enough for the group


def test_both_units_meet_the_group_but_not_the_credit_total(svq, units):
    found = shortfalls(svq, places_of(svq), {u.pk for u in units})
    assert not any(group.short for group in found.groups)
    assert (found.credits, found.credits_short, found.met) == (40, 87, False)
    assert registration_problems(svq, places_of(svq), {u.pk for u in units}) == [
        "The units chosen give 40 credits; the qualification needs 127."
    ]
