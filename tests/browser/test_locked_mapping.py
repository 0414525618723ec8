"""The mapping page of a signed-off unit: Alice's HSC331 is signed off, so its items are shown but
cannot be ticked, with the date it was locked; H3 25 stays open. Evidence already mapped to HSC331
keeps that mapping when Alice maps it to H3 25 as well.

Alice is the candidate, Bob her assessor. See tests/assessments/unit_case.py.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.services.signoff import unit_sign_off
from portfolio import dates, services
from portfolio.models import AssessmentMethod
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, meet
from tests.browser.conftest import SCREENSHOTS_DIR

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    later = services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title="Lunch club visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=timezone.localdate() - datetime.timedelta(days=1),
        account="I went with Person B to the lunch club.",
    )
    services.evidence_map(
        evidence=later, editor=case.alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )
    case.signed = unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    case.later = later
    return case


def test_the_locked_unit_is_shown_and_cannot_be_ticked(page, case, login, axe_check, screenshot):
    signed_on = dates.day(case.signed.assessor_signed_at)
    login(page, case.alice.email, PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/portfolio/evidence/{case.later.pk}/map/")
        expect(page.get_by_text(f"Locked: signed off on {signed_on}.")).to_be_visible()
        kept = page.get_by_role("checkbox", name="HSC331a.1", exact=False).first
        expect(kept).to_be_checked()
        expect(kept).to_be_disabled()
        expect(page.get_by_role("checkbox", name="HSC331a.2", exact=False).first).to_be_disabled()
        expect(page.get_by_role("checkbox", name="H3 25.1", exact=False).first).to_be_enabled()
        axe_check()
        screenshot(page, f"locked-mapping-{width}")
        # And the locked unit as it meets the eye: the full page is mostly the open unit's items.
        page.get_by_text("Locked: signed off on").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS_DIR / f"locked-mapping-{width}-locked-unit.png"))

    page.get_by_role("checkbox", name="H3 25.1", exact=False).first.check()
    page.get_by_role("button", name="Save mapping").click()
    expect(page.get_by_role("status").filter(has_text=f"The mapping of {case.later.reference} is saved.")).to_be_visible()
    assert sorted(case.later.criteria.values_list("reference", flat=True)) == ["H3 25.1", "HSC331a.1"]
