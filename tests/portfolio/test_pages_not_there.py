"""A page number that is not there (a list shrunk since its link was made, a bookmark, a typed
address) shows a page of the list and says which, instead of passing the last page off as the one
asked for; and each of the centre page's lists pages on its own parameter."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Invitation, PreparedRegistration, Role
from portfolio.paging import Pages
from portfolio.views import centre as centre_views
from standards.demo_qualification import demo_qualification
from tests.assessments.quality_records import countersigned_by_the_iqa
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

NOT_THERE = re.compile(r"There is no page (\S+) of this list: ([^<]+)</p>")


def said(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return NOT_THERE.findall(response.content.decode())


@pytest.mark.parametrize(
    ("asked", "shown", "kept"),
    [("2", 2, None), ("9", 3, 9), ("0", 1, 0), ("-4", 1, -4), ("two", 1, None), (None, 1, None), ("9" * 40, 3, int("9" * 40))],
)
def test_a_page_keeps_the_number_asked_only_when_it_is_not_that_page(asked, shown, kept):
    page = Pages(list(range(23)), 10).get_page(asked)
    assert (page.number, page.asked) == (shown, kept)


def test_the_centre_page_says_there_is_no_such_page_of_people(client, grace, centre, monkeypatch):
    monkeypatch.setattr(centre_views, "PAGE_SIZE", 2)
    for name in ("Ada", "Ben", "Cat", "Dee"):
        member(centre, Role.CANDIDATE, first_name=name, last_name="Listed")
    client.force_login(grace)
    url = reverse("assessments:centre_detail", args=[centre.pk])
    people = centre.memberships.values("person").distinct().count()
    last = (people + 1) // 2

    assert said(client.get(url, {"people_page": 9})) == [("9", f"this is page {last} of {last}.")]
    assert said(client.get(url, {"people_page": last})) == []
    assert said(client.get(url, {"people_page": 0})) == [("0", f"this is page 1 of {last}.")]
    # A number that is no number is a hand-made address: the first page, without a word.
    assert said(client.get(url, {"people_page": "x"})) == []


def test_a_list_on_one_page_or_empty_says_so(client, grace, centre):
    client.force_login(grace)
    audit_trail = reverse("ops:audit_trail", args=[centre.pk])
    assert said(client.get(audit_trail, {"q": "nothing matches this", "page": 3})) == [("3", "it is empty.")]
    assert said(client.get(reverse("portfolio:notification_list"), {"page": 4})) == [("4", "it is empty.")]
    member(centre, Role.CANDIDATE, first_name="Ada", last_name="Listed")
    assert said(client.get(reverse("assessments:centre_detail", args=[centre.pk]), {"people_page": 2})) == [
        ("2", "it fits on one page.")
    ]


def test_the_qualifications_waiting_page_on_their_own_parameter(client, grace, centre, bob, carol, monkeypatch):
    """Their Next link once set the enrolments' page, so a centre with more than a page of them
    could never see the rest."""
    monkeypatch.setattr(centre_views, "PAGE_SIZE", 2)
    now = timezone.now()
    for n in range(3):
        invitation = Invitation.objects.create(
            centre=centre, name=f"Waiting Person{n}", email=f"waiting{n}@example.org", role=Role.CANDIDATE,
            token_digest=f"digest-{n}", invited_by=grace, sent_at=now, expires_at=now + datetime.timedelta(days=14),
        )
        PreparedRegistration.objects.create(
            invitation=invitation, qualification=demo_qualification(), assessor=bob, iqa=carol,
            start_date=timezone.localdate(), target_date=timezone.localdate() + datetime.timedelta(days=90),
            prepared_by=grace,
        )
    client.force_login(grace)
    url = reverse("assessments:centre_detail", args=[centre.pk])

    first = client.get(url, {"people_page": 2}).content.decode()
    nav = first[first.index('aria-label="Registrations on qualifications waiting: pages"') :]
    following, heading = re.search(r'href="\?([^"#]+)#([^"]+)">Next', nav).groups()
    following = following.replace("&amp;", "&")
    assert sorted(following.split("&")) == ["people_page=2", "prepared_qualifications_page=2"]
    assert heading == "prepared-heading"

    second = client.get(f"{url}?{following}").content.decode()
    waiting = second[second.index('id="prepared-qualifications-caption"') :]
    assert "Waiting Person2" in waiting
    assert "Waiting Person0" not in waiting


@pytest.mark.parametrize("asked", ["99999999999999999999", "9223372036854775807", "1000000000000000000"])
def test_the_claims_page_says_so_of_a_page_past_any_list_rather_than_failing(client, grace, centre, asked):
    """Its page is cut in the database with its count: a number this big was an OFFSET no database holds."""
    client.force_login(grace)
    response = client.get(reverse("assessments:claim_list", args=[centre.pk]), {"page": asked})
    assert said(response) == [(asked, "it is empty.")]


@pytest.mark.parametrize("asked", ["0", "-1"])
def test_the_claims_page_says_so_of_page_0_or_less(client, grace, centre, alice, bob, carol, asked):
    countersigned_by_the_iqa(enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre))
    client.force_login(grace)
    response = client.get(reverse("assessments:claim_list", args=[centre.pk]), {"page": asked})
    assert said(response) == [(asked, "it fits on one page.")]
    assert "Alice Adams" in response.content.decode()


def test_the_centre_page_lists_page_to_their_own_heading(client, grace, centre, monkeypatch):
    """The centre page is long: Next on its enrolments goes to the enrolments, not the top of the page."""
    monkeypatch.setattr(centre_views, "PAGE_SIZE", 2)
    for name in ("Ada", "Ben", "Cat"):
        member(centre, Role.CANDIDATE, first_name=name, last_name="Listed")
    client.force_login(grace)
    page = client.get(reverse("assessments:centre_detail", args=[centre.pk])).content.decode()
    nav = page[page.index('aria-label="People: pages"') :]
    following = re.search(r'href="\?([^"]+)">Next', nav).group(1)
    assert following == "people_page=2#people-heading"
    assert 'id="people-heading"' in page
