"""No page is kept by a browser or a proxy: `Cache-Control: private, no-store` on every answer
Django gives (config/cache_control.py), while views that send their own keep it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portfolio import services
from portfolio.models import AssessmentMethod
from tests.portfolio import hostile_files

pytestmark = pytest.mark.django_db


def never_stored(response) -> bool:
    """Private and no-store, whatever else it says (Django's sign-in page sends its own never_cache)."""
    return {"private", "no-store"} <= {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.fixture
def evidence(alice, centre, hsc331):
    return services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="Family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=timezone.localdate(), account="I helped.",
        uploads=[SimpleUploadedFile("visit.png", hostile_files.png_image(), content_type="image/png")],
    )


def test_every_page_with_personal_data_is_private_and_never_stored(client, alice, bob, carol, grace, centre, evidence):
    enrolment = evidence.candidate.enrolments.get()
    pages = {
        alice: ["/", "/portfolio/evidence/", f"/assessments/evidence/{evidence.pk}/", f"/portfolio/evidence/{evidence.pk}/map/",
                f"/assessments/units/{enrolment.pk}/", "/portfolio/notifications/"],
        bob: ["/", "/assessments/assess/", "/assessments/assess/candidates/", f"/assessments/units/{enrolment.pk}/decisions/"],
        carol: ["/assessments/quality/", f"/assessments/units/{enrolment.pk}/review/"],
        grace: [f"/assessments/centres/{centre.pk}/", f"/exports/centres/{centre.pk}/"],
    }
    for person, addresses in pages.items():
        client.force_login(person)
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, address
            assert response["Cache-Control"] == "private, no-store", address


def test_a_refusal_a_redirect_and_a_page_not_found_are_not_stored_either(client, alice, frank, evidence):
    client.force_login(frank)  # another centre's administrator: not on Alice's case
    stranger = client.get(f"/assessments/evidence/{evidence.pk}/")
    assert stranger.status_code == 404
    assert stranger["Cache-Control"] == "private, no-store"
    client.force_login(alice)
    responses = [
        client.get("/no-such-page/"),
        client.post(f"/portfolio/evidence/{evidence.pk}/submit/", {}),  # the declaration not ticked: 200 with errors
        client.get("/accounts/login/"),  # signed in already: sent on
    ]
    client.logout()
    responses.append(client.get("/portfolio/evidence/"))  # to the sign-in page
    responses.append(client.get("/accounts/login/"))
    for response in responses:
        assert never_stored(response), response.request["PATH_INFO"]


def test_a_file_download_keeps_its_own_stricter_headers(client, alice, evidence):
    client.force_login(alice)
    response = client.get(f"/portfolio/files/{evidence.files.get().pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_view_that_says_how_it_may_be_cached_is_not_overruled(client):
    response = client.get("/health/")
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
