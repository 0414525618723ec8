"""Inviting or importing someone the centre has already invited in another role says so (issue 16,
an outside tester's finding: two emails, and the newest accepted in the wrong role)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Invitation, Role
from portfolio.services_centre import person_add
from tests.factories import updated

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


@pytest.fixture
def pia_invited_as_assessor(centre, grace):
    invitation = person_add(centre=centre, added_by=grace, email="pia@example.org", first_name="Pia",
                            last_name="Park", role=Role.ASSESSOR)
    sent = timezone.make_aware(datetime.datetime(2026, 11, 3, 10, 0))
    updated(Invitation.objects.filter(pk=invitation.pk), sent_at=sent, expires_at=timezone.now() + datetime.timedelta(days=3))


def test_adding_someone_invited_here_in_another_role_says_so(client, centre, grace, pia_invited_as_assessor):
    client.force_login(grace)
    response = client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Pia", "last_name": "Park", "email": "PIA@example.org", "role": Role.CANDIDATE,
    }, follow=True)
    page = text_of(response)
    assert "an invitation to join Riverside Training as a candidate" in page
    assert "Also has a waiting invitation as assessor, sent 3 November 2026." in page


def test_adding_someone_with_no_other_invitation_says_nothing_more(client, centre, grace):
    client.force_login(grace)
    response = client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Nia", "last_name": "Nash", "email": "nia@example.org", "role": Role.CANDIDATE,
    }, follow=True)
    assert "Also has a waiting invitation" not in text_of(response)


def test_the_import_preview_row_notes_a_waiting_invitation_in_another_role(client, centre, grace, pia_invited_as_assessor):
    client.force_login(grace)
    rows = "First name,Last name,Email\nPia,Park,pia@example.org\nNia,Nash,nia@example.org\n"
    response = client.post(reverse("portfolio:people_import", args=[centre.pk]),
                           {"people_file": SimpleUploadedFile("class.csv", rows.encode())})
    page = text_of(client.get(response["Location"] + "?show=all"))
    assert "Also has a waiting invitation as assessor, sent 3 November 2026. They will be invited as a candidate too." in page
    assert page.count("Also has a waiting invitation") == 1
