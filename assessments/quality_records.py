"""Reading the centre's quality-assurance records for its pages: standardisation meetings (each with
only the linked units and evidence the reader may open) and each assessor's and IQA's competence,
with their CPD hours over the last 12 months."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from portfolio import access as portfolio_access
from portfolio.models import Centre, Enrolment, Evidence, Person, Role

from .access import CentreQualityRights
from .models import CpdEntry, HeldQualification, OccupationalExperience, StandardisationMeeting

CPD_WINDOW_DAYS = 365


def meetings_for(centre: Centre, person: Person, rights: CentreQualityRights) -> QuerySet[StandardisationMeeting]:
    """Every meeting for those who read every record; the meetings they attended for assessors."""
    meetings = StandardisationMeeting.objects.filter(centre=centre)
    if not rights.reads_every_record:
        meetings = meetings.filter(attendees=person)
    return meetings.prefetch_related("attendees").select_related("recorded_by")


@dataclass(frozen=True)
class MeetingLinks:
    units: list[Enrolment]
    evidence: list[Evidence]
    hidden: int  # linked items this reader may not open: counted, never named


def meeting_links(meeting: StandardisationMeeting, reader: Person) -> MeetingLinks:
    unit_ids = list(meeting.units.values_list("pk", flat=True))
    evidence_ids = list(meeting.evidence.values_list("pk", flat=True))
    units = list(
        portfolio_access.enrolments_visible_to(reader).filter(pk__in=unit_ids).order_by("candidate__last_name", "unit__code")
    )
    evidence = list(
        portfolio_access.evidence_visible_to(reader).filter(pk__in=evidence_ids).order_by("candidate__last_name", "number")
    )
    return MeetingLinks(units, evidence, hidden=len(unit_ids) + len(evidence_ids) - len(units) - len(evidence))


def cpd_since() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=CPD_WINDOW_DAYS)


@dataclass
class KeeperSummary:
    person: Person
    roles: list[str]
    qualifications: list[HeldQualification] = field(default_factory=list)
    cpd_hours: Decimal = Decimal("0")

    @property
    def has_assessment_award(self) -> bool:
        return any(q.is_assessment_award for q in self.qualifications)


def keepers_at(centre: Centre, *, role: str = "", words: str = "") -> QuerySet[Person]:
    """The centre's assessors and IQAs (or those of one role), by name, narrowed to the words typed."""
    roles = [role] if role in (Role.ASSESSOR, Role.IQA) else [Role.ASSESSOR, Role.IQA]
    people = Person.objects.filter(memberships__centre=centre, memberships__role__in=roles).distinct()
    for word in words.split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return people.order_by("last_name", "first_name", "pk")


def competence_overview(centre: Centre, people: Iterable[Person]) -> list[KeeperSummary]:
    """Each of these assessors and IQAs (a page of `keepers_at`): their roles at the centre, the
    qualifications they hold and their CPD hours in the last 12 months. Three queries, whatever
    the number of people."""
    rows = {person.pk: KeeperSummary(person=person, roles=[]) for person in people}
    memberships = centre.memberships.filter(role__in=[Role.ASSESSOR, Role.IQA], person_id__in=rows).order_by("role")
    for person_id, role in memberships.values_list("person_id", "role"):
        rows[person_id].roles.append(str(Role(role).label))
    for held in HeldQualification.objects.filter(centre=centre, person_id__in=rows).order_by("-achieved_on"):
        rows[held.person_id].qualifications.append(held)
    hours = (
        CpdEntry.objects.filter(centre=centre, person_id__in=rows, done_on__gte=cpd_since())
        .values("person_id").annotate(total=Sum("hours"))
    )
    for total in hours:
        rows[total["person_id"]].cpd_hours = total["total"] or Decimal("0")
    return list(rows.values())


@dataclass(frozen=True)
class CompetenceRecord:
    qualifications: list[HeldQualification]
    experience: list[OccupationalExperience]
    cpd: list[CpdEntry]
    cpd_hours: Decimal  # in the last 12 months


def competence_record(centre: Centre, keeper: Person) -> CompetenceRecord:
    cpd = list(CpdEntry.objects.filter(centre=centre, person=keeper).prefetch_related("files"))
    since = cpd_since()
    return CompetenceRecord(
        qualifications=list(HeldQualification.objects.filter(centre=centre, person=keeper).prefetch_related("files")),
        experience=list(OccupationalExperience.objects.filter(centre=centre, person=keeper)),
        cpd=cpd,
        cpd_hours=sum((e.hours for e in cpd if e.done_on >= since), Decimal("0")),
    )
