"""Who may see and do what with a candidate's portfolio: the one place that answers it.

Every view fetches its objects through a `..._for_user` function here, so a stranger's request finds
nothing (404) rather than something forbidden: ids leak nothing. Someone on the case who may read an
object but not act on it gets 403 from the view that acts (`require`).

Who is on a candidate's case: the candidate; the assessor and the IQA of any of their enrolments at
that centre; the administrators of that centre; and, read-only, an external quality assurer whose
grant covers the enrolment (see "External quality assurers" below).

A draft is the candidate's alone (`shown_to`): everyone else on the case finds it as a stranger
would, and no list or count of theirs includes it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from standards.permissions import is_site_administrator

from . import case_seals, eqa_visits, judged_by, notifications, row_seals
from .access_candidate import candidate_centre_for_user as candidate_centre_for_user
from .eqa_grants_open import eqa_grants_current as eqa_grants_current
from .eqa_grants_open import eqa_grants_open_to as eqa_grants_open_to
from .eqa_grants_open import local_today as local_today
from .held_roles import as_assessor, as_candidate, as_iqa, case_held
from .ids import as_id
from .models import (
    Centre,
    Enrolment,
    EnrolmentStatus,
    EqaGrant,
    Evidence,
    EvidenceFile,
    EvidenceState,
    Membership,
    Notification,
    Person,
    QualificationRegistration,
    Role,
)


def require(allowed: bool, why: str) -> None:
    """403 for someone on the case who may read but not do this."""
    if not allowed:
        raise PermissionDenied(why)


# Who is who on a case ---------------------------------------------------------------------------


def centres_where(person: Person, *roles: str) -> QuerySet[Centre]:
    return Centre.objects.filter(memberships__person=person, memberships__role__in=roles).distinct()


def _administered_centres(person: Person) -> QuerySet[Centre]:
    """Centres whose every portfolio this person may read: its administrators'."""
    return centres_where(person, Role.ADMINISTRATOR)


def roles_at(person: Person, centre_id: int) -> set[str]:
    """The person's roles at one centre (one query): their memberships, and EQA while a grant of
    theirs opens the centre's records to them."""
    # An id past 64 bits names no centre; the union below would hand it to SQLite, which cannot take it.
    if not person.is_authenticated or as_id(centre_id) is None:
        return set()
    memberships = Membership.objects.filter(person=person, centre_id=centre_id).order_by().values_list("role", flat=True)
    grants = eqa_grants_open_to(person).filter(centre_id=centre_id).order_by().values_list(
        Value(Role.EQA.value, output_field=CharField())
    )
    return set(memberships.union(grants))


# External quality assurers ----------------------------------------------------------------------
#
# An EQA reads a centre's records only under a grant the centre gave, open now (`eqa_grants_open`).
# It opens the centre's enrolments on its units, and on the units of registrations on its
# qualifications; with each, the candidate's evidence mapped to that unit and its files. Nothing else
# of the centre is found (404), and nothing they find may they change (403: `require`, the rights objects).


def _in_eqa_scope(person: Person) -> Q:
    """For enrolment rows: covered by one of the person's open grants at the enrolment's centre."""
    grants = eqa_grants_open_to(person).filter(centre=OuterRef("centre"))
    by_unit = grants.filter(units=OuterRef("unit"))
    by_qualification = grants.filter(
        qualifications__registrations__seal_broken_at__isnull=True,  # one changed by hand opens nothing
        qualifications__registrations__centre=OuterRef("centre"),
        qualifications__registrations__candidate=OuterRef("candidate"),
        qualifications__registrations__units=OuterRef("unit"),
    )
    return (Q(Exists(by_unit)) | Q(Exists(by_qualification))) & case_held()


def _evidence_in_eqa_scope(person: Person) -> Q:
    """For evidence rows: mapped to a unit of the candidate's that the person's grant covers."""
    in_scope = Enrolment.objects.filter(_in_eqa_scope(person), candidate=OuterRef("candidate"), centre=OuterRef("centre"))
    return Q(Exists(in_scope.filter(unit__criteria__evidence=OuterRef("pk")))) | Q(
        Exists(in_scope.filter(unit__knowledge_items__evidence=OuterRef("pk")))
    )


