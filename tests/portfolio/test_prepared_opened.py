"""A waiting registration's page once it has opened (an outside tester's finding: it answered a bare
404 once the candidate accepted): it says the registration is active and leads to it, for the
centre's own administrators only; a change or cancellation sent from the old page does nothing.
The manage pages' team choices start "Choose…", as every other form's do."""

import pytest
from django.core import mail
from django.urls import reverse

from portfolio.models import Enrolment, PreparedEnrolment, PreparedRegistration, QualificationRegistration
from standards.demo_qualification import demo_qualification
from tests.portfolio import test_prepared_enrolments as units_case
from tests.portfolio.test_prepared_qualifications import accept_as_new, nia, register  # noqa: F401  (nia: a fixture)

pytestmark = pytest.mark.django_db


def _words(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


def test_a_qualifications_page_leads_to_the_registration_once_the_candidate_accepts(client, grace, centre, nia, bob, carol, frank):  # noqa: F811
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    prepared = PreparedRegistration.objects.get()
    manage = reverse("portfolio:prepared_registration_manage", args=[centre.pk, prepared.pk])
    cancel = reverse("portfolio:prepared_registration_cancel", args=[centre.pk, prepared.pk])
    page = _words(client.get(manage))
    assert '<option value="">Choose…</option>' in page and "---------" not in page

    accept_as_new(client, mail.outbox[0])
    registration = QualificationRegistration.objects.get(centre=centre)
    code = demo_qualification().code
    client.force_login(grace)
    response = client.get(manage)
    assert response.status_code == 200
    page = _words(response)
    assert f"Nia Newton accepted the invitation, and this registration on {code} is now active" in page
    assert f'href="{reverse("assessments:registration_detail", args=[registration.pk])}"' in page
    response = client.post(cancel)
    assert response.status_code == 409
    assert "Nothing was changed or cancelled: the registration had already opened." in _words(response)
    assert QualificationRegistration.objects.filter(pk=registration.pk).exists()

    client.force_login(frank)
    assert client.get(manage).status_code == 404
    assert client.post(cancel).status_code == 404


def test_a_units_page_leads_to_the_enrolment_once_the_candidate_accepts(client, grace, centre, nia, bob, carol, frank):  # noqa: F811
    units_case.register(client, centre, f"invited-{nia.pk}", "HSC331", bob, carol)
    prepared = PreparedEnrolment.objects.get()
    manage = reverse("portfolio:prepared_manage", args=[centre.pk, prepared.pk])
    assert "---------" not in _words(client.get(manage))

    units_case.accept_as_new(client, mail.outbox[0])
    enrolment = Enrolment.objects.get(centre=centre, candidate__email="nia@example.org")
    client.force_login(grace)
    page = _words(client.get(manage))
    assert "Nia Newton accepted the invitation, and this registration on HSC331 is now active." in page
    assert f'href="{reverse("portfolio:enrolment_manage", args=[enrolment.pk])}"' in page
    assert client.post(reverse("portfolio:prepared_cancel", args=[centre.pk, prepared.pk])).status_code == 409
    client.force_login(frank)
    assert client.get(manage).status_code == 404
    # A registration never prepared here is not found either.
    client.force_login(grace)
    assert client.get(reverse("portfolio:prepared_manage", args=[centre.pk, prepared.pk + 1000])).status_code == 404


def test_the_claims_page_names_a_centre_ending_in_s_without_a_stray_s(client, grace, centre):
    centre.name, centre.claims_need_iqa = "Hilltop Skills", True
    centre.save()
    client.force_login(grace)
    page = _words(client.get(reverse("assessments:claim_list", args=[centre.pk])))
    assert "as the policy of Hilltop Skills says" in page and "Skills’s" not in page
