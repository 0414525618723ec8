"""An evidence page's breadcrumb leads back to the candidate's unit page(s) the evidence is mapped
to, and the candidate's name links where the viewer may go (the assessor's list of the candidate's
units); nobody is offered a unit page they may not open.

Alice is the candidate on HSC331 and H3 25, Bob her assessor, Carol her IQA (tests/assessments/unit_case.py).
"""

import re

import pytest

from tests.assessments.unit_case import accepted_evidence, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def _breadcrumb(client, person, evidence) -> str:
    client.force_login(person)
    page = client.get(f"/assessments/evidence/{evidence.pk}/").content.decode()
    return re.search(r'<nav aria-label="Breadcrumb">(.*?)</nav>', page, re.S).group(1)


def _links(fragment: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', fragment)


def test_the_assessor_is_led_back_to_the_candidate_and_each_unit_the_evidence_is_mapped_to(client, case):
    evidence = accepted_evidence(case, references=["HSC331a.1", "H3 25.2"])

    crumbs = _breadcrumb(client, case.bob, evidence)

    assert _links(crumbs) == [
        ("/", "Home"),
        (f"/assessments/assess/candidates/?candidate={case.alice.pk}", "Alice Adams"),
        (f"/assessments/units/{case.h3_25.pk}/", "H3 25"),  # by unit code
        (f"/assessments/units/{case.hsc331.pk}/", "HSC331"),
    ]
    assert f'aria-current="page">{evidence.reference}</li>' in crumbs


def test_the_iqa_reads_the_candidates_name_and_opens_the_unit(client, case):
    evidence = accepted_evidence(case, references=["HSC331a.1"])

    crumbs = _breadcrumb(client, case.carol, evidence)

    assert _links(crumbs) == [("/", "Home"), (f"/assessments/units/{case.hsc331.pk}/", "HSC331")]
    assert "Alice Adams" in crumbs


def test_the_candidate_is_led_to_her_evidence_and_her_unit(client, case):
    evidence = accepted_evidence(case, references=["H3 25.2"])

    crumbs = _breadcrumb(client, case.alice, evidence)

    assert _links(crumbs) == [("/", "Home"), ("/portfolio/evidence/", "My evidence"),
                              (f"/assessments/units/{case.h3_25.pk}/", "H3 25")]
