"""Registering a class found at once (tester's finding: a class of 26 was ticked one by one): the
registration form narrows its candidates by name, by the CSV import they came in or by the day they
were invited, and "Show and tick them all" ticks every one found, without JavaScript; the import's
report leads there. An invited assessor cannot be chosen, and the form says who is waiting."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Invitation, PreparedEnrolment, Role
from portfolio.services_centre import person_add
from standards.models import Unit
from tests.factories import member

pytestmark = pytest.mark.django_db

CLASS = b"First name,Last name,Email\nNia,Nash,nia@example.org\nOwen,Osei,owen@example.org\n"


def ticked(page: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox" name="candidate" value="([^"]+)"[^>]*checked', page))


def offered(page: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox" name="candidate" value="([^"]+)"', page))


@pytest.fixture
def imported(client, grace, centre, django_capture_on_commit_callbacks):
    client.force_login(grace)
    upload = SimpleUploadedFile("class.csv", CLASS)
    preview = client.post(reverse("portfolio:people_import", args=[centre.pk]), {"people_file": upload})
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(preview["Location"])["Location"]


def test_the_imports_report_leads_to_registering_its_candidates_all_ticked(
    client, imported, centre, alice, bob, carol
):
    report = client.get(imported).content.decode()
    link = re.search(r'href="([^"]+)">Register these candidates on a unit', report).group(1).replace("&amp;", "&")

    page = client.get(link).content.decode()

    invitations = {f"invited-{i.pk}" for i in Invitation.objects.filter(email__in=["nia@example.org", "owen@example.org"])}
    assert offered(page) == ticked(page) == invitations  # Alice, not of this import, is not offered
    assert "Showing 2 candidates found." in page
    response = client.post(link, {
        "candidate": sorted(invitations), "unit": Unit.objects.get(code="HSC331", version=1).pk, "assessor": bob.pk,
        "iqa": carol.pk, "start_date": timezone.localdate().isoformat(),
        "target_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(), "registration_number": "",
    })
    assert response.status_code == 302
    assert PreparedEnrolment.objects.count() == 2


def test_candidates_are_found_by_name_or_the_day_they_were_invited(client, grace, centre, alice, dave, imported):
    url = reverse("portfolio:enrolment_create", args=[centre.pk])

    by_name = client.get(url, {"words": "adams", "tick": "all"}).content.decode()
    assert offered(by_name) == ticked(by_name) == {str(alice.pk)}

    today = client.get(url, {"invited_on": timezone.localdate().isoformat()}).content.decode()
    assert len(offered(today)) == 2 and ticked(today) == set()
    assert str(alice.pk) not in offered(today)

    everyone = client.get(url).content.decode()
    assert {str(alice.pk), str(dave.pk)} <= offered(everyone) and len(offered(everyone)) == 4
    assert "Show every candidate" not in everyone
    # The tick box for "Tick all shown" is there for the page's script; without one the buttons do it.
    assert "data-tick-all-shown" in everyone and "Show and tick them all" in everyone

    wrong = client.get(url, {"invited_on": "soon", "batch": "999"}).content.decode()
    assert "Choose one of this centre&#x27;s imports." in wrong and len(offered(wrong)) == 4


def test_an_invited_assessor_is_named_as_not_yet_able_to_be_chosen(client, grace, centre, alice, bob, carol):
    person_add(centre=centre, added_by=grace, email="dev@example.org", first_name="Dev", last_name="Patel",
               role=Role.ASSESSOR)
    client.force_login(grace)

    page = client.get(reverse("portfolio:enrolment_create", args=[centre.pk])).content.decode()

    assert "Dev Patel has not accepted their invitation yet." in page
    assert "dev@example.org" not in page.split('id="id_assessor"')[1].split("</select>")[0]


def test_a_long_email_address_in_the_candidates_list_wraps_at_its_at_sign_and_dots(client, grace, centre, bob, carol):
    """An outside trial at 390 px: a long address broke mid-word ("o'connor-whitf|ield"), as the
    invitations table did before `email_breaks`."""
    member(centre, Role.CANDIDATE, first_name="Samantha", last_name="Whitfield",
           email="samantha.oconnor-whitfield@riverside-training.example.org")
    person_add(centre=centre, email="nia.nash@example.org", first_name="Nia", last_name="Nash",
               role=Role.CANDIDATE, added_by=grace)
    client.force_login(grace)
    page = client.get(reverse("portfolio:enrolment_create", args=[centre.pk])).content.decode()

    assert ('Samantha Whitfield (<span class="email-address">samantha<wbr>.oconnor-whitfield@<wbr>riverside-training'
            '<wbr>.example<wbr>.org</span>)</label>') in page
    assert ('Nia Nash (<span class="email-address">nia<wbr>.nash@<wbr>example<wbr>.org</span>), invited, not yet '
            'accepted</label>') in page
