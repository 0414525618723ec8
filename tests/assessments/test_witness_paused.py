"""A witness link waiting for a deactivated candidate (an outside trial's finding): the link already
opened no form, but the unit page still listed it as "Waiting", as if the witness could still give
testimony. Now the page says it is paused because the candidate is deactivated here (as a unit of
theirs is "In progress, paused"), and the version-move preview counts it as paused, not waiting.
Reactivated, the link works again while in date, and the page says "Waiting" again; one that
expired meanwhile says "Expired", on the page and to the witness.

Dave is Erin's candidate on HSC331 at Riverside; Grace administers it (tests/cast.py). Wendy is a
witness with no account."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import TestimonyRequest
from assessments.services import witness as witness_services
from portfolio.services_people import membership_deactivate, membership_reactivate
from standards.models import Criterion
from tests.factories import links_expire
from tests.standards.unit_versions import new_version

pytestmark = pytest.mark.django_db

PAUSED = (
    "Paused: the candidate is deactivated here, so the link opens no form and nothing waits for the witness."
)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _panel(response) -> str:
    """The words of the unit page's "Witnesses and testimony" card."""
    html = response.content.decode()
    start = html.index('id="witnesses"')
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)]).split())


def _ask_wendy(unit, by) -> str:
    witness_services.testimony_request(
        enrolment=unit,
        requested_by=by,
        witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org",
        criteria=list(Criterion.objects.filter(unit=unit.unit, reference="HSC331a.1")),
    )
    match = re.search(r"/assessments/witness/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body))
    assert match
    return match.group(1)


@pytest.fixture
def deactivated(centre, grace, dave, erin, daves_unit):
    """Wendy was asked by Erin; then Dave was deactivated. The link's token."""
    token = _ask_wendy(daves_unit, erin)
    membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left the course.")
    return token


@pytest.mark.parametrize("who", ["erin", "grace", "carol"])
def test_the_unit_page_says_the_link_is_paused_not_waiting(client, request, daves_unit, deactivated, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("assessments:enrolment_detail", args=[daves_unit.pk]))

    panel = _panel(page)
    assert "Paused Sent to Wendy Walsh (wendy@care.example.org)" in panel
    assert PAUSED in panel
    expires = TestimonyRequest.objects.get().expires_at
    local = timezone.localtime(expires)
    assert (
        f"It works again if the centre reactivates them before it expires {local.day} {local:%B %Y}." in panel
    )
    assert "Waiting" not in panel


def test_the_link_still_opens_no_form_to_the_witness(daves_unit, deactivated):
    opened = Client().get(f"/assessments/witness/{deactivated}/")
    assert opened.status_code == 410 and "This request is no longer open" in _text(opened)


def test_reactivated_in_date_the_link_works_and_the_page_says_waiting_again(
    client,
    centre,
    grace,
    dave,
    erin,
    daves_unit,
    deactivated,
):
    membership_reactivate(centre=centre, person=dave, reactivated_by=grace, reason="Back to finish the unit.")

    opened = Client().get(f"/assessments/witness/{deactivated}/")
    assert opened.status_code == 200 and 'name="testimony"' in opened.content.decode()
    client.force_login(erin)
    panel = _panel(client.get(reverse("assessments:enrolment_detail", args=[daves_unit.pk])))
    assert "Waiting Sent to Wendy Walsh" in panel and "Paused" not in panel


def test_reactivated_after_the_link_expired_it_says_expired(
    client, centre, grace, dave, erin, daves_unit, deactivated
):
    links_expire(TestimonyRequest.objects.all(), timezone.now() - datetime.timedelta(minutes=1))
    membership_reactivate(centre=centre, person=dave, reactivated_by=grace, reason="Back to finish the unit.")

    opened = Client().get(f"/assessments/witness/{deactivated}/")
    assert opened.status_code == 410 and "This link has expired" in _text(opened)
    client.force_login(erin)
    panel = _panel(client.get(reverse("assessments:enrolment_detail", args=[daves_unit.pk])))
    assert "Expired Wendy Walsh (wendy@care.example.org) did not use the link" in panel
    assert "Paused" not in panel and "Waiting" not in panel


def test_an_expired_link_of_a_deactivated_candidate_says_expired_not_paused(
    client, erin, daves_unit, deactivated
):
    links_expire(TestimonyRequest.objects.all(), timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(erin)
    panel = _panel(client.get(reverse("assessments:enrolment_detail", args=[daves_unit.pk])))
    assert "Expired Wendy Walsh" in panel and "Paused" not in panel


def test_the_version_move_preview_counts_the_link_as_paused(client, grace, daves_unit, deactivated):
    new_version("HSC331", "2")
    client.force_login(grace)
    page = _text(client.get(reverse("assessments:move_version", args=[daves_unit.pk])))
    assert "1 paused link (Wendy Walsh), moved to version 2" in page
    assert "waiting link" not in page
