"""The bulk export chooser as Grace the centre administrator uses it: "All N matching units" is
confirmed on a page saying how many and which, and builds those N or nothing. A unit registered while
she read the confirmation refuses the export, and the confirmation says how many match now, the
filter as she chose it; a deactivated candidate is marked in the list; an
assessor who left having signed off units here is offered after today's, marked, and exports their
units; a filter naming an assessor the centre deactivated with no unit here says so by name; and a
withdrawn or transferred unit is not offered, the page saying how many it leaves out."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from exports.models import BulkExport
from portfolio.models import Role
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import sign_off, signed_off_through_the_services
from tests.exports.test_bulk_export import centre  # noqa: F401  (the fixture)
from tests.factories import enrol, member

PASSWORD = "correct horse battery"


def test_a_changed_set_is_refused_then_confirmed_anew(page, centre, transactional_db, login, axe_check, screenshot, settings):  # noqa: F811
    # The export is asked for, not built: building six PDFs in the request would outlast the click.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    grace, bob = centre["grace"], centre["enrolments"][0].assessor
    alice = centre["enrolments"][0].candidate
    membership_deactivate(centre=centre["centre"], person=alice, deactivated_by=grace, reason="Left the centre.")
    url = f"/exports/centres/{centre['centre'].pk}/?assessor={bob.pk}"
    login(page, grace.email, PASSWORD)
    for shown, (width, height) in ((4, (1280, 900)), (5, (390, 844))):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        expect(page.get_by_label(f"All {shown} matching units")).to_be_checked()
        expect(page.get_by_text("Alice Morgan (deactivated)").first).to_be_visible()
        page.get_by_role("button", name="Build the export").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Export all {shown} matching units")
        expect(page.locator("#export-what")).to_have_text(f"{shown} units match: assessed by {bob.get_full_name()}.")
        newcomer = member(centre["centre"], Role.CANDIDATE, email=f"nia{width}@example.org", first_name="Nia", last_name=f"Evans{width}")
        enrol(newcomer, "HSC331", assessor=bob, iqa=centre["enrolments"][0].iqa, centre=centre["centre"])

        page.get_by_role("button", name=f"Build the export of {shown} units").click()

        count = shown + 1
        expect(page.get_by_role("alert")).to_contain_text(f"{count} units match now. Nothing was exported.")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Export all {count} matching units")
        expect(page.locator("#export-what")).to_have_text(f"{count} units match: assessed by {bob.get_full_name()}.")
        assert not BulkExport.objects.exists()
        axe_check()
        screenshot(page, f"export-changed-set-{width}")
        page.get_by_role("link", name="Back to the units").click()  # the list, as it was filtered
        expect(page.get_by_label("Assessor", exact=True)).to_have_value(str(bob.pk))
        expect(page.get_by_label(f"All {count} matching units")).to_be_checked()

    page.get_by_role("button", name="Build the export").click()
    page.get_by_role("button", name="Build the export of 6 units").click()
    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    assert BulkExport.objects.get().units_total == 6


def test_a_deactivated_assessor_in_the_filter_is_named(page, centre, transactional_db, login, axe_check, screenshot):  # noqa: F811
    grace = centre["grace"]
    olga = member(centre["centre"], Role.ASSESSOR, email="olga@example.org", first_name="Olga", last_name="Novak")
    membership_deactivate(centre=centre["centre"], person=olga, deactivated_by=grace, reason="Left the centre.")
    login(page, grace.email, PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/exports/centres/{centre['centre'].pk}/?assessor={olga.pk}")
        expect(page.get_by_role("alert")).to_contain_text("Assessor: Olga Novak has been deactivated at this centre.")
        expect(page.locator("#match-count")).to_have_text("No units are listed until the filter is chosen again.")
        expect(page.get_by_label("Assessor", exact=True)).to_have_value(str(olga.pk))
        axe_check()
        screenshot(page, f"export-deactivated-assessor-{width}")


def test_a_leaver_is_picked_from_the_assessors_and_their_units_exported(page, centre, transactional_db, login, axe_check, screenshot, settings):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    grace, carol = centre["grace"], centre["enrolments"][0].iqa
    olga = member(centre["centre"], Role.ASSESSOR, email="olga@example.org", first_name="Olga", last_name="Novak")
    nia = member(centre["centre"], Role.CANDIDATE, email="nia@example.org", first_name="Nia", last_name="Jones")
    olgas = enrol(nia, "HSC331", assessor=olga, iqa=carol, centre=centre["centre"])
    signed_off_through_the_services(olgas)  # before she left: signed-off units are not handed over
    membership_deactivate(centre=centre["centre"], person=olga, deactivated_by=grace, reason="Left the centre.")
    login(page, grace.email, PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/exports/centres/{centre['centre'].pk}/")
        assessor = page.get_by_label("Assessor", exact=True)
        expect(assessor.locator("option")).to_have_text(
            ["Any assessor", centre["enrolments"][0].assessor.get_full_name(), "Olga Novak (deactivated)"]
        )
        assessor.select_option(label="Olga Novak (deactivated)")
        page.get_by_role("button", name="Show units").click()

        expect(page.get_by_role("alert")).to_have_count(0)
        expect(page.locator("#match-count")).to_have_text("1 unit matches: assessed by Olga Novak (deactivated).")
        expect(page.get_by_label("Assessor", exact=True)).to_have_value(str(olga.pk))
        expect(page.get_by_label("The 1 matching unit")).to_be_checked()
        expect(page.locator("#export-units tbody tr")).to_have_count(1)
        expect(page.locator("#export-units tbody")).to_contain_text("Nia Jones")
        if width >= 768:  # the Assessor column is left out of the narrow table
            expect(page.locator("#export-units tbody")).to_contain_text("Olga Novak (deactivated)")
        axe_check()
        screenshot(page, f"export-leaver-assessor-{width}")

    page.get_by_role("button", name="Build the export").click()
    expect(page.locator("#export-what")).to_have_text("1 unit matches: assessed by Olga Novak (deactivated).")
    page.get_by_role("button", name="Build the export of 1 unit").click()
    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    export = BulkExport.objects.get()
    assert list(export.enrolments.all()) == [olgas]
    assert export.description == "The 1 unit: assessed by Olga Novak (deactivated)"


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
        page.get_by_role("button", name="Build the export").click()
        expect(page.locator("#export-what")).to_contain_text("Every unit signed off since")
        sign_off(signed_now)  # while the confirmation was read

        page.get_by_role("button", name=re.compile(r"Build the export of \d+ units?")).click()

        count = shown + 1
        expect(page.get_by_role("alert")).to_contain_text(f"{count} units match now. Nothing was exported.")
        expect(page.locator("#export-what")).to_have_text(re.compile(rf"^Every unit signed off since .*: {count} units\.$"))
        expect(page.get_by_role("button", name=f"Build the export of {count} units")).to_be_visible()
        assert not BulkExport.objects.exists()
        axe_check()
        screenshot(page, f"export-since-changed-{width}")


def test_a_withdrawn_unit_is_not_offered_and_the_page_says_so(page, centre, transactional_db, login, axe_check, screenshot, settings):  # noqa: F811
    """Outside tester: Ben Carter's HSC331, withdrawn, was listed "In progress" and exported as such."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    grace, bob, carol = centre["grace"], centre["enrolments"][0].assessor, centre["enrolments"][0].iqa
    ben = member(centre["centre"], Role.CANDIDATE, email="ben@example.org", first_name="Ben", last_name="Carter")
    bens = enrol(ben, "HSC331", assessor=bob, iqa=carol, centre=centre["centre"])
    today = timezone.localdate()
    enrolment_withdraw(enrolment=bens, effective_date=today, reason="Left the job.", changed_by=grace)
    enrolment_transfer(enrolment=centre["enrolments"][3], to_centre="Hillside College", effective_date=today,
                       reason="Moved house.", changed_by=grace)
    login(page, grace.email, PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/exports/centres/{centre['centre'].pk}/")

        expect(page.locator("#match-count")).to_have_text("3 units at Harbour Housing Academy.")
        expect(page.locator("#closed-units")).to_have_text(
            "2 withdrawn or transferred units are not offered: a unit closed before sign-off is no claim for the "
            "awarding body. Each stays, as it stands, on its unit’s page."
        )
        expect(page.locator("#export-units tbody tr")).to_have_count(3)
        expect(page.locator("#export-units tbody")).not_to_contain_text("Ben Carter")
        expect(page.get_by_label("All 3 matching units")).to_be_checked()
        axe_check()
        screenshot(page, f"export-withdrawn-not-offered-{width}")

    page.get_by_role("button", name="Build the export").click()
    expect(page.locator("#closed-units")).to_have_text(
        "2 withdrawn or transferred units are not included: a unit closed before sign-off is no claim for the awarding body."
    )
    page.get_by_role("button", name="Build the export of 3 units").click()
    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    assert set(BulkExport.objects.get().enrolments.all()) == set(centre["enrolments"][:3])
