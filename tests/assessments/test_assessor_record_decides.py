"""The assessor's own observation or questioning record is accepted as their judgement and, in the
same submit, records as met each criterion and knowledge item they ticked (citing the record), as
the judge page does: no second round of ticks on the decisions page. The form says which items are
met already.

Alice is the candidate, Bob her assessor (tests/assessments/unit_case.py).
"""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import CitationAddition, Decision
from assessments.services import decisions
from portfolio.models import AuditEvent, Evidence
from standards.models import Criterion, KnowledgeItem
from tests.assessments.unit_case import accepted_evidence, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def _url(case, method: str = "observation") -> str:
    return reverse("assessments:assessor_evidence_create", args=[case.hsc331.pk]) + f"?method={method}"


def _fields(method: str, *criteria: str, knowledge: tuple[str, ...] = ()) -> dict:
    return {
        "method": method, "title": "Observation: phoning family",
        "activity_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "account": "I saw Alice help Person A phone their sister.",
        "criteria": [c.pk for c in Criterion.objects.filter(reference__in=criteria)],
        "knowledge_items": [k.pk for k in KnowledgeItem.objects.filter(reference__in=knowledge)],
    }


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize("method", ["observation", "questioning"])
def test_the_items_ticked_on_the_assessors_record_are_met_citing_it(client, case, method):
    client.force_login(case.bob)

    response = client.post(_url(case, method), _fields(method, "HSC331a.1", "HSC331a.2", knowledge=("HSC331 K6",)), follow=True)

    record = Evidence.objects.get()
    assert response.status_code == 200
    page = _text(response.content.decode())
    assert "cited as meeting 3 items: HSC331a.1, HSC331a.2, HSC331 K6" in page
    decisions_page = _text(client.get(reverse("assessments:decisions", args=[case.hsc331.pk]) + "?not_met=1").content.decode())
    assert "HSC331a.1" not in decisions_page and "HSC331 K6" not in decisions_page  # not waiting to be met
    assert "HSC331a.3" in decisions_page
    standing = Decision.objects.standing().filter(enrolment=case.hsc331)
    assert sorted(d.item.reference for d in standing) == ["HSC331 K6", "HSC331a.1", "HSC331a.2"]
    assert all(list(d.evidence.all()) == [record] and d.decided_by == case.bob for d in standing)
    assert AuditEvent.objects.filter(action="assessments.decision.recorded", enrolment=case.hsc331).count() == 3


def test_the_form_says_which_items_are_met_already_and_ticking_one_adds_the_record_to_it(client, case):
    earlier = accepted_evidence(case, title="Supporting a family visit")
    decisions.decision_record(
        enrolment=case.hsc331, assessor=case.bob, criterion=Criterion.objects.get(reference="HSC331a.1"),
        # Decided today, after the record's activity (yesterday): a decision cites no evidence newer than it.
        evidence=[earlier], decided_on=timezone.localdate(),
    )
    client.force_login(case.bob)

    form = _text(client.get(_url(case, "questioning")).content.decode())
    assert f"(met already, citing {earlier.reference}: ticking it adds this record to its evidence)" in form
    assert form.count("met already") == 1

    assert client.post(_url(case, "questioning"), _fields("questioning", "HSC331a.1", "HSC331a.2")).status_code == 302
    record = Evidence.objects.exclude(pk=earlier.pk).get()
    a1 = Decision.objects.standing().get(enrolment=case.hsc331, criterion__reference="HSC331a.1")
    assert [e.reference for e in a1.evidence.order_by("number")] == [earlier.reference, record.reference]
    assert CitationAddition.objects.get().evidence == record  # kept in the decision's history, not withdrawn
    assert Decision.objects.standing().get(enrolment=case.hsc331, criterion__reference="HSC331a.2").evidence.get() == record
