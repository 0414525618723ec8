"""The daily digest: one email to each person who chose it for some kinds of notification, listing
those that came since their last digest and that they have not already read in the app. Run on the
worker (`tasks.send_notification_digests`), queued once a day by `manage.py notification_digests`.

Each notification is listed once at most: the digest marks what it lists (`digested_at`) in the
transaction that sends it, with the rows locked, so a second run, at the same time or later, finds
nothing to send; an email that fails to go leaves them for the next run."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .links import absolute_url
from .models import Notification, NotificationPreference, Person
from .notification_kinds import NotificationDelivery
from .notifications import email_subject, still_shown

logger = logging.getLogger(__name__)


def waiting() -> QuerySet[Notification]:
    """Every notification waiting for a digest and not yet read in the app."""
    return Notification.objects.filter(
        delivery=NotificationDelivery.DIGEST, digested_at__isnull=True, read_at__isnull=True,
        recipient__is_active=True,
    ).filter(still_shown()).exclude(recipient__email="")


def send_digests() -> int:
    """Sends every digest due; returns how many emails went. One person's failure (their mail
    server refusing, say) is logged and stops nobody else's."""
    sent = 0
    for person in Person.objects.filter(pk__in=waiting().values("recipient")).order_by("pk"):
        try:
            sent += send_digest(person)
        except Exception:  # the email backend's errors are many kinds; the next run tries again
            logger.exception("The daily digest of person %s was not sent; it is tried again next time", person.pk)
    return sent


def send_digest(person: Person) -> int:
    """Emails this person their digest if anything is waiting for it; returns 1 if it went, else 0."""
    # A kind they now want in the app only is not emailed, even if it was waiting when they chose.
    in_app_only = NotificationPreference.objects.filter(
        person=person, delivery=NotificationDelivery.IN_APP
    ).values("kind")
    with transaction.atomic():
        listed = list(
            waiting().filter(recipient=person).exclude(kind__in=in_app_only)
            .select_for_update(skip_locked=True, of=("self",)).order_by("created_at", "id")
        )
        if not listed:
            return 0
        send_mail(
            subject=email_subject(_subject(len(listed))),
            message=_body(person, listed),
            from_email=None,
            recipient_list=[person.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in listed]).update(digested_at=timezone.now())
    return 1


def _subject(count: int) -> str:
    return f"Your daily digest: {count} notification{'s' if count != 1 else ''}"


def _body(person: Person, listed: list[Notification]) -> str:
    return render_to_string(
        "portfolio/notification_digest_email.txt",
        {
            "person": person,
            "lines": [
                (timezone.localtime(n.created_at), n.message, absolute_url(n.link) if n.link else "")
                for n in listed
            ],
            "inbox": absolute_url(reverse("portfolio:notification_list")),
            "settings": absolute_url(reverse("portfolio:notification_preferences")),
        },
    )
