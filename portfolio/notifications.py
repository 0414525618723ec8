"""Telling people what needs them: an in-app notification and, as each person chooses for its kind,
an email at once, sent after the change that caused them is committed (a rolled-back change tells
nobody anything), or a line in their daily digest (`digest.py`)."""

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from . import notification_preferences
from .links import absolute_url
from .models import Evidence, Notification, Person
from .notification_kinds import NotificationDelivery
from .notification_kinds import NotificationKind as NotificationKind  # callers import it with `notify`

AT_ONCE = NotificationDelivery.AT_ONCE
SETTINGS_PAGE = "portfolio:notification_preferences"
SETTINGS_NOTE = "Choose which notifications are emailed to you, at once or in a daily digest: "

SUBJECT_PREFIX = "Evidence portfolio: "
# A subject line that mail programs show whole (RFC 5322's 78 characters). Callers give a short
# subject of their own, the detail going in the body; a message used as its subject (or a subject
# made long by a long name) is cut on a whole word, with "…".
SUBJECT_LENGTH = 78
SUBJECT_MESSAGE_LENGTH = SUBJECT_LENGTH - len(SUBJECT_PREFIX)


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


def evidence_named(evidence: Evidence) -> str:
    """“E5 (HSC331)”: the evidence's reference with the codes of the units it is mapped to, so that a
    candidate on two units, or their assessor, knows which unit a notification is about."""
    codes = sorted({
        *evidence.criteria.values_list("unit__code", flat=True),
        *evidence.knowledge_items.values_list("unit__code", flat=True),
        *evidence.scope_items.values_list("category__unit__code", flat=True),
    })
    return f"{evidence.reference} ({', '.join(codes)})" if codes else evidence.reference


def notify(
    recipients: list[Person],
    message: str,
    *,
    kind: NotificationKind = NotificationKind.GENERAL,
    link: str = "",
    subject: str = "",
) -> None:
    """Tells each recipient in the app, and by email at once to those who choose that for this kind
    (the daily digest, `digest.py`, emails the rest who want email). The message names who did it;
    `subject`, the email's, says it in a few words (without one, the message is cut to fit)."""
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
                subject=email_subject(subject or message),
                message=body,
                from_email=None,
                recipient_list=[address],
                fail_silently=True,
            )

    transaction.on_commit(send)
