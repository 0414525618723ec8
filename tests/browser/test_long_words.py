"""A 200-character title with no spaces in it (a pasted file name, a reference run together) and a
long file name wrap on every page that shows them, on a phone (390 px) and a desktop, instead of
making the page thousands of pixels wide and pushing the evidence's state off screen."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.models import Role
from tests.assessments.judging_people import submitted
from tests.factories import CentreFactory, enrol, load_standards, member
from tests.portfolio import hostile_files

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
LONG_TITLE = "Supporting" + "A" * 190
LONG_FILE = "visit-notes-" + "b" * 140 + ".png"


@pytest.fixture
def long_words(transactional_db):
    load_standards()
    centre = CentreFactory(name="Harbour Training", code="harbour")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    upload = SimpleUploadedFile(LONG_FILE, hostile_files.png_image(), content_type="image/png")
    evidence = submitted(alice, enrolment, title=LONG_TITLE, uploads=[upload])
    return {"enrolment": enrolment, "evidence": evidence}


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [390, 1280])
def test_long_words_wrap_on_every_page_that_shows_them(page, long_words, login, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    enrolment, evidence = long_words["enrolment"], long_words["evidence"]
    pages = {
        "alice@example.org": [
            reverse("home"), reverse("portfolio:evidence_list"),
            reverse("assessments:evidence_detail", args=[evidence.pk]),
            reverse("assessments:enrolment_detail", args=[enrolment.pk]),
        ],
        "bob@example.org": [
            reverse("home"), reverse("assessments:queue"), reverse("assessments:evidence_detail", args=[evidence.pk]),
            reverse("assessments:decisions", args=[enrolment.pk]),
            reverse("assessments:enrolment_detail", args=[enrolment.pk]),
        ],
    }
    too_wide = []
    for email, urls in pages.items():
        login(page, email, PASSWORD)
        for url in urls:
            page.goto(url)
            if _page_width(page) > width:
                too_wide.append(f"{email} {url}: {_page_width(page)} px")
                screenshot(page, f"long-words-{width}-{len(too_wide)}")
        page.context.clear_cookies()

    assert not too_wide, "pages wider than the screen:\n" + "\n".join(too_wide)
