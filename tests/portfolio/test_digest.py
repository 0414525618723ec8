"""The daily digest (portfolio/digest.py, `manage.py notification_digests`): one email a day to each
person with notifications waiting for it, each with its time and its link on the public address;
nothing when nothing waits; never the same notification twice.

Alice and Dave are candidates (tests/cast.py); an acceptance goes to the digest by default."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from portfolio import digest
from portfolio.digest import send_digests
from portfolio.models import Notification, NotificationPreference
from portfolio.notifications import NotificationKind, notify

pytestmark = pytest.mark.django_db

SITE = "https://portfolio.example.org"
ACCEPTED = NotificationKind.EVIDENCE_ACCEPTED


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTFOLIO_SITE_URL = SITE


def accepted(person, reference: str) -> None:
    notify([person], f"Bob Baker accepted {reference}.", kind=ACCEPTED, link=f"/assessments/evidence/{reference[1:]}/")


def test_the_digest_lists_each_notification_with_its_time_and_its_link_oldest_first(alice):
    accepted(alice, "E1")
    Notification.objects.update(
        created_at=datetime.datetime(2026, 6, 3, 13, 5, tzinfo=datetime.UTC)
    )
    accepted(alice, "E2")

    assert send_digests() == 1

    [email] = mail.outbox
    assert email.to == ["alice@example.org"]
    assert email.subject == "Evidence portfolio: Your daily digest: 2 notifications"
    assert email.body.startswith("Hello Alice,")
    # London time, as every date the product shows.
    assert "- 3 June 2026, 14:05: Bob Baker accepted E1.\n  https://portfolio.example.org/assessments/evidence/1/" in email.body
    assert email.body.index("accepted E1") < email.body.index("accepted E2")
    links = re.findall(r"https?://\S+", email.body)
    assert links == [
        f"{SITE}/assessments/evidence/1/", f"{SITE}/assessments/evidence/2/",
        f"{SITE}/portfolio/notifications/", f"{SITE}/portfolio/notifications/settings/",
    ]


def test_nothing_waiting_sends_nothing(alice, bob):
    # Bob hears of a submission at once, so it never waits for a digest; Alice has nothing at all.
    notify([bob], "Alice Adams submitted E1.", kind=NotificationKind.EVIDENCE_SUBMITTED)

    assert send_digests() == 0
    assert mail.outbox == []


def test_a_notification_is_never_in_two_digests(alice):
    accepted(alice, "E1")
    send_digests()
    accepted(alice, "E2")

    assert send_digests() == 1
    assert send_digests() == 0

    first, second = mail.outbox
    assert "accepted E1" in first.body and "accepted E2" not in first.body
    assert "accepted E2" in second.body and "accepted E1" not in second.body
    assert second.subject == "Evidence portfolio: Your daily digest: 1 notification"


def test_what_was_read_in_the_app_is_left_out(alice):
    accepted(alice, "E1")
    Notification.objects.update(read_at=timezone.now())
    accepted(alice, "E2")

    send_digests()

    [email] = mail.outbox
    assert "accepted E2" in email.body and "accepted E1" not in email.body


def test_a_kind_switched_to_in_app_only_leaves_the_digest_and_one_switched_to_at_once_stays(alice):
    accepted(alice, "E1")
    notify([alice], "Bob Baker recorded E2.", kind=NotificationKind.EVIDENCE_RECORDED)
    NotificationPreference.objects.create(person=alice, kind=ACCEPTED, delivery="in_app")
    NotificationPreference.objects.create(person=alice, kind=NotificationKind.EVIDENCE_RECORDED, delivery="at_once")

    send_digests()

    [email] = mail.outbox
    assert "recorded E2" in email.body and "accepted E1" not in email.body


def test_each_person_gets_their_own(alice, dave):
    accepted(alice, "E1")
    accepted(dave, "E2")

    assert send_digests() == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "dave@example.org"]
    to_dave = next(m for m in mail.outbox if m.to == ["dave@example.org"])
    assert "accepted E2" in to_dave.body and "accepted E1" not in to_dave.body


def test_a_digest_that_fails_to_go_is_sent_next_time_and_stops_nobody_elses(alice, dave, monkeypatch):
    accepted(alice, "E1")
    accepted(dave, "E2")
    real_send_mail = digest.send_mail

    def refusing_alice(**email):
        if email["recipient_list"] == ["alice@example.org"]:
            raise ConnectionRefusedError("the mail server is down")
        return real_send_mail(**email)

    monkeypatch.setattr(digest, "send_mail", refusing_alice)
    assert send_digests() == 1
    assert [m.to for m in mail.outbox] == [["dave@example.org"]]

    monkeypatch.setattr(digest, "send_mail", real_send_mail)
    assert send_digests() == 1
    assert [m.to for m in mail.outbox] == [["dave@example.org"], ["alice@example.org"]]
    assert "accepted E1" in mail.outbox[1].body


def test_the_command_queues_the_digests_for_the_worker(alice):
    accepted(alice, "E1")
    out = StringIO()

    call_command("notification_digests", stdout=out)  # the test settings' worker runs it at once

    assert out.getvalue() == "Daily digests queued for the worker.\n"
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert Notification.objects.get().digested_at is not None


def test_the_command_sends_them_itself_when_asked(alice, dave):
    accepted(alice, "E1")
    accepted(dave, "E2")
    out = StringIO()

    call_command("notification_digests", "--now", stdout=out)
    call_command("notification_digests", "--now", stdout=out)

    assert out.getvalue() == "Daily digests sent: 2\nDaily digests sent: 0\n"
    assert len(mail.outbox) == 2
