"""Marking every unit matching the claims page's search as claimed at once: a confirmation stating how
many and which search, one transaction, each unit audited as ticking it would be, and refused with
nothing changed if the units matching changed between the confirmation and the submit.

Ready to claim: Alice's H3 25 and HSC331, and Fay's H3 25 (each signed off and countersigned by the
candidate and the IQA)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.claims import digest_of, ready_units_matching
from assessments.models import Claim
from assessments.services import iqa, signoff
from assessments.services.claims import ClaimsChanged, claims_mark_matching
from assessments.services.signoff import unit_unlock
from portfolio.models import AuditEvent, Role
from tests.assessments.unit_case import accepted_evidence, build_case, meet
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


def complete(case, enrolment) -> None:
    meet(case, enrolment, [accepted_evidence(case, candidate=enrolment.candidate, enrolment=enrolment,
                                             title=f"Evidence for {enrolment.unit.code}")])
    signoff.unit_sign_off(enrolment=enrolment, assessor=enrolment.assessor, declared=True)
    signoff.unit_countersign(enrolment=enrolment, candidate=enrolment.candidate, declared=True)
    iqa.sample_add(iqa=enrolment.iqa, enrolments=[enrolment])
    iqa.review_record(review_or_enrolment=enrolment, iqa=enrolment.iqa, outcome="countersigned",
                      comments="Sampled the whole unit: the decisions are sound.")


@pytest.fixture
def case():
    case = build_case()
    case.people["fay"] = member(case.centre, Role.CANDIDATE, first_name="Fay", last_name="Fox")
    case.fay_h3_25 = enrol(case.fay, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
    for enrolment in (case.h3_25, case.hsc331, case.fay_h3_25):
        complete(case, enrolment)
    return case


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).replace("&ldquo;", "“").split())


def confirm_url(case, query: str = "") -> str:
    return reverse("assessments:claims_mark_all", args=[case.centre.pk]) + (f"?q={query}" if query else "")


def confirmed(client, case, query: str = "") -> dict:
    """What the confirmation page carries, as the browser would post it back."""
    page = client.get(confirm_url(case, query)).content.decode()
    digest = re.search(r'name="confirmed" value="([0-9a-f]+)"', page).group(1)
    return {"q": query, "confirmed": digest, "reference": "SQA-2026-0099",
            "claimed_on": timezone.localdate().isoformat()}


def test_the_claims_page_offers_to_mark_all_matching_and_the_confirmation_states_how_many_and_the_search(client, case):
    client.force_login(case.grace)

    page = client.get(reverse("assessments:claim_list", args=[case.centre.pk]) + "?q=H3").content.decode()
    assert "Mark all 2 matching units as claimed" in page
    assert f'href="{confirm_url(case, "H3")}"' in page
    everything = client.get(reverse("assessments:claim_list", args=[case.centre.pk])).content.decode()
    assert "Mark all 3 units as claimed" in everything

    confirmation = text(client.get(confirm_url(case, "H3")))
    assert "Mark all 2 units as claimed" in confirmation
    assert "2 units ready to claim match your search “H3”." in confirmation
    assert "Every unit ready to claim, 3 in all, with no search." in text(client.get(confirm_url(case)))
    assert f'value="{timezone.localdate().isoformat()}"' in client.get(confirm_url(case)).content.decode()
    assert Claim.objects.count() == 0  # the confirmation changes nothing


def test_confirming_marks_every_unit_matching_each_audited_as_ticking_would(client, case):
    client.force_login(case.grace)

    response = client.post(confirm_url(case), confirmed(client, case, "H3"))

    assert response.status_code == 302
    assert {claim.enrolment for claim in Claim.objects.all()} == {case.h3_25, case.fay_h3_25}
    assert {claim.reference for claim in Claim.objects.all()} == {"SQA-2026-0099"}
    events = AuditEvent.objects.filter(action="assessments.claim.made")
    assert {event.enrolment for event in events} == {case.h3_25, case.fay_h3_25}
    assert {event.after["reference"] for event in events} == {"SQA-2026-0099"}
    after = client.get(response["Location"]).content.decode()
    assert "2 units marked as claimed under SQA-2026-0099." in after
    assert f'value="unit-{case.hsc331.pk}"' in after


def test_a_unit_claimed_in_between_refuses_the_whole_and_changes_nothing(client, case):
    client.force_login(case.grace)
    posted = confirmed(client, case)
    claims_mark_matching(centre=case.centre, claimed_by=case.grace, words="HSC331", reference="OTHER-1",
                         claimed_on=timezone.localdate(), confirmed=digest_of(ready_units_matching(case.centre, "HSC331"))[1])

    response = client.post(confirm_url(case), posted)

    assert response.status_code == 400
    page = text(response)
    assert "What is ready to claim changed after you confirmed" in page
    assert "2 units match now. Nothing was marked as claimed." in page
    assert list(Claim.objects.values_list("reference", flat=True)) == ["OTHER-1"]
    # The confirmation shown again states the new number and carries the new set: confirmed, it marks them.
    assert "Mark 2 units as claimed" in page
    again = client.post(confirm_url(case), {**posted, "confirmed": confirmed(client, case)["confirmed"]})
    assert again.status_code == 302
    assert Claim.objects.filter(reference="SQA-2026-0099").count() == 2


def test_a_unit_unlocked_or_newly_ready_in_between_is_refused_too(case):
    count, digest = digest_of(ready_units_matching(case.centre, ""))
    unit_unlock(enrolment=case.fay_h3_25, person=case.bob, reason="A date on E1 was wrong.")

    with pytest.raises(ClaimsChanged) as refused:
        claims_mark_matching(centre=case.centre, claimed_by=case.grace, words="", confirmed=digest,
                             reference="SQA-1", claimed_on=timezone.localdate())

    assert (count, refused.value.count) == (3, 2)
    assert Claim.objects.count() == 0
    assert not AuditEvent.objects.filter(action="assessments.claim.made").exists()


def test_only_the_centres_administrator_marks_them(client, case):
    client.force_login(case.bob)
    assert client.get(confirm_url(case)).status_code == 404
    assert client.post(confirm_url(case), {"q": "", "confirmed": "x", "reference": "R",
                                           "claimed_on": timezone.localdate().isoformat()}).status_code == 404
    assert Claim.objects.count() == 0


def test_one_unit_changed_is_said_in_the_singular(client, case):
    client.force_login(case.grace)
    posted = confirmed(client, case)
    claims_mark_matching(centre=case.centre, claimed_by=case.grace, words="H3 25", reference="OTHER-1",
                         claimed_on=timezone.localdate(), confirmed=digest_of(ready_units_matching(case.centre, "H3 25"))[1])

    response = client.post(confirm_url(case), posted)

    assert response.status_code == 400 and "1 unit matches now. Nothing was marked as claimed." in text(response)


def test_a_confirmation_posted_without_its_token_says_what_happened_in_the_products_words(client, case):
    client.force_login(case.grace)
    posted = confirmed(client, case)
    del posted["confirmed"]

    response = client.post(confirm_url(case), posted)

    page = text(response)
    assert response.status_code == 400 and Claim.objects.count() == 0
    assert "This field is required" not in page and "Confirmed" not in page
    assert "The confirmation was missing, so nothing was marked as claimed. Go back to the list and choose again." in page
