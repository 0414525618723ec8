"""A request whose form fields pass DATA_UPLOAD_MAX_MEMORY_SIZE (a very long account pasted in, or a
request made by hand) is refused before any view reads it: with a page in the product's look that
says what to do, not Django's bare "Bad Request (400)". Alice is a candidate (tests/conftest.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.portfolio import hostile_files
from tests.portfolio.test_evidence import form_fields

pytestmark = pytest.mark.django_db

SAYS = "What you sent is too long to save: the limit is 1,000 characters. Go back, shorten it and send it again."


@pytest.fixture
def small_limit(settings):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000


def test_too_long_a_form_gets_a_page_that_says_so(client, alice, hsc331, small_limit):
    client.force_login(alice)

    response = client.post("/portfolio/evidence/new/", form_fields(account="I supported Person A. " * 100))

    assert response.status_code == 400
    page = response.content.decode()
    assert SAYS in page
    assert "<title>Too long to save · Evidence portfolio</title>" in page
    assert "Alice Adams" in page  # the product's own page, with its navigation


def test_too_long_a_form_with_a_file_gets_the_same_page(client, alice, hsc331, small_limit):
    client.force_login(alice)
    photo = SimpleUploadedFile("visit.png", hostile_files.png_image(), content_type="image/png")

    response = client.post("/portfolio/evidence/new/", {**form_fields(account="x" * 2000), "files": [photo]})

    assert response.status_code == 400
    assert SAYS in response.content.decode()


def test_a_form_within_the_limit_is_not_refused(client, alice, hsc331, small_limit):
    client.force_login(alice)

    response = client.post("/portfolio/evidence/new/", form_fields(account="I supported Person A."))

    assert response.status_code == 302
