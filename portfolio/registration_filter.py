"""Which of a centre's candidates a registration form offers once narrowed (forms/registration.py):
words in the name or email address, the candidates a CSV import invited (by the addresses its report
kept), and those invited on one day (the invitation made then, accepted or still waiting)."""

import datetime
from typing import Any

from .models import Centre, Invitation, Person, Role
from .people_import import INVITE
from .people_import_models import PeopleImport


def _email(candidate: Person | Invitation) -> str:
    return candidate.email.lower()


def _imported(batch: PeopleImport) -> set[str]:
    """The addresses the import invited (its report keeps line, names, email, ULN, outcome ...)."""
    return {row[3].lower() for row in batch.report if row[5] == INVITE}


def _invited_on(centre: Centre, day: datetime.date) -> set[str]:
    invitations = Invitation.objects.filter(centre=centre, role=Role.CANDIDATE, created_at__date=day)
    return {email.lower() for email in invitations.values_list("email", flat=True)}


def _words_of(candidate: Person | Invitation) -> str:
    name = candidate.name if isinstance(candidate, Invitation) else candidate.get_full_name()
    return f"{name} {candidate.email}".lower()


def narrowed(centre: Centre, candidates: list[Person | Invitation], chosen: dict[str, Any]) -> list[Person | Invitation]:
    """The candidates matching every filter chosen, in the order given."""
    found = candidates
    if batch := chosen.get("batch"):
        emails = _imported(batch)
        found = [c for c in found if _email(c) in emails]
    if day := chosen.get("invited_on"):
        emails = _invited_on(centre, day)
        found = [c for c in found if _email(c) in emails]
    if words := str(chosen.get("words", "")).lower().split():
        found = [c for c in found if all(word in _words_of(c) for word in words)]
    return found
