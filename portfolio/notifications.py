"""Telling people what needs them: an in-app notification and, as each person chooses for its kind,
an email at once, sent after the change that caused them is committed (a rolled-back change tells
nobody anything), or a line in their daily digest (`digest.py`)."""

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from . import notification_preferences
from .links import absolute_url
from .models import Notification, Person
from .notification_kinds import NotificationDelivery
from .notification_kinds import NotificationKind as NotificationKind  # callers import it with `notify`

AT_ONCE = NotificationDelivery.AT_ONCE
SETTINGS_PAGE = "portfolio:notification_preferences"
SETTINGS_NOTE = "Choose which notifications are emailed to you, at once or in a daily digest: "

SUBJECT_PREFIX = "Evidence portfolio: "
# Longer messages are cut for the subject (the whole message is in the body): on a whole word, and "…".
SUBJECT_MESSAGE_LENGTH = 80


def cut_on_a_word(message: str, room: int) -> str:
    """The message on one line, cut where it must be after a whole word, with "…"."""
    words = " ".join(message.split())
    if len(words) > room:
        cut = words[: room].rsplit(" ", 1)[0] if " " in words[: room - 1] else words[: room - 1]
        words = cut.rstrip(" ,;:.–-") + "…"
    return words


def email_subject(message: str) -> str:
    """The message as a subject line: on one line, and cut, where it must be, after a whole word."""
    return SUBJECT_PREFIX + cut_on_a_word(message, SUBJECT_MESSAGE_LENGTH)


def notify(
    recipients: list[Person], message: str, *, kind: NotificationKind = NotificationKind.GENERAL, link: str = ""
) -> None:
    """Tells each recipient in the app, and by email at once to those who choose that for this kind
    (the daily digest, `digest.py`, emails the rest who want email). The message names who did it."""
    people = {person.pk: person for person in recipients if person is not None}.values()
    delivery = notification_preferences.deliveries(people, kind)
    # The inbox keeps as much as its column holds (an acceptance proving 34 items says more); the
    # email carries the whole message.
    shown = cut_on_a_word(message, Notification._meta.get_field("message").max_length or 300)
    Notification.objects.bulk_create(
        [
            Notification(recipient=person, kind=kind, delivery=delivery[person.pk], message=shown, link=link)
            for person in people
        ]
    )
    addresses = [person.email for person in people if person.email and delivery[person.pk] == AT_ONCE]
    body = "\n\n".join(
        [message, *([absolute_url(link)] if link else []), SETTINGS_NOTE + absolute_url(reverse(SETTINGS_PAGE))]
    )

    def send() -> None:
        for address in addresses:
            send_mail(
                subject=email_subject(message),
                message=body,
                from_email=None,
                recipient_list=[address],
                fail_silently=True,
            )

    transaction.on_commit(send)
