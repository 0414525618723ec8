"""What a reinstatement (`services_enrolments.enrolment_reinstate`) tells each person, once: the
candidate, the assessor and the IQA it goes on with, and whoever it took off. One notice each says
everything that happened to them: reinstated, a new assessor or IQA (or that they are it now, or no
longer), a new target date. An outside trial: the candidate and a new assessor each had two notices,
one for the new assessor and one for the reinstatement, and the page named everyone told but the
assessor taken off. The candidate reads of "your HSC331" (`addressed`).

The reinstatement's audit event keeps the assessor and IQA it went on with (`team_facts`), by the
name the trail shows them by, so the centre's audit trail is found by their names."""

import datetime
from dataclasses import dataclass

from . import dates
from .addressed import first_up, whose
from .models import Enrolment, Person
from .notifications import NotificationKind, notify, still_at


@dataclass(frozen=True)
class Swap:
    """One role changed as the unit was reinstated: "assessor" or "IQA", who had it, who has it."""

    word: str
    was: Person
    now: Person


def team_facts(team: dict[str, Person]) -> dict[str, object]:
    """The assessor and IQA a unit was reinstated with, for its audit event."""
    return {
        "assessor": team["assessor"].pk,
        "assessor_name": str(team["assessor"]),
        "iqa": team["iqa"].pk,
        "iqa_name": str(team["iqa"]),
    }


def _and(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _swap_words(swap: Swap, person: Person) -> str:
    now = "you" if person == swap.now else str(swap.now)
    was = "you" if person == swap.was else str(swap.was)
    return f"{now} as its {swap.word} in place of {was}"


def _subject(enrolment: Enrolment, person: Person, swaps: list[Swap], gone: bool, new_date: bool) -> str:
    unit = f"{whose(enrolment.candidate, person)} {enrolment.unit.code}"
    if gone:
        word = next(swap.word for swap in swaps if swap.was == person)
        return f"You are no longer the {word} of {unit}"
    if joined := [swap.word for swap in swaps if swap.now == person]:
        return f"{first_up(unit)} reinstated: you are now its {joined[0]}"
    news = [swap.word for swap in swaps] + (["target date"] if new_date else [])
    return f"{first_up(unit)} reinstated" + (
        ", new " + ", ".join(news) if news else ""
    )  # short: the message says it all


def tell(
    enrolment: Enrolment,
    *,
    by: Person,
    reason: str,
    swaps: list[Swap],
    old_date: datetime.date | None,
    link: str,
) -> list[Person]:
    """Tells each person on the reinstated unit, and each taken off it, once; returns those told, in
    that order (anyone no longer at the centre, a deactivated assessor taken off, is not: `notify`)."""
    on_it = [enrolment.candidate, enrolment.assessor, enrolment.iqa]
    told = list(dict.fromkeys(on_it + [swap.was for swap in swaps]))
    for person in told:
        # Whoever was taken off is told of their place alone: the rest is no longer theirs to know.
        gone = person not in on_it
        parts = [_swap_words(swap, person) for swap in swaps if not gone or swap.was == person]
        if old_date is not None and not gone:
            parts.append(
                f"a new target date of {dates.day(enrolment.target_date)} (it was {dates.day(old_date)})"
            )
        message = f"{by} reinstated {whose(enrolment.candidate, person)} {enrolment.unit.code}"
        message += (f", with {_and(parts)}" if parts else "") + f": {reason}"
        if gone:
            message += ("" if message.endswith((".", "!", "?")) else ".") + (
                " You no longer have access to it; what you recorded on it stays in its record under your name."
            )
        notify(
            [person],
            message,
            centre=enrolment.centre_id,
            kind=NotificationKind.ENROLMENT_CHANGED,
            link="" if gone else link,
            subject=_subject(enrolment, person, swaps, gone, old_date is not None),
        )
    return still_at(told, enrolment.centre_id)
