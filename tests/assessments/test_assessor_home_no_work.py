"""The assessor's home, with no unit of theirs to list, says why truly (an outside trial: it said
"Every candidate assigned to you has been deactivated" when the unit had been withdrawn, and "No
candidate has been assigned to you yet" when every one had): deactivated candidates, withdrawn or
transferred units, each said once, only those that apply, in the words of their list of units."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Role
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from portfolio.services_people import membership_deactivate
from tests.assessments.test_home_caseload import home, region, words
from tests.assessments.unit_case import build_case
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()  # Dave's HSC331 is Erin's, her only unit


def withdraw(case, enrolment) -> None:
    enrolment_withdraw(enrolment=enrolment, effective_date=timezone.localdate(), reason="Left the job.",
                       changed_by=case.grace)


def fays_unit(case):
    fay = member(case.centre, Role.CANDIDATE, first_name="Fay", last_name="Fox", email="fay@example.org")
    return enrol(fay, "H3 25", assessor=case.erin, iqa=case.carol, centre=case.centre)


def units_list(client, person) -> str:
    client.force_login(person)
    return words(client.get(reverse("assessments:candidate_units")).content.decode())


def test_a_withdrawn_unit_is_not_blamed_on_deactivation_nor_said_never_assigned(client, case):
    withdraw(case, case.dave_hsc331)

    said = region(home(client, case.erin), "units-heading")
    assert ("None of your candidates’ units is work for you here: 1 unit withdrawn or transferred. Their records "
            "are kept.") in said
    assert "deactivated" not in said and "No candidate has been assigned" not in said


def test_withdrawn_and_transferred_units_are_counted_together(client, case):
    withdraw(case, case.dave_hsc331)
    enrolment_transfer(enrolment=fays_unit(case), to_centre="Hillside College", effective_date=timezone.localdate(),
                       reason="Moved to Hillside.", changed_by=case.grace)

    assert "None of your candidates’ units is work for you here: 2 units withdrawn or transferred." in region(
        home(client, case.erin), "units-heading")


def test_a_deactivated_candidate_and_a_withdrawn_unit_are_each_said_once(client, case):
    withdraw(case, fays_unit(case))
    membership_deactivate(centre=case.centre, person=case.dave, deactivated_by=case.grace, reason="Left the course.")

    page = home(client, case.erin)
    sentence = ("None of your candidates’ units is work for you here: 1 unit of deactivated candidates and 1 unit "
                "withdrawn or transferred. Their records are kept.")
    assert sentence in region(page, "units-heading")
    assert "Every candidate assigned to you has been deactivated" not in words(page)
    assert "Not counted here: 1 unit of deactivated candidates" not in words(page)
    assert len(re.findall("of deactivated candidates", words(page))) == 1
    assert sentence in units_list(client, case.erin)  # the list of units says the same


def test_every_candidate_deactivated_is_said_once_with_nothing_withdrawn(client, case):
    membership_deactivate(centre=case.centre, person=case.dave, deactivated_by=case.grace, reason="Left the course.")

    page = words(home(client, case.erin))
    assert ("Every candidate assigned to you has been deactivated at their centre, so their unit is not work for "
            "you here; their records are kept.") in page
    assert "withdrawn or transferred" not in page and "Not counted here: 1 unit" not in page


def test_no_unit_ever_assigned_says_so(client, case):
    newcomer = member(case.centre, Role.ASSESSOR, first_name="Nia", last_name="New", email="nia@example.org")
    said = region(home(client, newcomer), "units-heading")
    assert "No candidate has been assigned to you yet." in said
    assert "deactivated" not in said and "withdrawn" not in said


def test_an_assessor_with_units_to_list_is_told_nothing_of_this(client, case):
    withdraw(case, fays_unit(case))  # one closed beside Dave's open unit
    said = region(home(client, case.erin), "units-heading")
    assert "HSC331" in said or "1 unit not signed off" in said
    assert "is work for you here" not in said
