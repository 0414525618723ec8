"""A person's page keeps their past deactivations at the centre (issue 16): each one a reactivation
ended, with its date, who did it and why, and when and by whom it was ended. The centre's own
administrators see it; nobody sees another centre's."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.dates import day
from portfolio.models import EndedDeactivation, Membership, Role
from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.factories import member
from tests.migrating import latest, migrate_to
from tests.portfolio.test_deactivated_invitations import text_of

pytestmark = pytest.mark.django_db

FIRST = "Finished the course in June; left the centre."
SECOND = "A duplicate account, made by mistake."
BACK = "Back from a year abroad; finishing the unit."


def page_url(centre, person) -> str:
    return reverse("portfolio:person_detail", args=[centre.pk, person.pk])


def words(response) -> str:
    """What the page reads as, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def history(response) -> str:
    """The words of the page's "Past deactivations here" section, or "" when there is none."""
    found = re.search(r'<section aria-labelledby="past-deactivations-heading".*?</section>', text_of(response), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


def deactivated_and_back(centre, person, *, by, back_by, reason, on, back_on, back_reason=BACK):
    membership_deactivate(centre=centre, person=person, deactivated_by=by, reason=reason)
    membership_reactivate(centre=centre, person=person, reactivated_by=back_by, reason=back_reason)
    ended = EndedDeactivation.objects.filter(person=person, centre=centre).order_by("-pk").first()
    EndedDeactivation.objects.filter(pk=ended.pk).update(deactivated_at=on, reactivated_at=back_on)


def moment(year, month, date) -> datetime.datetime:
    return datetime.datetime(year, month, date, 12, tzinfo=datetime.UTC)


@pytest.fixture
def olga(centre):
    """A second administrator of the centre, so that who did what is told apart."""
    return member(centre, Role.ADMINISTRATOR, first_name="Olga", last_name="Owens", email="olga@example.org")


def test_a_person_never_deactivated_has_no_history_section(client, centre, grace, bob):
    client.force_login(grace)
    response = client.get(page_url(centre, bob))
    assert response.status_code == 200
    assert history(response) == "" and "Past deactivations" not in words(response)


def test_reactivating_keeps_the_deactivation_and_the_page_shows_each_latest_first(client, centre, grace, olga, bob):
    deactivated_and_back(centre, bob, by=grace, back_by=olga, reason=FIRST,
                         on=moment(2026, 3, 2), back_on=moment(2026, 4, 6))
    deactivated_and_back(centre, bob, by=olga, back_by=grace, reason=SECOND,
                         on=moment(2026, 9, 14), back_on=moment(2026, 10, 1), back_reason="Deactivated by mistake.")
    assert Membership.objects.filter(person=bob, centre=centre, role=Role.ASSESSOR).exists()

    client.force_login(grace)
    shown = history(client.get(page_url(centre, bob)))

    newest = (f"Deactivated on {day(moment(2026, 9, 14))} by Olga Owens, for this reason: {SECOND} "
              f"Reactivated on {day(moment(2026, 10, 1))} by Grace Gordon, for this reason: Deactivated by mistake.")
    oldest = (f"Deactivated on {day(moment(2026, 3, 2))} by Grace Gordon, for this reason: {FIRST} "
              f"Reactivated on {day(moment(2026, 4, 6))} by Olga Owens, for this reason: {BACK}")
    assert newest in shown and oldest in shown
    assert shown.index(newest) < shown.index(oldest)


def test_while_deactivated_again_the_page_shows_the_current_reason_and_the_past_one_apart(client, centre, grace, bob):
    deactivated_and_back(centre, bob, by=grace, back_by=grace, reason=FIRST,
                         on=moment(2026, 3, 2), back_on=moment(2026, 4, 6))
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason=SECOND)

    client.force_login(grace)
    response = client.get(page_url(centre, bob))
    assert f"by Grace Gordon, for this reason: {SECOND}" in words(response)
    shown = history(response)
    assert FIRST in shown and SECOND not in shown
    assert f"Reactivated on {day(moment(2026, 4, 6))} by Grace Gordon, for this reason: {BACK}" in shown


