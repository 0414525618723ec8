"""Marking all matching units as claimed, refused, as Grace the centre administrator sees it at 1280
and 390 px: a unit claimed by someone else in between ("1 unit matches now", nothing marked), and a
confirmation that reached the server without its token (the product's own sentence, not a field's)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.claims import digest_of, ready_units_matching
from assessments.models import Claim
from assessments.services.claims import claims_mark_matching
from portfolio.models import Role
from tests.assessments.test_claims_mark_all import complete
from tests.assessments.unit_case import build_case
from tests.factories import enrol, member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    case = build_case()
    fay = member(case.centre, Role.CANDIDATE, first_name="Fay", last_name="Fox", email="fay@example.org")
    fays = enrol(fay, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
    for enrolment in (case.h3_25, case.hsc331, fays):
        complete(case, enrolment)
    return case


def test_a_refused_confirmation_says_why_in_the_products_words(page, case, login, axe_check, screenshot):
    login(page, "grace@example.org", PASSWORD)
    url = f"/assessments/centres/{case.centre.pk}/claims/all/"
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.get_by_label("Claim reference").fill("SQA-2026-0100")
        page.evaluate("document.querySelector('input[name=confirmed]').remove()")
        page.get_by_role("button", name="Mark 3 units as claimed").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "The confirmation was missing, so nothing was marked as claimed. Go back to the list and choose again.")
        expect(page.get_by_role("main")).not_to_contain_text("This field is required")
        axe_check()
        screenshot(page, f"claims-mark-all-no-token-{width}")
    assert not Claim.objects.exists()

    page.goto(url)
    page.get_by_label("Claim reference").fill("SQA-2026-0100")
    claims_mark_matching(centre=case.centre, claimed_by=case.grace, words="H3 25", reference="OTHER-1",
                         claimed_on=timezone.localdate(), confirmed=digest_of(ready_units_matching(case.centre, "H3 25"))[1])
    page.get_by_role("button", name="Mark 3 units as claimed").click()
    expect(page.get_by_role("alert")).to_contain_text("1 unit matches now. Nothing was marked as claimed.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark the 1 unit as claimed")
    axe_check()
    screenshot(page, "claims-mark-all-changed-390")
    assert not Claim.objects.exclude(reference="OTHER-1").exists()


def test_a_unit_changed_since_sign_off_is_named_apart_and_its_claim_refused(page, case, login, axe_check, screenshot):
    """An outside trial claimed a unit whose signed file had changed. Grace sees it named apart from
    the units ready, and a claim of a unit changed since its last check marks nothing."""
    from assessments import fixity
    from assessments.models import Decision, SignOff

    stored = SignOff.objects.get(enrolment=case.hsc331, voided_at=None)
    Decision.objects.filter(enrolment=case.hsc331, withdrawn_at=None).update(decided_by=case.carol)
    fixity.check_and_record(stored, boundary=fixity.Boundary.SCHEDULE)
    login(page, "grace@example.org", PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/centres/{case.centre.pk}/claims/")
        changed = page.get_by_role("list", name="Not ready: changed since sign-off")
        expect(changed).to_contain_text("Alice Adams: Unit HSC331")
        expect(page.get_by_label("Alice Adams: Unit HSC331", exact=False)).to_have_count(0)
        axe_check()
        changed.scroll_into_view_if_needed()
        screenshot(page, f"claims-changed-since-sign-off-{width}")

    Decision.objects.filter(enrolment=case.h3_25, withdrawn_at=None).update(decided_by=case.carol)  # not yet checked
    page.get_by_label("Alice Adams: Unit H3 25", exact=False).check()
    page.get_by_label("Claim reference").fill("SQA-2026-0102")
    page.get_by_role("button", name="Mark as claimed").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was marked as claimed: Alice Adams’s H3 25 has changed since sign-off")
    axe_check()
    assert not Claim.objects.exists()
