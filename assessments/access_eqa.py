"""Who reads and writes the external quality assurer's own records: their samples, and their reports
once sent (`assessments.access` re-exports these, the one place views ask)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from portfolio import access as portfolio_access
from portfolio.access import require
from portfolio.held_roles import as_iqa
from portfolio.models import Centre, Enrolment, Person, Role

from .models import EqaAction, EqaReport, EqaSample

# The external quality assurer's own records ------------------------------------------------------


def eqa_centre_for_user(person: Person, centre_id: int) -> Centre:
    """A centre where the person works as EQA now: where they may sample and write reports."""
    return get_object_or_404(portfolio_access.eqa_centres(person), pk=centre_id)


def eqa_sample_for_user(person: Person, pk: int) -> EqaSample:
    """A sample is its EQA's own working record: anyone else, the centre included, finds nothing
    (the centre sees the "EQA sampled" mark on each unit instead)."""
    return get_object_or_404(EqaSample.objects.select_related("centre", "eqa"), pk=pk, eqa=person)


# Who reads a report once it is sent: the centre's administrators, and the IQAs it concerns: of the
# units in its sample, or every IQA of the centre when it samples none (a visit that looked at the
# centre's systems). A sample's findings may speak of a candidate's work, so an IQA not on those
# units' cases does not read them. The rule is stated twice, for a person (`eqa_reports_visible_to`)
# and for a report (`eqa_report_readers`), side by side; tests/assessments/test_eqa_reports.py
# checks they agree.


def _sampled_units(report_sample: Any) -> QuerySet:
    """The rows of a sample's units: of the sample with this id (None: no sample), or an OuterRef to it."""
    return EqaSample.enrolments.through.objects.filter(eqasample_id=report_sample)


def eqa_reports_visible_to(person: Person) -> QuerySet[EqaReport]:
    """The EQA's own reports, drafts included, and the sent reports the person reads at a centre."""
    if not person.is_authenticated:
        return EqaReport.objects.none()
    administers = Q(centre__in=portfolio_access.centres_where(person, Role.ADMINISTRATOR))
    iqa_of_sampled = Exists(_sampled_units(OuterRef("sample_id")).filter(as_iqa(person, "enrolment__")))
    samples_none = Q(sample__isnull=True) | ~Exists(_sampled_units(OuterRef("sample_id")))
    iqa_here = Q(centre__in=portfolio_access.centres_where(person, Role.IQA)) & samples_none
    sent = Q(submitted_at__isnull=False)
    return EqaReport.objects.filter(Q(eqa=person) | (sent & (administers | iqa_of_sampled | iqa_here)))


def eqa_report_readers(report: EqaReport) -> QuerySet[Person]:
    """Everyone at the centre who reads and answers the report once it is sent (the EQA aside)."""
    administrators = Q(memberships__centre_id=report.centre_id, memberships__role=Role.ADMINISTRATOR)
    sampled = Enrolment.objects.filter(pk__in=_sampled_units(report.sample_id).values("enrolment_id"))
    if report.sample_id and sampled.exists():
        iqas = Q(quality_assured_enrolments__in=sampled)
    else:
        iqas = Q(memberships__centre_id=report.centre_id, memberships__role=Role.IQA)
    return Person.objects.filter(administrators | iqas).distinct()


@dataclass(frozen=True)
class EqaReportRights:
    """The EQA who wrote the report, or someone at the centre who answers it."""

    is_author: bool
    is_centre: bool
    is_draft: bool
    # The author's access to the centre is open now: once it has ended or run out, the report stays
    # theirs to read, but they change, send and close nothing more there (found by an outside tester).
    access_open: bool = True

    @property
    def may_edit(self) -> bool:
        """Change or send a draft: once sent, a report is fixed."""
        return self.is_author and self.is_draft and self.access_open

    @property
    def may_answer(self) -> bool:
        return self.is_centre and not self.is_draft

    @property
    def may_review(self) -> bool:
        """Close an action, or leave it open."""
        return self.is_author and not self.is_draft and self.access_open

    def require_author(self) -> None:
        require(self.is_author, "Only the external quality assurer who wrote the report does this.")
        require(self.access_open, "Your access to this centre has ended: the report stays yours to read, "
                "but nothing more is changed, sent or closed in it.")

    def require_centre(self) -> None:
        require(self.is_centre, "Only the centre’s administrators and its IQAs answer the report’s actions.")


def eqa_report_for_user(person: Person, pk: int) -> tuple[EqaReport, EqaReportRights]:
    """The EQA's report: theirs alone while a draft (anyone else finds nothing, as with a
    candidate's draft evidence); once sent, also its readers' at the centre."""
    report = get_object_or_404(eqa_reports_visible_to(person).select_related("centre", "eqa", "sample"), pk=pk)
    is_author = report.eqa_id == person.pk
    is_centre = not report.is_draft and (not is_author or eqa_report_readers(report).filter(pk=person.pk).exists())
    access_open = not is_author or portfolio_access.eqa_centres(person).filter(pk=report.centre_id).exists()
    return report, EqaReportRights(is_author, is_centre, report.is_draft, access_open)


def eqa_action_for_user(person: Person, pk: int) -> tuple[EqaAction, EqaReportRights]:
    action = get_object_or_404(EqaAction.objects.only("pk", "report_id"), pk=pk)
    report, rights = eqa_report_for_user(person, action.report_id)
    action = EqaAction.objects.select_related("answered_by").get(pk=pk)
    action.report = report
    return action, rights
