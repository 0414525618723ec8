"""A download of a file a signed-off unit rests on, whose last fixity check found it changed, or whose
bytes hashed as it is asked for are not the ones signed, says so before serving it; an intact one
downloads as before.

Alice is the candidate on HSC331, Bob her assessor. See tests/assessments/unit_case.py.
"""

import pytest
from django.http import FileResponse

from assessments import fixity, integrity
from assessments.models import FixityCheck, SignOff
from assessments.services import signoff as services
from portfolio.models import AuditEvent, EvidenceFile, Notification
from tests.assessments.unit_case import accepted_evidence, build_case, meet, photo
from tests.portfolio.evidence_files import download

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def evidence(case):
    return accepted_evidence(case, title="Supporting a family visit", uploads=[photo("visit.png"), photo("plan.png", (40, 30))])


@pytest.fixture
def sign_off(case, evidence):
    meet(case, case.hsc331, [evidence])
    return services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)


def changed_and_checked(evidence_root, evidence, sign_off) -> EvidenceFile:
    plan = evidence.files.get(original_name="plan.png")
    (evidence_root / plan.file.name).write_bytes(b"a different picture altogether")
    fixity.check_and_record(SignOff.objects.get(pk=sign_off.pk), boundary=FixityCheck.Boundary.SCHEDULE)
    return plan


def test_a_signed_file_whose_last_check_failed_says_so_before_it_is_served(client, case, evidence, sign_off, evidence_root):
    plan = changed_and_checked(evidence_root, evidence, sign_off)
    check = FixityCheck.objects.filter(sign_off=sign_off).first()

    response = download(client, case.bob, plan, "?download=1")

    assert response.status_code == 200 and not isinstance(response, FileResponse)
    page = response.content.decode()
    assert "<h1>This file has changed since the unit was signed off</h1>" in page
    assert "The check of its files on <time datetime=" in page and f">{fixity.moment(check.checked_at)}</time> found:" in page
    assert "E1 plan.png has changed since the unit was signed off: its SHA-256 is now" in page
    assert f'href="/portfolio/files/{plan.pk}/?download=1&amp;anyway=1">Download it anyway' in page
    assert not AuditEvent.objects.filter(action="portfolio.file.downloaded").exists(), "nothing was served yet"

    anyway = download(client, case.bob, plan, "?download=1&anyway=1")

    assert isinstance(anyway, FileResponse) and anyway.content_bytes == b"a different picture altogether"
    assert "attachment" in anyway["Content-Disposition"]
    assert AuditEvent.objects.filter(action="portfolio.file.downloaded").count() == 1


def test_an_intact_signed_file_downloads_as_before(client, case, evidence, sign_off, evidence_root):
    changed_and_checked(evidence_root, evidence, sign_off)
    visit = evidence.files.get(original_name="visit.png")

    response = download(client, case.alice, visit)

    assert isinstance(response, FileResponse) and response.content_bytes.startswith(b"\x89PNG")


def test_a_file_changed_since_the_last_check_is_hashed_as_it_is_asked_for_and_a_check_is_queued(
    client, case, evidence, sign_off, evidence_root, django_capture_on_commit_callbacks
):
    plan = evidence.files.get(original_name="plan.png")
    (evidence_root / plan.file.name).write_bytes(b"changed after the last check")
    assert FixityCheck.objects.filter(sign_off=sign_off).get().intact, "the last check found it intact"

    with django_capture_on_commit_callbacks(execute=True):
        response = download(client, case.alice, plan, "?download=1")

    assert not isinstance(response, FileResponse)
    page = response.content.decode()
    assert "<h1>This file has changed since the unit was signed off</h1>" in page
    assert "E1 plan.png has changed since the unit was signed off: its SHA-256 is now" in page
    assert not AuditEvent.objects.filter(action="portfolio.file.downloaded").exists()
    check = FixityCheck.objects.filter(sign_off=sign_off).first()
    assert (check.boundary, check.intact) == (FixityCheck.Boundary.DOWNLOAD, False), "a check of the sign-off ran"
    told = Notification.objects.filter(message__contains="has changed since it was signed")
    assert sorted(n.recipient.first_name for n in told) == ["Bob", "Carol", "Grace"]


def test_a_missing_signed_file_says_so_before_the_download(client, case, evidence, sign_off, evidence_root):
    plan = evidence.files.get(original_name="plan.png")
    (evidence_root / plan.file.name).unlink()

    page = download(client, case.bob, plan, "?download=1").content.decode()

    assert "E1 plan.png is missing from storage." in page


def test_the_evidence_pages_own_picture_is_not_hashed(client, case, evidence, sign_off, evidence_root, monkeypatch):
    plan = evidence.files.get(original_name="plan.png")
    (evidence_root / plan.file.name).write_bytes(b"changed after the last check")
    hashed = []
    monkeypatch.setattr(integrity, "stored_sha256", lambda f: hashed.append(f) or "0" * 64)
    client.force_login(case.bob)

    in_the_page = client.get(f"/portfolio/files/{plan.pk}/view/", headers={"Sec-Fetch-Dest": "image"})

    assert isinstance(in_the_page, FileResponse) and hashed == []


def test_a_file_whose_recorded_digest_was_changed_in_the_database_says_so(client, case, evidence, sign_off):
    visit = evidence.files.get(original_name="visit.png")
    EvidenceFile.objects.filter(pk=visit.pk).update(sha256="0" * 64)

    page = download(client, case.carol, visit).content.decode()

    assert "This file has changed since the unit was signed off" in page
    assert "Its record in the database no longer matches what was signed:" in page


def test_after_unlocking_nothing_stands_and_the_file_downloads(client, case, evidence, sign_off, evidence_root):
    plan = changed_and_checked(evidence_root, evidence, sign_off)
    services.unit_unlock(enrolment=case.hsc331, person=case.bob, reason="The plan was replaced by the candidate.")
    assert isinstance(download(client, case.bob, plan), FileResponse)


def test_the_evidence_pages_own_frame_and_picture_are_served_the_page_says_it_changed(
    client, case, evidence, sign_off, evidence_root
):
    """The warning is for someone who asked for the file as a page; the evidence page's PDF frame,
    player and thumbnail would only break on it (that page says the record has changed itself)."""
    plan = changed_and_checked(evidence_root, evidence, sign_off)
    client.force_login(case.bob)

    in_a_frame = client.get(f"/portfolio/files/{plan.pk}/view/", headers={"Sec-Fetch-Dest": "image"})
    opened_in_a_tab = client.get(f"/portfolio/files/{plan.pk}/view/", headers={"Sec-Fetch-Dest": "document"})

    assert isinstance(in_a_frame, FileResponse)
    assert "This file has changed since the unit was signed off" in opened_in_a_tab.content.decode()
