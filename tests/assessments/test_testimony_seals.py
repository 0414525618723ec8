"""A witness's testimony link put in or changed in the database (an outside trial inserted a request
by SQL, with the plain SHA-256 of a link of its own, and wrote evidence into a candidate's portfolio
through it): each request is sealed as the portfolio made it, and one that does not hold opens
nothing. The witness sees the page a link nobody sent gets; the centre's administrators are told
once; `check_fixity` and a restore name it.

Alice is the candidate on HSC331, Bob her assessor; Grace administers Riverside. Wendy is a witness."""

import datetime
import hashlib
import importlib
import io
import re

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from assessments import testimony_seals
from assessments.models import TestimonyRequest
from assessments.services import witness as witness_services
from portfolio.models import AssessmentMethod, AuditEvent, Evidence, Notification
from portfolio.row_sealing import sealed_in_bulk
from standards.models import Criterion

pytestmark = pytest.mark.django_db

FORM = {
    "testimony": "I saw Alice help Person A phone their sister and plan a visit, and write the plan down.",
    "seen_at": "Riverside day centre", "witness_name": "Wendy Walsh", "job_role": "Team leader",
    "relationship": "Line manager", "expert": "no", "confirmed": "on",
}


def _form() -> dict:
    return FORM | {"seen_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat()}


def _ask(hsc331, bob) -> tuple[TestimonyRequest, str]:
    request = witness_services.testimony_request(
        enrolment=hsc331, requested_by=bob, witness_name="Wendy Walsh", witness_email="wendy@care.example.org",
        criteria=list(Criterion.objects.filter(reference__in=["HSC331a.1"])),
    )
    match = re.search(r"/assessments/witness/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body))
    assert match
    return request, match.group(1)


def _forged(hsc331, bob, token: str) -> TestimonyRequest:
    """A request put in by SQL, past the product, with the digest of the forger's own link."""
    now = timezone.now()
    [request] = TestimonyRequest.objects.bulk_create([TestimonyRequest(
        enrolment=hsc331, witness_name="Mallory", witness_email="mallory@example.org",
        token_digest=hashlib.sha256(token.encode()).hexdigest(), requested_by=bob, requested_at=now,
        expires_at=now + datetime.timedelta(days=14),
    )])
    request.criteria.set(Criterion.objects.filter(unit=hsc331.unit))
    return request


def _testimonies():
    return Evidence.objects.filter(method__in=[AssessmentMethod.WITNESS_TESTIMONY, AssessmentMethod.EXPERT_WITNESS])


def test_a_link_the_portfolio_sent_still_works(client, hsc331, bob):
    _, token = _ask(hsc331, bob)
    assert client.get(f"/assessments/witness/{token}/").status_code == 200
    assert client.post(f"/assessments/witness/{token}/", _form()).status_code == 302
    assert _testimonies().count() == 1
    assert testimony_seals.check_every_request() == []  # used, and still as the portfolio made it


def test_a_request_put_in_by_sql_opens_nothing_and_the_centre_is_told_once(client, hsc331, bob, grace):
    unknown = client.get("/assessments/witness/no-such-link-at-all/")
    request = _forged(hsc331, bob, "forged-token")

    page = client.get("/assessments/witness/forged-token/")
    sent = client.post("/assessments/witness/forged-token/", _form())

    for response in (page, sent):
        assert response.status_code == 404
        assert "This link is not recognised" in response.content.decode()
        assert "Alice" not in response.content.decode()
    assert unknown.status_code == 404 and "This link is not recognised" in unknown.content.decode()
    assert not _testimonies().exists()
    assert TestimonyRequest.objects.get(pk=request.pk).seal_broken_at is not None
    told = Notification.objects.filter(recipient=grace, message__contains="was put in the database, not sent through")
    assert told.count() == 1 and "HSC331 of Alice Adams, to mallory@example.org" in told.get().message
    assert AuditEvent.objects.filter(action="assessments.testimony.request_changed", centre=hsc331.centre).count() == 1


@pytest.mark.parametrize("change", ["enrolment", "witness_email", "token_digest", "expires_at", "requested_by"])
def test_a_request_changed_in_sql_opens_nothing(client, hsc331, daves_unit, bob, erin, grace, change):
    request, token = _ask(hsc331, bob)
    values = {
        "enrolment": {"enrolment": daves_unit}, "witness_email": {"witness_email": "mallory@example.org"},
        "token_digest": {"token_digest": hashlib.sha256(b"forged").hexdigest()},
        "expires_at": {"expires_at": request.expires_at + datetime.timedelta(days=365)},
        "requested_by": {"requested_by": erin},
    }[change]
    TestimonyRequest.objects.filter(pk=request.pk).update(**values)
    link = "forged" if change == "token_digest" else token

    assert client.get(f"/assessments/witness/{link}/").status_code == 404
    assert client.post(f"/assessments/witness/{link}/", _form()).status_code == 404
    assert not _testimonies().exists()
    assert Notification.objects.filter(recipient=grace, message__contains="was changed in the database").count() == 1


def test_a_product_save_does_not_make_a_hand_edit_good(hsc331, bob):
    request, _ = _ask(hsc331, bob)
    TestimonyRequest.objects.filter(pk=request.pk).update(witness_email="mallory@example.org")
    request.refresh_from_db()
    request.witness_name = "Mallory"
    request.save()
    assert len(testimony_seals.check_every_request()) == 1


def test_the_fixity_check_names_it_and_fails(hsc331, bob):
    _forged(hsc331, bob, "forged-token")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 export, visit pack or witness link was changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=out)
    assert "WITNESS REQUEST CHANGED: A witness testimony link for HSC331 of Alice Adams" in out.getvalue()


def test_the_migration_and_an_older_backup_seal_every_request_as_it_stands(hsc331, bob):
    request, _ = _ask(hsc331, bob)
    migration = importlib.import_module("assessments.migrations.0030_testimony_request_access_seal")
    TestimonyRequest.objects.update(access_seal=None)
    migration.seal_every_request(apps, connection.schema_editor())
    assert testimony_seals.check_every_request() == []
    TestimonyRequest.objects.update(access_seal=None)
    sealed_in_bulk(list(TestimonyRequest.objects.filter(pk=request.pk)))
    assert testimony_seals.check_every_request() == []
