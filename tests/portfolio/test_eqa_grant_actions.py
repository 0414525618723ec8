"""What the centre's list of external quality assurers offers for each grant: only what still makes
sense. Access that ran out or was ended is not renewed, sent again or ended a second time; it is
given anew as a fresh invitation ("Invite again"), starting from the same person and scope, so the
EQA accepts a new link and the centre's terms again for the new visit.

Grace administers Riverside; Eve is an EQA."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portfolio.models import EqaGrant
from tests.factories import PersonFactory, eqa_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def eve(db):
    return PersonFactory(first_name="Eve", last_name="Ellis", email="eve@example.org")


def _card(page: str, email: str) -> str:
    """The list's card of one grant, as text with its links' addresses."""
    card = next(card for card in page.split('<li class="card mb-3">')[1:] if email in card)
    return re.sub(r"\s+", " ", card)


def _actions(card: str) -> list[str]:
    buttons = re.findall(r'<(?:a|button)[^>]*class="btn[^"]*"[^>]*>([^<]+)<', card)
    return [button.strip() for button in buttons]


def _expired(centre, person, unit) -> EqaGrant:
    return eqa_grant(centre, person, units=[unit], start_date=timezone.localdate() - datetime.timedelta(days=40), days=30)


def test_access_that_ran_out_or_was_ended_offers_only_to_invite_again(client, centre, hsc331, grace, heidi, eve):
    ran_out = _expired(centre, eve, hsc331.unit)
    olga = PersonFactory(first_name="Olga", last_name="Old", email="olga@example.org")
    ended = eqa_grant(centre, olga, units=[hsc331.unit])
    client.force_login(grace)
    client.post(reverse("portfolio:eqa_end", args=[centre.pk, ended.pk]))

    page = client.get(reverse("portfolio:eqa_access_list", args=[centre.pk])).content.decode()

    for grant, email in ((ran_out, "eve@example.org"), (ended, "olga@example.org")):
        card = _card(page, email)
        assert _actions(card) == ["Invite again"], (email, _actions(card))
        assert f'href="{reverse("portfolio:eqa_invite", args=[centre.pk])}?again={grant.pk}"' in card
    assert _actions(_card(page, "heidi@example.org")) == ["Renew", "End access now"]  # active: as before


def test_access_that_ran_out_is_not_renewed(client, centre, hsc331, grace, eve):
    ran_out = _expired(centre, eve, hsc331.unit)
    client.force_login(grace)
    response = client.post(
        reverse("portfolio:eqa_renew", args=[centre.pk, ran_out.pk]),
        {"end_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 400
    assert "This access ran out on" in response.content.decode() and "invite the EQA again" in response.content.decode()
    ran_out.refresh_from_db()
    assert ran_out.end_date < timezone.localdate()


def test_inviting_again_starts_from_the_same_person_and_scope(client, centre, hsc331, h3_25, grace, eve):
    ran_out = _expired(centre, eve, hsc331.unit)
    client.force_login(grace)
    address = reverse("portfolio:eqa_invite", args=[centre.pk])

    form = client.get(address, {"again": ran_out.pk}).content.decode()

    assert 'value="eve@example.org"' in form and 'value="Eve Ellis"' in form and 'value="City &amp; Guilds"' in form
    assert re.search(rf'value="{hsc331.unit.pk}"[^>]*checked', form) and not re.search(rf'value="{h3_25.unit.pk}"[^>]*checked', form)
    today = timezone.localdate()
    client.post(address, {
        "name": "Eve Ellis", "email": "eve@example.org", "awarding_body": "City & Guilds", "units": [hsc331.unit.pk],
        "start_date": today.isoformat(), "end_date": (today + datetime.timedelta(days=30)).isoformat(),
    })
    fresh = EqaGrant.objects.exclude(pk=ran_out.pk).get(centre=centre, invitation__email="eve@example.org")
    assert fresh.person is None and fresh.status(today) == "invited" and len(mail.outbox) == 1


def test_another_centres_grant_is_not_a_starting_point(client, centre, other_centre, hsc331, grace, eve):
    elsewhere = eqa_grant(other_centre, eve, units=[hsc331.unit])
    client.force_login(grace)
    assert client.get(reverse("portfolio:eqa_invite", args=[centre.pk]), {"again": elsewhere.pk}).status_code == 404


def test_the_renew_page_of_an_ended_grant_says_so_at_once_and_offers_to_invite_again(client, centre, hsc331, grace):
    olga = PersonFactory(first_name="Olga", last_name="Old", email="olga@example.org")
    ended = eqa_grant(centre, olga, units=[hsc331.unit])
    client.force_login(grace)
    client.post(reverse("portfolio:eqa_end", args=[centre.pk, ended.pk]))

    response = client.get(reverse("portfolio:eqa_renew", args=[centre.pk, ended.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Their access now runs from" not in page and "Renew access</button>" not in page
    assert "This access was ended on" in page and "so it cannot be renewed" in page
    assert f'href="{reverse("portfolio:eqa_invite", args=[centre.pk])}?again={ended.pk}">Invite again</a>' in page
