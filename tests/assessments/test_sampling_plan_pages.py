"""Issue 15 item 4, through the pages: Carol makes her sampling plan and sees each assessor's planned
and done on her sample page; Grace (the administrator) and Heidi (the EQA) read it; nobody else
finds it; a unit the plan says to sample before claim is held on the claims page, and says why."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.claim_models import Claim
from assessments.claims import ready_count, ready_to_claim
from assessments.sampling_plan_models import AssessorRating, RiskRating, SamplingPlan
from assessments.services import iqa
from portfolio.models import AuditEvent
from tests.assessments.qualification_case import complete, register_alice
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def _edit_url(case):
    return reverse("assessments:sampling_plan_edit", args=[case.centre.pk, case.carol.pk])


def _plan_url(case):
    return reverse("assessments:sampling_plan", args=[case.centre.pk, case.carol.pk])


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def _form(case, **changes):
    today = timezone.localdate().isoformat()
    fields = {
        "period_start": today, "share_new": "100", "share_in_development": "50", "share_experienced": "20",
        "share_under_support": "100", "methods": ["observation", "witness"], "locations": "Day centre\nClient's home",
    }
    for person, rating in ((case.bob, "new"), (case.erin, "experienced")):
        fields.update({
            f"rating_{person.pk}": rating, f"rated_on_{person.pk}": today,
            f"reason_{person.pk}": f"{person.first_name}'s first year assessing", f"stages_{person.pk}": "both",
            f"share_{person.pk}": "",
        })
    return {**fields, **changes}


def test_carol_makes_her_plan_and_her_sample_page_shows_bob_planned_and_done(client, case):
    client.force_login(case.carol)
    sample = _text(client.get(reverse("assessments:iqa_sample")))
    assert "You have no sampling plan yet" in sample
    response = client.post(_edit_url(case), _form(case))
    assert response.status_code == 302 and response["Location"] == _plan_url(case)
    plan = SamplingPlan.objects.get(iqa=case.carol)
    assert {(r.assessor, r.rating) for r in plan.ratings.all()} == {(case.bob, "new"), (case.erin, "experienced")}
    sample = _text(client.get(reverse("assessments:iqa_sample")))
    # Bob: new, his two units (Alice's HSC331 and H3 25) all planned at each stage.
    assert "Bob Baker New 100% 2 Not started 0 of 2 planned Not started 0 of 2 planned" in sample
    assert "Erin Evans Experienced 20% 1 Not started 0 of 1 planned" in sample
    complete(case, case.hsc331)  # sampled and countersigned by Carol once signed off
    sample = _text(client.get(reverse("assessments:iqa_sample")))
    assert "Bob Baker New 100% 2 Not started 0 of 2 planned Behind plan 1 of 2 planned" in sample
    event = AuditEvent.objects.get(action="assessments.sampling_plan.saved")
    assert event.actor == case.carol and event.centre == case.centre
    assert [r["rating"] for r in event.after["ratings"]] == ["new", "experienced"]


def test_the_plan_page_reads_under_the_camera_headings(client, case):
    client.force_login(case.carol)
    client.post(_edit_url(case), _form(case))
    page = _text(client.get(_plan_url(case)))
    for heading in ("Candidates", "Assessors", "Methods", "Elements and records", "Assessment locations"):
        assert f" {heading} " in page
    assert "Not covered yet Direct observation" in page and "Not covered yet Day centre" in page
    assert "Bob Baker : new, rated" in page and "Bob's first year assessing" in page
    assert "New 100% 100% In development 50% 50% Experienced 20% 20% Under support 100% 100%" in page


def test_the_form_comes_back_saying_what_is_missing_and_saves_nothing(client, case):
    client.force_login(case.carol)
    response = client.post(_edit_url(case), _form(case, **{f"reason_{case.bob.pk}": "", "share_new": "140"}))
    assert response.status_code == 400
    page = _text(response)
    assert "There is a problem" in page and "Give the reason for Bob Baker’s rating." in page
    assert "A share is a number from 0 to 100." in page
    assert not SamplingPlan.objects.exists()


def test_the_administrator_and_the_eqa_read_the_plan_and_cannot_change_it(client, case):
    client.force_login(case.carol)
    client.post(_edit_url(case), _form(case))
    for reader in (case.grace, case.heidi):
        client.force_login(reader)
        page = _text(client.get(_plan_url(case)))
        assert "Sampling plan of Carol Clark" in page and "Change the plan" not in page
        listing = _text(client.get(reverse("assessments:sampling_plan_list", args=[case.centre.pk])))
        assert "Carol Clark" in listing and "Bob Baker New 100%" in listing
        assert client.post(_edit_url(case), _form(case)).status_code == 403
    for stranger in (case.bob, case.alice, case.frank):
        client.force_login(stranger)
        assert client.get(_plan_url(case)).status_code == 404
    assert AuditEvent.objects.filter(action="assessments.sampling_plan.saved").count() == 1


def test_a_unit_to_sample_before_claim_is_held_on_the_claims_page_until_carol_countersigns_it(client, case):
    case.centre.claims_need_iqa = False
    case.centre.save()
    client.force_login(case.carol)
    client.post(_edit_url(case), _form(case, must_sample=[case.hsc331.pk]))
    complete(case, case.hsc331, iqa_countersigns=False)
    complete(case, case.h3_25, iqa_countersigns=False)
    assert [item.code for item in ready_to_claim(case.centre)] == ["H3 25"]
    assert ready_count(case.centre, up_to=100) == len(ready_to_claim(case.centre))  # the home's count agrees
    client.force_login(case.grace)
    page = _text(client.get(reverse("assessments:claim_list", args=[case.centre.pk])))
    assert "Held until the IQA samples them" in page
    assert "Alice Adams: Unit HSC331" in page and "held: the IQA’s plan says sample before claim" in page
    refused = client.post(reverse("assessments:claim_list", args=[case.centre.pk]), {
        "items": [f"unit-{case.hsc331.pk}"], "reference": "SQA-1", "claimed_on": timezone.localdate().isoformat(),
    })
    assert refused.status_code == 400
    iqa.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    iqa.review_record(review_or_enrolment=case.hsc331, iqa=case.carol, outcome="countersigned", comments="Sound.")
    assert sorted(item.code for item in ready_to_claim(case.centre)) == ["H3 25", "HSC331"]
    assert ready_count(case.centre, up_to=100) == len(ready_to_claim(case.centre))  # the home's count agrees
    assert "Held until the IQA samples them" not in _text(client.get(reverse("assessments:claim_list", args=[case.centre.pk])))


def test_every_unit_of_a_new_assessor_marked_is_held(client, case):
    case.centre.claims_need_iqa = False
    case.centre.save()
    client.force_login(case.carol)
    client.post(_edit_url(case), _form(case, **{f"before_claim_{case.bob.pk}": "on"}))
    assert AssessorRating.objects.get(assessor=case.bob).sample_before_claim
    assert AssessorRating.objects.get(assessor=case.erin).rating == RiskRating.EXPERIENCED
    complete(case, case.h3_25, iqa_countersigns=False)
    assert ready_to_claim(case.centre) == []
    assert ready_count(case.centre, up_to=100) == len(ready_to_claim(case.centre))  # the home's count agrees


def test_an_eqa_with_access_to_some_units_reads_the_names_of_those_alone(client, case):
    """An outside tester, granted HSC331 only, read another candidate's H3 25 in the plan's held list."""
    from portfolio.models import EqaGrant
    from standards.models import Unit

    client.force_login(case.carol)
    client.post(_edit_url(case), _form(case, must_sample=[case.hsc331.pk, case.h3_25.pk]))
    grant = EqaGrant.objects.get(person=case.heidi, centre=case.centre)
    grant.units.set([Unit.objects.get(pk=case.hsc331.unit_id)])
    grant.qualifications.clear()
    client.force_login(case.heidi)

    page = _text(client.get(_plan_url(case)))

    assert "Alice Adams, HSC331" in page
    assert "H3 25 (assessed by" not in page and "a unit outside your access" in page


def test_with_claims_needing_no_iqa_the_plans_hold_still_holds_the_unit_and_its_qualification(client, case):
    """The centre's setting says a unit may be claimed without the IQA's countersignature; the IQA's
    plan still says this one is sampled first, and that holds it, and the qualification that counts
    it, on the page and against a claim posted anyway."""
    case.centre.claims_need_iqa = False
    case.centre.save()
    registration = register_alice(case)
    client.force_login(case.carol)
    client.post(_edit_url(case), _form(case, must_sample=[case.hsc331.pk]))
    complete(case, case.hsc331, iqa_countersigns=False)
    complete(case, case.h3_25, iqa_countersigns=False)

    assert [item.key for item in ready_to_claim(case.centre)] == [f"unit-{case.h3_25.pk}"]
    assert ready_count(case.centre, up_to=100) == len(ready_to_claim(case.centre))  # the home's count agrees
    client.force_login(case.grace)
    claims = reverse("assessments:claim_list", args=[case.centre.pk])
    page = _text(client.get(claims))
    assert "held: the IQA’s plan says sample HSC331 before claim" in page
    for key in (f"unit-{case.hsc331.pk}", f"qualification-{registration.pk}"):
        refused = client.post(claims, {"items": [key], "reference": "SQA-9", "claimed_on": timezone.localdate().isoformat()})
        assert refused.status_code == 400, key
    assert not Claim.objects.exists()

    iqa.sample_add(iqa=case.carol, enrolments=[case.hsc331])  # sampled, the review still to come: still held
    assert f"unit-{case.hsc331.pk}" not in {item.key for item in ready_to_claim(case.centre)}
    assert ready_count(case.centre, up_to=100) == len(ready_to_claim(case.centre))  # the home's count agrees
    iqa.review_record(review_or_enrolment=case.hsc331, iqa=case.carol, outcome="countersigned", comments="Sound.")
    assert {item.key for item in ready_to_claim(case.centre)} == {
        f"unit-{case.hsc331.pk}", f"unit-{case.h3_25.pk}", f"qualification-{registration.pk}",
    }
    assert ready_count(case.centre, up_to=100) == 3  # the home's count agrees, the qualification too
