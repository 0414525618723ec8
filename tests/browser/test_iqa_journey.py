"""Issue 4's IQA journey: the IQA opens her sample page, accepts the suggested sample, countersigns a
signed-off unit, refers another back with actions; the assessor sees the referral on the unit page
and marks the actions done.

Carol is the IQA at Riverside Training. Bob Baker assessed Alice Adams on HSC331: the unit is signed
off and Alice has countersigned. Erin Price assesses Dave Dean on H3 25: three criteria met so far,
on a witness testimony. Fay Fox has just started HSC331 with Bob.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import QualityReview
from assessments.services import decisions
from portfolio.models import AssessmentMethod, Notification, Role
from standards.models import Criterion
from tests.assessments.quality_records import accepted_evidence, signed_off_through_the_services
from tests.browser.conftest import sign_out
from tests.factories import CentreFactory, enrol, load_standards, member

PASSWORD = "correct horse battery"


@pytest.fixture
def riverside(transactional_db):
    load_standards()
    centre = CentreFactory(name="Riverside Training", code="riverside")
    people = {
        "carol": member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org"),
        "bob": member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org"),
        "erin": member(centre, Role.ASSESSOR, first_name="Erin", last_name="Price", email="erin@example.org"),
        "alice": member(
            centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org"
        ),
        "dave": member(centre, Role.CANDIDATE, first_name="Dave", last_name="Dean", email="dave@example.org"),
        "fay": member(centre, Role.CANDIDATE, first_name="Fay", last_name="Fox", email="fay@example.org"),
    }
    signed = enrol(people["alice"], "HSC331", assessor=people["bob"], iqa=people["carol"], centre=centre)
    signed_off_through_the_services(signed)
    interim = enrol(people["dave"], "H3 25", assessor=people["erin"], iqa=people["carol"], centre=centre)
    testimony = accepted_evidence(
        interim, AssessmentMethod.WITNESS_TESTIMONY, title="Testimony from his manager"
    )
    first_three = list(Criterion.objects.filter(unit=interim.unit).order_by("position")[:3])
    testimony.criteria.add(*first_three)  # a decision cites only evidence mapped to its item
    for criterion in first_three:
        decisions.decision_record(
            enrolment=interim,
            assessor=people["erin"],
            criterion=criterion,
            evidence=[testimony],
            decided_on=timezone.localdate(),
        )
    enrol(people["fay"], "HSC331", assessor=people["bob"], iqa=people["carol"], centre=centre)
    return {**people, "signed": signed, "interim": interim}


def test_an_iqa_samples_countersigns_and_refers_back_and_the_assessor_answers(
    page, riverside, login, axe_check, screenshot
):
    signed, interim = riverside["signed"], riverside["interim"]

    login(page, "carol@example.org", PASSWORD)
    page.goto("/assessments/quality/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your IQA sample")
    suggestion = page.get_by_role("region", name="Suggested sample")
    expect(suggestion.get_by_role("listitem")).to_have_count(2)
    expect(suggestion).to_contain_text("covers assessor Bob Baker; method: reflective account; unit HSC331")
    expect(suggestion).to_contain_text("covers assessor Erin Price; method: witness testimony; unit H3 25")
    expect(page.get_by_role("checkbox", name="Add Alice Adams, HSC331 to my sample")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Add Dave Dean, H3 25 to my sample")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Add Fay Fox, HSC331 to my sample")).not_to_be_checked()
    coverage = page.get_by_role("region", name="What your sample covers")
    expect(coverage).to_contain_text("Your sample misses 6")
    axe_check()
    screenshot(page, "iqa-sample-suggested")

    units = page.get_by_role("region", name="All your units")
    expect(units).to_contain_text("Showing 1–3 of 3 units.")
    expect(units.get_by_role("table", name="Assessed by Bob Baker")).to_contain_text("Fay Fox")
    expect(page.get_by_role("region", name=re.compile(r"^Waiting for your review"))).to_contain_text(
        "No unit in your sample is waiting for your review."
    )

    page.get_by_role("button", name="Add to my sample").click()
    expect(page.get_by_role("status").filter(has_text="2 units added to your sample: ")).to_be_visible()
    expect(coverage).to_contain_text("Your sample covers every assessor, assessment method and unit standard.")
    expect(page.get_by_role("region", name="Suggested sample")).to_contain_text("Nothing to suggest")
    waiting = page.get_by_role("region", name="Waiting for your review 2 units")
    expect(waiting.get_by_role("row")).to_have_count(3)
    axe_check()
    screenshot(page, "iqa-sample-added")

    # The list of units narrows to one assessor, keeping the rest of the page.
    page.get_by_label("Assessor").select_option(label="Erin Price")
    page.get_by_role("button", name="Filter").click()
    expect(units).to_contain_text("Showing 1–1 of 1 unit that matches the filters.")
    expect(units.get_by_role("table", name="Assessed by Erin Price")).to_contain_text("Dave Dean")
    expect(units.get_by_role("table", name="Assessed by Bob Baker")).to_have_count(0)
    axe_check()
    units.get_by_role("link", name="Clear the filters").click()
    expect(units).to_contain_text("Showing 1–3 of 3 units.")

    # The signed-off unit: a final review, countersigned.
    waiting.get_by_role("link", name="Review Alice Adams, HSC331").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review HSC331")
    expect(page.get_by_text("Final review", exact=True)).to_be_visible()
    sign_off_region = page.get_by_role("region", name="Sign-off")
    expect(sign_off_region).to_contain_text("Signed off by the assessor, Bob Baker")
    expect(sign_off_region).to_contain_text("Countersigned by the candidate, Alice Adams")
    expect(sign_off_region.get_by_role("status")).to_contain_text(
        re.compile(r"Intact:.* 34 decisions match what was signed\.")
    )
    decisions_region = page.get_by_role("region", name=re.compile(r"^The assessor’s decisions"))
    expect(decisions_region).to_contain_text("The assessor’s decisions, as signed (34)")
    expect(
        decisions_region.get_by_role("link", name=re.compile(r"^E\d+ Everything for HSC331"))
    ).to_have_count(34)
    axe_check()
    screenshot(page, "iqa-review-final")
    page.get_by_label("Countersign").check()
    page.get_by_label("Comments").fill(
        "Sampled every criterion: the evidence is the candidate’s own and sufficient."
    )
    page.get_by_role("button", name="Record review").click()

    expect(page).to_have_url(re.compile(rf"/assessments/units/{signed.pk}/#iqa-heading$"))
    expect(
        page.get_by_role("status").filter(has_text="You countersigned HSC331 of Alice Adams.")
    ).to_be_visible()
    panel = page.get_by_role("region", name="Quality assurance")
    expect(panel).to_contain_text("Countersigned")
    expect(panel).to_contain_text("Final (signed-off unit)")
    expect(panel).to_contain_text("Sampled every criterion")
    axe_check()
    screenshot(page, "iqa-unit-countersigned")

    # The unit on the way: an interim review, referred back with actions.
    page.goto("/assessments/quality/")
    page.get_by_role("region", name=re.compile(r"^Waiting for your review")).get_by_role(
        "link", name="Review Dave Dean, H3 25"
    ).click()
    expect(page.get_by_text("Interim review", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Sign-off")).to_contain_text(
        "The assessor has not signed this unit off."
    )
    page.get_by_label("Refer back to the assessor").check()
    page.get_by_label("Comments").fill("The testimony does not say what the witness saw Dave do.")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("a referral back needs actions").first).to_be_visible()
    axe_check()
    screenshot(page, "iqa-review-needs-actions")
    page.get_by_label("Actions for the assessor").fill(
        "Ask the witness to describe what she saw for H3 25.1 to 25.3."
    )
    page.get_by_role("button", name="Record review").click()
    expect(
        page.get_by_role("status").filter(has_text="You referred H3 25 of Dave Dean back to the assessor.")
    ).to_be_visible()
    expect(page.get_by_role("region", name="Quality assurance")).to_contain_text("Actions not yet done.")
    sign_out(page)

    # The assessor sees the referral on the unit page and says what she did.
    login(page, "erin@example.org", PASSWORD)
    page.goto(f"/assessments/units/{interim.pk}/")
    panel = page.get_by_role("region", name="Quality assurance")
    referral = panel.get_by_role(
        "region", name=re.compile(r"^The IQA, Carol Clark, referred this unit back to you on ")
    )
    expect(referral).to_contain_text("Ask the witness to describe what she saw for H3 25.1 to 25.3.")
    expect(referral).to_contain_text("The testimony does not say what the witness saw Dave do.")
    axe_check()
    screenshot(page, "iqa-referral-on-unit-page")
    referral.get_by_label("What you did").fill(
        "The witness added a full account of what she saw; E2 replaces E1."
    )
    referral.get_by_role("button", name="Mark actions done").click()

    expect(page.get_by_role("status").filter(has_text="has been told the actions are done")).to_be_visible()
    panel = page.get_by_role("region", name="Quality assurance")
    expect(panel).to_contain_text("Actions done")
    expect(panel).to_contain_text("E2 replaces E1")
    expect(panel.get_by_role("button", name="Mark actions done")).to_have_count(0)
    axe_check()
    screenshot(page, "iqa-referral-actions-done")

    assert list(QualityReview.objects.order_by("pk").values_list("outcome", "stage")) == [
        ("countersigned", "final"),
        ("referred", "interim"),
    ]
    assert Notification.objects.filter(
        recipient=riverside["carol"], message__contains="marked the IQA’s actions on H3 25 of Dave Dean done"
    ).exists()
