"""Values that cannot be ids, posted to every form that takes one and put in every filter and
address that names a record: a form error or an ignored filter, never a 500, and nothing saved.

SQLite cannot compare an integer column with a number past 64 bits: before portfolio/ids.py such
a value in a `pk__in` lookup was an OverflowError (a 500) on the export, IQA sample, mapping,
testimony, observation and evidence-edit forms. Run on PostgreSQL too (.ci/postgres)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from assessments.models import Decision, QualityReview, TestimonyRequest
from exports.models import BulkExport
from portfolio import services
from portfolio.ids import LARGEST_ID, as_id
from portfolio.models import AssessmentMethod, Enrolment, Evidence
from standards.models import Criterion, Unit
from tests.portfolio import hostile_files

TOO_LARGE = "99999999999999999999"
HOSTILE = [TOO_LARGE, str(LARGEST_ID + 1), "-1", "abc", "²", "1.5", ""]
# What cannot be an id and is not empty: each must be refused where a choice is required.
NOT_IDS = [TOO_LARGE, str(LARGEST_ID + 1), "-1", "abc", "²", "1.5"]
NOT_A_CHOICE = "is not one of the available choices"
NOT_OFFERED = "Something you chose is not one of the choices offered."

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), (" 42 ", 42), (str(LARGEST_ID), LARGEST_ID), (str(LARGEST_ID + 1), None), (TOO_LARGE, None),
     ("0", None), ("-1", None), ("+1", None), ("abc", None), ("²", None), ("١٢", None), ("", None), (None, None)],
)
def test_as_id_names_only_what_a_64_bit_key_can_hold(value, expected):
    assert as_id(value) == expected


@pytest.fixture
def evidence(alice, centre, hsc331):
    """Alice's draft, with one photo, mapped to HSC331a.1."""
    item = services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="Family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=timezone.localdate(), account="I helped.",
        uploads=[SimpleUploadedFile("visit.png", hostile_files.png_image(), content_type="image/png")],
    )
    return services.evidence_map(
        evidence=item, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )


def _criterion(reference: str) -> int:
    return Criterion.objects.get(reference=reference).pk


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_export_form_refuses_it_and_starts_no_export(client, grace, centre, hsc331, value):
    client.force_login(grace)
    response = client.post(
        f"/exports/centres/{centre.pk}/", {"choice": "chosen", "enrolments": [hsc331.pk, value]}
    )
    assert response.status_code == 400
    assert NOT_OFFERED in response.content.decode()
    assert not BulkExport.objects.exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_iqa_sample_form_refuses_it_and_samples_nothing(client, carol, hsc331, value):
    client.force_login(carol)
    response = client.post("/assessments/quality/", {"enrolments": [hsc331.pk, value]})
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_A_CHOICE in page or "is not a valid value" in page
    assert not QualityReview.objects.exists()


@pytest.mark.parametrize("value", HOSTILE)
def test_the_iqa_sample_page_ignores_it_as_a_filter(client, carol, hsc331, value):
    client.force_login(carol)
    response = client.get("/assessments/quality/", {"assessor": value, "unit": value})
    assert response.status_code == 200
    assert "Adams" in response.content.decode()  # the filter left out: Alice's unit is listed


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_mapping_form_refuses_it_and_keeps_the_mapping(client, alice, evidence, value):
    client.force_login(alice)
    response = client.post(
        f"/portfolio/evidence/{evidence.pk}/map/",
        {"criteria": [_criterion("HSC331a.2"), value], "knowledge_items": [value], "scope_items": [value]},
    )
    assert response.status_code == 400
    assert NOT_OFFERED in response.content.decode()
    assert [c.reference for c in evidence.criteria.all()] == ["HSC331a.1"]


