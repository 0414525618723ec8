"""Issue 13 items 9 and 7 in a browser: a refused form opens on an error summary at its top, focused,
linking to each field (following a link focuses the field); leaving a changed form warns, and
sending it does not; the candidate's Change page shows the referral feedback above the form; "What
is missing" links to adding evidence for an item, which the mapping page ticks; the state badges.
Each changed page is checked with axe-core at 1280 and 390 pixels wide.

The people are the shared cast (tests/cast.py): Alice the candidate on HSC331, Bob her assessor,
Grace the centre administrator.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.services import judging
from tests.assessments.judging_people import draft, submitted
from tests.assessments.unit_case import accept, accepted_evidence, build_case, meet
from tests.browser.conftest import VIEWPORT

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
FEEDBACK = "Say what Person A chose and how you checked they were happy with the plan."


@pytest.fixture
def world(transactional_db):
    case = build_case()
    evidence = accepted_evidence(case, title="Supporting a family visit")
    meet(case, case.hsc331, [evidence])  # everything met: the sign-off form is offered
    return case


def _check_at_both_widths(page, axe_check, screenshot, name: str) -> None:
    page.set_viewport_size(VIEWPORT)
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    axe_check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a phone"
    screenshot(page, f"{name}-390")
    page.set_viewport_size(VIEWPORT)


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _check_the_summary(page, axe_check, screenshot, name: str, links: list[str]) -> None:
    """The summary is there, focused, names each problem as a link, and its first link takes the
    person to the field."""
    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("alert")).to_be_visible()
    for text in links:
        expect(summary.get_by_role("link", name=text)).to_be_visible()
    # In view, once any smooth scrolling has stopped: the page opened on it, however far down the form is.
    page.wait_for_function(
        "() => { const top = document.querySelector('[data-error-summary]').getBoundingClientRect().top;"
        " return top >= 0 && top < innerHeight - 100; }"
    )
    _check_at_both_widths(page, axe_check, screenshot, name)
    summary.get_by_role("link", name=links[0]).click()
    target = summary.get_by_role("link", name=links[0]).get_attribute("href")[1:]
    page.wait_for_function(
        "(id) => { const t = document.getElementById(id), a = document.activeElement;"
        " return a === t || (t && t.contains(a) && a.matches('input, textarea, select')); }",
        arg=target,
    )
    assert _focused_id(page)


def test_a_refused_evidence_form_opens_on_its_summary(page, world, login, axe_check, screenshot):
    login(page, world.alice.email, PASSWORD)
    page.goto(reverse("portfolio:evidence_create"))
    page.get_by_role("button", name="Save as draft").click()  # sent by the upload script
    _check_the_summary(page, axe_check, screenshot, "refused-evidence-form",
                       [re.compile(r"^Title: This field is required"), re.compile(r"^Assessment method: ")])
    assert _focused_id(page) == "id_title"


def test_a_refused_person_opens_on_its_summary(page, world, login, axe_check, screenshot):
    login(page, world.grace.email, PASSWORD)
    page.goto(reverse("portfolio:person_create", args=[world.centre.pk]))
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Send the invitation").click()
    _check_the_summary(page, axe_check, screenshot, "refused-person-add", [
        "First name: This field is required.", "Email address: Enter a valid email address.",
        "Role at this centre: This field is required.",
    ])
    assert _focused_id(page) == "id_first_name"


def test_a_refused_sign_off_opens_on_its_summary(page, world, login, axe_check, screenshot):
    login(page, world.bob.email, PASSWORD)
    page.goto(reverse("assessments:sign_off", args=[world.hsc331.pk]))
    page.get_by_role("button", name="Sign off this unit").click()
    _check_the_summary(page, axe_check, screenshot, "refused-sign-off", ["Confirm the declaration to sign."])
    assert _focused_id(page) == "id_declared"


def test_a_refused_witness_request_opens_on_its_summary(page, world, login, axe_check, screenshot):
    login(page, world.alice.email, PASSWORD)
    page.goto(reverse("assessments:testimony_request", args=[world.hsc331.pk]))
    page.get_by_label("Email address").fill("wendy at the day centre")
    page.get_by_role("button", name="Send the link to the witness").click()
    _check_the_summary(page, axe_check, screenshot, "refused-witness-request", [
        "Witness’s name: This field is required.", "Witness’s email address: Enter a valid email address.",
        "Tick at least one criterion the witness saw.",
    ])
    assert _focused_id(page) == "id_witness_name"
    page.locator("[data-error-summary]").get_by_role("link", name="Tick at least one criterion the witness saw.").click()
    expect(page.locator("#criteria-group input[type=checkbox]").first).to_be_focused()


def test_a_refused_comment_opens_on_its_summary_above_the_comment_box(page, world, login, axe_check, screenshot):
    evidence = submitted(world.alice, world.hsc331, title="Planning a visit")
    login(page, world.alice.email, PASSWORD)
    page.goto(reverse("assessments:evidence_detail", args=[evidence.pk]))
    page.get_by_role("button", name="Send comment").click()
    expect(page).to_have_url(re.compile(r"#comment-errors$"))
    _check_the_summary(page, axe_check, screenshot, "refused-comment", ["Write your comment before sending it."])
    assert _focused_id(page) == "id_text"


# Leaving a changed form warns ---------------------------------------------------------------


def _leave_by_link(page, name: str) -> list[str]:
    """Follow a link away from the page, staying if the browser asks; the questions asked."""
    asked: list[str] = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=name).click()
    page.wait_for_timeout(500)
    return asked


def test_leaving_a_changed_evidence_form_warns_and_sending_it_does_not(page, world, login):
    login(page, world.alice.email, PASSWORD)
    form_url = reverse("portfolio:evidence_create")
    page.goto(form_url)
    # Unchanged: leaving asks nothing.
    assert _leave_by_link(page, "My evidence") == []
    expect(page).to_have_url(re.compile(r"/portfolio/evidence/$"))

    page.goto(form_url)
    page.get_by_label("Title").press_sequentially("Helping Person A plan a visit")
    assert _leave_by_link(page, "My evidence") == ["beforeunload"]
    expect(page).to_have_url(re.compile(rf"{form_url}$"))  # stayed, with what was typed
    expect(page.get_by_label("Title")).to_have_value("Helping Person A plan a visit")

    # Refused (no method chosen): still unsaved, so leaving still asks.
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert _leave_by_link(page, "My evidence") == ["beforeunload"]

    # Sent and saved: no question on the way to the mapping page.
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.get_by_label("Assessment method").select_option(label="Reflective account")
    page.get_by_label("Date of the activity").fill("2026-11-01")
    page.get_by_label("Written account").fill("I helped Person A phone their sister and choose a day.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page).to_have_url(re.compile(r"/portfolio/evidence/\d+/map/$"))
    assert asked == []


def test_leaving_a_written_comment_warns(page, world, login):
    evidence = submitted(world.alice, world.hsc331, title="Planning a visit")
    login(page, world.alice.email, PASSWORD)
    page.goto(reverse("assessments:evidence_detail", args=[evidence.pk]))
    page.get_by_label("Write to your assessor").press_sequentially("Is the plan enough?")
    assert _leave_by_link(page, "My evidence") == ["beforeunload"]
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("status").filter(has_text="Your comment on")).to_be_visible()


# The candidate's pages ----------------------------------------------------------------------


def test_the_change_page_shows_the_feedback_above_the_form(page, world, login, axe_check, screenshot):
    evidence = submitted(world.alice, world.hsc331, title="Planning a visit")
    judging.evidence_refer_back(evidence=evidence, assessor=world.bob, feedback=FEEDBACK)
    login(page, world.alice.email, PASSWORD)
    page.goto(reverse("assessments:evidence_detail", args=[evidence.pk]))
    page.get_by_role("link", name="Change", exact=True).click()
    feedback = page.get_by_role("region", name="What your assessor asked you to change")
    expect(feedback).to_contain_text(FEEDBACK)
    expect(feedback).to_contain_text("Bob Baker referred version 1 back to you on")
    top_of = "(selector) => document.querySelector(selector).getBoundingClientRect().top"
    assert page.evaluate(top_of, "#referral-heading") < page.evaluate(top_of, "#evidence-form")
    _check_at_both_widths(page, axe_check, screenshot, "change-page-with-feedback")


def test_what_is_missing_leads_to_adding_evidence_ticked_for_the_item(page, transactional_db, login, axe_check,
                                                                       screenshot):
    case = build_case()
    login(page, case.alice.email, PASSWORD)
    # HSC331: criteria with sub-points, and scope not yet evidenced.
    page.goto(reverse("assessments:enrolment_detail", args=[case.hsc331.pk]))
    page.get_by_role("tab", name="Criteria").click()  # "What is missing" heads the unit page's criteria
    missing = page.get_by_role("region", name="What is missing")
    missing.get_by_text("Criteria with no evidence (17)").click()
    expect(missing.locator(".sub-points li", has_text="the benefits of building relationships with the people")).to_be_visible()
    expect(missing.get_by_role("link", name="Add evidence for this: Key people")).to_be_visible()
    _check_at_both_widths(page, axe_check, screenshot, "unit-what-is-missing-hsc331")

    page.goto(reverse("assessments:enrolment_detail", args=[case.h3_25.pk]))
    page.get_by_role("tab", name="Criteria").click()
    missing = page.get_by_role("region", name="What is missing")
    expect(missing).to_contain_text("No evidence yet for 12 criteria")
    missing.get_by_text("Criteria with no evidence (12)").click()  # a long list starts closed
    _check_at_both_widths(page, axe_check, screenshot, "unit-what-is-missing")
    missing.get_by_role("link", name="Add evidence for this: H3 25.7").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add evidence")
    expect(page.get_by_role("note").filter(has_text="You are adding evidence for H3 25.7")).to_be_visible()
    _check_at_both_widths(page, axe_check, screenshot, "add-evidence-for-an-item")
    page.get_by_label("Title").fill("Explaining what I can and cannot do")
    page.get_by_label("Assessment method").select_option(label="Reflective account")
    page.get_by_label("Date of the activity").fill("2026-11-01")
    page.get_by_label("Written account").fill("I told the tenant which repairs I could arrange and which I could not.")
    page.get_by_role("button", name="Save as draft").click()

    expect(page).to_have_url(re.compile(r"/map/\?for=criterion-\d+$"))
    expect(page.get_by_role("checkbox", name=re.compile(r"^H3 25\.7 "))).to_be_checked()
    expect(page.get_by_role("note").filter(has_text="is ticked for you")).to_be_visible()
    _check_at_both_widths(page, axe_check, screenshot, "mapping-ticked-for-the-item")
    page.get_by_role("button", name="Save mapping").click()
    expect(page.get_by_role("region", name="What it proves")).to_contain_text("H3 25.7")


def test_the_badges_tell_the_states_apart(page, transactional_db, login, axe_check, screenshot):
    case = build_case()
    draft(case.alice, case.hsc331, title="Notes for a reflective account")
    submitted(case.alice, case.hsc331, title="Supporting a family visit")
    referred = submitted(case.alice, case.hsc331, title="Phoning a sister")
    judging.evidence_refer_back(evidence=referred, assessor=case.bob, feedback=FEEDBACK)
    accept(submitted(case.alice, case.hsc331, title="A friendship group"), case.bob)
    login(page, case.alice.email, PASSWORD)
    page.goto(reverse("portfolio:evidence_list"))
    for words in ("Draft", "Submitted for assessment", "Referred back", "Accepted"):
        badge = page.locator(".state-badge", has_text=words)
        expect(badge).to_have_count(1)
        expect(badge.locator("svg.state-icon")).to_have_attribute("aria-hidden", "true")
    _check_at_both_widths(page, axe_check, screenshot, "evidence-list-badges")
