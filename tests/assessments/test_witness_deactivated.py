"""Witness testimony on a deactivated candidate's unit (an outside trial's finding): the assessor's
unit page still offered "Ask a witness for testimony", the link was emailed, the witness filled it
in and it became evidence "Submitted for assessment" that nobody may judge, and the assessor was
told it waited. Now nothing offers it, the request page says why with no form, a form posted anyway
sends nothing, and a link sent before the deactivation opens a page saying the request is no longer
open, recording nothing. The witness's pages name whoever sent the link: the assessor, not the
candidate, when the assessor asked.

Dave is Erin's candidate on HSC331 at Riverside, Carol his IQA; Grace administers it (tests/cast.py).
Wendy is a witness with no account."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import TestimonyRequest
from assessments.services import witness as witness_services
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Enrolment, EnrolmentStatus, Evidence, Notification
from portfolio.services_people import membership_deactivate, membership_reactivate
from standards.models import Criterion
from tests.factories import links_expire

pytestmark = pytest.mark.django_db

REFUSED = "Dave Davies is deactivated at Riverside Training: their evidence waits until the centre reactivates them"
NO_LONGER_OPEN = "This request is no longer open"


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(reference__in=["HSC331a.1"]))


def _ask_wendy(unit: Enrolment, by) -> str:
    """Erin (or Dave) asks Wendy; the token from the email."""
    witness_services.testimony_request(
        enrolment=unit, requested_by=by, witness_name="Wendy Walsh", witness_email="wendy@care.example.org",
        criteria=_criteria(),
    )
    match = re.search(r"/assessments/witness/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body))
    assert match
    return match.group(1)


def _testimony(**changes) -> dict:
    return {
        "testimony": "I saw Dave help Person A phone their sister and plan a visit with them.",
        "seen_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "seen_at": "Riverside day centre", "witness_name": "Wendy Walsh", "job_role": "Team leader",
        "relationship": "Line manager", "expert": "no", "confirmed": "on", **changes,
    }


def _recorded() -> tuple[int, int, int, int]:
    return (Evidence.objects.count(), AuditEvent.objects.count(), Notification.objects.count(), len(mail.outbox))


@pytest.fixture
def deactivate(centre, grace, dave):
    return lambda: membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left the course.")


def test_the_assessors_unit_page_offers_no_witness_request(client, erin, daves_unit, deactivate):
    deactivate()
    client.force_login(erin)
    response = client.get(reverse("assessments:enrolment_detail", args=[daves_unit.pk]))

    assert response.status_code == 200
    assert "Ask a witness for testimony" not in _text(response)
    assert reverse("assessments:testimony_request", args=[daves_unit.pk]) not in response.content.decode()


def test_the_request_page_says_why_with_no_form_and_a_posted_one_sends_nothing(client, erin, daves_unit, deactivate):
    deactivate()
    client.force_login(erin)
    address = reverse("assessments:testimony_request", args=[daves_unit.pk])
    page = client.get(address)
    assert page.status_code == 200
    assert REFUSED in _text(page) and "No witness can be asked for testimony on it now." in _text(page)
    assert 'name="witness_email"' not in page.content.decode()

    before = _recorded()
    posted = client.post(address, {"witness_name": "Pat Witness", "witness_email": "pat@care.example.org",
                                   "criteria": [c.pk for c in _criteria()]})
    assert posted.status_code == 403
    assert REFUSED in _text(posted) and 'name="witness_email"' not in posted.content.decode()
    assert not TestimonyRequest.objects.exists()
    assert _recorded() == before and not mail.outbox


def test_the_service_refuses_and_sends_nothing(erin, daves_unit, deactivate):
    deactivate()
    with pytest.raises(PortfolioError, match="Dave Davies is deactivated"):
        _ask_wendy(daves_unit, erin)
    assert not TestimonyRequest.objects.exists() and not mail.outbox


def test_a_link_sent_before_the_deactivation_is_no_longer_open_and_records_nothing(erin, daves_unit, deactivate):
    token = _ask_wendy(daves_unit, erin)
    deactivate()
    before = _recorded()
    wendy = Client()

    opened = wendy.get(f"/assessments/witness/{token}/")
    assert opened.status_code == 410
    assert NO_LONGER_OPEN in _text(opened) and "Nothing has been recorded" in _text(opened)
    assert 'name="testimony"' not in opened.content.decode()
    assert "deactivated" not in _text(opened)  # the witness learns nothing of the candidate's record

    sent = wendy.post(f"/assessments/witness/{token}/", _testimony())
    assert sent.status_code == 410 and NO_LONGER_OPEN in _text(sent)
    assert _recorded() == before
    assert TestimonyRequest.objects.get().used_at is None


def test_the_service_refuses_a_testimony_on_a_unit_closed_while_the_page_was_open(erin, daves_unit, deactivate):
    token = _ask_wendy(daves_unit, erin)
    request = TestimonyRequest.objects.get()
    deactivate()
    with pytest.raises(witness_services.TestimonyUnavailable) as refused:
        witness_services.testimony_give(
            request=request, token=token, testimony="I saw Dave plan a visit with Person A and their sister.",
            seen_on=timezone.localdate(), seen_at="Day centre", witness_name="Wendy Walsh", job_role="Team leader",
            relationship="Manager", expert=False, confirmed=True,
        )
    assert refused.value.reason == "closed"
    assert not Evidence.objects.filter(candidate=daves_unit.candidate).exists()


def test_reactivated_the_link_opens_again(centre, grace, dave, erin, daves_unit, deactivate):
    token = _ask_wendy(daves_unit, erin)
    deactivate()
    membership_reactivate(centre=centre, person=dave, reactivated_by=grace, reason="Back at the centre.")
    assert Client().get(f"/assessments/witness/{token}/").status_code == 200


def test_a_withdrawn_unit_takes_no_testimony_either(client, erin, daves_unit):
    token = _ask_wendy(daves_unit, erin)
    Enrolment.objects.filter(pk=daves_unit.pk).update(status=EnrolmentStatus.WITHDRAWN)

    opened = Client().get(f"/assessments/witness/{token}/")
    assert opened.status_code == 410 and NO_LONGER_OPEN in _text(opened)
    client.force_login(erin)
    page = client.get(reverse("assessments:testimony_request", args=[daves_unit.pk]))
    assert "HSC331 is withdrawn" in _text(page) and 'name="witness_email"' not in page.content.decode()


def test_the_witness_pages_name_the_assessor_who_asked(erin, daves_unit):
    token = _ask_wendy(daves_unit, erin)
    wendy = Client()
    thanks = wendy.get(wendy.post(f"/assessments/witness/{token}/", _testimony())["Location"])
    assert "ask Erin Evans, Dave Davies’s assessor, to send you a new link" in _text(thanks)
    assert "ask Dave Davies to send you a new link" not in _text(thanks)

    used = wendy.get(f"/assessments/witness/{token}/")
    assert "ask the candidate’s assessor, who asked for your testimony, to send you a new link" in _text(used)

    other = _ask_wendy(daves_unit, erin)
    links_expire(TestimonyRequest.objects.filter(used_at__isnull=True), timezone.now())
    expired = wendy.get(f"/assessments/witness/{other}/")
    assert "ask the candidate’s assessor, who asked for it, to send you a new link" in _text(expired)


def test_the_witness_thanks_page_names_the_candidate_who_asked(dave, daves_unit):
    token = _ask_wendy(daves_unit, dave)
    wendy = Client()
    thanks = wendy.get(wendy.post(f"/assessments/witness/{token}/", _testimony())["Location"])
    assert "ask Dave Davies to send you a new link" in _text(thanks)


def test_the_assessor_is_told_whose_testimony_came(dave, erin, daves_unit):
    token = _ask_wendy(daves_unit, erin)
    Client().post(f"/assessments/witness/{token}/", _testimony())
    evidence = Evidence.objects.get(candidate=dave)
    told = Notification.objects.get(recipient=erin).message
    assert told == f"Wendy Walsh gave witness testimony for Dave Davies’s HSC331: {evidence.reference} is waiting for assessment"


@pytest.mark.parametrize("who, words", [("erin", "saw Dave Davies do themselves"), ("dave", "saw you do themselves")])
def test_the_request_form_speaks_to_whoever_fills_it_in(client, request, daves_unit, who, words):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("assessments:testimony_request", args=[daves_unit.pk]))
    assert f"Tick only what the witness {words}." in _text(page)
