"""Three findings of an outside trial, seen in the browser with axe-core at 1280 and 390 px:
a witness link waiting for a deactivated candidate is listed as paused, not waiting; a comment or
judgement posted from a stale tab on evidence bearing only on closed units answers with the evidence
page saying why; and the assessor's home links the units of their deactivated candidates.

Dave's HSC331 is Erin's; Alice is Bob's candidate on HSC331 and H3 25 (tests/cast.py)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.services import witness as witness_services
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from portfolio.services_people import membership_deactivate
from standards.models import Criterion
from tests.assessments.judging_people import submitted
from tests.assessments.unit_case import build_case

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def case(transactional_db):
    return build_case()


def _deactivate_dave(case) -> None:
    membership_deactivate(
        centre=case.centre, person=case.dave, deactivated_by=case.grace, reason="Left the course."
    )


def _post_from_a_stale_tab(page, address: str, fields: dict) -> None:
    """What a tab opened before the units closed sends: a form posted with the page's CSRF token."""
    page.evaluate(
        """([address, fields]) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = address;
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            for (const [name, value] of Object.entries({...fields, csrfmiddlewaretoken: token})) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [address, fields],
    )
    page.wait_for_load_state()


def test_a_witness_link_of_a_deactivated_candidate_is_paused(page, case, login, axe_check, screenshot):
    witness_services.testimony_request(
        enrolment=case.dave_hsc331,
        requested_by=case.erin,
        witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org",
        criteria=list(Criterion.objects.filter(unit=case.dave_hsc331.unit, reference="HSC331a.1")),
    )
    _deactivate_dave(case)
    login(page, case.erin.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/units/{case.dave_hsc331.pk}/")
        page.get_by_role("tab", name="Evidence").click()
        panel = page.locator("#witnesses")
        expect(panel.get_by_text("Paused", exact=True)).to_be_visible()
        expect(panel.get_by_text("Paused: the candidate is deactivated here")).to_be_visible()
        expect(panel.get_by_text("Waiting", exact=True)).to_have_count(0)
        axe_check()
        screenshot(page, f"witness-link-paused-{width}")


def test_a_stale_comment_and_judgement_on_closed_units_answer_with_the_page(
    page, case, login, axe_check, screenshot
):
    evidence = submitted(case.alice, case.h3_25, title="Boundaries at work", criteria=("H3 25.1",))
    on = timezone.localdate() - datetime.timedelta(days=3)
    enrolment_withdraw(enrolment=case.hsc331, effective_date=on, reason="Paused.", changed_by=case.grace)
    enrolment_transfer(
        enrolment=case.h3_25,
        to_centre="Hillside College",
        effective_date=on,
        reason="Moved.",
        changed_by=case.grace,
    )
    login(page, case.bob.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{evidence.pk}/")
        _post_from_a_stale_tab(page, f"/assessments/evidence/{evidence.pk}/comments/", {"text": "Any news?"})
        expect(page.get_by_text("Your comment was not sent.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Boundaries at work")
        axe_check()
        screenshot(page, f"closed-units-stale-comment-{width}")

        _post_from_a_stale_tab(
            page,
            f"/assessments/evidence/{evidence.pk}/judge/",
            {"decision": "accept", "feedback": "Good.", "valid": "on"},
        )
        expect(page.get_by_text(f"Your judgement of {evidence.reference} was not recorded")).to_be_visible()
        expect(page.locator("#judge")).to_have_count(0)
        axe_check()
        screenshot(page, f"closed-units-stale-judgement-{width}")


def test_the_assessors_home_links_the_units_of_deactivated_candidates(
    page, case, login, axe_check, screenshot
):
    _deactivate_dave(case)
    login(page, case.erin.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/")
        page.get_by_role("link", name="their unit", exact=True).click()
        expect(page.get_by_text("1 unit of deactivated candidates.")).to_be_visible()
        axe_check()
        screenshot(page, f"deactivated-candidates-units-{width}")
        page.get_by_role("link", name="Dave Davies on HSC331").click()
        expect(page.get_by_text("Dave Davies’s unit (candidate deactivated)")).to_be_visible()
