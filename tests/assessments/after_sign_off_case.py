"""A signed-off unit with evidence around it that is not part of its signed record, built with the
services as people would make it:

- E1 "Supporting a family visit": accepted, cited by every decision of HSC331: the signed record.
- E2 "Notes for a later visit": a draft Alice mapped to HSC331a.1 before the sign-off; never submitted.
- E3 "Lunch club plans": submitted for HSC331a.2 before the sign-off, still waiting when Bob signed,
  and accepted by him after it.
- E4 (Wendy Walsh's testimony): asked for before the sign-off, given after it, so submitted for
  HSC331a.1 and HSC331a.3 after the sign-off.

Then Alice countersigns. Alice is the candidate, Bob her assessor, Carol her IQA (tests/cast.py).
"""

import datetime
import re
from dataclasses import dataclass

from django.core import mail
from django.utils import timezone

from assessments.models import SignOff
from assessments.services import judging, signoff, witness
from portfolio import services
from portfolio.models import AssessmentMethod, Evidence
from standards.models import Criterion
from tests.assessments.unit_case import Case, accepted_evidence, build_case, meet, submitted_evidence

TESTIMONY = "I saw Alice help Person A plan a visit to their sister, and phone the sister with them."


@dataclass
class AfterSignOffCase:
    case: Case
    sign_off: SignOff
    signed: Evidence  # E1
    draft: Evidence  # E2
    accepted_later: Evidence  # E3
    testimony: Evidence  # E4


def _draft(case: Case) -> Evidence:
    evidence = services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title="Notes for a later visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=timezone.localdate() - datetime.timedelta(days=2),
        account="Person A would like to see their grandson next month.",
    )
    return services.evidence_map(
        evidence=evidence, editor=case.alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )


def _ask_for_testimony(case: Case) -> tuple:
    request = witness.testimony_request(
        enrolment=case.hsc331, requested_by=case.alice, witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org",
        criteria=Criterion.objects.filter(reference__in=["HSC331a.1", "HSC331a.3"]), valid_for_days=14,
    )
    token = re.search(r"/assessments/witness/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body))
    assert token is not None
    return request, token.group(1)


def signed_off_with_evidence_after() -> AfterSignOffCase:
    case = build_case()
    signed = accepted_evidence(case, title="Supporting a family visit")
    meet(case, case.hsc331, [signed])
    draft = _draft(case)
    waiting = submitted_evidence(case, title="Lunch club plans", references=["HSC331a.2"], uploads=[])
    request, token = _ask_for_testimony(case)

    sign_off = signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    judging.evidence_accept(
        evidence=waiting, assessor=case.bob, valid=True, authentic=True, current=True, sufficient=True
    )
    testimony = witness.testimony_give(
        request=request, token=token, testimony=TESTIMONY, seen_on=timezone.localdate(), seen_at="Riverside day centre",
        witness_name="Wendy Walsh", job_role="Team leader", relationship="Line manager", expert=False, confirmed=True,
    )
    signoff.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    sign_off.refresh_from_db()
    waiting.refresh_from_db()
    return AfterSignOffCase(
        case=case, sign_off=sign_off, signed=signed, draft=draft, accepted_later=waiting, testimony=testimony,
    )
