"""The site administrator's Catalogue page (issue 14 item 5): the catalogue of units is the
installation's, so the site administrator (a superuser, who holds no role at any centre) says which
centre administrators may import units too. Each change is recorded in that centre's audit trail
and told to the administrator. Nobody else finds the page.

Grace administers Riverside, Frank Hillside (tests/cast.py)."""

import pytest
from django.urls import reverse

from portfolio.models import AuditEvent, Membership, Notification, Role
from tests.factories import may_import

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("portfolio:catalogue")


@pytest.fixture
def site(django_user_model):
    return django_user_model.objects.create_superuser(
        email="sam@example.org", password="x" * 20, first_name="Sam", last_name="Site"
    )


def _membership(person):
    return Membership.objects.get(person=person, role=Role.ADMINISTRATOR)


def _save(client, site, *, shown, granted):
    client.force_login(site)
    return client.post(CATALOGUE, {"shown": [m.pk for m in shown], "granted": [m.pk for m in granted]})


def test_it_lists_each_centres_administrators_with_a_box_for_the_site_administrator(client, site, grace, frank, alice):
    may_import(Membership.objects.filter(pk=_membership(frank).pk))
    client.force_login(site)

    page = client.get(CATALOGUE).content.decode()

    assert "Riverside Training" in page and "Hillside College" in page
    assert f'value="{_membership(grace).pk}" id="granted-{_membership(grace).pk}">' in page  # not ticked
    assert f'value="{_membership(frank).pk}" id="granted-{_membership(frank).pk}" checked>' in page
    assert alice.email not in page  # candidates are not administrators


def test_granting_the_right_lets_the_administrator_import_and_is_recorded_and_told(client, site, grace, frank):
    response = _save(client, site, shown=[_membership(grace), _membership(frank)], granted=[_membership(grace)])

    assert response.status_code == 302 and response["Location"] == CATALOGUE
    assert "Grace" in client.get(CATALOGUE).content.decode()  # the message names who changed
    assert _membership(grace).may_import_units and not _membership(frank).may_import_units
    event = AuditEvent.objects.get(action="portfolio.catalogue.import_right_granted")
    assert event.centre == grace.memberships.first().centre and event.actor == site
    assert not AuditEvent.objects.filter(centre=frank.memberships.first().centre).exists()
    notice = Notification.objects.get(recipient=grace)
    assert notice.message == "Sam Site, the site administrator, has allowed you to import units into the catalogue of standards"
    client.force_login(grace)
    assert client.get(reverse("portfolio:unit_import")).status_code == 200
    assert "Import a unit" in client.get(reverse("standards:unit_list")).content.decode()


def test_unticking_withdraws_the_right_and_tells_the_administrator(client, site, grace):
    may_import(Membership.objects.filter(pk=_membership(grace).pk))

    _save(client, site, shown=[_membership(grace)], granted=[])

    assert not _membership(grace).may_import_units
    assert AuditEvent.objects.filter(action="portfolio.catalogue.import_right_withdrawn").count() == 1
    assert "withdrawn your right to import units" in Notification.objects.get(recipient=grace).message
    client.force_login(grace)
    assert client.get(reverse("portfolio:unit_import")).status_code == 404


def test_saving_without_a_change_records_nothing(client, site, grace):
    response = _save(client, site, shown=[_membership(grace)], granted=[])

    assert response.status_code == 302
    assert "Nothing had changed" in client.get(CATALOGUE).content.decode()
    assert not AuditEvent.objects.exists() and not Notification.objects.exists()


def test_an_administrator_the_page_did_not_show_keeps_their_right(client, site, grace, frank):
    """Someone made an administrator, or granted in the meantime, after the page was opened."""
    may_import(Membership.objects.filter(pk=_membership(frank).pk))

    _save(client, site, shown=[_membership(grace)], granted=[_membership(grace)])

    assert _membership(frank).may_import_units and _membership(grace).may_import_units


@pytest.mark.parametrize("who", ["grace", "alice", "frank"])
def test_nobody_but_the_site_administrator_finds_it_not_even_an_administrator_who_may_import(client, who, request):
    person = request.getfixturevalue(who)
    may_import(Membership.objects.filter(person=person))
    client.force_login(person)

    assert client.get(CATALOGUE).status_code == 404
    assert client.post(CATALOGUE, {"shown": [], "granted": []}).status_code == 404
    assert "Who may import units" not in client.get(reverse("standards:unit_list")).content.decode()


def test_the_standards_list_leads_the_site_administrator_to_it(client, site):
    client.force_login(site)

    page = client.get(reverse("standards:unit_list")).content.decode()

    assert f'href="{CATALOGUE}">Who may import units</a>' in page


def test_a_number_no_record_can_have_is_refused_on_the_page(client, site, grace):
    client.force_login(site)
    response = client.post(CATALOGUE, {"shown": [_membership(grace).pk], "granted": ["99999999999999999999"]})

    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert not _membership(grace).may_import_units
