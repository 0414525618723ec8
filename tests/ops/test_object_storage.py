"""Evidence in S3-compatible object storage (moto's server on loopback, set up as production sets it):
files land under private keys and are never overwritten, leave only through the permission-checked
view or a signed link that lapses in a minute, and a sign-off still finds a file changed in the bucket.

Alice is the candidate, Bob her assessor; Dave is another candidate and Frank administers another
centre (tests/assessments/unit_case.py).
"""

import datetime
import http.client
import urllib.parse

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import integrity
from assessments.models import SignOff
from assessments.services import signoff
from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent, Evidence, EvidenceFile, EvidenceState
from portfolio.storage_urls import signed_url
from tests.assessments.unit_case import accepted_evidence, build_case, meet, photo, submitted_evidence
from tests.ops.conftest import BUCKET
from tests.portfolio import hostile_files
from tests.portfolio.evidence_files import download

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def add_evidence(case, *uploads):
    """Submitted evidence (its state set directly: these tests are about storage, and an assessor
    sees no draft)."""
    evidence = services.evidence_create(
        candidate=case.alice,
        centre=case.centre,
        author=case.alice,
        title="Supporting a family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=timezone.localdate() - datetime.timedelta(days=2),
        uploads=list(uploads),
    )
    Evidence.objects.filter(pk=evidence.pk).update(state=EvidenceState.SUBMITTED)
    return evidence


def stored_object(store, evidence_file: EvidenceFile) -> bytes:
    return store.client.get_object(Bucket=BUCKET, Key=store.key(evidence_file.file.name))["Body"].read()


def anonymous_get(store, url_or_path: str) -> tuple[int, bytes, dict]:
    """A plain HTTP GET to the S3 server, with no credentials of any kind."""
    parts = urllib.parse.urlsplit(url_or_path)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(store.host, store.port, timeout=10)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def test_it_stores_uploads_in_the_bucket_under_keys_of_its_own_and_never_overwrites(case, object_store):
    first, second = photo("visit.png"), photo("visit.png", (40, 30))
    evidence = add_evidence(case, first, second)

    files = list(evidence.files.order_by("pk"))
    assert [f.original_name for f in files] == ["visit.png", "visit.png"]
    assert object_store.keys() == sorted(
        object_store.key(f"evidence/{case.alice.pk}/{f.storage_key}") for f in files
    )
    first.seek(0), second.seek(0)
    assert [stored_object(object_store, f) for f in files] == [first.read(), second.read()]

    # The storage itself refuses to replace a name already taken: the second save gets a new key.
    taken = default_storage.save("exports/1/portfolio.zip", ContentFile(b"the first export"))
    again = default_storage.save("exports/1/portfolio.zip", ContentFile(b"a second export"))
    assert again != taken
    assert default_storage.open(taken).read() == b"the first export"


def test_it_keeps_every_object_private(case, object_store):
    evidence_file = add_evidence(case, photo()).files.get()
    key = object_store.key(evidence_file.file.name)

    grants = object_store.client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    status, body, _ = anonymous_get(object_store, f"/{BUCKET}/{key}")
    assert status == 403 and b"PNG" not in body


def test_it_refuses_anonymous_reads_because_the_object_is_private_not_because_the_server_refuses_all(
    object_store,
):
    """The control for the test above: an object made public the way we never make one is readable."""
    key = object_store.key("health/public-by-mistake.txt")
    object_store.client.put_object(Bucket=BUCKET, Key=key, Body=b"public", ACL="public-read")

    status, body, _ = anonymous_get(object_store, f"/{BUCKET}/{key}")

    assert (status, body) == (200, b"public")


def test_it_gives_the_candidate_and_assessor_their_file_through_the_view_and_strangers_404(
    client, case, object_store
):
    upload = photo("visit.png", (64, 48))
    # Submitted: a draft is the candidate's alone.
    evidence_file = submitted_evidence(case, uploads=[upload]).files.get()
    upload.seek(0)
    expected = upload.read()

    for person in (case.alice, case.bob):
        response = download(client, person, evidence_file)
        assert (response.status_code, response.content_bytes) == (200, expected)
    for stranger in (case.dave, case.frank):
        assert download(client, stranger, evidence_file).status_code == 404


