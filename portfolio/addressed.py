"""A notice about a candidate's unit, sent to the candidate and to their assessor and IQA, speaks to
each reader as they are: the candidate reads of "your HSC331", the others of "Alice Morgan's
HSC331"; an assessor named in it reads "you". An outside trial: Alice was told that someone had
"reinstated Alice Morgan's HSC331"."""

from collections.abc import Callable, Sequence
from typing import Any

from .models import Enrolment, Person
from .notification_kinds import NotificationKind
from .notifications import notify


def whose(candidate: Person, reader: Person) -> str:
    """“your” to the candidate, “Alice Morgan's” to anyone else."""
    return "your" if reader.pk == candidate.pk else f"{candidate}’s"


def unit_of(enrolment: Enrolment, reader: Person) -> str:
    """“your HSC331” to its candidate, “Alice Morgan's HSC331” to anyone else."""
    return f"{whose(enrolment.candidate, reader)} {enrolment.unit.code}"


def you_or(person: Person, reader: Person) -> str:
    """“you” to the person themselves, their name to anyone else."""
    return "you" if reader.pk == person.pk else str(person)


def first_up(words: str) -> str:
    """The words with a capital first letter, to start a sentence or a subject line."""
    return words[:1].upper() + words[1:]


def ended(words: str) -> str:
    """The words as a whole sentence: a full stop added unless they end with one (a reason typed
    "Moved to Leeds." is not followed by a second)."""
    return words if words.endswith((".", "!", "?")) else words + "."


def notify_each(
    recipients: Sequence[Person | None], words: Callable[[Person], tuple[str, str]], *, kind: NotificationKind,
    **kwargs: Any,
) -> None:
    """`notify` each recipient (once, in order; nobody for None) with the message and subject
    `words(recipient)` gives them. The kind is named, as every notice's is (tests/test_notification_kinds.py)."""
    for person in {p.pk: p for p in recipients if p is not None}.values():
        message, subject = words(person)
        notify([person], message, subject=subject, kind=kind, **kwargs)
