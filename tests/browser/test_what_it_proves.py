"""The evidence page's "What it proves" for evidence mapped to two units, in a browser with axe-core at
1280 and 390 px: each unit under its own heading, its criteria, then its knowledge, then its scope.
Alice is on HSC331 and H3 25, Bob assesses both (tests/cast.py)."""

import pytest
from playwright.sync_api import expect

from tests.assessments.unit_case import build_case, submitted_evidence

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def case(transactional_db):
    return build_case()


def test_each_units_items_are_grouped_under_it(page, case, login, axe_check, screenshot):
    evidence = submitted_evidence(
        case, references=["HSC331 K6", "HSC331 S1.2", "H3 25 K(b)", "HSC331a.1", "H3 25.1"]
    )
    login(page, case.alice.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{evidence.pk}/")

        proves = page.get_by_role("region", name="What it proves")
        expect(proves.get_by_role("heading", level=3)).to_have_text(
            [
                "H3 25 Work within appropriate boundaries with customers",
                "HSC331 Support individuals to develop and maintain social networks and relationships",
            ]
        )
        expect(proves.locator(".ref.me-1")).to_have_text(
            ["H3 25.1", "H3 25 K(b)", "HSC331a.1", "HSC331 K6", "HSC331 S1.2"]
        )
        axe_check()
        screenshot(page, f"what-it-proves-two-units-{width}")
