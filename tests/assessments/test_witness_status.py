"""The witness status list (City & Guilds' RF03, issue 15 item 6): each witness's job role,
relationship to the candidate and whether an expert witness and why, confirmed by the witness on the
testimony page, or through a single-use link for a witness who testified before it was asked; shown
on the unit page, in the unit PDF and on the centre's page."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Witness, WitnessStatusRequest
from assessments.services import witness as witness_services
from assessments.services.witness_links import token_digest
from exports.unit_pdf import render_unit_pdf
from portfolio.models import AuditEvent
from standards.models import Criterion
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db

TESTIMONY = (
    "I saw Alice help Person A phone their sister and plan a visit. She let Person A choose the day "
    "and wrote the plan down with them."
)
EXPERTISE = "Registered manager, twelve years running day services"


@pytest.fixture
def case():
    return build_case()


def _ask_wendy(case) -> str:
    witness_services.testimony_request(
        enrolment=case.hsc331, requested_by=case.bob, witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org", criteria=Criterion.objects.filter(reference="HSC331a.1"),
    )
    return re.search(r"/assessments/witness/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body)).group(1)


def _give(token: str, **changes):
    form = {
        "testimony": TESTIMONY, "seen_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "seen_at": "Riverside day centre", "witness_name": "Wendy Walsh", "job_role": "Team leader",
        "relationship": "Line manager", "expert": "yes", "expertise": EXPERTISE, "confirmed": "on",
    }
    form.update(changes)
    return Client().post(f"/assessments/witness/{token}/", {k: v for k, v in form.items() if v is not None})


def test_a_witness_gives_their_status_with_testimony_and_it_shows_on_the_unit_the_centre_and_the_pdf(client, case):
    assert _give(_ask_wendy(case)).status_code == 302
    witness = Witness.objects.get()
    assert witness.expert is True and witness.expertise == EXPERTISE and witness.status_confirmed_at is not None

    client.force_login(case.carol)
    unit_page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    section = unit_page[unit_page.index('id="witness-status"'):]
    assert "Witness status list" in section and "Team leader" in section and f"Yes: {EXPERTISE}" in section
    centre_page = client.get(f"/assessments/centres/{case.centre.pk}/witnesses/").content.decode()
    assert "Wendy Walsh" in centre_page and "Alice Adams" in centre_page and EXPERTISE in centre_page

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(render_unit_pdf(case.hsc331))).pages)
    assert "Witness status list" in text
    assert "Wendy Walsh" in text and "Line manager" in text and "twelve years running day services" in text
    assert AuditEvent.objects.get(action="assessments.testimony.given").after["witness"]["expertise"] == EXPERTISE


@pytest.mark.parametrize(("changes", "message"), [
    ({"expert": None}, "Say whether you are an expert witness."),
    ({"expertise": ""}, "Say why you are an expert witness"),
    ({"job_role": ""}, "Give your job role."),
    ({"relationship": ""}, "Say how you know the candidate."),
])
def test_the_testimony_page_asks_for_each_part_of_the_status(case, changes, message):
    response = _give(_ask_wendy(case), **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Witness.objects.exists()


def test_a_witness_who_is_not_an_expert_need_say_no_more(case):
    assert _give(_ask_wendy(case), expert="no", expertise="").status_code == 302
    assert Witness.objects.get().expert is False


def _earlier_witness(case) -> Witness:
    """Wendy, who testified on HSC331 before witnesses were asked for their status: what the
    migration leaves of her (expert not said, never confirmed)."""
    assert _give(_ask_wendy(case), expert="no", expertise="").status_code == 302
    Witness.objects.update(expert=None, expertise="", status_confirmed_at=None)
    mail.outbox.clear()
    return Witness.objects.get()


def test_an_earlier_witness_is_asked_by_a_single_use_link_and_confirms(client, case):
    witness = _earlier_witness(case)
    client.force_login(case.bob)
    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert "Not confirmed" in page and "Ask to confirm status" in page

    response = client.post(f"/assessments/units/{case.hsc331.pk}/witnesses/{witness.pk}/ask/")
    assert response["Location"].endswith("#witness-status")
    token = re.search(r"/assessments/witness-status/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == ["wendy@care.example.org"]
    stored = WitnessStatusRequest.objects.get()
    assert stored.token_digest == token_digest(token) and token not in str(stored.__dict__)
    assert token not in str(AuditEvent.objects.get(action="assessments.witness_status.requested").after)

    link = f"/assessments/witness-status/{token}/"
    wendy = Client()
    form = wendy.get(link)
    assert form.status_code == 200 and form["Referrer-Policy"] == "no-referrer"
    assert "who is working on the unit <strong><span class=\"ref\">HSC331</span>" in form.content.decode()
    refused = wendy.post(link, {"witness_name": "Wendy Walsh", "job_role": "Deputy manager", "relationship": "Line manager",
                                "expert": "no"})
    assert "Tick the box to confirm these details are true." in refused.content.decode()
    done = wendy.post(link, {"witness_name": "Wendy Walsh", "job_role": "Deputy manager", "relationship": "Line manager",
                             "expert": "no", "confirmed": "on"})
    assert done.status_code == 302
    witness.refresh_from_db()
    assert witness.job_role == "Deputy manager" and witness.expert is False and witness.status_confirmed_at
    event = AuditEvent.objects.get(action="assessments.witness_status.confirmed")
    assert event.actor is None and event.before["witness"]["job_role"] == "Team leader"
    assert wendy.get(link).status_code == 410  # used once
    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert "Ask to confirm status" not in page and "Deputy manager" in page


def test_an_expired_link_confirms_nothing(case):
    witness = _earlier_witness(case)
    now = timezone.now()
    WitnessStatusRequest.objects.create(
        witness=witness, enrolment=case.hsc331, token_digest=token_digest("late-link"), requested_by=case.bob,
        requested_at=now - datetime.timedelta(days=20), expires_at=now - datetime.timedelta(days=6),
    )
    response = Client().post("/assessments/witness-status/late-link/", {
        "witness_name": "Wendy Walsh", "job_role": "Team leader", "relationship": "Line manager", "expert": "no",
        "confirmed": "on"})
    assert response.status_code == 410
    assert Witness.objects.get().status_confirmed_at is None


def test_the_candidate_and_the_iqa_read_the_list_but_do_not_ask(client, case):
    witness = _earlier_witness(case)
    for person in (case.alice, case.carol):
        client.force_login(person)
        assert "Ask to confirm status" not in client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
        assert client.post(f"/assessments/units/{case.hsc331.pk}/witnesses/{witness.pk}/ask/").status_code == 403
    assert not mail.outbox
