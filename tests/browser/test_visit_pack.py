"""Grace, Riverside's administrator, builds a visit pack for the EQA: she finds Alice's units on
the Visit pack page, ticks them, builds the pack, watches it go from waiting to ready on the
worker, and downloads a ZIP that verify_export passes. Heidi, the EQA, does the same on a phone,
watching it part-built. At 1280 and 390 px, with axe."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from exports import visit_pack, zip_builds
from exports.models import VisitPack
from tests.browser.conftest import VIEWPORT, sign_out
from tests.exports.signed_case import signed_case

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def signed(transactional_db, settings):
    # The worker is not run by the request: the page shows the pack waiting, then the test builds
    # it as the worker would, and the page follows.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return signed_case()


def test_the_administrator_builds_watches_and_downloads_a_visit_pack(page, signed, login, axe_check, screenshot,
                                                                      tmp_path: Path):
    case = signed.case
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/exports/centres/{case.centre.pk}/visit-packs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit pack")
    expect(page.get_by_text("No visit pack yet.")).to_be_visible()
    page.get_by_label("Candidate, unit code or assessor").fill("Alice")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Dave Davies on HSC331")).to_have_count(0)
    axe_check()
    screenshot(page, "visit-pack-choose-1280")
    page.get_by_label("Alice Adams on HSC331").check()
    page.get_by_label("Alice Adams on H3 25").check()
    page.get_by_role("button", name="Build the visit pack").click()

    pack = VisitPack.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Visit pack {pack.pk}")
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    axe_check()
    screenshot(page, "visit-pack-waiting-1280")

    visit_pack.build(pack)
    expect(page.get_by_text("Ready to download")).to_be_visible()  # the page polls every 2 seconds
    expect(page.get_by_role("progressbar", name="Visit pack progress")).to_have_attribute("aria-valuenow", "100")
    axe_check()
    screenshot(page, "visit-pack-done-1280")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the visit pack").click()
    assert download.value.suggested_filename == f"riverside-visit-pack-{pack.pk}.zip"
    path = tmp_path / "pack.zip"
    download.value.save_as(path)
    out = io.StringIO()
    call_command("verify_export", str(path), stdout=out)
    assert "Everything holds: 2 unit PDF(s)" in out.getvalue()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/exports/centres/{case.centre.pk}/visit-packs/")
    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=f"Visit pack {pack.pk}"))
    expect(item.get_by_text("Ready to download")).to_be_visible()
    expect(item.get_by_role("link", name=f"Download visit pack {pack.pk}")).to_be_visible()
    axe_check()
    screenshot(page, "visit-pack-list-390")
    page.goto(f"/exports/visit-packs/{pack.pk}/")
    axe_check()
    screenshot(page, "visit-pack-done-390")


def test_the_eqa_builds_a_pack_watches_it_grow_and_downloads_a_sealed_one(page, signed, login, axe_check, screenshot,
                                                                          tmp_path: Path):
    """Heidi, Riverside's EQA, on a phone: from the centre's portfolios to the Visit pack page, ticks
    Alice's HSC331 and Dave's, builds the pack, sees it part-built (stage and percentage), then ready;
    the ZIP she downloads passes verify_export offline with the root, its list of files sealed.
    Then Grace reads in the centre's log, in words, that Heidi downloaded it. 390 and 1280 px, axe."""
    case = signed.case
    page.set_viewport_size(PHONE)
    login(page, case.heidi.email, PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/portfolios/")
    page.get_by_role("link", name="build a visit pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit pack")
    page.get_by_label("Alice Adams on HSC331").check()
    page.get_by_label("Dave Davies on HSC331").check()
    axe_check()
    screenshot(page, "visit-pack-eqa-choose-390")
    page.get_by_role("button", name="Build the visit pack").click()

    pack = VisitPack.objects.get()
    assert pack.requested_by == case.heidi
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    # The worker part of the way through: its second section, 3 steps of 8 (each unit's check, then
    # each of the sections' files), as visit_pack.build records them.
    attempt = zip_builds.start(pack, total=8, stage="IQA records")
    zip_builds.beat(pack, attempt, units_done=3)
    progress = page.get_by_role("progressbar", name="Visit pack progress")
    expect(progress).to_have_attribute("aria-valuenow", "38")  # the page polls every 2 seconds
    expect(page.get_by_text("Being built — IQA records")).to_be_visible()
    axe_check()
    screenshot(page, "visit-pack-eqa-building-390")

    visit_pack.build(pack)
    expect(page.get_by_text("Ready to download")).to_be_visible()
    expect(progress).to_have_attribute("aria-valuenow", "100")
    axe_check()
    screenshot(page, "visit-pack-eqa-done-390")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the visit pack").click()
    path = tmp_path / "pack.zip"
    download.value.save_as(path)
    root = io.StringIO()
    call_command("centre_seal_root", "--installation", stdout=root)
    (tmp_path / "root.pem").write_text(root.getvalue())
    out = io.StringIO()
    call_command("verify_export", str(path), "--offline", "--root", str(tmp_path / "root.pem"), stdout=out)
    assert "VALID      manifest.json: the list of every file in the ZIP; sealed by" in out.getvalue()
    assert "Everything holds: 2 unit PDF(s)" in out.getvalue()

    page.set_viewport_size(VIEWPORT)
    page.goto(f"/exports/visit-packs/{pack.pk}/")
    axe_check()
    screenshot(page, "visit-pack-eqa-done-1280")

    sign_out(page)
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/portfolio/centres/{case.centre.pk}/eqa/log/")
    log = page.get_by_role("table")
    expect(log).to_contain_text(f"Visit pack downloaded: number {pack.pk}, asked for by Heidi Hughes")
    expect(log).not_to_contain_text("/exports/")
    axe_check()
    screenshot(page, "eqa-log-pack-1280")
    page.set_viewport_size(PHONE)
    axe_check()
    screenshot(page, "eqa-log-pack-390")
