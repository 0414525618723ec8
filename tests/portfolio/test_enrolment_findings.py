"""A tester's findings on running a centre (issue 16): an invited candidate's registration is
managed before they accept (assessor, IQA, target date, or cancelled); the target date form shows
the date it changes; the centre page marks an overdue enrolment "Overdue"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, Enrolment, EnrolmentStatus, Invitation, PreparedEnrolment, Role
from portfolio.services_centre_invitations import enrolment_prepare
from standards.models import Unit
from tests.factories import enrol

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def later(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def nias_unit(centre, grace, bob, carol):
    now = timezone.now()
    nia = Invitation.objects.create(
        centre=centre, name="Nia Newton", email="nia@example.org", role=Role.CANDIDATE, token_digest="n" * 64,
        invited_by=grace, sent_at=now, expires_at=now + datetime.timedelta(days=14),
    )
    return enrolment_prepare(
        invitation=nia, prepared_by=grace, unit=Unit.objects.get(code="HSC331"), assessor=bob, iqa=carol,
        start_date=timezone.localdate(), target_date=later(90),
    )


def manage_url(centre, prepared):
    return reverse("portfolio:prepared_manage", args=[centre.pk, prepared.pk])


# A registration waiting for the candidate to accept


def test_the_centre_page_links_a_waiting_registration_to_its_page_which_shows_it_filled_in(
    client, grace, centre, nias_unit, bob
):
    client.force_login(grace)

    centre_page = text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))
    assert f'href="{manage_url(centre, nias_unit)}"' in centre_page
    page = text_of(client.get(manage_url(centre, nias_unit)))
    assert f'<option value="{bob.pk}" selected>Bob Baker (bob@example.org)</option>' in page
    assert f'value="{later(90).isoformat()}"' in page


def test_its_assessor_iqa_and_target_date_are_changed_before_acceptance(
    client, grace, centre, nias_unit, erin, ivan
):
    client.force_login(grace)

    response = client.post(manage_url(centre, nias_unit), {
        "assessor": erin.pk, "iqa": ivan.pk, "target_date": later(200).isoformat(),
    }, follow=True)

    assert "Nia Newton’s registration on HSC331 is changed." in text_of(response)
    nias_unit.refresh_from_db()
    assert (nias_unit.assessor, nias_unit.iqa, nias_unit.target_date) == (erin, ivan, later(200))
    event = AuditEvent.objects.get(action=PortfolioAction.ENROLMENT_PREPARED_CHANGED)
    assert event.after["changed"] == ["assessor", "iqa", "target_date"]


def test_a_change_is_refused_by_the_rules_of_registering(client, grace, centre, nias_unit, bob, carol):
    client.force_login(grace)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    past = client.post(manage_url(centre, nias_unit), {"assessor": bob.pk, "iqa": carol.pk, "target_date": yesterday})
    unchanged = client.post(manage_url(centre, nias_unit), {
        "assessor": bob.pk, "iqa": carol.pk, "target_date": later(90).isoformat(),
    })

    assert past.status_code == 400
    assert "The target date cannot be before the start date." in text_of(past)
    assert "Nothing has changed: choose a new assessor, IQA or target date." in text_of(unchanged)
    nias_unit.refresh_from_db()
    assert nias_unit.target_date == later(90)
    assert not AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_PREPARED_CHANGED).exists()


def test_cancelling_drops_the_registration_and_the_invitation_stands(client, grace, centre, nias_unit):
    client.force_login(grace)

    response = client.post(reverse("portfolio:prepared_cancel", args=[centre.pk, nias_unit.pk]), follow=True)

    assert "Nia Newton will not be registered on HSC331. Their invitation stands." in text_of(response)
    assert not PreparedEnrolment.objects.exists()
    assert Invitation.objects.get().status() == "pending"
    assert AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_PREPARED_CANCELLED).exists()
    assert client.get(manage_url(centre, nias_unit)).status_code == 404


def test_another_centres_administrator_finds_nothing(client, frank, centre, nias_unit):
    client.force_login(frank)

    assert client.get(manage_url(centre, nias_unit)).status_code == 404
    assert client.post(reverse("portfolio:prepared_cancel", args=[centre.pk, nias_unit.pk])).status_code == 404
    assert PreparedEnrolment.objects.exists()


# The target date form


def test_the_target_date_form_shows_and_fills_in_the_current_date(client, grace, hsc331):
    client.force_login(grace)

    page = text_of(client.get(reverse("portfolio:enrolment_target_date", args=[hsc331.pk])))

    assert f"The target date is now {hsc331.target_date.day} {hsc331.target_date:%B %Y}." in page
    assert re.search(rf'name="target_date" value="{hsc331.target_date.isoformat()}"', page)


# Overdue on the centre page


def test_the_centre_page_marks_an_active_unit_past_its_target_overdue(client, grace, centre, dave, erin, carol, hsc331):
    Enrolment.objects.filter(pk=hsc331.pk).update(start_date=later(-300), target_date=later(-1))
    daves = enrol(dave, "HSC331", assessor=erin, iqa=carol, centre=centre)
    Enrolment.objects.filter(pk=daves.pk).update(
        start_date=later(-300), target_date=later(-1), status=EnrolmentStatus.WITHDRAWN
    )
    client.force_login(grace)

    page = text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))

    rows = re.findall(r"<tr>.*?</tr>", page, re.DOTALL)
    alices = next(row for row in rows if "Alice Adams" in row and "HSC331" in row)
    daves_row = next(row for row in rows if "Dave Davies" in row and "HSC331" in row)
    assert "Overdue" in alices
    assert "Overdue" not in daves_row  # withdrawn: no longer expected to finish
    Enrolment.objects.filter(pk=hsc331.pk).update(target_date=timezone.localdate())
    assert "Overdue" not in text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))
