"""Alice on the demonstration qualification (HSC331 mandatory, 9 credits; H3 25 in the optional
Group B, 5 credits; 14 credits needed), and a unit completed the whole way through."""

from assessments.services import iqa, signoff
from portfolio import services_qualifications
from portfolio.models import Enrolment, QualificationRegistration
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.assessments.unit_case import Case, accepted_evidence, meet


def register_alice(case: Case, *, optional: tuple[str, ...] = ("H3 25",)) -> QualificationRegistration:
    today = case.hsc331.start_date
    return services_qualifications.qualification_register(
        centre=case.centre, registered_by=case.grace, candidate=case.alice, qualification=demo_qualification(),
        optional_units=list(Unit.objects.filter(code__in=optional)), assessor=case.bob, iqa=case.carol,
        start_date=today, target_date=case.hsc331.target_date, registration_number="SQA-ALICE-1",
    )


def complete(case: Case, enrolment: Enrolment, *, iqa_countersigns: bool = True) -> None:
    """The unit met, signed off, countersigned by the candidate and (by default) by the IQA."""
    evidence = accepted_evidence(case, enrolment=enrolment, title=f"Evidence for {enrolment.unit.code}")
    meet(case, enrolment, [evidence])
    signoff.unit_sign_off(enrolment=enrolment, assessor=enrolment.assessor, declared=True)
    signoff.unit_countersign(enrolment=enrolment, candidate=enrolment.candidate, declared=True)
    if iqa_countersigns:
        iqa.sample_add(iqa=enrolment.iqa, enrolments=[enrolment])
        iqa.review_record(review_or_enrolment=enrolment, iqa=enrolment.iqa, outcome="countersigned",
                          comments="Sampled the whole unit: the decisions are sound.")
