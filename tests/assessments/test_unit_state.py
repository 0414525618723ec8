"""The centre's enrolment list says where each unit stands: in progress, signed off and waiting for
the candidate, countersigned by the candidate, countersigned by the IQA, or referred back by the IQA."""

import html
import re

import pytest
from django.urls import reverse

from assessments.services import iqa
from portfolio.models import Role
from tests.assessments.quality_records import signed_off_through_the_services
from tests.factories import CentreFactory, enrol, member

pytestmark = pytest.mark.django_db


def states_on_the_centre_page(client, administrator, centre) -> dict[str, str]:
    """Each row's "candidate unit" and its State cell's words."""
    client.force_login(administrator)
    page = client.get(reverse("assessments:centre_detail", args=[centre.pk])).content.decode()
    table = page[page.index('id="enrolments-heading"'):]
    states = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        states[f"{cells[0]} {cells[1].split()[0]}"] = cells[-1]
    return states


def test_each_enrolment_shows_its_sign_off_and_quality_assurance_state(client):
    centre = CentreFactory()
    grace = member(centre, Role.ADMINISTRATOR)
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark")
    people = {name: member(centre, Role.CANDIDATE, first_name=name, last_name="Smith") for name in ("Ann", "Ben", "Cat", "Dee")}
    units = {name: enrol(person, "HSC331", assessor=bob, iqa=carol, centre=centre) for name, person in people.items()}
    enrol(people["Ann"], "H3 25", assessor=bob, iqa=carol, centre=centre)

    signed_off_through_the_services(units["Ben"], countersigned=False)
    signed_off_through_the_services(units["Cat"])
    signed_off_through_the_services(units["Dee"])
    iqa.sample_add(iqa=carol, enrolments=[units["Dee"]])
    iqa.review_record(review_or_enrolment=units["Dee"], iqa=carol, outcome="countersigned")

    states = states_on_the_centre_page(client, grace, centre)

    assert states["Ann Smith H3"] == "In progress"
    assert states["Ann Smith HSC331"] == "In progress"
    assert states["Ben Smith HSC331"] == "Signed off waiting for the candidate's countersignature"
    assert re.fullmatch(r"Signed off countersigned by the candidate \d+ \w+ \d{4}", states["Cat Smith HSC331"])
    assert re.fullmatch(r"IQA countersigned \d+ \w+ \d{4}", states["Dee Smith HSC331"])


def test_a_unit_the_iqa_referred_back_says_so_until_the_assessor_answers(client):
    centre = CentreFactory()
    grace = member(centre, Role.ADMINISTRATOR)
    bob, carol = member(centre, Role.ASSESSOR), member(centre, Role.IQA)
    ann = member(centre, Role.CANDIDATE, first_name="Ann", last_name="Smith")
    unit = enrol(ann, "HSC331", assessor=bob, iqa=carol, centre=centre)
    signed_off_through_the_services(unit)
    iqa.sample_add(iqa=carol, enrolments=[unit])
    review = iqa.review_record(
        review_or_enrolment=unit, iqa=carol, outcome="referred", actions="Cite the observation for a.2."
    )

    assert states_on_the_centre_page(client, grace, centre)["Ann Smith HSC331"].startswith("Referred back by the IQA")

    iqa.review_actions_done(review=review, assessor=bob, note="Cited.")
    assert states_on_the_centre_page(client, grace, centre)["Ann Smith HSC331"].startswith("Signed off")
