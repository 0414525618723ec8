"""Telling people what needs them: an in-app notification and, as each person chooses for its kind,
an email at once, handed to the background worker after the change that caused them is committed
(a rolled-back change tells nobody anything; a page that tells twenty people, a handover of eleven
units, does not wait for twenty emails to be sent), or a line in their daily digest (`digest.py`)."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from . import notification_preferences
from .links import absolute_url
from .models import Centre, EqaGrant, Evidence, Membership, Notification, Person
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


# Set while the people told are made up (`setup_demo`): nobody is emailed, at once or in a digest.
_in_app_only: ContextVar[bool] = ContextVar("notifications_in_app_only", default=False)


@contextmanager
def in_app_only() -> Iterator[None]:
    """Notifications made inside are delivered in the app only, whatever their recipients chose:
    no email is queued for the worker, none waits for the daily digest. For building a
    demonstration centre, whose addresses belong to nobody."""
    token = _in_app_only.set(True)
    try:
        yield
    finally:
        _in_app_only.reset(token)


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


def _at_centre(person: Any, centre: Any) -> Q:  # an id, or an OuterRef to one
    """Whoever `person` names holds a role at `centre`, or a current EQA grant there (not ended,
    within its dates: `access.eqa_grants_current`'s rule)."""
    today = timezone.localdate()
    grants = EqaGrant.objects.filter(
        person=person, centre=centre, ended_at__isnull=True, start_date__lte=today, end_date__gte=today,
        seal_broken_at__isnull=True,
    )
    return Q(Exists(Membership.objects.filter(person=person, centre=centre))) | Q(Exists(grants))


def shown_to(person: Person) -> QuerySet[Notification]:
    """The person's notifications they may still read: about no centre, or about a centre where
    they hold a role now. Deactivated (or their role or grant ended), they no longer read the
    centre's, whose links would open nothing; given the role back, they read them again."""
    return Notification.objects.filter(recipient=person).filter(still_shown())


def still_shown() -> Q:
    """For any query of notifications: `shown_to`'s rule, for each row's recipient."""
    return Q(centre__isnull=True) | _at_centre(OuterRef("recipient"), OuterRef("centre"))


def still_at(recipients: Sequence[Person | None], centre: Centre | int | None) -> list[Person]:
    """Those of `recipients` (once each, in order) who hold a role or an EQA grant at `centre` now:
    the people `notify` tells, and so the people a page may say were told."""
    people = list({person.pk: person for person in recipients if person is not None}.values())
    centre_id = centre.pk if isinstance(centre, Centre) else centre
    if centre_id is None:
        return people
    there = set(Person.objects.filter(pk__in=[p.pk for p in people]).filter(
        _at_centre(OuterRef("pk"), centre_id)).values_list("pk", flat=True))
    return [p for p in people if p.pk in there]


def notify(
    recipients: list[Person],
    message: str,
    *,
    kind: NotificationKind = NotificationKind.GENERAL,
    link: str = "",
    subject: str = "",
    centre: Centre | int | None = None,
) -> None:
    """Tells each recipient in the app, and by email at once to those who choose that for this kind
    (the daily digest, `digest.py`, emails the rest who want email). The message names who did it;
    `subject`, the email's, says it in a few words (without one, the message is cut to fit).
    `centre`, the one it is about: nobody who holds no role (or EQA grant) there now is told."""
    centre_id = centre.pk if isinstance(centre, Centre) else centre
    people = still_at(recipients, centre_id)
    delivery = notification_preferences.deliveries(people, kind)
    if _in_app_only.get():
        delivery = dict.fromkeys(delivery, NotificationDelivery.IN_APP)
    # The inbox keeps as much as its column holds (an acceptance proving 34 items says more); the
    # email carries the whole message.
    shown = cut_on_a_word(message, Notification._meta.get_field("message").max_length or 300)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=person, kind=kind, delivery=delivery[person.pk], message=shown, link=link, centre_id=centre_id
            )
            for person in people
        ]
    )
    addresses = [person.email for person in people if person.email and delivery[person.pk] == AT_ONCE]
    body = "\n\n".join(
        [message, *([absolute_url(link)] if link else []), SETTINGS_NOTE + absolute_url(reverse(SETTINGS_PAGE))]
    )

    if addresses:
        # Queued once the change is committed: nothing to send for a change rolled back.
        transaction.on_commit(lambda: send_notification_emails.enqueue(email_subject(subject or message), body, addresses))


@task()
def send_notification_emails(subject: str, body: str, addresses: list[str]) -> None:
    """The worker's part of `notify`: one email to each address (none sees the others')."""
    for address in addresses:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[address], fail_silently=True)
