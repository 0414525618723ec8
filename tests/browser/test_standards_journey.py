"""Issue 2's journey: a visitor finds a unit, reads it, and opens a defined word's definition."""

import pytest
from playwright.sync_api import expect

from tests.factories import load_standards


@pytest.fixture(autouse=True)
def standards(transactional_db):
    load_standards()


def test_a_visitor_finds_reads_and_looks_up_a_definition(page, axe_check, screenshot):
    page.goto("/standards/")
    expect(page.get_by_role("heading", level=1)).to_have_text("National Occupational Standards")
    axe_check()

    page.get_by_label("Search by unit code or words of the title").fill("boundaries")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".list-group-item")
    expect(results).to_have_count(1)
    results.first.click()

    expect(page).to_have_url("/standards/h3-25/".join([page.url.split("/standards/")[0], ""]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Work within appropriate boundaries with customers")
    criterion_7 = page.locator("#h3-25-7")
    expect(criterion_7).to_contain_text("you negotiate the frequency and method of your contact with customers")
    expect(page.locator("#h3-25-ko")).to_contain_text("how customers can develop dependency on the relationship")
    axe_check()
    screenshot(page, "standards-h3-25")

    page.goto("/standards/hsc331/")
    term = page.locator("#hsc331b-1 .defined-term", has_text="key people")
    term.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Definition of Key people")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("people who are key to an individual")
    expect(dialog).to_contain_text("family")
    expect(term).to_have_attribute("aria-expanded", "true")
    axe_check()
    screenshot(page, "standards-hsc331-definition")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(term).to_be_focused()
