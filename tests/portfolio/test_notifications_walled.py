"""A person whose access to a centre ended (deactivated, issue 16) no longer reads that centre's
notifications, whose links would open nothing; nor is anything about the centre sent to them. What
is about themselves (their access ended) stays; given their roles back, they read the rest again."""

import pytest
from django.core import mail
from django.urls import reverse

from portfolio import digest, services_people
from portfolio.models import Notification, NotificationPreference
from portfolio.notification_kinds import NotificationDelivery, NotificationKind
from portfolio.notifications import notify

pytestmark = pytest.mark.django_db

ABOUT_THE_CENTRE = "Alice Adams submitted E1 “Supporting a family visit” for assessment."


def test_a_deactivated_person_no_longer_reads_or_is_sent_the_centres_notifications(
    client, centre, grace, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify([bob], ABOUT_THE_CENTRE, centre=centre, kind=NotificationKind.EVIDENCE_SUBMITTED, link="/assessments/assess/")
    about_the_centre = Notification.objects.get(recipient=bob)
    client.force_login(bob)
    assert ABOUT_THE_CENTRE in client.get(reverse("portfolio:notification_list")).content.decode()

    services_people.membership_deactivate(centre=centre, person=bob, deactivated_by=grace,
                                          reason="Left the centre.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify([bob], "Another item waits at Riverside.", centre=centre, kind=NotificationKind.EVIDENCE_SUBMITTED)

    page = client.get(reverse("portfolio:notification_list")).content.decode()
    assert ABOUT_THE_CENTRE not in page and "Another item waits" not in page
    assert "ended your access to Riverside Training" in page  # about themselves: kept
    assert client.get(reverse("portfolio:notification_open", args=[about_the_centre.pk])).status_code == 404
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=bob, message__startswith="Another").exists()

    services_people.membership_reactivate(centre=centre, person=bob, reactivated_by=grace, reason="Back at the centre.")
    assert ABOUT_THE_CENTRE in client.get(reverse("portfolio:notification_list")).content.decode()


def test_the_daily_digest_leaves_out_a_centre_where_they_no_longer_hold_a_role(centre, grace, bob):
    NotificationPreference.objects.create(person=bob, kind=NotificationKind.EVIDENCE_SUBMITTED, delivery=NotificationDelivery.DIGEST)
    notify([bob], ABOUT_THE_CENTRE, centre=centre, kind=NotificationKind.EVIDENCE_SUBMITTED)
    services_people.membership_deactivate(centre=centre, person=bob, deactivated_by=grace,
                                          reason="Left the centre.")
    mail.outbox.clear()
    assert digest.send_digest(bob) == 0
    assert not any(ABOUT_THE_CENTRE in message.body for message in mail.outbox)
