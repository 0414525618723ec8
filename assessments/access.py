"""Who may see and do what with a candidate's unit: the one place that answers it for assessments.

Every view fetches the objects it touches through a `..._for_user` function here (or in
`portfolio.access`): anyone not on the case finds nothing (404). What a person on the case may do is
worked out once per request into `EnrolmentRights`, which the view checks (403 for someone who may
read but not act) and the template reads to choose its buttons. The services check again.
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from portfolio import access as portfolio_access
from portfolio import dates, eqa_visits
from portfolio.access import require
from portfolio.held_roles import deactivated_for_iqa, deactivated_refusal
from portfolio.models import Centre, Enrolment, EnrolmentStatus, Evidence, Person, Role

from .access_eqa import EqaReportRights as EqaReportRights
from .access_eqa import eqa_action_for_user as eqa_action_for_user
from .access_eqa import eqa_centre_for_user as eqa_centre_for_user
from .access_eqa import eqa_report_for_user as eqa_report_for_user
from .access_eqa import eqa_report_readers as eqa_report_readers
from .access_eqa import eqa_reports_visible_to as eqa_reports_visible_to
from .access_eqa import eqa_sample_for_user as eqa_sample_for_user
from .models import (
    CompetenceFile,
    Decision,
    QualityReview,
    SignOff,
    StandardisationMeeting,
)
from .services.decisions import standing_sign_off


@dataclass(frozen=True)
class EnrolmentRights:
    """Who the person is on this unit's case and what that lets them do now.

    The `is_...` fields say who; the `may_...` properties say what, given where the unit stands
    (a standing sign-off locks it). A view refuses with 403 someone who is on the case but never
    acts this way (`require_...`); the service refuses a move the unit's state does not allow and
    says why in the domain's words."""

    is_candidate: bool
    is_assessor: bool
    is_iqa: bool
    is_administrator: bool
    is_eqa: bool
    sign_off: SignOff | None  # the standing sign-off, if the unit is signed off
    closed: bool = False  # withdrawn or transferred (`EnrolmentStatus`): kept as it stands, read-only
    deactivated: str = ""  # for the assessor, why nothing is done while the candidate is deactivated here
    deactivated_for_iqa: str = ""  # the same for the IQA, with what they may still do (`may_refer_back`)

    @property
    def signed_off(self) -> bool:
        return self.sign_off is not None

    @property
    def may_record_decisions(self) -> bool:
        """Also signing off, and the assessor's own observation or questioning record: not on a
        locked or closed unit, nor while the candidate is deactivated."""
        return self.is_assessor and not (self.signed_off or self.closed or self.deactivated)

    may_sign_off = may_record_decisions
    may_record_evidence = may_record_decisions

    @property
    def may_countersign(self) -> bool:
        return self.is_candidate and self.sign_off is not None and self.sign_off.candidate_signed_at is None

    @property
    def may_unlock(self) -> bool:
        return (self.is_assessor or self.is_iqa) and self.signed_off

    @property
    def may_check_files(self) -> bool:
        """Ask for a fresh check of the signed files (the candidate and EQA read the last one's result)."""
        return (self.is_assessor or self.is_iqa or self.is_administrator) and self.signed_off

    @property
    def may_review(self) -> bool:
        """The IQA reviews an open unit, unless they also assess it (nobody quality-assures their own decisions)."""
        return self.is_iqa and not self.is_assessor and not self.closed

    @property
    def may_refer_back(self) -> bool:
        """Not while the candidate is deactivated: the assessor can act on nothing. Countersigning stands."""
        return self.may_review and not self.deactivated_for_iqa

    @property
    def may_move_version(self) -> bool:
        """A centre administrator moves an enrolment to another version of its unit, unless signed off."""
        return self.is_administrator and not (self.signed_off or self.closed)

    @property
    def asks_witnesses(self) -> bool:
        """The candidate and the assessor gather evidence; the IQA, administrators and EQAs read it."""
        return self.is_candidate or self.is_assessor

    @property
    def may_ask_witness_status(self) -> bool:
        """Send a witness who testified before a link to confirm their status (RF03)."""
        return self.is_assessor or self.is_administrator

    @property
    def may_request_testimony(self) -> bool:
        """Not on a locked or closed unit, nor while the candidate is deactivated (nobody may judge it)."""
        return self.asks_witnesses and not (self.signed_off or self.closed or self.deactivated)

    # A person on the case who never acts this way is refused with 403, whatever the unit's state.

    def require_assessor(self) -> None:
        require(self.is_assessor, "Only the unit's assessor does this.")

    def require_candidate(self) -> None:
        require(self.is_candidate, "Only the candidate does this.")

    def require_unlocker(self) -> None:
        require(self.is_assessor or self.is_iqa, "Only the unit's assessor or IQA unlocks it.")

    def require_file_checker(self) -> None:
        require(
            self.is_assessor or self.is_iqa or self.is_administrator,
            "Only the unit's assessor or IQA, or a centre administrator, asks for its files to be checked.",
        )

    def require_administrator(self) -> None:
        require(self.is_administrator, "Only a centre administrator does this.")

    def require_iqa(self) -> None:
        require(self.is_iqa, "Only the unit's IQA reviews it.")

    def require_witness_status_asker(self) -> None:
        require(
            self.is_assessor or self.is_administrator,
            "Only the candidate's assessor or a centre administrator asks a witness to confirm their status.",
        )

    def require_evidence_gatherer(self) -> None:
        require(self.asks_witnesses, "Only the candidate or their assessor asks a witness for testimony.")