def test_a_past_deactivation_before_reasons_were_asked_says_it_has_none(client, centre, grace, bob):
    EndedDeactivation.objects.create(
        person=bob, centre=centre, roles=[Role.ASSESSOR], deactivated_by=grace, deactivated_at=moment(2025, 5, 1),
        reactivated_by=grace, reactivated_at=moment(2025, 6, 1),
    )
    client.force_login(grace)
    assert (f"Deactivated on {day(moment(2025, 5, 1))} by Grace Gordon: no reason recorded. "
            f"Reactivated on {day(moment(2025, 6, 1))} by Grace Gordon: no reason recorded.") in history(client.get(page_url(centre, bob)))


def test_another_centres_deactivations_are_not_shown(client, centre, other_centre, grace, frank, bob):
    """Bob works at both centres; Hillside deactivated him once. Riverside's page knows nothing of it,
    and Hillside's administrator cannot open Riverside's page about him."""
    Membership.objects.create(person=bob, centre=other_centre, role=Role.ASSESSOR)
    deactivated_and_back(centre=other_centre, person=bob, by=frank, back_by=frank, reason="Hillside's own reason.",
                         on=moment(2026, 2, 2), back_on=moment(2026, 2, 9))

    client.force_login(grace)
    response = client.get(page_url(centre, bob))
    assert response.status_code == 200
    assert history(response) == "" and "Hillside's own reason." not in text_of(response)

    client.force_login(frank)
    assert "Hillside's own reason." in history(client.get(page_url(other_centre, bob)))
    assert client.get(page_url(centre, bob)).status_code == 404


@pytest.mark.parametrize("who", ["bob", "alice", "frank"])
def test_the_page_with_its_history_is_the_centres_administrators_only(client, centre, grace, alice, bob, frank, who):
    deactivated_and_back(centre, bob, by=grace, back_by=grace, reason=FIRST,
                         on=moment(2026, 3, 2), back_on=moment(2026, 4, 6))
    client.force_login({"bob": bob, "alice": alice, "frank": frank}[who])
    response = client.get(page_url(centre, bob))
    assert response.status_code == 404
    assert FIRST not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_reads_past_deactivations_back_from_the_audit_trail():
    newest = latest()
    try:
        old = migrate_to([("portfolio", "0044_person_by_folded_name")])
        centre = old.get_model("portfolio", "Centre").objects.create(name="Riverside Training", code="riverside")
        other = old.get_model("portfolio", "Centre").objects.create(name="Hillside College", code="hillside")
        people = old.get_model("portfolio", "Person").objects
        grace, olga = people.create(email="grace@example.org"), people.create(email="olga@example.org")
        bob = people.create(email="bob@example.org", first_name="Bob", last_name="Baker")
        events = old.get_model("portfolio", "AuditEvent").objects
        facts = {"person": bob.pk, "email": bob.email, "roles": ["assessor"]}

        def event(action, actor, where=centre, **more):
            events.create(action=f"portfolio.person.{action}", actor=actor, centre=where,
                          summary=f"{bob.email} {action}", **more)

        event("deactivated", grace, after=facts)  # before 0043: no reason
        event("deactivated", olga, where=other, after=facts | {"reason": "Hillside's"})  # still deactivated there
        event("reactivated", olga, after=facts, before={"deactivated_at": "2026-01-05T09:30:00+00:00"})
        event("deactivated", olga, after=facts | {"reason": FIRST})
        event("reactivated", grace, after=facts, before={"reason": FIRST})
        event("deactivated", grace, after=facts | {"reason": SECOND})  # still deactivated: no ended one
    finally:
        migrate_to(newest)
    ended = list(EndedDeactivation.objects.order_by("reactivated_at", "pk"))
    assert [(e.centre.code, e.deactivated_by.email, e.reactivated_by.email, e.reason, e.roles) for e in ended] == [
        ("riverside", "grace@example.org", "olga@example.org", "", ["assessor"]),
        ("riverside", "olga@example.org", "grace@example.org", FIRST, ["assessor"]),
    ]
    assert [e.reactivation_reason for e in ended] == ["", ""]  # none asked before 0048
    assert ended[0].deactivated_at == datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.UTC)
    assert ended[1].deactivated_at <= ended[1].reactivated_at <= timezone.now()
