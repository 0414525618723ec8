"""The centre a candidate's new evidence is for: `access.candidate_centre_for_user`, kept here."""

from django.db.models import Exists, OuterRef
from django.http import Http404

from .ids import as_id
from .models import Centre, Enrolment, Person, Role


def candidate_centre_for_user(person: Person, chosen: object = None) -> tuple[Centre | None, list[Centre]]:
    """The centre new evidence of the candidate's is for (their only one, or the one of theirs they
    chose; None, never a guess, when they are a candidate at several and chose none), and all of
    them: where they are a candidate on a unit. Anyone else, staff included, finds none (404)."""
    enrolled = Enrolment.objects.filter(candidate=person.pk, centre=OuterRef("pk"))
    mine = Centre.objects.filter(memberships__person=person, memberships__role=Role.CANDIDATE).distinct()
    centres = list(mine.filter(Exists(enrolled))) if person.pk else []
    if not centres:
        raise Http404("Only a registered candidate has evidence of their own.")
    chosen_one = centres[0] if len(centres) == 1 else next((c for c in centres if c.pk == as_id(chosen)), None)
    return chosen_one, centres
