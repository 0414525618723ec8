"""Issue 12's fixity journey: Bob's signed-off HSC331 says when its files were last verified; a file
is changed behind the product's back; Bob asks for a check now, and the unit page shows what changed
and when it was found; the changed file's download says so before serving it. Checked with axe at
1280 and 390 px wide.

Alice is the candidate, Bob her assessor. See tests/assessments/unit_case.py.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import fixity
from assessments.models import FixityCheck, SignOff
from assessments.services import signoff
from tests.assessments.unit_case import accepted_evidence, build_case, meet, photo

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}


@pytest.fixture
def case(transactional_db):
    case = build_case()
    evidence = [
        accepted_evidence(case, title="Supporting a family visit", uploads=[photo("visit.png"), photo("plan.png", (40, 30))]),
        accepted_evidence(case, title="Reflecting on a friendship group", uploads=[photo("group.png")]),
    ]
    meet(case, case.hsc331, evidence)
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    case.evidence = evidence
    return case


def both_widths(page, axe_check, screenshot, name: str) -> None:
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_unit_page_says_when_the_files_were_verified_and_what_changed(
    page, case, login, axe_check, screenshot, evidence_root
):
    unit_url = f"/assessments/units/{case.hsc331.pk}/"
    login(page, case.bob.email, PASSWORD)
    page.goto(unit_url)
    panel = page.get_by_role("region", name="Sign-off")
    intact = panel.get_by_role("status")
    expect(intact).to_contain_text(re.compile(r"Intact:\s+3 files and 34 decisions match what was signed\."))
    expect(intact).to_contain_text(re.compile(r"Files last verified \d+ \w+ \d{4}, \d\d:\d\d \(assessor’s sign-off\)\."))

    plan = case.evidence[0].files.get(original_name="plan.png")
    (evidence_root / plan.file.name).write_bytes(b"a different picture altogether")
    page.reload()
    expect(panel.get_by_role("status")).to_contain_text("Intact:")  # no page reads the files
    panel.get_by_role("button", name="Check the files now").click()

    expect(page.get_by_role("status").filter(has_text="A check of the 3 signed files of HSC331 is queued")).to_be_visible()
    changed = page.get_by_role("region", name="Sign-off").get_by_role("alert")
    expect(changed).to_contain_text("This signed-off record has changed since it was signed. 1 problem:")
    expect(changed).to_contain_text("E1 plan.png has changed since the unit was signed off: its SHA-256 is now")
    expect(changed).to_contain_text(re.compile(r"Files last verified \d+ \w+ \d{4}, \d\d:\d\d \(check asked for by Bob Baker\)\."))
    page.get_by_role("region", name="Sign-off").scroll_into_view_if_needed()
    both_widths(page, axe_check, screenshot, "fixity-unit-page-changed")

    page.goto(f"/assessments/evidence/{case.evidence[0].pk}/")
    signed = page.get_by_role("region", name="Signed off")
    expect(signed).to_contain_text("E1 is part of the signed record of HSC331, signed off by Bob Baker")
    expect(signed.get_by_role("alert")).to_contain_text("E1 plan.png has changed since the unit was signed off")
    axe_check()
    screenshot(page, "fixity-evidence-page-changed")

    page.goto(f"/portfolio/files/{plan.pk}/?download=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("This file has changed since the unit was signed off")
    expect(page.get_by_role("alert")).to_contain_text("E1 plan.png has changed since the unit was signed off")
    expect(page.get_by_role("link", name=re.compile("^Download it anyway"))).to_be_visible()
    both_widths(page, axe_check, screenshot, "fixity-download-warning")


def test_a_changed_record_offers_no_countersign_and_a_forged_unlock_is_shown_in_red(
    page, case, login, axe_check, screenshot, evidence_root
):
    plan = case.evidence[0].files.get(original_name="plan.png")
    (evidence_root / plan.file.name).write_bytes(b"a different picture altogether")
    fixity.check_and_record(SignOff.objects.get(enrolment=case.hsc331), boundary=FixityCheck.Boundary.SCHEDULE)
    login(page, case.alice.email, PASSWORD)
    page.goto(f"/assessments/units/{case.hsc331.pk}/countersign/")
    expect(page.get_by_role("alert")).to_contain_text("E1 plan.png has changed since the unit was signed off")
    expect(page.get_by_text("You cannot countersign a record that has changed since it was signed.")).to_be_visible()
    expect(page.get_by_role("button", name="Countersign")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "fixity-countersign-refused")

    SignOff.objects.filter(enrolment=case.hsc331).update(voided_at=timezone.now(), voided_by=case.bob, void_reason="x")
    page.goto(f"/assessments/units/{case.hsc331.pk}/")
    forged = page.locator("[data-void=forged]")
    expect(forged).to_contain_text("Voided outside the product: not a real unlock.")
    forged.scroll_into_view_if_needed()
    both_widths(page, axe_check, screenshot, "fixity-forged-unlock")

    # The hand-written void unlocked nothing: Bob, her assessor, cannot withdraw a signed decision.
    from assessments.models import Decision

    decision = Decision.objects.filter(enrolment=case.hsc331, withdrawn_at=None).order_by("pk")[0]
    page.context.clear_cookies()  # Alice signed out
    login(page, case.bob.email, PASSWORD)
    # His home marks the unit, with a link to it.
    page.goto("/")
    expect(page.locator("[data-record=changed]")).to_have_text("HSC331 changed since sign-off")
    both_widths(page, axe_check, screenshot, "fixity-forged-unlock-assessor-home")
    page.goto(f"/assessments/decisions/{decision.pk}/withdraw/")
    expect(page.get_by_role("alert")).to_contain_text(
        "HSC331’s sign-off was voided outside the product, not by an unlock: the unit stays locked, so this "
        "decision cannot be withdrawn"
    )
    expect(page.get_by_role("button", name="Withdraw the decision")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "fixity-forged-unlock-withdraw-refused")
    assert Decision.objects.get(pk=decision.pk).withdrawn_at is None

    # The centre's list of portfolios marks it too, for Grace, its administrator.
    page.context.clear_cookies()
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/portfolios/")
    expect(page.locator("[data-record=changed]")).to_have_text("Changed since sign-off")
    both_widths(page, axe_check, screenshot, "fixity-forged-unlock-centre-portfolios")


def test_a_sign_off_deleted_in_the_database_is_said_on_the_unit_and_cannot_be_signed_over(
    page, case, login, axe_check, screenshot
):
    """The outside trial's deletion: the sign-off row with its checks, gone; the unit would read as
    never signed off. The enrolment's sealed record of its sign-offs says otherwise."""
    sign_off = SignOff.objects.get(enrolment=case.hsc331)
    FixityCheck.objects.filter(sign_off=sign_off).delete()
    sign_off.delete()
    login(page, case.bob.email, PASSWORD)

    page.goto(f"/assessments/units/{case.hsc331.pk}/")
    expect(page.locator("[data-sign-offs=changed]")).to_contain_text(
        "1 sign-off the portfolio made of HSC331 is missing from the database"
    )
    expect(page.locator(".unit-header [data-record=changed]")).to_have_text("Changed since sign-off")
    expect(page.get_by_role("link", name=re.compile(r"^Sign off"))).to_have_count(0)
    both_widths(page, axe_check, screenshot, "sign-off-deleted-unit-page")

    page.goto(f"/assessments/units/{case.hsc331.pk}/sign-off/")
    expect(page.locator(".signing-refused")).to_contain_text("the unit cannot be signed off again")
    expect(page.get_by_role("button", name="Sign off this unit")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "sign-off-deleted-refused")

    page.goto("/")
    expect(page.locator("[data-record=changed]").first).to_contain_text("changed since sign-off")
    both_widths(page, axe_check, screenshot, "sign-off-deleted-assessor-home")


def test_the_administrator_is_told_on_her_home_and_finds_the_units_changed(page, case, login, axe_check, screenshot):
    sign_off = SignOff.objects.get(enrolment=case.hsc331)
    FixityCheck.objects.filter(sign_off=sign_off).delete()
    sign_off.delete()
    login(page, case.grace.email, PASSWORD)

    page.goto("/")
    to_do = page.get_by_role("link", name="1 signed-off unit changed since sign-off")
    expect(to_do).to_be_visible()
    both_widths(page, axe_check, screenshot, "sign-off-deleted-administrator-home")
    to_do.click()
    expect(page.get_by_text("1 unit changed since sign-off")).to_be_visible()
    expect(page.get_by_label("Only units changed since sign-off")).to_be_checked()
    both_widths(page, axe_check, screenshot, "sign-off-deleted-portfolios-changed")
    page.get_by_role("link", name=case.alice.get_full_name()).first.click()
    expect(page.get_by_text("put the record back from the centre’s backups")).to_be_visible()
    both_widths(page, axe_check, screenshot, "sign-off-deleted-unit-page-administrator")