@pytest.mark.parametrize("field", ["criteria", "knowledge_items", "scope_items"])
def test_the_mapping_form_refuses_an_id_that_names_no_item_and_keeps_the_mapping(client, alice, evidence, field):
    """A possible id that names nothing (an item since removed, or a tampered form) refuses the whole
    mapping: saving the rest would quietly drop what the candidate had mapped."""
    client.force_login(alice)
    response = client.post(
        f"/portfolio/evidence/{evidence.pk}/map/", {"criteria": [_criterion("HSC331a.2")], field: [987654]}
    )
    assert response.status_code == 400
    assert NOT_OFFERED in response.content.decode()
    assert [c.reference for c in evidence.criteria.all()] == ["HSC331a.1"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_testimony_request_form_refuses_it_and_asks_nobody(client, alice, hsc331, value):
    client.force_login(alice)
    response = client.post(
        f"/assessments/units/{hsc331.pk}/testimony/new/",
        {"witness_name": "Wendy", "witness_email": "wendy@care.example.org", "criteria": [_criterion("HSC331a.1"), value]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_A_CHOICE in page or "is not a valid value" in page
    assert not TestimonyRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_observation_form_refuses_it_and_records_nothing(client, bob, hsc331, value):
    client.force_login(bob)
    response = client.post(
        f"/assessments/units/{hsc331.pk}/observation/new/",
        {"method": AssessmentMethod.DIRECT_OBSERVATION, "title": "Observation", "account": "Alice planned a visit.",
         "activity_date": timezone.localdate().isoformat(), "criteria": [_criterion("HSC331a.1"), value],
         "knowledge_items": [value]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_A_CHOICE in page or "is not a valid value" in page
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_evidence_edit_form_refuses_it_and_removes_no_file(client, alice, evidence, value):
    client.force_login(alice)
    response = client.post(
        f"/portfolio/evidence/{evidence.pk}/edit/",
        {"title": "Family visit, again", "method": AssessmentMethod.REFLECTIVE_ACCOUNT, "account": "I helped.",
         "activity_date": timezone.localdate().isoformat(), "remove_files": [evidence.files.get().pk, value]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_A_CHOICE in page or "is not a valid value" in page
    evidence.refresh_from_db()
    assert (evidence.title, evidence.version, evidence.files.filter(removed_in_version=None).count()) == (
        "Family visit", 1, 1
    )


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_enrolment_form_refuses_it_and_registers_nobody(client, grace, alice, bob, carol, centre, value):
    client.force_login(grace)
    today = timezone.localdate()
    chosen = {"candidate": alice.pk, "unit": Unit.objects.get(code="HSC331").pk, "assessor": bob.pk, "iqa": carol.pk}
    for field, message in [
        ("candidate", "Choose one of this centre&#x27;s candidates."),
        ("unit", "Choose one of the units listed."),
        ("iqa", "Choose one of this centre&#x27;s IQAs."),
    ]:
        response = client.post(
            f"/portfolio/centres/{centre.pk}/enrolments/new/",
            {**chosen, field: value, "start_date": today.isoformat(),
             "target_date": (today + datetime.timedelta(days=90)).isoformat()},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert message in page or "is not a valid value" in page
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_decision_form_cites_nothing_for_it_and_records_nothing(client, bob, hsc331, value):
    client.force_login(bob)
    response = client.post(
        f"/assessments/units/{hsc331.pk}/decisions/record/",
        {f"cite-criterion-{_criterion('HSC331a.1')}": [value], "decided_on": timezone.localdate().isoformat()},
        follow=True,
    )
    # The decisions form refused (400, with its reason at the top), never a server error.
    assert response.status_code == 400
    assert "Nothing was recorded: put right what is below" in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize("value", HOSTILE)
def test_the_assessors_lists_ignore_it_as_a_filter(client, bob, hsc331, value):
    client.force_login(bob)
    for address in ("/assessments/assess/", "/assessments/assess/candidates/"):
        response = client.get(address, {"candidate": value, "unit": value, "show": value, "page": value})
        assert response.status_code == 200, address


def _routes(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):  # Django's own admin, with its own ids (<path:object_id>)
                yield from _routes(entry, route)
        elif isinstance(entry, URLPattern) and "<int:" in route:
            yield route


ROUTES_WITH_IDS = sorted(set(_routes(get_resolver())))


def test_every_address_with_an_id_is_checked_here():
    """The sweep below covers every route, so a new one with an <int:…> is covered when it is added."""
    assert len(ROUTES_WITH_IDS) >= 25
    assert "assessments/evidence/<int:pk>/" in ROUTES_WITH_IDS


@pytest.mark.parametrize("route", ROUTES_WITH_IDS)
def test_an_address_with_an_impossible_id_is_not_found(client, grace, alice, bob, carol, hsc331, route):
    address = "/" + re.sub(r"<int:\w+>", TOO_LARGE, route)
    for person in (alice, bob, carol, grace):
        client.force_login(person)
        response = client.get(address)
        if response.status_code == 405:
            response = client.post(address)
        assert response.status_code == 404, (person.email, address, response.status_code)
