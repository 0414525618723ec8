"""Evidence files reach only the people on the candidate's case, streamed, with headers that
stop a browser running or keeping them; every download by someone else is on the audit trail.
(Shown in the browser, and the audit trail's viewed and downloaded apart: test_file_viewing.py.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent
from standards.models import Criterion
from tests.portfolio import hostile_files
from tests.portfolio.evidence_files import download, upload

pytestmark = pytest.mark.django_db


CONTENTS = {
    "photo.jpg": hostile_files.jpeg_photo(),
    "observation.pdf": hostile_files.pdf_document(),
    "testimony.docx": hostile_files.docx_document(),
    "account.txt": hostile_files.PLAIN_TEXT,
}


def _evidence(alice, centre, uploads, title="Planning a visit with Mrs B"):
    return services.evidence_create(
        candidate=alice,
        centre=centre,
        author=alice,
        title=title,
        method=AssessmentMethod.PRODUCT,
        activity_date=timezone.localdate() - datetime.timedelta(days=1),
        uploads=uploads,
    )


@pytest.fixture
def files(centre, alice, hsc331, daves_unit):
    """Alice's submitted evidence's files by name. Dave, at the same centre, has Erin as his assessor."""
    evidence = _evidence(alice, centre, [upload(name, content) for name, content in CONTENTS.items()])
    services.evidence_map(
        evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )
    services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
    return {f.original_name: f for f in evidence.files.all()}


@pytest.fixture
def draft_file(centre, alice, hsc331):
    """A file of Alice's draft: hers alone until she submits it."""
    return _evidence(alice, centre, [upload("notes.txt", hostile_files.PLAIN_TEXT)], title="Unfinished").files.get()


# Who may download: one test per rule.


def test_it_serves_the_candidate(client, alice, files):
    assert download(client, alice, files["account.txt"]).status_code == 200


def test_it_serves_her_assessor(client, bob, files):
    assert download(client, bob, files["account.txt"]).status_code == 200


def test_it_serves_her_iqa(client, carol, files):
    assert download(client, carol, files["account.txt"]).status_code == 200


def test_it_serves_the_administrator_of_her_centre(client, grace, files):
    assert download(client, grace, files["account.txt"]).status_code == 200


def test_it_404s_for_another_candidate_at_her_centre(client, dave, files):
    assert download(client, dave, files["account.txt"]).status_code == 404


def test_it_404s_for_the_assessor_of_another_candidate(client, erin, files):
    assert download(client, erin, files["account.txt"]).status_code == 404


def test_it_404s_for_the_administrator_of_another_centre(client, frank, files):
    assert download(client, frank, files["account.txt"]).status_code == 404


def test_it_serves_the_candidate_her_own_draft(client, alice, draft_file):
    assert download(client, alice, draft_file).status_code == 200


@pytest.mark.parametrize("persona", ["bob", "carol", "grace", "heidi"])
def test_it_404s_a_drafts_file_for_everyone_else_on_her_case(client, people, draft_file, persona):
    assert download(client, people[persona], draft_file).status_code == 404
    assert not AuditEvent.objects.filter(action="portfolio.file.downloaded").exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, files):
    url = reverse("portfolio:evidence_file", args=[files["account.txt"].pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_404s_for_a_file_that_does_not_exist(client, alice, files):
    client.force_login(alice)
    response = client.get(reverse("portfolio:evidence_file", args=[max(f.pk for f in files.values()) + 1]))

    assert response.status_code == 404


def test_it_only_answers_get(client, alice, files):
    client.force_login(alice)

    response = client.post(reverse("portfolio:evidence_file", args=[files["account.txt"].pk]))

    assert response.status_code == 405


# What is sent.


@pytest.mark.parametrize("name", list(CONTENTS))
def test_it_sends_the_bytes_that_were_uploaded_streamed(client, alice, files, name):
    response = download(client, alice, files[name])

    assert response.streaming
    assert response.content_bytes == CONTENTS[name]
    assert response["Content-Length"] == str(len(CONTENTS[name]))


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("photo.jpg", "image/jpeg"),
        ("observation.pdf", "application/pdf"),
        ("testimony.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("account.txt", "text/plain"),
    ],
)
def test_it_sends_the_type_found_at_upload(client, alice, files, name, content_type):
    assert download(client, alice, files[name])["Content-Type"] == content_type


def test_it_sets_the_protective_headers(client, bob, files):
    response = download(client, bob, files["photo.jpg"])

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("name", list(CONTENTS))
def test_it_offers_every_kind_as_a_download(client, alice, files, name):
    """Shown in the browser is another address (test_file_viewing.py); this one always downloads."""
    response = download(client, alice, files[name])

    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_it_still_downloads_when_asked_the_old_way(client, alice, files):
    response = download(client, alice, files["photo.jpg"], "?download=1")

    assert response["Content-Disposition"] == 'attachment; filename="photo.jpg"'


def test_it_names_the_download_with_the_label_even_when_it_is_not_ascii(client, centre, alice, hsc331):
    evidence = _evidence(alice, centre, [upload('Zoë\'s "visit"; notes.txt', hostile_files.PLAIN_TEXT)])
    added = evidence.files.get()

    response = download(client, alice, added)

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Zo%C3%AB%27s%20%22visit%22%3B%20notes.txt"
    )


# The audit trail.


def test_it_records_a_download_by_her_assessor(client, bob, files):
    photo = files["photo.jpg"]

    download(client, bob, photo)

    event = AuditEvent.objects.get(action="portfolio.file.downloaded")
    assert event.actor == bob
    assert event.centre == photo.evidence.centre
    assert event.evidence == photo.evidence
    assert event.candidate == photo.evidence.candidate
    assert event.summary == f"{photo.evidence.reference} file “photo.jpg” downloaded by {bob}"
    assert event.after == {"file": "photo.jpg", "sha256": photo.sha256, "file_id": photo.pk}


@pytest.mark.parametrize("persona", ["carol", "grace"])
def test_it_records_a_download_by_anyone_else_on_her_case(client, files, persona, request):
    person = request.getfixturevalue(persona)

    download(client, person, files["account.txt"])

    assert AuditEvent.objects.filter(action="portfolio.file.downloaded", actor=person).count() == 1


def test_it_records_nothing_when_the_candidate_downloads_her_own_file(client, alice, files):
    download(client, alice, files["photo.jpg"])

    assert not AuditEvent.objects.filter(action="portfolio.file.downloaded").exists()


def test_it_records_nothing_when_it_refuses(client, dave, files):
    download(client, dave, files["photo.jpg"])

    assert not AuditEvent.objects.filter(action="portfolio.file.downloaded").exists()
