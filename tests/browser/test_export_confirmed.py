"""The bulk export chooser as Grace the centre administrator uses it: "All N matching units" builds
those N or nothing. A unit registered while she read the page refuses the export, and the page says
how many match now, the filter as she chose it; a deactivated candidate is marked in the list, and a
filter naming an assessor the centre deactivated says so by name."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from exports.models import BulkExport
from portfolio.models import Role
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import sign_off
from tests.exports.test_bulk_export import centre  # noqa: F401  (the fixture)
from tests.factories import enrol, member

PASSWORD = "correct horse battery"


def test_a_changed_set_is_refused_then_confirmed_anew(page, centre, transactional_db, login, axe_check, screenshot, settings):  # noqa: F811
    # The export is asked for, not built: building six PDFs in the request would outlast the click.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    grace, bob = centre["grace"], centre["enrolments"][0].assessor
    alice = centre["enrolments"][0].candidate
    membership_deactivate(centre=centre["centre"], person=alice, deactivated_by=grace)
    url = f"/exports/centres/{centre['centre'].pk}/?assessor={bob.pk}"
    login(page, grace.email, PASSWORD)
    for shown, (width, height) in ((4, (1280, 900)), (5, (390, 844))):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        expect(page.get_by_label(f"All {shown} matching units")).to_be_checked()
        expect(page.get_by_text("Alice Morgan (deactivated)").first).to_be_visible()
        newcomer = member(centre["centre"], Role.CANDIDATE, email=f"nia{width}@example.org", first_name="Nia", last_name=f"Evans{width}")
        enrol(newcomer, "HSC331", assessor=bob, iqa=centre["enrolments"][0].iqa, centre=centre["centre"])

        page.get_by_role("button", name="Build the export").click()

        count = shown + 1
        expect(page.get_by_role("alert")).to_contain_text(f"{count} units match now. Nothing was exported.")
        expect(page.locator("#match-count")).to_contain_text(f"{count} units match: assessed by {bob.get_full_name()}")
        expect(page.get_by_label("Assessor", exact=True)).to_have_value(str(bob.pk))
        expect(page.get_by_label(f"All {count} matching units")).to_be_checked()
        assert not BulkExport.objects.exists()
        axe_check()
        screenshot(page, f"export-changed-set-{width}")

    page.get_by_role("button", name="Build the export").click()
    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    assert BulkExport.objects.get().units_total == 6


def test_a_deactivated_assessor_in_the_filter_is_named(page, centre, transactional_db, login, axe_check, screenshot):  # noqa: F811
    grace = centre["grace"]
    olga = member(centre["centre"], Role.ASSESSOR, email="olga@example.org", first_name="Olga", last_name="Novak")
    membership_deactivate(centre=centre["centre"], person=olga, deactivated_by=grace)
    login(page, grace.email, PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/exports/centres/{centre['centre'].pk}/?assessor={olga.pk}")
        expect(page.get_by_role("alert")).to_contain_text("Assessor: Olga Novak has been deactivated at this centre.")
        expect(page.locator("#match-count")).to_have_text("No units are listed until the filter is chosen again.")
        expect(page.get_by_label("Assessor", exact=True)).to_have_value(str(olga.pk))
        axe_check()
        screenshot(page, f"export-deactivated-assessor-{width}")


def test_the_older_signed_off_since_form_is_refused_when_a_unit_was_signed_off_since(page, centre, transactional_db, login, axe_check, screenshot):  # noqa: F811
    """The form before issue 16 ("everything signed off since", posted as `choice=since`), from a
    page left open: a unit signed off while it was read refuses it, and the page says the count now."""
    alice_hsc, alice_h325, dan_hsc, _ = centre["enrolments"]
    sign_off(alice_hsc)
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    login(page, centre["grace"].email, PASSWORD)
    for width, height, signed_now in ((1280, 900, alice_h325), (390, 844, dan_hsc)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/exports/centres/{centre['centre'].pk}/?signed_off_since={since}")
        shown = int(page.locator("#match-count strong").inner_text().split()[0])
        page.evaluate("document.getElementById('choice-matching').value = 'since'")  # as the older form posted
        sign_off(signed_now)  # while the page was read

        page.get_by_role("button", name="Build the export").click()

        count = shown + 1
        expect(page.get_by_role("alert")).to_contain_text(f"{count} units match now. Nothing was exported.")
        expect(page.locator("#match-count")).to_contain_text(f"{count} units match: signed off since")
        expect(page.get_by_label(f"All {count} matching units")).to_be_checked()
        assert not BulkExport.objects.exists()
        axe_check()
        screenshot(page, f"export-since-changed-{width}")
