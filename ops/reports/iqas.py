"""The IQAs the sampling report names and offers in its IQA filter: those who quality-assure here
now, then those who no longer do (deactivated, or the role taken away) but who sampled here, marked
so (`role_holders`). A leaver's reviews and countersignatures are the centre's record: the report
keeps their row, with the units they quality-assured until those were handed over (as it keeps
anyone's: `caseload_staff.coverage_of_iqas`)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from assessments.models import QualityReview
from portfolio import role_holders
from portfolio.models import Centre, Enrolment, EnrolmentStatus, Person, Role

RECORDED = [QualityReview.Outcome.COUNTERSIGNED, QualityReview.Outcome.REFERRED]  # what the report calls sampled


def _sampled_here(centre: Centre) -> Exists:
    return Exists(QualityReview.objects.filter(iqa=OuterRef("pk"), enrolment__centre=centre, outcome__in=RECORDED))


def _named_on_units(centre: Centre) -> Exists:
    """Still named as IQA on an active unit here (as the data may have it: leaving asks for them all
    to be handed over first), so every unit the report counts is in someone's row."""
    return Exists(Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE, iqa=OuterRef("pk")))


def with_records(centre: Centre) -> QuerySet[Person]:
    """Today's IQAs, then former ones who recorded a review here or are still named on a unit. One
    who left having sampled nothing has nothing of theirs to report."""
    return role_holders.listed(centre, Role.IQA, Q(_sampled_here(centre)) | Q(_named_on_units(centre)))


def name(person: Person) -> str:
    """"Carol Clark (deactivated)", or "(no longer an IQA)" when they are still here in another role."""
    return role_holders.name(person, "an IQA")