def enrolment_rights(person: Person, enrolment: Enrolment) -> EnrolmentRights:
    """Two queries: the roles at the centre (a name counts only with its role) and the sign-off;
    a third for the assessor or IQA: is the candidate deactivated there."""
    roles = portfolio_access.roles_at(person, enrolment.centre_id)
    is_assessor = portfolio_access.is_assessor_of(person, enrolment) and Role.ASSESSOR in roles
    is_iqa = enrolment.iqa_id == person.pk and Role.IQA in roles
    return EnrolmentRights(
        is_candidate=enrolment.candidate_id == person.pk and Role.CANDIDATE in roles,
        is_assessor=is_assessor,
        is_iqa=is_iqa,
        is_administrator=Role.ADMINISTRATOR in roles,
        is_eqa=Role.EQA in roles,
        sign_off=standing_sign_off(enrolment),
        closed=enrolment.status != EnrolmentStatus.ACTIVE,
        deactivated=deactivated_refusal(enrolment) if is_assessor else "",
        deactivated_for_iqa=deactivated_for_iqa(enrolment) if is_iqa and not is_assessor else "",
    )



def enrolment_for_user(person: Person, pk: int) -> tuple[Enrolment, EnrolmentRights]:
    """The unit, for everyone on the candidate's case (404 for anyone else), with their rights."""
    enrolment = portfolio_access.enrolment_for_user(person, pk)
    return enrolment, enrolment_rights(person, enrolment)


def unit_scope_for_user(person: Person, evidence_pk: int, enrolment_pk: int) -> tuple[Evidence, Enrolment]:
    """Recording which of a unit's scope items accepted evidence covers (`services/unit_scope.py`):
    404 to anyone who may not read the evidence and the unit, or when they are of different cases;
    403 to anyone on the case but the unit's assessor."""
    evidence, _ = portfolio_access.evidence_for_user(person, evidence_pk)
    enrolment, rights = enrolment_for_user(person, enrolment_pk)
    if (evidence.candidate_id, evidence.centre_id) != (enrolment.candidate_id, enrolment.centre_id):
        raise Http404
    rights.require_assessor()
    return evidence, enrolment


def decision_for_user(person: Person, pk: int) -> tuple[Decision, EnrolmentRights]:
    decision = get_object_or_404(
        Decision.objects.select_related(
            "criterion", "knowledge_item", "decided_by", "withdrawn_by",
            "enrolment__candidate", "enrolment__unit", "enrolment__centre", "enrolment__assessor",
        ),
        pk=pk,
        enrolment__in=portfolio_access.enrolments_visible_to(person),
    )
    decision.enrolment = portfolio_access.case_vouched(person, decision.enrolment, decision.enrolment_id)
    eqa_visits.opened(decision.enrolment.centre_id, "Decision", decision.enrolment)
    return decision, enrolment_rights(person, decision.enrolment)


def quality_review_for_user(person: Person, pk: int) -> tuple[QualityReview, EnrolmentRights]:
    review = get_object_or_404(
        QualityReview.objects.select_related(
            "iqa", "enrolment", "enrolment__candidate", "enrolment__unit", "enrolment__assessor", "enrolment__centre"
        ),
        pk=pk,
        enrolment__in=portfolio_access.enrolments_visible_to(person),
    )
    review.enrolment = portfolio_access.case_vouched(person, review.enrolment, review.enrolment_id)
    eqa_visits.opened(review.enrolment.centre_id, "IQA review", review.enrolment)
    return review, enrolment_rights(person, review.enrolment)


@dataclass(frozen=True)
class PlanRights:
    """An IQA's sampling plan: the IQA writes it; the centre's administrators and EQAs read it."""

    is_iqa: bool

    def require_iqa(self) -> None:
        require(self.is_iqa, "Only the IQA whose plan it is changes it.")


def sampling_plan_for_user(person: Person, centre_id: int, iqa_id: int) -> tuple[Centre, Person, PlanRights]:
    """The centre and the IQA whose plan is asked for: the IQA's own, and read by the centre's
    administrators and EQAs (as they read its IQA records). Anyone else, and anyone asking for the
    plan of someone who is no IQA there, finds nothing (404)."""
    roles = portfolio_access.roles_at(person, centre_id)
    own = person.pk == iqa_id and Role.IQA in roles
    if not own and not roles & {Role.ADMINISTRATOR, Role.EQA}:
        raise Http404("No such plan.")
    centre = get_object_or_404(Centre, pk=centre_id)
    iqa = get_object_or_404(Person, pk=iqa_id, memberships__centre=centre, memberships__role=Role.IQA)
    eqa_visits.opened(centre.pk, "IQA sampling plan", iqa)
    return centre, iqa, PlanRights(is_iqa=own)
