"""Witnesses are walled by centre (issue 16: centres are walled). Alice is a candidate at Riverside
and at Hillside. Wendy gave testimony for her work at Riverside: Hillside's people (her assessor,
IQA, administrator and EQA there) must not read Wendy's name, job role or relationship anywhere: the
unit page, the centre's witness status list, the unit PDF or the visit pack's witness CSV. Riverside's
people read them as before. A witness who testifies at both centres is each centre's own record,
with what they said there."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Witness
from assessments.services import witness as witness_services
from exports.pack_quality_records import witness_lists
from exports.pack_sections import Sample
from exports.unit_pdf import render_unit_pdf
from portfolio.models import Membership, Role
from standards.models import Criterion
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

TESTIMONY = (
    "I saw Alice help Person A phone their sister and plan a visit. She let Person A choose the day "
    "and wrote the plan down with them."
)


@pytest.fixture
def hal(other_centre):
    return member(other_centre, Role.ASSESSOR, first_name="Hal", last_name="Hart", email="hal@example.org")


@pytest.fixture
def iris(other_centre):
    return member(other_centre, Role.IQA, first_name="Iris", last_name="Irwin", email="iris@example.org")


@pytest.fixture
def hillside_eqa(other_centre):
    return member(other_centre, Role.EQA, first_name="Ezra", last_name="Ellis", email="ezra@example.org")


@pytest.fixture
def there(alice, other_centre, hal, iris):
    """Alice's HSC331 at Hillside, where she accepted an invitation too."""
    Membership.objects.get_or_create(person=alice, centre=other_centre, role=Role.CANDIDATE)
    return enrol(alice, "HSC331", assessor=hal, iqa=iris, centre=other_centre)


def _testimony(enrolment, asker, *, name: str, job_role: str, relationship: str) -> None:
    witness_services.testimony_request(
        enrolment=enrolment, requested_by=asker, witness_name=name, witness_email="wendy@care.example.org",
        criteria=list(Criterion.objects.filter(unit=enrolment.unit).order_by("position")[:1]),
    )
    token = re.search(r"/assessments/witness/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body)).group(1)
    response = Client().post(f"/assessments/witness/{token}/", {
        "testimony": TESTIMONY, "seen_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "seen_at": "Day centre", "witness_name": name, "job_role": job_role, "relationship": relationship,
        "expert": "no", "confirmed": "on",
    })
    assert response.status_code == 302


@pytest.fixture
def riverside_testimony(alice, bob, hsc331, there):
    _testimony(hsc331, bob, name="Wendy Walsh", job_role="Riverside team leader", relationship="Line manager")


def _page(client, person, name: str, *args) -> str:
    client.force_login(person)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, person)
    return response.content.decode()


def _pdf_text(enrolment) -> str:
    pdf = render_unit_pdf(enrolment)
    assert pdf is not None
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _pack_csv(centre, enrolment) -> str:
    [(_path, content, _kind)] = list(witness_lists(centre, Sample([enrolment])))
    return content.decode() if isinstance(content, bytes) else content.read().decode()


def test_another_centres_unit_page_names_no_witness_of_the_first(
    client, alice, bob, carol, grace, frank, hal, iris, hillside_eqa, hsc331, there, riverside_testimony
):
    for person in (hal, iris, frank, hillside_eqa, alice):
        text = _page(client, person, "assessments:enrolment_detail", there.pk)
        assert "Wendy Walsh" not in text, person
        assert "Riverside team leader" not in text and "Line manager" not in text, person
        assert "No witnesses yet." in text, person
    for person in (bob, carol, grace, alice):
        text = _page(client, person, "assessments:enrolment_detail", hsc331.pk)
        assert "Wendy Walsh" in text and "Riverside team leader" in text and "Line manager" in text, person


def test_another_centres_witness_status_list_names_no_witness_of_the_first(
    client, frank, grace, hillside_eqa, centre, other_centre, hsc331, there, riverside_testimony
):
    for person in (frank, hillside_eqa):
        text = _page(client, person, "assessments:centre_witnesses", other_centre.pk)
        assert "Wendy Walsh" not in text and "Riverside team leader" not in text, person
    assert "Wendy Walsh" in _page(client, grace, "assessments:centre_witnesses", centre.pk)


def test_another_centres_pdf_and_visit_pack_name_no_witness_of_the_first(
    centre, other_centre, hsc331, there, riverside_testimony
):
    assert "Wendy Walsh" not in _pdf_text(there) and "Riverside team leader" not in _pdf_text(there)
    assert "Wendy Walsh" not in _pack_csv(other_centre, there)
    assert "Wendy Walsh" in _pdf_text(hsc331) and "Riverside team leader" in _pdf_text(hsc331)
    assert "Riverside team leader" in _pack_csv(centre, hsc331)


def test_a_witness_at_both_centres_is_listed_at_each_with_what_they_said_there(
    client, alice, bob, hal, frank, grace, hsc331, there, riverside_testimony
):
    _testimony(there, hal, name="Wendy Walsh", job_role="Hillside night carer", relationship="Colleague")
    assert Witness.objects.filter(candidate=alice).count() == 2
    hillside = _page(client, hal, "assessments:enrolment_detail", there.pk)
    assert "Hillside night carer" in hillside and "Riverside team leader" not in hillside
    assert "Line manager" not in hillside
    riverside = _page(client, bob, "assessments:enrolment_detail", hsc331.pk)
    assert "Riverside team leader" in riverside and "Hillside night carer" not in riverside
    assert "Hillside night carer" in _pdf_text(there) and "Riverside team leader" not in _pdf_text(there)


def test_another_centre_cannot_ask_the_first_centres_witness_to_confirm(
    client, alice, frank, hal, hsc331, there, riverside_testimony
):
    wendy = Witness.objects.get(candidate=alice)
    for person in (hal, frank):
        client.force_login(person)
        response = client.post(reverse("assessments:witness_status_ask", args=[there.pk, wendy.pk]))
        assert response.status_code == 404, person
