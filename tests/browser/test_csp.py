"""Every page keeps working under the Content-Security-Policy: nothing is refused, and what needs
JavaScript (popovers, the upload with its progress bar, the mapping filter, htmx polling) still
does it. The browser reports each refusal as a console message and a securitypolicyviolation
event; both are gathered on every page and must stay empty.

Alice is the candidate, Bob her assessor, Carol her IQA, Grace the centre's administrator.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from exports.models import BulkExport
from portfolio import services
from portfolio.models import AssessmentMethod, Role
from standards.models import Criterion
from tests.factories import CentreFactory, enrol, member
from tests.portfolio import hostile_files

PASSWORD = "correct horse battery"

# Runs in every page before its own scripts: keeps each violation where the test can read it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || location.pathname}:${event.lineNumber} ${event.sample || ""}`
  );
}, true);
"""


class PolicyWatch:
    """What the browser said about the policy, and any script error, since the test began."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.script_errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))

    def assert_clean(self) -> None:
        where = self.page.url
        events = self.page.evaluate("window.cspViolations || []")
        assert events == [], f"securitypolicyviolation on {where}:\n" + "\n".join(events)
        refusals = [m for m in self.console if "Content Security Policy" in m]
        assert refusals == [], f"console on {where}:\n" + "\n".join(refusals)
        assert self.script_errors == [], f"script errors on {where}:\n" + "\n".join(self.script_errors)

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None
        assert response.ok, f"GET {path} answered {response.status}"
        self.page.wait_for_load_state("load")
        self.assert_clean()


@pytest.fixture
def watch(page):
    return PolicyWatch(page)


@pytest.fixture
def case(transactional_db):
    call_command("loaddata", "standards", verbosity=0)
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    grace = member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Gray", email="grace@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)

    def evidence(title: str, *uploads):
        return services.evidence_create(
            candidate=alice,
            centre=centre,
            author=alice,
            title=title,
            method=AssessmentMethod.PRODUCT,
            activity_date=timezone.localdate() - datetime.timedelta(days=2),
            account="I supported Person A to phone their sister and plan a visit.",
            uploads=list(uploads),
        )

    submitted = evidence(
        "Supporting a family visit",
        SimpleUploadedFile("visit.jpg", hostile_files.jpeg_photo((320, 240))),
        SimpleUploadedFile("plan.pdf", hostile_files.pdf_document()),
    )
    criteria = Criterion.objects.filter(element__unit=enrolment.unit).order_by("pk")[:3]
    services.evidence_map(evidence=submitted, editor=alice, criteria=criteria, knowledge_items=[], scope_items=[])
    services.evidence_submit(evidence=submitted, candidate=alice, declared=True)
    draft = evidence("Reflecting on a friendship group", SimpleUploadedFile("group.jpg", hostile_files.jpeg_photo()))
    return {
        "centre": centre, "alice": alice, "bob": bob, "grace": grace,
        "enrolment": enrolment, "submitted": submitted, "draft": draft,
    }


@pytest.fixture
def export_under_way(case):
    """An export the worker has started on, as Grace would see it while she waits."""
    export = BulkExport.objects.create(
        centre=case["centre"], requested_by=case["grace"], description="1 chosen unit(s)",
        status=BulkExport.Status.RUNNING, units_done=0, units_total=1,
    )
    export.enrolments.add(case["enrolment"])
    return export


def candidate_tour(page, watch, case, tmp_path) -> None:
    enrolment, draft = case["enrolment"], case["draft"]
    for path in ("/", "/portfolio/evidence/", f"/assessments/evidence/{draft.pk}/", "/portfolio/notifications/"):
        watch.visit(path)

    # Progress bars take their width from data-percent, set by the script, not a style attribute.
    watch.visit(f"/assessments/units/{enrolment.pk}/")
    bar = page.get_by_role("progressbar", name="Performance criteria: with evidence, not yet met")
    percent = bar.get_attribute("data-percent")
    assert percent not in (None, "0")
    assert bar.evaluate("(element) => element.style.width") == f"{percent}%"

    # A standard's defined words open in a popover.
    watch.visit("/standards/hsc331/")
    page.locator(".defined-term[data-definition]").first.click()
    expect(page.locator(".popover")).to_be_visible()
    watch.assert_clean()

    # The mapping page's filter narrows the list.
    watch.visit(f"/portfolio/evidence/{draft.pk}/map/")
    page.get_by_label("Filter by reference or words").fill("HSC331a.1")
    expect(page.locator("#mapping-filter-count")).to_have_text(re.compile(r"^1 of \d+ shown$"))
    watch.assert_clean()

    # An upload goes up through the script, with its progress bar, and lands on the mapping page.
    watch.visit("/portfolio/evidence/new/")
    photo = tmp_path / "visit-photo.jpg"
    photo.write_bytes(hostile_files.jpeg_photo((640, 480)))
    page.get_by_label("Title").fill("Planning a visit")
    page.get_by_label("Assessment method").select_option(label="Reflective account")
    page.get_by_label("Date of the activity").fill("2024-05-14")
    page.get_by_label("Written account").fill("I helped Person A plan a visit to their sister.")
    page.locator('input[type="file"][name="files"]').set_input_files([photo])
    expect(page.locator("[data-file-queue] li")).to_have_count(1)
    page.get_by_role("button", name="Save as draft").click()
    expect(page).to_have_url(re.compile(r"/portfolio/evidence/\d+/map/$"))
    watch.assert_clean()


def assessor_tour(page, watch, case) -> None:
    enrolment, submitted = case["enrolment"], case["submitted"]
    for path in ("/", "/assessments/assess/", f"/assessments/units/{enrolment.pk}/", f"/assessments/units/{enrolment.pk}/decisions/"):
        watch.visit(path)

    # The photo shows in the evidence page, from the permission-checked download.
    watch.visit(f"/assessments/evidence/{submitted.pk}/")
    photo = page.locator("img[src^='/portfolio/files/']").first
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    watch.assert_clean()


def administrator_tour(page, watch, case, export) -> None:
    centre = case["centre"]
    watch.visit(f"/assessments/centres/{centre.pk}/")
    watch.visit(f"/exports/centres/{centre.pk}/")
    watch.visit(f"/exports/{export.pk}/")
    expect(page.locator("#export-progress")).to_contain_text("0 of 1 unit")

    # The page asks again every two seconds; the new progress comes in through htmx.
    BulkExport.objects.filter(pk=export.pk).update(units_done=1, units_total=2)
    expect(page.locator("#export-progress")).to_contain_text("1 of 2 units", timeout=8_000)
    watch.assert_clean()


def test_the_candidates_pages_break_no_rule(page, watch, login, case, tmp_path):
    login(page, case["alice"].email, PASSWORD)
    watch.assert_clean()
    candidate_tour(page, watch, case, tmp_path)


def test_the_assessors_pages_break_no_rule(page, watch, login, case):
    login(page, case["bob"].email, PASSWORD)
    assessor_tour(page, watch, case)


def test_an_export_in_progress_updates_itself_under_the_policy(page, watch, login, case, export_under_way):
    login(page, case["grace"].email, PASSWORD)
    administrator_tour(page, watch, case, export_under_way)


def test_the_sign_in_page_and_a_refused_sign_in_break_no_rule(page, watch, login, case):
    watch.visit("/accounts/login/")
    login(page, case["alice"].email, "not the password")
    expect(page.get_by_text("did not match")).to_be_visible()
    watch.assert_clean()


def test_no_page_needs_inline_style_attributes(page, watch, login, case, export_under_way, settings, tmp_path):
    assert "style-src-attr" not in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for person, tour in (
        (case["alice"], lambda: candidate_tour(page, watch, case, tmp_path)),
        (case["bob"], lambda: assessor_tour(page, watch, case)),
        (case["grace"], lambda: administrator_tour(page, watch, case, export_under_way)),
    ):
        page.context.clear_cookies()
        login(page, person.email, PASSWORD)
        tour()


def test_the_site_admin_breaks_no_rule(page, watch, case, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password=PASSWORD)
    watch.visit("/admin/login/")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    watch.assert_clean()

    for path in ("/admin/portfolio/person/", f"/admin/portfolio/person/{case['alice'].pk}/change/"):
        watch.visit(path)
