"""Change the assessor / Change the IQA offer only those the rule will accept, and say so when
there is nobody (an outside trial: the unit's own assessor was offered as IQA, then refused on
submit; with no other IQA the drop-down was empty, with no word why).

Alice is on HSC331 at Riverside, with Bob as assessor and Carol as IQA; Erin is another assessor,
Ivan another IQA (left out here, so there is no other); Grace administers Riverside (tests/cast.py)."""

import re

import pytest
from django.urls import reverse

from portfolio.models import Membership, Role
from portfolio.services_enrolments import enrolment_reassign
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = build_case()
    Membership.objects.filter(person=case.ivan, centre=case.centre, role=Role.IQA).delete()
    return case


def _form(client, case, role: str) -> str:
    client.force_login(case.grace)
    response = client.get(reverse(f"portfolio:enrolment_{role}", args=[case.hsc331.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _offered(html: str) -> list[str]:
    return [name for value, name in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', html) if value]


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_with_no_other_iqa_the_page_says_so_and_where_to_find_one(client, case):
    page = _form(client, case, "iqa")
    words = _words(page)
    # Nothing to change it to: no word of changing it (an outside trial).
    assert "Carol Clark is the IQA now. There is no other IQA" in words
    assert "When you change it" not in words and "Whoever you choose" not in words
    assert "There is no other IQA at Riverside Training" in words
    assert reverse("portfolio:person_create", args=[case.centre.pk]) in page
    assert "Change the IQA</button>" not in page  # no empty drop-down to submit


def test_the_units_assessor_is_not_offered_as_its_iqa_nor_its_iqa_as_its_assessor(client, case):
    Membership.objects.create(person=case.bob, centre=case.centre, role=Role.IQA)
    Membership.objects.create(person=case.carol, centre=case.centre, role=Role.ASSESSOR)
    assert "There is no other IQA at Riverside Training" in _words(_form(client, case, "iqa"))  # Bob assesses it
    assert _offered(_form(client, case, "assessor")) == ["Erin Evans (erin@example.org)"]  # not Carol, its IQA
    Membership.objects.create(person=case.erin, centre=case.centre, role=Role.IQA)
    assert _offered(_form(client, case, "iqa")) == ["Erin Evans (erin@example.org)"]


def test_someone_who_assessed_the_unit_before_is_not_offered_as_its_iqa(client, case):
    enrolment_reassign(enrolment=case.hsc331, role="assessor", person=case.erin, reason="Bob moved team.",
                       changed_by=case.grace)
    Membership.objects.create(person=case.bob, centre=case.centre, role=Role.IQA)
    assert "There is no other IQA at Riverside Training" in _words(_form(client, case, "iqa"))


def test_with_no_other_assessor_the_page_says_so(client, case):
    Membership.objects.filter(person=case.erin, centre=case.centre, role=Role.ASSESSOR).delete()
    words = _words(_form(client, case, "assessor"))
    assert "There is no other assessor at Riverside Training" in words
    assert "Bob Baker is the assessor now. There is no other assessor" in words
    assert "Whoever you choose" not in words


def test_the_lead_names_who_is_told_without_reading_as_the_new_one(client, case):
    """An outside trial: "When you change it, the new IQA, Carol Singh and Dan Okafor are told" could
    be read "the new IQA is Carol Singh"."""
    words = _words(_form(client, case, "assessor"))  # Erin is another assessor to choose
    assert ("Bob Baker is the assessor now. Whoever you choose is told, and so are Bob Baker and Alice Adams; "
            "what Bob Baker recorded keeps their name.") in words
    assert "the new assessor" not in words
