"""The centre's enrolment list says where each unit stands: in progress, signed off and waiting for
the candidate, countersigned by the candidate, countersigned by the IQA, or referred back by the IQA;
and when it was completed, the same on every page that says so (assessments/unit_state.py)."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from assessments.models import QualityReview
from assessments.services import iqa
from portfolio import dates
from portfolio.models import Role
from tests.assessments.quality_records import signed_off_through_the_services
from tests.factories import CentreFactory, enrol, member

pytestmark = pytest.mark.django_db


def states_on_the_centre_page(client, administrator, centre) -> dict[str, str]:
    """Each row's "candidate unit" and its State cell's words."""
    client.force_login(administrator)
    page = client.get(reverse("assessments:centre_detail", args=[centre.pk])).content.decode()
    table = page[page.index('id="enrolments-heading"'):]
    rows = [
        [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    state = rows[0].index("State")
    return {f"{cells[0]} {cells[1].split()[0]}": cells[state] for cells in rows[1:]}


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
    assert re.fullmatch(r"Signed off completed \d+ \w+ \d{4}, when the candidate countersigned", states["Cat Smith HSC331"])
    assert re.fullmatch(r"IQA countersigned completed \d+ \w+ \d{4}, when the IQA countersigned", states["Dee Smith HSC331"])


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


# When a unit was completed: every signature it needs given, the IQA's too once the IQA sampled it.


@pytest.fixture
def ann_signed_off():
    centre = CentreFactory()
    people = {
        "grace": member(centre, Role.ADMINISTRATOR),
        "bob": member(centre, Role.ASSESSOR),
        "carol": member(centre, Role.IQA),
        "ann": member(centre, Role.CANDIDATE, first_name="Ann", last_name="Smith"),
    }
    unit = enrol(people["ann"], "HSC331", assessor=people["bob"], iqa=people["carol"], centre=centre)
    sign_off = signed_off_through_the_services(unit)
    return centre, people, unit, sign_off


def completed_everywhere(client, centre, people, unit) -> dict[str, str]:
    """What the centre's list, the unit page's header and Ann's home card say of its completion."""

    def page(person, url) -> str:
        client.force_login(person)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", client.get(url).content.decode())).split())

    unit_page = page(people["bob"], reverse("assessments:enrolment_detail", args=[unit.pk]))
    home = page(people["ann"], "/")
    return {
        "list": states_on_the_centre_page(client, people["grace"], centre)["Ann Smith HSC331"],
        "unit page": (re.findall(r"· completed (\d+ \w+ \d{4})", unit_page) or [""])[0],
        "home": (re.findall(r"· completed (\d+ \w+ \d{4})", home) or [""])[0],
    }


def short(moment: datetime.datetime) -> str:
    return dates.day(moment)


def long(moment: datetime.datetime) -> str:
    return dates.day(moment)


def test_a_unit_outside_the_iqas_sample_is_completed_when_the_candidate_countersigns(client, ann_signed_off):
    centre, people, unit, sign_off = ann_signed_off
    shown = completed_everywhere(client, centre, people, unit)
    day = sign_off.candidate_signed_at
    assert shown == {
        "list": f"Signed off completed {short(day)}, when the candidate countersigned",
        "unit page": short(day),
        "home": long(day),
    }


def test_a_unit_in_the_iqas_sample_is_completed_only_when_the_iqa_countersigns(client, ann_signed_off):
    centre, people, unit, sign_off = ann_signed_off
    iqa.sample_add(iqa=people["carol"], enrolments=[unit])

    shown = completed_everywhere(client, centre, people, unit)
    assert shown == {
        "list": f"Signed off countersigned by the candidate {short(sign_off.candidate_signed_at)}; waiting for the IQA’s review",
        "unit page": "",
        "home": "",
    }

    review = iqa.review_record(review_or_enrolment=unit, iqa=people["carol"], outcome="countersigned")
    later = review.reviewed_at + datetime.timedelta(days=3)  # the IQA's review days after the candidate's
    QualityReview.objects.filter(pk=review.pk).update(reviewed_at=later)
    shown = completed_everywhere(client, centre, people, unit)
    assert shown == {
        "list": f"IQA countersigned completed {short(later)}, when the IQA countersigned",
        "unit page": short(later),
        "home": long(later),
    }


def test_a_unit_the_iqa_referred_back_is_not_completed_even_once_the_actions_are_done(client, ann_signed_off):
    centre, people, unit, _ = ann_signed_off
    iqa.sample_add(iqa=people["carol"], enrolments=[unit])
    review = iqa.review_record(review_or_enrolment=unit, iqa=people["carol"], outcome="referred", actions="Cite a.2.")
    assert completed_everywhere(client, centre, people, unit)["unit page"] == ""

    iqa.review_actions_done(review=review, assessor=people["bob"], note="Cited.")
    shown = completed_everywhere(client, centre, people, unit)
    assert shown["list"].endswith("waiting for the IQA’s review") and shown["unit page"] == shown["home"] == ""
