"""The witness status list (City & Guilds' RF03), read for the unit page, the unit PDF and the
centre's page: each witness who gave testimony, what they confirmed of themselves (job role,
relationship to the candidate, expert or not and why), and the testimony they gave. And whether a
unit's testimony links still in date are paused (`links_paused`), wherever they are listed."""

from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.utils import timezone

from portfolio import held_roles
from portfolio.models import Enrolment, Evidence, Person

from .models import TestimonyRequest, Witness, WitnessStatusRequest


@dataclass
class WitnessStatusRow:
    witness: Witness
    candidate: Person
    testimony: list[Evidence] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    # The enrolment a link to confirm is asked from (the first this witness testified on).
    enrolment_id: int = 0
    link_waiting: WitnessStatusRequest | None = None

    @property
    def confirmed(self) -> bool:
        return self.witness.status_confirmed_at is not None


def witness_status_rows(enrolments: QuerySet[Enrolment]) -> list[WitnessStatusRow]:
    """Every witness whose testimony was given on these enrolments, by candidate then name."""
    given = (
        # The witness as said at the enrolment's centre: a witness row is one centre's (issue 16).
        TestimonyRequest.objects.filter(
            enrolment__in=enrolments, used_at__isnull=False, witness__centre=F("enrolment__centre")
        )
        .select_related("witness", "evidence", "enrolment__candidate", "enrolment__unit")
        .order_by("used_at", "pk")
    )
    rows: dict[int, WitnessStatusRow] = {}
    for testimony in given:
        assert testimony.witness is not None  # filtered above
        row = rows.setdefault(
            testimony.witness.pk,
            WitnessStatusRow(
                witness=testimony.witness, candidate=testimony.enrolment.candidate,
                enrolment_id=testimony.enrolment_id,
            ),
        )
        if testimony.evidence is not None:
            row.testimony.append(testimony.evidence)
        if testimony.enrolment.unit.code not in row.units:
            row.units.append(testimony.enrolment.unit.code)
    waiting = WitnessStatusRequest.objects.filter(
        witness_id__in=rows, used_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("requested_at")
    for link in waiting:
        rows[link.witness_id].link_waiting = link
    return sorted(
        rows.values(),
        key=lambda r: (r.candidate.last_name, r.candidate.first_name, r.candidate.pk, r.witness.name.lower()),
    )


def links_paused(enrolment: Enrolment) -> bool:
    """Whether the unit's links still in date are paused: its candidate is deactivated at the centre,
    so a link opens no form (`services.witness.no_longer_open`) and waits for no witness; it works
    again if the centre reactivates them before it expires. The pages say "Paused", as a unit of
    theirs is "In progress, paused" (`unit_state.PAUSED`), never "Waiting"."""
    return bool(held_roles.deactivated_refusal(enrolment))