# The centre's quality-assurance records: standardisation meetings, competence and CPD, the centre's
# witness status list. -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CentreQualityRights:
    """Who the person is among the centre's staff, and what that lets them do with its
    quality-assurance records. The EQA reads them all and writes none."""

    is_assessor: bool
    is_iqa: bool
    is_administrator: bool
    is_eqa: bool

    @property
    def reads_every_record(self) -> bool:
        """Every standardisation meeting, everyone's competence and CPD, the centre's witnesses."""
        return self.is_iqa or self.is_administrator or self.is_eqa

    @property
    def may_record_standardisation(self) -> bool:
        return self.is_iqa or self.is_administrator

    @property
    def keeps_competence(self) -> bool:
        """Assessors and IQAs keep their own qualifications, experience and CPD."""
        return self.is_assessor or self.is_iqa

    def require_standardisation_recorder(self) -> None:
        require(self.may_record_standardisation, "Only the centre's IQAs and administrators record a meeting.")

    def require_competence_keeper(self) -> None:
        require(self.keeps_competence, "Assessors and IQAs keep their own competence and CPD records.")


def centre_quality_rights(person: Person, centre_id: int) -> tuple[Centre, CentreQualityRights]:
    """A centre where the person is on the staff or its EQA, with their rights: 404 for anyone else
    (candidates included). The EQA's standing comes through `portfolio.access`, as on a unit."""
    roles = portfolio_access.roles_at(person, centre_id)
    rights = CentreQualityRights(
        is_assessor=Role.ASSESSOR in roles,
        is_iqa=Role.IQA in roles,
        is_administrator=Role.ADMINISTRATOR in roles,
        is_eqa=Role.EQA in roles,
    )
    if not (rights.reads_every_record or rights.keeps_competence):
        raise Http404("Not a centre of this person's.")
    centre = get_object_or_404(Centre, pk=centre_id)
    # Every quality-assurance page and file an EQA opens is in the centre's log (issue 15 item 2).
    eqa_visits.opened(centre.pk, "Quality-assurance records")
    return centre, rights


def centre_reader_for_user(person: Person, centre_id: int) -> tuple[Centre, CentreQualityRights]:
    """A centre whose every quality-assurance record the person reads (its IQAs, administrators
    and EQAs); 404 for anyone else, assessors included (they read their own)."""
    centre, rights = centre_quality_rights(person, centre_id)
    if not rights.reads_every_record:
        raise Http404("Only the centre's IQAs, administrators and EQAs read this.")
    return centre, rights


def standardisation_meeting_for_user(person: Person, pk: int) -> tuple[StandardisationMeeting, CentreQualityRights]:
    """A meeting, for those who read every record of its centre and for the assessors who attended."""
    meeting = get_object_or_404(StandardisationMeeting.objects.select_related("centre", "recorded_by"), pk=pk)
    try:
        _, rights = centre_quality_rights(person, meeting.centre_id)
    except Http404:
        raise Http404("No such meeting.") from None
    if not (rights.reads_every_record or meeting.attendees.filter(pk=person.pk).exists()):
        raise Http404("No such meeting.")
    eqa_visits.opened(meeting.centre_id, "Standardisation meeting", f"held {dates.day(meeting.held_on)}")
    return meeting, rights


def keeper_for_user(person: Person, centre_id: int, person_id: int) -> tuple[Centre, Person, CentreQualityRights]:
    """An assessor or IQA of the centre whose competence record the person may read: their own,
    or anyone's for those who read every record. 404 otherwise."""
    centre, rights = centre_quality_rights(person, centre_id)
    if person.pk != person_id and not rights.reads_every_record:
        raise Http404("Not a record this person reads.")
    staff = Person.objects.filter(memberships__centre=centre, memberships__role__in=[Role.ASSESSOR, Role.IQA])
    keeper = get_object_or_404(staff.distinct(), pk=person_id)
    eqa_visits.opened(centre.pk, "Competence and CPD", keeper)
    return centre, keeper, rights


def competence_file_for_user(person: Person, pk: int) -> CompetenceFile:
    """A certificate or CPD file: its keeper's, and readable by whoever may read their record."""
    found = get_object_or_404(CompetenceFile.objects.select_related("qualification", "cpd_entry"), pk=pk)
    record = found.qualification or found.cpd_entry
    assert record is not None, "competence_file_of_one_record"
    keeper_for_user(person, record.centre_id, found.person_id)
    eqa_visits.opened(record.centre_id, "Competence certificate or CPD file")
    return found