def eqa_grant_for_user(person: Person, pk: int) -> EqaGrant:
    """One of the person's own accepted grants, neither ended nor run out (their terms page)."""
    grants = EqaGrant.objects.select_related("centre").filter(person=person, ended_at__isnull=True, seal_broken_at__isnull=True)
    return get_object_or_404(grants, pk=pk, end_date__gte=local_today())


def administers(person: Person, centre: Centre) -> bool:
    return Role.ADMINISTRATOR in roles_at(person, centre.pk)


def is_assessor_of(person: Person, enrolment: Enrolment) -> bool:
    """Is this person the enrolment's assessor? Asked here only, wherever it is asked."""
    return person.pk is not None and enrolment.assessor_id == person.pk


def assessing(person: Person) -> Exists:
    """For evidence rows: the person assesses one of the candidate's units at the evidence's centre
    (an active one: nobody judges for a withdrawn or transferred unit), holding the role there.
    Evidence belongs to the candidate, not to one unit, so any of their assessors may judge it."""
    return Exists(
        Enrolment.objects.filter(
            as_assessor(person), candidate=OuterRef("candidate"), centre=OuterRef("centre"), status=EnrolmentStatus.ACTIVE
        )
    )


def assessors_of(evidence: Evidence) -> QuerySet[Person]:
    """Everyone who may judge the evidence: the assessors of the candidate's units at its centre
    (while they are assessors there)."""
    return Person.objects.filter(
        Exists(Membership.objects.filter(person=OuterRef("pk"), centre_id=evidence.centre_id, role=Role.ASSESSOR)),
        assessed_enrolments__candidate_id=evidence.candidate_id,
        assessed_enrolments__centre_id=evidence.centre_id, assessed_enrolments__status=EnrolmentStatus.ACTIVE,
        assessed_enrolments__case_seal_broken_at__isnull=True,
    ).distinct()


def judges_of(evidence: Evidence) -> list[Person]:
    """Those of `assessors_of` whose it is to judge (`judged_by`: the assessors of the units it bears
    on): told when it is submitted and when someone writes about it."""
    return judged_by.who_judges(evidence, assessors_of(evidence))


def assesses_candidate(person: Person, evidence: Evidence) -> bool:
    return person.is_authenticated and assessors_of(evidence).filter(pk=person.pk).exists()


def on_the_case(candidate: Person, centre_id: int) -> QuerySet[Person]:
    """Everyone on the candidate's case at that centre, as this module's docstring lists them,
    the candidate included."""
    enrolments = Enrolment.objects.filter(candidate=candidate, centre_id=centre_id)
    return Person.objects.filter(
        Q(pk=candidate.pk)
        | Q(assessed_enrolments__in=enrolments)
        | Q(quality_assured_enrolments__in=enrolments)
        | Q(memberships__centre_id=centre_id, memberships__role=Role.ADMINISTRATOR)
        | Q(eqa_grants__centre_id=centre_id, eqa_grants__ended_at__isnull=True, eqa_grants__seal_broken_at__isnull=True)
    ).distinct()


def address_on_the_case(email: str, candidate: Person, centre_id: int) -> bool:
    """Is the address (whatever its case, and the spaces around it) that of someone on the case?"""
    wanted = email.strip().lower()
    return any(
        address.strip().lower() == wanted
        for address in on_the_case(candidate, centre_id).values_list("email", flat=True)
    )


# Drafts -----------------------------------------------------------------------------------------


def shown_to(person: Person | None, path: str = "") -> Q:
    """The rule on drafts, for any query of evidence, the one place it is stated: a draft is its
    candidate's own until they submit it. Nobody else on the case (assessor, IQA, administrator,
    EQA) sees it, finds it by its address or counts it; to them it does not exist yet.

    A draft is evidence in the state `EvidenceState.DRAFT`: never submitted. Evidence leaves that
    state at its first submission and never returns to it. Evidence referred back ("referred",
    being changed by the candidate) is not a draft: the assessor has seen it and judged it, and it
    stays on the case while it is changed. Evidence the assessor records (an observation) and a
    witness's testimony are submitted as they are made, so they are never drafts.

    `person` is who is looking (None: someone who is no candidate's, such as an export for the
    awarding body); `path` leads from the model queried to the evidence ("evidence__" from a file
    or a mapping row)."""
    others = ~Q(**{f"{path}state": EvidenceState.DRAFT})
    if person is None or person.pk is None:
        return others
    return Q(**{f"{path}candidate_id": person.pk}) | others


