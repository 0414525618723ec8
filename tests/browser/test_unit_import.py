"""Issue 14 items 1 and 2 in the browser: Grace, a centre administrator granted the right, imports a
unit from the standards list: pastes its text, reads the parsed unit beside its source (an
incomplete one is refused until she says so), confirms, and lands on the new unit's page. Checked
with axe at 1280 and 390 px wide."""

import pytest
from playwright.sync_api import expect

from portfolio.models import Membership, Person, Role
from tests.assessments.unit_case import build_case
from tests.factories import may_import
from tests.standards.import_texts.care import SQA

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}
NO_KNOWLEDGE = SQA.split("Knowledge Specification")[0]


@pytest.fixture
def grace(transactional_db):
    case = build_case()
    may_import(Membership.objects.filter(person=case.grace, role=Role.ADMINISTRATOR))
    return case.grace


def _check(page, axe_check, screenshot, name):
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_imports_a_unit_from_its_text(page, grace, login, axe_check, screenshot):
    login(page, grace.email, PASSWORD)
    page.goto("/standards/")
    page.get_by_role("link", name="Import a unit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a unit")
    page.get_by_role("button", name="Read the unit").click()
    expect(page.get_by_role("alert").first).to_contain_text("nothing was given")
    _check(page, axe_check, screenshot, "unit-import-refused")

    page.get_by_label("Or paste the unit's text").fill(NO_KNOWLEDGE)
    page.get_by_label("Suite of standards").select_option(label="Health and Social Care National Occupational Standards")
    page.get_by_role("button", name="Read the unit").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Contribute to the safety and protection of individuals")
    expect(page.get_by_text("This unit is incomplete")).to_be_visible()
    expect(page.get_by_text("SQA code F5BE 04")).to_be_visible()
    expect(page.get_by_text("HSC41.1.2", exact=True)).to_be_visible()
    expect(page.get_by_label("The text as read from pasted text")).to_contain_text("F5BE 04 (HSC41)")
    _check(page, axe_check, screenshot, "unit-import-preview")

    page.get_by_role("button", name="Import HSC41").click()
    expect(page.get_by_role("alert").first).to_contain_text("tick the box to import it as an incomplete unit")
    page.get_by_label("Import it as an incomplete unit").check()
    page.get_by_role("button", name="Import HSC41").click()

    expect(page.get_by_text("is in the catalogue")).to_be_visible()
    expect(page.get_by_text("Incomplete unit").first).to_be_visible()
    _check(page, axe_check, screenshot, "unit-import-done")


def test_the_site_administrator_lets_an_administrator_import_units(page, transactional_db, login, axe_check, screenshot):
    """Issue 14 item 5: the site administrator, who holds no role at any centre, reaches the
    Catalogue page from the standards list, ticks Grace and saves; Grace is told."""
    case = build_case()
    site = Person.objects.create_superuser(
        email="sam@example.org", password=PASSWORD, first_name="Sam", last_name="Site"
    )
    login(page, site.email, PASSWORD)
    page.goto("/standards/")
    page.get_by_role("link", name="Who may import units").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue")
    _check(page, axe_check, screenshot, "catalogue-rights")

    page.get_by_label(f"{case.grace.get_full_name()} {case.grace.email} may import units").check()
    page.get_by_role("button", name="Save who may import units").click()

    expect(page.get_by_text("Saved, and each of them told")).to_be_visible()
    expect(page.get_by_label(f"{case.grace.get_full_name()} {case.grace.email} may import units")).to_be_checked()
    _check(page, axe_check, screenshot, "catalogue-rights-saved")
    assert Membership.objects.get(person=case.grace, role=Role.ADMINISTRATOR).may_import_units


def test_a_newer_version_is_imported_beside_the_old_one_marking_it_legacy(page, grace, login, axe_check, screenshot):
    """Issue 14 item 5: the preview says the catalogue has version 3 and candidates stay on it; Grace
    ticks "Mark version 3 Legacy"; the standards list shows both, version 3 Legacy."""
    from standards.importing.detect import parse
    from standards.importing.writer import write_unit
    from standards.models import Suite
    from tests.standards.current_texts import CLEAN

    write_unit(parse(CLEAN), Suite.objects.get(code="HSC"))
    login(page, grace.email, PASSWORD)
    page.goto("/portfolio/catalogue/import/")
    page.get_by_label("Or paste the unit's text").fill(CLEAN.replace("Version Number 3", "Version Number 4"))
    page.get_by_label("Suite of standards").select_option(label="Health and Social Care National Occupational Standards")
    page.get_by_role("button", name="Read the unit").click()

    expect(page.get_by_text("this is version 4: it will sit beside it; candidates stay on version 3 until moved.")).to_be_visible()
    _check(page, axe_check, screenshot, "unit-import-newer-version")
    page.get_by_label("Mark version 3 Legacy").check()
    page.get_by_role("button", name="Import SCDHSC0041").click()

    expect(page.get_by_text("is in the catalogue")).to_be_visible()
    page.goto("/standards/?q=SCDHSC0041")
    expect(page.get_by_text("v3 · Legacy")).to_be_visible()
    expect(page.get_by_text("v4 · Current")).to_be_visible()
