"""Telling people what needs them: an in-app notification and an email, sent after the change
that caused them is committed (a rolled-back change tells nobody anything)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification, Person


def notify(recipients: list[Person], message: str, *, link: str = "") -> None:
    people = {person.pk: person for person in recipients if person is not None}.values()
    Notification.objects.bulk_create(
        [Notification(recipient=person, message=message, link=link) for person in people]
    )
    addresses = [person.email for person in people if person.email]

    def send() -> None:
        for address in addresses:
            body = message + (f"\n\n{settings.PORTFOLIO_SITE_URL.rstrip('/')}{link}" if link else "")
            send_mail(
                subject=f"Evidence portfolio: {message[:80]}",
                message=body,
                from_email=None,
                recipient_list=[address],
                fail_silently=True,
            )

    transaction.on_commit(send)