# What a person may read -------------------------------------------------------------------------


def enrolments_visible_to(person: Person) -> QuerySet[Enrolment]:
    if not person.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        (as_candidate(person) & case_held()) | as_assessor(person) | as_iqa(person)
        | Q(centre__in=_administered_centres(person)) | _in_eqa_scope(person)
    ).select_related("candidate", "unit", "unit__suite", "assessor", "iqa", "centre")


def centre_enrolments_overseen(person: Person, centre: Centre) -> QuerySet[Enrolment]:
    """The centre's units the person reads (`overseen_centre_for_user`): its administrator's every
    one, asked once rather than of each of 20,000 rows; an EQA's, those their grant covers."""
    if administers(person, centre):
        return Enrolment.objects.filter(centre=centre).select_related("candidate", "unit", "unit__suite", "assessor", "iqa", "centre")
    return enrolments_visible_to(person).filter(centre=centre)


# The external quality assurer's scope ------------------------------------------------------------
# The one place that says which centres and units an EQA works on: their home, their samples and
# their reports read it from here and nowhere else. Both follow the centre's grants: open (accepted,
# within its dates, not ended, the centre's terms accepted) and, for units, within their scope.


def eqa_centres(person: Person) -> QuerySet[Centre]:
    """The centres where a grant is open to the person as an external quality assurer now."""
    if not person.is_authenticated:
        return Centre.objects.none()
    return Centre.objects.filter(Exists(eqa_grants_open_to(person).filter(centre=OuterRef("pk"))))


def eqa_enrolments(person: Person) -> QuerySet[Enrolment]:
    """The units (enrolments) the person may read and sample as an external quality assurer now."""
    if not person.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(_in_eqa_scope(person))


def enrolment_for_user(person: Person, pk: int) -> Enrolment:
    enrolment = case_vouched(person, enrolments_visible_to(person).filter(pk=as_id(pk) or 0).first(), as_id(pk) or 0)
    eqa_visits.opened(enrolment.centre_id, "Unit", enrolment)
    return enrolment


def case_vouched(person: Person, enrolment: Enrolment | None, pk: int) -> Enrolment:
    """The enrolment found, its case checked first (a case moved in by hand is not yet marked until
    someone on it asks); one changed is for its home centre's administrators alone (`case_seals`)."""
    if enrolment is None or not case_seals.vouched([enrolment]) or enrolment.case_seal_broken_at is not None:
        enrolment = case_seals.opened_to_administrator(person, pk)
    if enrolment is None:
        raise Http404
    return enrolment


def registrations_visible_to(person: Person) -> QuerySet[QualificationRegistration]:
    """A candidate's qualifications, for everyone on their case: the candidate, the assessor and the
    IQA of any of their units at the centre, its administrators, and an EQA whose open grant names
    the qualification."""
    if not person.is_authenticated:
        return QualificationRegistration.objects.none()
    on_the_case = Enrolment.objects.filter(
        as_assessor(person) | as_iqa(person), candidate=OuterRef("candidate"), centre=OuterRef("centre")
    )
    granted = eqa_grants_open_to(person).filter(centre=OuterRef("centre"), qualifications=OuterRef("qualification"))
    return QualificationRegistration.objects.filter(
        as_candidate(person) | Exists(on_the_case) | Q(centre__in=_administered_centres(person))
        | (Exists(granted) & Q(seal_broken_at__isnull=True))
    ).select_related("candidate", "centre", "qualification")


def registration_for_user(person: Person, pk: int) -> QualificationRegistration:
    registration = get_object_or_404(registrations_visible_to(person), pk=pk)
    eqa_visits.opened(registration.centre_id, "Qualification", registration)
    return registration


def evidence_visible_to(person: Person) -> QuerySet[Evidence]:
    if not person.is_authenticated:
        return Evidence.objects.none()
    on_case = Enrolment.objects.filter(
        candidate=OuterRef("candidate"), centre=OuterRef("centre")
    ).filter(as_assessor(person) | as_iqa(person))
    return (
        Evidence.objects.filter(
            as_candidate(person) | Exists(on_case) | Q(centre__in=_administered_centres(person))
            | _evidence_in_eqa_scope(person)
        )
        .filter(shown_to(person))
        .select_related("candidate", "centre")
    )


