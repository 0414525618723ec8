"""A unit's "Add evidence" (its unit page, its card on the candidate's home) carries the unit: the
evidence form says which, and the mapping page afterwards shows that unit first and open, the
candidate's other units after it, closed. A unit that is not the candidate's own, or is signed off,
carries nothing.

Alice is the candidate on HSC331 and H3 25, Bob her assessor; Dave is another candidate (tests/cast.py).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import locks
from portfolio.models import Evidence
from standards.models import Criterion
from tests.assessments.judging_people import draft, last_week

pytestmark = pytest.mark.django_db

NEW = reverse("portfolio:evidence_create")


def _units_on_mapping_page(page: str) -> list[tuple[str, bool]]:
    """Each unit's code in the page's order, and whether it is shown open."""
    found = re.findall(r'<details class="card mb-3 mapping-unit"( open)?>\s*<summary[^>]*><span class="ref">([^<]+)</span>', page)
    return [(code, bool(opened)) for opened, code in found]


def _add(client, **sent) -> str:
    fields = {"title": "Planning a visit", "method": "reflective_account", "activity_date": last_week().isoformat(),
              "location": "Day centre", "account": "I helped Person A plan a visit."}
    response = client.post(NEW, {**fields, **sent})
    assert response.status_code == 302
    return response["Location"]


def test_the_unit_page_and_the_home_card_link_to_adding_evidence_for_that_unit(client, alice, h3_25, hsc331):
    client.force_login(alice)
    unit_page = client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).content.decode()
    assert unit_page.count(f'href="{NEW}?unit={hsc331.pk}"') == 2  # what to do next, and the evidence tab
    assert f'href="{NEW}"' not in unit_page
    home = client.get(reverse("home")).content.decode()
    assert f'href="{NEW}?unit={hsc331.pk}">Add evidence<span class="visually-hidden"> (HSC331)</span>' in home
    assert f'href="{NEW}?unit={h3_25.pk}">Add evidence<span class="visually-hidden"> (H3 25)</span>' in home


def test_evidence_added_from_a_unit_is_mapped_with_that_unit_first_and_open(client, alice, h3_25, hsc331):
    client.force_login(alice)
    form_page = client.get(f"{NEW}?unit={hsc331.pk}").content.decode()
    assert "the mapping page opens with this unit first" in form_page
    assert f'<input type="hidden" name="unit" value="{hsc331.pk}">' in form_page

    location = _add(client, unit=str(hsc331.pk))
    evidence = Evidence.objects.get(title="Planning a visit")
    assert location == f"{reverse('portfolio:evidence_map', args=[evidence.pk])}?unit={hsc331.pk}"
    assert _units_on_mapping_page(client.get(location).content.decode()) == [("HSC331", True), ("H3 25", False)]


def test_without_a_unit_the_mapping_page_shows_every_unit_open(client, alice, h3_25, hsc331):
    client.force_login(alice)
    location = _add(client)
    units = _units_on_mapping_page(client.get(location).content.decode())
    assert sorted(units) == [("H3 25", True), ("HSC331", True)]


def test_adding_evidence_for_an_item_puts_its_unit_first(client, alice, h3_25, hsc331):
    criterion = Criterion.objects.get(reference="HSC331b.2")
    client.force_login(alice)
    location = _add(client, **{"for": f"criterion-{criterion.pk}"})
    assert _units_on_mapping_page(client.get(location).content.decode()) == [("HSC331", True), ("H3 25", False)]


def test_another_candidates_unit_carries_nothing(client, alice, h3_25, hsc331, daves_unit):
    client.force_login(alice)
    page = client.get(f"{NEW}?unit={daves_unit.pk}").content.decode()
    assert "opens with this unit first" not in page and 'name="unit"' not in page
    location = _add(client, unit=str(daves_unit.pk))
    assert "unit=" not in location
    evidence = draft(alice, hsc331, criteria=())
    mapping = client.get(f"{reverse('portfolio:evidence_map', args=[evidence.pk])}?unit={daves_unit.pk}")
    assert all(opened for _, opened in _units_on_mapping_page(mapping.content.decode()))


@pytest.mark.parametrize("value", ["99999999999999999999", "abc", "-1", ""])
def test_a_unit_the_address_cannot_name_carries_nothing(client, alice, hsc331, value):
    client.force_login(alice)
    response = client.get(f"{NEW}?unit={value}")
    assert response.status_code == 200
    assert "opens with this unit first" not in response.content.decode()


def test_a_signed_off_unit_carries_nothing(client, alice, h3_25, hsc331, monkeypatch):
    monkeypatch.setattr(locks, "_locked_since", lambda ids: {hsc331.pk: timezone.now()} if hsc331.pk in ids else {})
    client.force_login(alice)
    assert "opens with this unit first" not in client.get(f"{NEW}?unit={hsc331.pk}").content.decode()
