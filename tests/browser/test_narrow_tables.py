"""Tables on a phone (tester's findings at 390 px): an enrolment's "Changes by the centre" wrapped names
letter by letter and cut its dates, and the import's preview and report scrolled sideways, hiding
"What will happen". They stack now, each cell after its column's name. Checked: the page does not
scroll sideways and no cell is narrower than a word in it; axe at 1280 and 390 px. Also the import's
report leads to registering its candidates, all ticked, and "Tick all shown" ticks what the filter
shows."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.services_enrolments import enrolment_reassign, enrolment_target_date_change
from tests.assessments.unit_case import accepted_evidence, build_case

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}

CLASS = (
    b"Forename,Surname,Email address,ULN\n"
    b"Nia,Nash,nia.nash@example.org,9276308686\n"
    b"Owen,Osei-Bonsu,owen.osei-bonsu@example.org,9276308687\n"
    b"Alice,Adams,alice@example.org,\n"
    b",Park,pia.park@example,12345\n"
)

# Whether the page scrolls sideways, and each table cell narrower than a word in it.
TOO_NARROW = """(selector) => {
  const found = [];
  const whole = document.documentElement;
  if (whole.scrollWidth > window.innerWidth) found.push(`the page scrolls sideways: ${whole.scrollWidth}px`);
  for (const region of document.querySelectorAll(".table-responsive")) {
    if (region.scrollWidth > region.clientWidth + 1) found.push(`a table scrolls sideways: ${region.scrollWidth}px`);
  }
  const measure = document.createElement("canvas").getContext("2d");
  for (const cell of document.querySelectorAll(`${selector} tbody th, ${selector} tbody td`)) {
    if (!cell.offsetParent) continue;
    const style = getComputedStyle(cell);
    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const word of cell.innerText.split(/\\s+/).filter((w) => w && w.length <= 24)) {
      const width = measure.measureText(word).width;
      if (width > room + 1) found.push(`"${word}" (${Math.round(width)}px) in a cell ${Math.round(room)}px wide`);
    }
  }
  return found;
}"""


@pytest.fixture
def case(transactional_db):
    return build_case()


def both_widths(page, axe_check, screenshot, name: str, table: str) -> None:
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, f"{name}-390")
    assert page.evaluate(TOO_NARROW, table) == []
    page.set_viewport_size(WIDE)


def test_an_enrolments_changes_stack_on_a_phone(page, case, login, axe_check, screenshot):
    later = timezone.localdate() + datetime.timedelta(days=400)
    enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, changed_by=case.grace,
                       reason="Bob has left the centre and Erin takes over his candidates.")
    enrolment_target_date_change(enrolment=case.hsc331, target_date=later, changed_by=case.grace,
                                 reason="Alice was off sick for a month.")
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/portfolio/enrolments/{case.hsc331.pk}/")
    history = page.get_by_role("table")
    expect(history.get_by_role("row").filter(has_text="Assessor changed")).to_contain_text("Erin Evans")
    both_widths(page, axe_check, screenshot, "enrolment-changes", ".enrolment-history")


def test_the_imports_rows_stack_and_its_report_leads_to_registering_the_class(
    page, case, login, axe_check, screenshot
):
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/portfolio/centres/{case.centre.pk}/people/import/")
    page.get_by_label("The list of candidates (CSV)").set_input_files(
        files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": CLASS}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the candidates before importing them")
    expect(page.get_by_text("Will be invited without the ULN: enter the right one from their Identifiers")).to_be_visible()
    both_widths(page, axe_check, screenshot, "people-import-preview-stacked", ".people-import-rows")

    page.get_by_role("button", name="Invite 2 candidates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidates imported")
    both_widths(page, axe_check, screenshot, "people-import-report-stacked", ".people-import-rows")

    page.get_by_role("link", name="Register these candidates on a unit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register candidates on a unit")
    expect(page.get_by_label("Nia Nash (nia.nash@example.org), invited, not yet accepted")).to_be_checked()
    expect(page.get_by_label("Owen Osei-Bonsu (owen.osei-bonsu@example.org), invited, not yet accepted")).to_be_checked()
    expect(page.get_by_label("Alice Adams (alice@example.org)")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "register-found", "table")

    page.get_by_role("link", name="Show every candidate").first.click()
    page.get_by_label("Find by name or email address").fill("example.org")
    page.get_by_label("Tick all shown").check()
    expect(page.get_by_label("Alice Adams (alice@example.org)")).to_be_checked()
    expect(page.get_by_label("Dave Davies (dave@example.org)")).to_be_checked()
    page.get_by_label("Tick all shown").uncheck()
    expect(page.get_by_label("Alice Adams (alice@example.org)")).not_to_be_checked()


def test_the_iqas_units_stack_on_a_phone(page, case, login, axe_check, screenshot):
    """The IQA's "All your units" (an outside trial: at 390 px its seven columns were squeezed, names
    and states broken over many lines): on a phone each unit stands as a block led by its candidate,
    each cell after its column's name; at 1280 px it is the table it was."""
    accepted_evidence(case)
    login(page, case.carol.email, PASSWORD)
    page.goto("/assessments/quality/")
    units = page.get_by_role("table", name="Assessed by Bob Baker")
    expect(units.get_by_role("row").filter(has_text="Alice Adams")).to_have_count(2)
    expect(units.get_by_role("columnheader", name="Methods of the evidence")).to_be_visible()
    both_widths(page, axe_check, screenshot, "iqa-all-units", ".iqa-units")
    page.set_viewport_size(NARROW)
    row = units.get_by_role("row").filter(has_text="HSC331")
    # Each cell after its column's name (drawn before it by the stylesheet), the cells one under another.
    names = row.evaluate(
        """(tr) => [...tr.querySelectorAll("td")].map((td) => getComputedStyle(td, "::before").content)"""
    )
    assert names == ['"Add to my sample:"', '"Unit:"', '"State:"', '"Decisions:"', '"Methods of the evidence:"',
                     '"Sampled:"']
    tops = row.evaluate("""(tr) => [...tr.children].map((cell) => cell.getBoundingClientRect().top)""")
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    expect(row.get_by_label("Add Alice Adams, HSC331 to my sample")).to_be_visible()
    page.set_viewport_size(WIDE)
