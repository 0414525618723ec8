"""The IQA's sample with a candidate deactivated (an outside trial's finding): their unit not signed
off is no one's work, so neither a gap nor suggested, and left out of the home's figures, as the
centre's sampling report leaves it out (`counted.in_figures`); a signed-off one still counts. The
page says how many it leaves out and why, and marks the candidate "(deactivated)"."""

import html
import re

import pytest
from django.urls import reverse

from assessments.services import iqa, signoff
from portfolio.models import DeactivatedMembership, Membership, Role
from tests.assessments.unit_case import accept, accepted_evidence, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = build_case()
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)], skip=5)
    iqa.sample_add(iqa=case.carol, enrolments=[case.h3_25])
    return case


def daves_evidence(case):
    return accept(submitted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331), case.erin)


def deactivate(case, person) -> None:
    DeactivatedMembership.objects.create(person=person, centre=case.centre, roles=[Role.CANDIDATE], deactivated_by=case.grace)
    Membership.objects.filter(person=person, centre=case.centre).delete()


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page(client, person, name: str) -> str:
    client.force_login(person)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return words(response.content.decode())


def test_a_deactivated_candidates_unit_in_progress_is_neither_a_gap_nor_suggested(client, case):
    meet(case, case.dave_hsc331, [daves_evidence(case)], skip=5)
    before = page(client, case.carol, "assessments:iqa_sample")
    assert "Missing HSC331" in before and "Dave Davies , HSC331 to my sample (interim review)" in before

    deactivate(case, case.dave)
    sample = page(client, case.carol, "assessments:iqa_sample")
    home = page(client, case.carol, "home")

    assert "Missing" not in sample and "Suggested sample Nothing to suggest" in sample
    assert ("Not counted here: 1 unit of deactivated candidates, not signed off: no one works on it, so it is "
            "neither a gap nor suggested") in sample
    assert "Dave Davies (deactivated)" in sample  # still in the list of the IQA's units, marked
    assert "Gaps in your sample" in home and "0 Gaps in your sample" in home
    # Erin's only unit is left out: the home's assessors are those listed under it (Bob), as the report's.
    assert "Assessors 1 of 1 in your sample" in home and "Candidates’ units 1 of 2 in your sample" in home
    assert "Not counted here: 1 unit of deactivated candidates, not signed off" in home


def test_a_deactivated_candidates_signed_off_unit_still_counts_and_is_marked(client, case):
    meet(case, case.dave_hsc331, [daves_evidence(case)])
    signoff.unit_sign_off(enrolment=case.dave_hsc331, assessor=case.erin, declared=True)
    deactivate(case, case.dave)

    sample = page(client, case.carol, "assessments:iqa_sample")
    home = page(client, case.carol, "home")

    assert "Missing HSC331" in sample
    assert "Dave Davies (deactivated) , HSC331 to my sample (final review)" in sample
    assert "Not counted here" not in sample and "Not counted here" not in home
    assert "1 Signed off, not in your sample" in home and "Assessors 1 of 2 in your sample" in home


def _state_in_list(sample: str, candidate: str) -> str:
    """The state column of the candidate's HSC331 row in "All your units"."""
    listed = sample[sample.index("All your units"):]
    found = re.search(re.escape(candidate) + r"(?: \(deactivated\))? HSC331 (?:Suggested )?(.+?) \d+ ", listed)
    assert found, listed
    return found.group(1)


def test_a_deactivated_candidates_unit_in_progress_reads_paused_as_on_the_centre_page(client, case):
    meet(case, case.dave_hsc331, [daves_evidence(case)], skip=5)
    assert _state_in_list(page(client, case.carol, "assessments:iqa_sample"), "Dave Davies") == "In progress"

    deactivate(case, case.dave)
    sample = page(client, case.carol, "assessments:iqa_sample")

    assert _state_in_list(sample, "Dave Davies") == "In progress, paused"
    assert _state_in_list(sample, "Alice Adams") == "In progress"
    client.force_login(case.grace)
    centre = words(client.get(reverse("assessments:centre_detail", args=[case.centre.pk])).content.decode())
    assert "In progress, paused" in centre


def test_a_deactivated_candidates_signed_off_unit_is_not_paused(client, case):
    meet(case, case.dave_hsc331, [daves_evidence(case)])
    signoff.unit_sign_off(enrolment=case.dave_hsc331, assessor=case.erin, declared=True)
    deactivate(case, case.dave)

    state = _state_in_list(page(client, case.carol, "assessments:iqa_sample"), "Dave Davies")
    assert state.startswith("Signed off") and "paused" not in state
