"""The unit PDF's scope: each category with the evidence the assessor recorded as covering each item,
the reasons a category does not apply, and the scope items on the evidence location sheet.

Alice is the candidate on HSC331, Bob her assessor (tests/assessments/unit_case.py).
"""

import io
import re

import pytest
from pypdf import PdfReader

from assessments.services import judging, signoff
from exports.unit_pdf import render_unit_pdf
from standards.models import ScopeCategory, ScopeItem
from tests.assessments.unit_case import accepted_evidence, build_case, items, meet, submitted_evidence

pytestmark = pytest.mark.django_db

NO_RISKS = "The candidate works in a day centre where no risk to people or property arose during assessment."


@pytest.fixture
def case():
    """HSC331 met on two accepted items the assessor recorded as covering four of its five scope
    categories: E1 family and preferred language, E2 danger, bullying and friends. Alice mapped E2
    to S5.1 (risks to the environment) too, which Bob did not record."""
    case = build_case()
    criteria, knowledge = items(case.hsc331)
    everything = [i.reference for i in criteria + knowledge]
    first = accepted_evidence(case, title="Supporting a family visit", references=[*everything, "HSC331 S4.1", "HSC331 S1.1"])
    second = submitted_evidence(
        case, title="Keeping Person B safe", references=[*everything, "HSC331 S2.1", "HSC331 S3.3", "HSC331 S4.2", "HSC331 S5.1"]
    )
    judging.evidence_accept(
        evidence=second, assessor=case.bob, valid=True, authentic=True, current=True, sufficient=True,
        scope_items=ScopeItem.objects.filter(reference__in=["HSC331 S2.1", "HSC331 S3.3", "HSC331 S4.2"]),
    )
    meet(case, case.hsc331, [first, second])
    return case


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_signed_off_units_pdf_shows_the_scope_its_evidence_and_the_reason_a_category_does_not_apply(case):
    risks = ScopeCategory.objects.get(unit__code="HSC331", name="Risks")
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True, not_applicable={risks.pk: NO_RISKS})

    text = _text(render_unit_pdf(case.hsc331))

    scope = text[text.index("Scope Communicate using:"):text.index("Evidence index")]
    assert "Communicate using: Covered by E1, as the assessor recorded." in scope
    assert "HSC331 S1.1 the individual's preferred spoken language Covered — evidence E1 · mapped: E1" in scope
    assert "HSC331 S1.2 the use of signs Not covered" in scope
    assert "Key people include: Covered by E1, E2, as the assessor recorded." in scope
    assert "HSC331 S4.2 friends Covered — evidence E2 · mapped: E2" in scope
    assert (
        "Risks could include the possibility of: Does not apply to the candidate’s work area, the assessor "
        f"recorded at sign-off: “{NO_RISKS}”"
    ) in scope
    sheet = text[text.index("Evidence location sheet"):text.index("Witness status list")]
    assert "the assessor recorded the evidence as covering it" in sheet
    # A row of marks a column per evidence item (E1, E2): ● recorded by the assessor, ○ mapped only.
    assert re.search(r"HSC331 S4\.1 ● HSC331 S4\.2 ● HSC331 S4\.3 HSC331", sheet)
    assert re.search(r"HSC331 S5\.1 ○ HSC331 S5\.2 HSC331", sheet)
    assert f"Scope “Risks” (HSC331 S5.1, HSC331 S5.2, HSC331 S5.3) does not apply to the candidate’s work area: “{NO_RISKS}”" in sheet


def test_an_unsigned_units_pdf_shows_the_scope_not_covered_yet(case):
    text = _text(render_unit_pdf(case.hsc331))

    assert "Risks could include the possibility of: Not covered yet" in text
    sheet = text[text.index("Evidence location sheet"):text.index("Witness status list")]
    assert re.search(r"HSC331 S5\.1 ○ HSC331 S5\.2 HSC331 S5\.3", sheet)  # mapped by Alice only, then nothing
    assert "does not apply" not in sheet
