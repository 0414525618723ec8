"""Issue 13 item 4 in a browser: Bob, judging Alice's evidence, sees it on the evidence page itself:
her photo's preview (opening the photo full size), her PDF in a frame of the page, her recording in
a player that seeks (the player asks for the part it needs with a Range request: 206), and the text
of her Word document. Nothing is refused by the Content-Security-Policy; the page passes axe at 1280
and 390 pixels wide; the audit trail says Bob viewed each file and downloaded none.

Alice is the candidate on HSC331; Bob is her assessor.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent, Role
from standards.models import Criterion
from tests.browser.conftest import SCREENSHOTS_DIR, VIEWPORT
from tests.browser.test_csp import PolicyWatch
from tests.factories import CentreFactory, enrol, load_standards, member
from tests.portfolio import hostile_files, office_documents

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
MINUTES = 4  # of recording: 3.8 MB at 8 kHz, so the player fetches it in parts


@pytest.fixture
def evidence(transactional_db):
    load_standards()
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    uploads = [
        SimpleUploadedFile("visit.jpg", hostile_files.jpeg_photo((1280, 960))),
        SimpleUploadedFile("support-plan.pdf", hostile_files.pdf_document("Support plan: Person A's visit.")),
        SimpleUploadedFile("discussion.wav", hostile_files.wav_recording(seconds=MINUTES * 60)),
        SimpleUploadedFile("testimony.docx", office_documents.docx()),
    ]
    # The worker makes the thumbnail and reads the document's text as the upload commits.
    evidence = services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="Supporting a family visit",
        method=AssessmentMethod.PRODUCT, activity_date=enrolment.start_date, uploads=uploads,
        account="I supported Person A to phone their sister and plan a visit.",
    )
    services.evidence_map(
        evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )
    services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
    return evidence


def test_the_assessor_sees_plays_and_reads_the_evidence_where_he_judges_it(
    page, login, evidence, axe_check, screenshot
):
    watch = PolicyWatch(page)
    answers: list[tuple[str, int, str | None, str | None]] = []
    page.on("response", lambda r: answers.append((r.url, r.status, r.request.headers.get("range"), r.headers.get("content-range"))))
    files = {f.original_name: f for f in evidence.files.all()}
    login(page, "bob@example.org", PASSWORD)
    watch.visit(f"/assessments/evidence/{evidence.pk}/")

    # The photo's preview: the worker's 480-pixel thumbnail, a link to the photo full size.
    picture = page.get_by_role("link", name="Photo: visit.jpg (opens full size in a new tab)")
    expect(picture).to_have_attribute("href", f"/portfolio/files/{files['visit.jpg'].pk}/view/")
    preview = picture.get_by_role("img")
    preview.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth === 480", arg=preview.element_handle())

    # The PDF in a frame of the page: the one answer the page may frame.
    frame = page.locator("iframe[title='PDF: support-plan.pdf']")
    frame.scroll_into_view_if_needed()
    expect(frame).to_be_visible()
    pdf_url = f"/portfolio/files/{files['support-plan.pdf'].pk}/view/"
    page.wait_for_function(f"() => performance.getEntriesByName(location.origin + '{pdf_url}').length > 0")
    # Chromium's PDF viewer holds it (a frame refused by X-Frame-Options would be an error page).
    pdf_frames = [f for f in page.frames if f.url.endswith(pdf_url)]
    assert pdf_frames, f"the PDF's frame was refused: {[f.url for f in page.frames]}"
    assert pdf_frames[0].evaluate("document.contentType") == "application/pdf"

    # The recording plays from the start and seeks near its end.
    player = page.locator("audio[aria-label='Recording: discussion.wav']")
    player.scroll_into_view_if_needed()
    page.wait_for_function("(audio) => audio.readyState >= 1", arg=player.element_handle())
    assert round(player.evaluate("(audio) => audio.duration")) == MINUTES * 60
    player.evaluate("(audio) => { audio.currentTime = audio.duration - 10; }")
    page.wait_for_function("(audio) => !audio.seeking && audio.readyState >= 2", arg=player.element_handle())
    recording_url = f"/portfolio/files/{files['discussion.wav'].pk}/view/"
    parts = [(status, asked, sent) for url, status, asked, sent in answers if url.endswith(recording_url)]
    assert parts and all(status == 206 for status, _, _ in parts), parts
    later = [sent for _, asked, sent in parts if asked and not asked.startswith("bytes=0-")]
    assert later, f"the player asked for no later part: {parts}"
    assert re.fullmatch(r"bytes [1-9]\d*-\d+/\d+", later[-1])

    # The Word document's text, in a region of its own that scrolls.
    expect(page.get_by_role("heading", name="Text of the document")).to_be_visible()
    text = page.get_by_role("region", name="Text of testimony.docx")
    expect(text).to_contain_text("Alice supported Mrs B to phone her sister.")
    expect(text).to_contain_text("Riverside House")
    watch.assert_clean()

    page.set_viewport_size(VIEWPORT)
    axe_check()
    screenshot(page, "evidence-files-shown")
    page.set_viewport_size(PHONE)
    axe_check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a phone"
    screenshot(page, "evidence-files-shown-390")
    watch.assert_clean()

    # The full-size photo, from its link, in a tab of its own.
    with page.context.expect_page() as opened:
        picture.click()
    photo = opened.value
    photo.wait_for_load_state()
    assert photo.url.endswith(f"/portfolio/files/{files['visit.jpg'].pk}/view/")
    assert photo.evaluate("document.images[0].naturalWidth") == 1280

    # Bob viewed each file he saw; he downloaded none.
    viewed = AuditEvent.objects.filter(action="portfolio.file.viewed", actor__email="bob@example.org")
    assert sorted(e.after["file"] for e in viewed) == ["discussion.wav", "support-plan.pdf", "visit.jpg"]
    assert not AuditEvent.objects.filter(action="portfolio.file.downloaded").exists()

    # The history tells the submission in a sentence, and Bob's views in one line of their own.
    page.reload()
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Alice Adams submitted E1")
    expect(history.get_by_role("listitem").filter(has_text="Bob Baker viewed its files 3 times, last on")).to_be_visible()
    expect(history).not_to_contain_text("(Bob Baker)")
    for size, name in ((VIEWPORT, "evidence-history"), (PHONE, "evidence-history-390")):
        page.set_viewport_size(size)
        history.scroll_into_view_if_needed()
        axe_check()
        page.screenshot(path=str(SCREENSHOTS_DIR / f"{name}.png"))


def test_the_candidate_is_told_her_photo_carries_its_location_and_a_description(
    page, login, transactional_db, axe_check, screenshot
):
    from tests.portfolio.test_photo_details import CANDIDATE_WARNING, DESCRIPTION, WHERE, jpeg

    load_standards()
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    evidence = services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="The garden party",
        method=AssessmentMethod.PRODUCT, activity_date=enrolment.start_date,
        uploads=[SimpleUploadedFile("party.jpg", jpeg(gps=WHERE, description=DESCRIPTION))],
    )
    login(page, "alice@example.org", PASSWORD)
    page.goto(f"/assessments/evidence/{evidence.pk}/")

    warning = page.get_by_role("note").filter(has_text="This photo carries")
    expect(warning).to_have_text(CANDIDATE_WARNING)
    preview = page.get_by_role("img", name="Photo: party.jpg (opens full size in a new tab)")
    page.wait_for_function("(img) => img.complete && img.naturalWidth === 480", arg=preview.element_handle())
    page.set_viewport_size(VIEWPORT)
    axe_check()
    screenshot(page, "evidence-photo-details")
    page.set_viewport_size(PHONE)
    axe_check()
    screenshot(page, "evidence-photo-details-390")

