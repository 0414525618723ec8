"""The four centre-wide administrator's pages that now page and filter (issue 16, item 6), in a real
browser with axe-core at desktop and phone widths: the bulk export chooser narrowed to one assessor
with "all N matching" offered, the claims ready a page at a time, the staff's competence found by
role, and the IQAs' sampling plans."""

import re

import pytest
from playwright.sync_api import expect

from assessments.views import claims as claim_views
from assessments.views import competence as competence_views
from assessments.views import sampling_plan as plan_views
from exports.views import bulk as export_views
from ops.generated_centre import PASSWORD, CentreSize, ensure_standards
from portfolio.models import Enrolment
from tests.performance.test_admin_pages_scale import _generate

pytestmark = pytest.mark.browser

SIZE = CentreSize(assessors=4, candidates=12, enrolments=2, evidence=3, signed_off_percent=60, iqas=2)


@pytest.fixture
def centre(transactional_db, monkeypatch):
    for module, name in ((export_views, "UNITS_PER_PAGE"), (claim_views, "READY_PER_PAGE"),
                         (claim_views, "CLAIMED_PER_PAGE"), (competence_views, "KEEPERS_PER_PAGE"),
                         (plan_views, "PLANS_PER_PAGE")):
        monkeypatch.setattr(module, name, 5)
    ensure_standards()
    return _generate(SIZE, "browser-centre")


def test_the_administrator_narrows_each_centre_wide_list(page, centre, login, axe_check, screenshot):
    login(page, centre.administrator.email, PASSWORD)
    pk = centre.centre.pk
    assessor = Enrolment.objects.filter(centre=centre.centre).order_by("pk").first().assessor
    theirs = Enrolment.objects.filter(centre=centre.centre, assessor=assessor).count()
    total = Enrolment.objects.filter(centre=centre.centre).count()
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})

        page.goto(f"/exports/centres/{pk}/")
        expect(page.get_by_text(f"{total} units at")).to_be_visible()
        expect(page.get_by_role("navigation", name="Units matching: pages")).to_contain_text(f"Page 1 of {-(-total // 5)}")
        page.get_by_label("Assessor").select_option(label=assessor.get_full_name())
        page.get_by_role("button", name="Show units").click()
        expect(page.locator("#match-count")).to_contain_text(f"{theirs} units match: assessed by {assessor.get_full_name()}")
        expect(page.get_by_label(f"All {theirs} matching units")).to_be_checked()
        axe_check()
        screenshot(page, f"admin-lists-exports-{width}")

        page.goto(f"/assessments/centres/{pk}/claims/")
        expect(page.get_by_role("heading", name="Ready to claim")).to_be_visible()
        expect(page.get_by_text(re.compile(r"\d+ units? ready"))).to_be_visible()
        axe_check()
        screenshot(page, f"admin-lists-claims-{width}")

        page.goto(f"/assessments/centres/{pk}/competence/")
        page.get_by_label("Role").select_option(label="IQAs")
        page.get_by_role("button", name="Find").click()
        expect(page.get_by_text("2 IQAs")).to_be_visible()
        axe_check()
        screenshot(page, f"admin-lists-competence-{width}")

        page.goto(f"/assessments/centres/{pk}/iqa-plans/")
        expect(page.get_by_role("heading", level=2)).to_have_count(2)
        axe_check()
        screenshot(page, f"admin-lists-plans-{width}")