def test_it_makes_a_signed_link_that_reads_the_file_for_one_minute_only(case, object_store):
    upload = photo("visit.png")
    evidence_file = add_evidence(case, upload).files.get()
    upload.seek(0)

    url = signed_url(evidence_file.file, filename="visit.png", content_type="image/png", as_attachment=True)

    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["60"]
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.UTC
    )
    assert abs((timezone.now() - signed_at).total_seconds()) < 30
    status, body, headers = anonymous_get(object_store, url)
    assert (status, body) == (200, upload.read())
    assert headers["content-type"] == "image/png"
    assert headers["content-disposition"] == 'attachment; filename="visit.png"'
    assert headers["cache-control"] == "private, no-store"
    # The same address without its signature is refused.
    unsigned = urllib.parse.urlsplit(url)._replace(query="").geturl()
    assert anonymous_get(object_store, unsigned)[0] == 403


def test_with_redirects_on_a_download_sends_the_assessor_to_a_signed_link_after_the_check(
    client, case, object_store, settings
):
    settings.PORTFOLIO_S3_REDIRECT_DOWNLOADS = True
    upload = photo("visit.png")
    evidence_file = submitted_evidence(case, uploads=[upload]).files.get()
    upload.seek(0)

    response = download(client, case.bob, evidence_file)

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    status, body, headers = anonymous_get(object_store, response["Location"])
    assert (status, body) == (200, upload.read())
    assert headers["content-disposition"] == 'attachment; filename="visit.png"'
    # The redirect is still a download of the candidate's personal data by someone else: recorded.
    assert AuditEvent.objects.filter(action="portfolio.file.downloaded", actor=case.bob).count() == 1
    # No link for anyone off the case, and a photo shown in the app's pages is still streamed.
    assert download(client, case.dave, evidence_file).status_code == 404
    shown = download(client, case.alice, evidence_file, url_name="portfolio:evidence_file_view")
    assert (shown.status_code, shown.content_bytes) == (200, body)


def test_it_makes_no_signed_link_for_files_on_the_local_disk(case):
    evidence_file = add_evidence(case, photo()).files.get()
    assert signed_url(evidence_file.file) is None


def test_it_verifies_a_sign_off_on_object_storage_and_finds_a_file_overwritten_in_the_bucket(
    case, object_store
):
    evidence = [accepted_evidence(case, uploads=[photo("visit.png"), photo("plan.png", (40, 30))])]
    meet(case, case.hsc331, evidence)
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    sign_off = SignOff.objects.get(enrolment=case.hsc331, voided_at=None)
    assert integrity.verify(sign_off) == []

    plan = evidence[0].files.get(original_name="plan.png")
    # Behind the app's back: new bytes under the same key, straight into the bucket.
    object_store.client.put_object(
        Bucket=BUCKET, Key=object_store.key(plan.file.name), Body=b"another picture"
    )

    problems = integrity.verify(SignOff.objects.get(pk=sign_off.pk))
    assert len(problems) == 1
    assert problems[0].startswith("E1 plan.png has changed since the unit was signed off: its SHA-256 is now")


def test_a_range_is_read_from_the_bucket_as_that_part_alone(client, case, object_store, monkeypatch):
    """A player seeking in a video on object storage: the store is asked for the part, and nothing
    copies the whole object to this machine first (S3File would)."""
    from storages.backends.s3 import S3File  # type: ignore[import-untyped]  # django-storages ships no types

    recording = hostile_files.wav_recording(seconds=2.0)
    evidence = accepted_evidence(case, uploads=[SimpleUploadedFile("talk.wav", recording)])
    evidence_file = evidence.files.get()

    def whole_copy(self):
        raise AssertionError("the whole object was copied to answer a range")

    monkeypatch.setattr(S3File, "_get_file", whole_copy)
    response = download(client, case.bob, evidence_file, url_name="portfolio:evidence_file_view",
                        Range="bytes=30000-30099")

    assert response.status_code == 206
    assert response.content_bytes == recording[30000:30100]
    assert response["Content-Range"] == f"bytes 30000-30099/{len(recording)}"
    assert AuditEvent.objects.filter(action="portfolio.file.viewed", actor=case.bob).count() == 1
