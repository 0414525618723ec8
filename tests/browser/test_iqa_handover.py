"""An outside tester's finding, fixed, in a browser at 1280 and 390 px, each page checked with axe
and photographed (test-artifacts/screenshots/iqa-handover-*.png): an IQA's hand-over moved the units
the IQA had already countersigned to the new IQA, and deactivating them counted those units as work
to hand over. Now a unit an IQA has countersigned stays with its IQA, and the pages say so.

The centre is tests/assessments/unit_case.py's: Carol is the IQA of Alice's HSC331 and H3 25 (Bob
assesses both) and of Dave's HSC331 (Erin); Ivan is another IQA there; Grace administers it. Here
Carol has countersigned Alice's HSC331; Alice's H3 25 is signed off, waiting for Carol's review;
Dave's is in progress."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.assessments.quality_records import countersigned_by_the_iqa, signed_off_through_the_services
from tests.assessments.unit_case import build_case
from tests.browser.test_eqa_access_journey import at_both_widths

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    case = build_case()
    countersigned_by_the_iqa(case.hsc331)
    signed_off_through_the_services(case.h3_25)
    return case


def test_an_iqas_countersigned_unit_stays_with_them_and_they_then_leave(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(reverse("portfolio:person_handover", args=[case.centre.pk, case.carol.pk]))
    section = page.get_by_role("region", name="As IQA: 2 active units not yet countersigned by an IQA")
    expect(section).to_be_visible()
    expect(section.get_by_text(
        "1 IQA-countersigned unit stays with Carol Clark, not handed over: their name on it is the record of "
        "who quality-assured it."
    )).to_be_visible()
    section.get_by_text("The units").click()
    expect(section.get_by_role("listitem")).to_have_count(2)
    expect(section.get_by_role("listitem").filter(has_text="Alice Adams · H3 25")).to_have_count(1)
    expect(section.get_by_role("listitem").filter(has_text="Dave Davies · HSC331")).to_have_count(1)
    at_both_widths(page, axe_check, screenshot, "iqa-handover-page")

    section.get_by_label("New IQA").select_option(value=str(case.ivan.pk))
    section.get_by_label("Reason").fill("Carol has left the centre.")
    section.get_by_role("button", name="Hand over 2 units as IQA").click()
    expect(page.get_by_text(
        "Ivan Ives is now the IQA of 2 units in place of Carol Clark. Each unit’s history records it, and everyone "
        "concerned has been told. 1 IQA-countersigned unit stays with Carol Clark, not handed over"
    )).to_be_visible()
    at_both_widths(page, axe_check, screenshot, "iqa-handover-done")
    for enrolment, iqa in ((case.hsc331, case.carol), (case.h3_25, case.ivan), (case.dave_hsc331, case.ivan)):
        enrolment.refresh_from_db()
        assert enrolment.iqa == iqa, enrolment

    page.goto(reverse("portfolio:person_deactivate", args=[case.centre.pk, case.carol.pk]))
    expect(page.get_by_text("1 IQA-countersigned unit stays with Carol Clark, not handed over")).to_be_visible()
    at_both_widths(page, axe_check, screenshot, "iqa-handover-deactivate")
    page.get_by_label("Reason").fill("Carol has left the centre.")
    page.get_by_role("button", name="Deactivate Carol Clark").click()
    expect(page.get_by_text("Carol Clark is deactivated")).to_be_visible()
    case.hsc331.refresh_from_db()
    assert case.hsc331.iqa == case.carol
