"""The evidence page's "What it proves", for evidence mapped to two units: each unit's items grouped
under it, in the standard's order (its performance criteria, then its knowledge, then its scope), not
every criterion of both units first and then every knowledge item (an outside trial). The assessor's
judge form groups them the same way (`portfolio/mapped_items.py`, `assessments/judging_items.py`).

Alice is the candidate on HSC331 and H3 25, Bob her assessor on both (tests/assessments/unit_case.py)."""

import re

import pytest
from django.urls import reverse

from portfolio import services
from portfolio.models import AssessmentMethod
from tests.assessments.unit_case import build_case, submitted_evidence

pytestmark = pytest.mark.django_db

# Mapped out of order on purpose; the page puts each unit's items in the standard's order.
MAPPED = [
    "HSC331 K6",
    "HSC331 S1.2",
    "HSC331b.2",
    "H3 25 K(b)",
    "HSC331 K2",
    "H3 25.2",
    "HSC331a.1",
    "H3 25.1",
]


def _proves(page: str) -> str:
    return page[page.index('id="mapping-heading"') : page.index('id="judgements-heading"')]


def _groups(section: str) -> list[tuple[str, list[str]]]:
    """Each unit heading's code and the references listed under it, in the page's order."""
    parts = re.split(r'<h3 class="[^"]*mapped-unit"><span class="ref">([^<]+)</span>', section)[1:]
    return [
        (code, re.findall(r'<span class="ref me-1">([^<]+)</span>', body))
        for code, body in zip(parts[::2], parts[1::2], strict=True)
    ]


@pytest.fixture
def case():
    return build_case()


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_each_units_criteria_then_knowledge_then_scope_are_grouped_under_it(client, case, who):
    evidence = submitted_evidence(case, references=MAPPED)
    client.force_login(case.people[who])

    page = client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode()

    assert _groups(_proves(page)) == [
        ("H3 25", ["H3 25.1", "H3 25.2", "H3 25 K(b)"]),
        ("HSC331", ["HSC331a.1", "HSC331b.2", "HSC331 K2", "HSC331 K6", "HSC331 S1.2"]),
    ]


def test_the_judge_form_lists_the_units_and_their_items_in_the_same_order(client, case):
    evidence = submitted_evidence(case, references=MAPPED)
    client.force_login(case.bob)

    page = client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode()

    # The judge form's "What it proves, if you accept it", up to its date.
    start = page.index('id="proves"')
    form = page[start : page.index('type="date"', start)]
    groups = re.split(
        r'<legend class="small fw-semibold float-none mb-1"><span class="ref">([^<]+)</span>', form
    )[1:]
    ticked = [
        (
            code,
            re.findall(
                r'checked[^>]*>\s*<label[^>]*><span class="ref">([^<]+)</span>', body.split("<details")[0]
            ),
        )
        for code, body in zip(groups[::2], groups[1::2], strict=True)
    ]
    assert ticked == [
        ("H3 25", ["H3 25.1", "H3 25.2", "H3 25 K(b)"]),
        ("HSC331", ["HSC331a.1", "HSC331b.2", "HSC331 K2", "HSC331 K6"]),
    ]


def test_evidence_mapped_to_nothing_says_so(client, case):
    evidence = services.evidence_create(
        candidate=case.alice,
        centre=case.centre,
        author=case.alice,
        title="Not mapped yet",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=case.hsc331.start_date,
        account="I supported Person A.",
    )
    client.force_login(case.alice)

    section = _proves(client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode())

    assert "Not mapped to any criterion yet." in section and "mapped-unit" not in section


def test_the_candidates_evidence_list_gives_the_same_order(client, case):
    submitted_evidence(case, references=MAPPED)
    client.force_login(case.alice)

    page = client.get(reverse("portfolio:evidence_list")).content.decode()

    row = page.split('<td class="ref">E1</td>')[1].split("</tr>")[0]
    assert re.findall(r'<span class="ref">([^<]+)</span>', row) == [
        *["H3 25.1", "H3 25.2", "H3 25 K(b)"],
        *["HSC331a.1", "HSC331b.2", "HSC331 K2", "HSC331 K6"],
    ]
