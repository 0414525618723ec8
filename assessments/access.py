"""Who may see and do what with a candidate's unit: the one place that answers it for assessments.

Every view fetches the objects it touches through a `..._for_user` function here (or in
`portfolio.access`): anyone not on the case finds nothing (404). What a person on the case may do is
worked out once per request into `EnrolmentRights`, which the view checks (403 for someone who may
read but not act) and the template reads to choose its buttons. The services check again.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from portfolio import access as portfolio_access
from portfolio import eqa_visits
from portfolio.access import require
from portfolio.models import Enrolment, Person, Role

from .models import Decision, QualityReview, SignOff
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

    @property
    def signed_off(self) -> bool:
        return self.sign_off is not None

    @property
    def may_record_decisions(self) -> bool:
        return self.is_assessor and not self.signed_off

    @property
    def may_sign_off(self) -> bool:
        return self.is_assessor and not self.signed_off

    @property
    def may_record_evidence(self) -> bool:
        """The assessor's own observation or questioning record: not on a locked unit."""
        return self.is_assessor and not self.signed_off

    @property
    def may_countersign(self) -> bool:
        return self.is_candidate and self.sign_off is not None and self.sign_off.candidate_signed_at is None

    @property
    def may_unlock(self) -> bool:
        return (self.is_assessor or self.is_iqa) and self.signed_off

    @property
    def may_check_files(self) -> bool:
        """Ask for the signed files to be read and checked now (the candidate and the EQA read the
        last check's result; those who answer for the record may ask for a fresh one)."""
        return (self.is_assessor or self.is_iqa or self.is_administrator) and self.signed_off

    @property
    def may_review(self) -> bool:
        """The IQA reviews the unit, unless they also assess it (nobody quality-assures their own
        decisions)."""
        return self.is_iqa and not self.is_assessor

    @property
    def may_move_version(self) -> bool:
        """A centre administrator moves an enrolment to another version of its unit, unless signed off."""
        return self.is_administrator and not self.signed_off

    @property
    def asks_witnesses(self) -> bool:
        """The candidate and the assessor gather evidence; the IQA, administrators and EQAs read it."""
        return self.is_candidate or self.is_assessor

    @property
    def may_request_testimony(self) -> bool:
        return self.asks_witnesses and not self.signed_off

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

    def require_evidence_gatherer(self) -> None:
        require(self.asks_witnesses, "Only the candidate or their assessor asks a witness for testimony.")


def enrolment_rights(person: Person, enrolment: Enrolment) -> EnrolmentRights:
    """Two queries: the person's roles at the centre and the unit's standing sign-off."""
    roles = portfolio_access.roles_at(person, enrolment.centre_id)
    return EnrolmentRights(
        is_candidate=enrolment.candidate_id == person.pk,
        is_assessor=portfolio_access.is_assessor_of(person, enrolment),
        is_iqa=enrolment.iqa_id == person.pk,
        is_administrator=Role.ADMINISTRATOR in roles,
        is_eqa=Role.EQA in roles,
        sign_off=standing_sign_off(enrolment),
    )


def enrolment_for_user(person: Person, pk: int) -> tuple[Enrolment, EnrolmentRights]:
    """The unit, for everyone on the candidate's case (404 for anyone else), with their rights."""
    enrolment = portfolio_access.enrolment_for_user(person, pk)
    return enrolment, enrolment_rights(person, enrolment)


def decision_for_user(person: Person, pk: int) -> tuple[Decision, EnrolmentRights]:
    decision = get_object_or_404(
        Decision.objects.select_related(
            "criterion", "knowledge_item", "decided_by", "withdrawn_by",
            "enrolment__candidate", "enrolment__unit", "enrolment__centre", "enrolment__assessor",
        ),
        pk=pk,
        enrolment__in=portfolio_access.enrolments_visible_to(person),
    )
    eqa_visits.opened(decision.enrolment.centre_id, "Decision")
    return decision, enrolment_rights(person, decision.enrolment)


def quality_review_for_user(person: Person, pk: int) -> tuple[QualityReview, EnrolmentRights]:
    review = get_object_or_404(
        QualityReview.objects.select_related(
            "iqa", "enrolment", "enrolment__candidate", "enrolment__unit", "enrolment__assessor", "enrolment__centre"
        ),
        pk=pk,
        enrolment__in=portfolio_access.enrolments_visible_to(person),
    )
    eqa_visits.opened(review.enrolment.centre_id, "IQA review")
    return review, enrolment_rights(person, review.enrolment)
