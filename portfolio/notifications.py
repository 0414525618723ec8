"""Telling people what needs them: an in-app notification and an email, sent after the change
that caused them is committed (a rolled-back change tells nobody anything)."""

from django.core.mail import send_mail
from django.db import transaction

from .links import absolute_url
from .models import Notification, Person

SUBJECT_PREFIX = "Evidence portfolio: "
# Longer messages are cut for the subject (the whole message is in the body): on a whole word, and "…".
SUBJECT_MESSAGE_LENGTH = 80


def email_subject(message: str) -> str:
    """The message as a subject line: on one line, and cut, where it must be, after a whole word."""
    words = " ".join(message.split())
    room = SUBJECT_MESSAGE_LENGTH
    if len(words) > room:
        cut = words[: room].rsplit(" ", 1)[0] if " " in words[: room] else words[: room - 1]
        words = cut.rstrip(" ,;:.–-") + "…"
    return SUBJECT_PREFIX + words


def notify(recipients: list[Person], message: str, *, link: str = "") -> None:
    people = {person.pk: person for person in recipients if person is not None}.values()
    Notification.objects.bulk_create(
        [Notification(recipient=person, message=message, link=link) for person in people]
    )
    addresses = [person.email for person in people if person.email]

    def send() -> None:
        for address in addresses:
            body = message + (f"\n\n{absolute_url(link)}" if link else "")
            send_mail(
                subject=email_subject(message),
                message=body,
                from_email=None,
                recipient_list=[address],
                fail_silently=True,
            )

    transaction.on_commit(send)