@dataclass(frozen=True)
class EvidenceRights:
    """What the person may do with one evidence item they can read."""

    is_candidate: bool
    is_assessor: bool  # assesses one of the candidate's units at the evidence's centre: reads it
    is_draft: bool  # not yet submitted: only its candidate reads it (`shown_to`)
    # The assessor of a unit it bears on (`judged_by`): judges it and writes in its conversation.
    judges: bool = False

    @property
    def may_change(self) -> bool:
        """Change, map, submit or delete it: the candidate's own pages (the service then says
        whether its state allows it)."""
        return self.is_candidate

    @property
    def may_judge(self) -> bool:
        return self.judges

    @property
    def may_comment(self) -> bool:
        """Write in the evidence's conversation: the candidate and their assessor, once it is
        submitted (before that nobody else could read it). The IQA, the administrators and the
        EQA read the conversation and write nothing in it."""
        return (self.is_candidate or self.judges) and not self.is_draft


def evidence_rights(person: Person, evidence: Evidence) -> EvidenceRights:
    is_assessor = assesses_candidate(person, evidence)
    return EvidenceRights(
        is_candidate=evidence.candidate_id == person.pk,
        is_assessor=is_assessor,
        is_draft=evidence.state == EvidenceState.DRAFT,
        judges=is_assessor and judged_by.judges(person, evidence),
    )


def evidence_for_user(person: Person, pk: int) -> tuple[Evidence, EvidenceRights]:
    evidence = get_object_or_404(evidence_visible_to(person), pk=pk)
    if not row_seals.vouched(evidence):  # moved in the database: put back, and asked again
        evidence = get_object_or_404(evidence_visible_to(person), pk=pk)
    eqa_visits.opened(evidence.centre_id, "Evidence", evidence)
    return evidence, evidence_rights(person, evidence)


def own_evidence_for_user(person: Person, pk: int) -> Evidence:
    """Evidence the person may change as its candidate: 404 to strangers, 403 to others on the case."""
    evidence, rights = evidence_for_user(person, pk)
    require(rights.may_change, "Only the candidate changes their own evidence.")
    return evidence


def evidence_file_for_user(person: Person, pk: int) -> EvidenceFile:
    evidence_file = get_object_or_404(
        EvidenceFile.objects.select_related("evidence", "evidence__candidate"),
        pk=pk,
        evidence__in=evidence_visible_to(person),
    )
    if not row_seals.vouched(evidence_file) or not row_seals.vouched(evidence_file.evidence):
        return evidence_file_for_user(person, pk)  # put back where it belongs, and asked again
    eqa_visits.opened(evidence_file.evidence.centre_id, "File", evidence_file)
    return evidence_file


def administered_centre_for_user(person: Person, pk: int) -> Centre:
    """A centre the person administers. Its pages are the administrators' own: nobody else, not even
    its assessors or EQAs, finds them."""
    return get_object_or_404(centres_where(person, Role.ADMINISTRATOR), pk=pk)


def overseen_centre_for_user(person: Person, pk: int) -> Centre:
    """A centre whose portfolios the person may read: its administrators' (every one), and an
    external quality assurer's while a grant is open to them (those in its scope: list them with
    `enrolments_visible_to`). Anyone else finds nothing (404)."""
    open_grant = eqa_grants_open_to(person).filter(centre=OuterRef("pk"))
    centre = get_object_or_404(
        Centre.objects.filter(Q(pk__in=_administered_centres(person)) | Exists(open_grant)), pk=pk
    )
    eqa_visits.opened(centre.pk, "The centre's records")
    return centre


def notification_for_user(person: Person, pk: int) -> Notification:
    """A notification is its recipient's alone: nobody reaches anyone else's by any address; one
    about a centre where they hold no role now is gone for them too (`notifications.shown_to`)."""
    return get_object_or_404(notifications.shown_to(person), pk=pk)


def require_site_administrator(person: Person) -> None:
    """The installation's own pages (who may add to the catalogue): its site administrator, a
    superuser who may hold no role at any centre. For everyone else they do not exist (404)."""
    if not is_site_administrator(person):
        raise Http404("No such page.")
