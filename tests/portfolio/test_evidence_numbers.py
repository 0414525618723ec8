"""Evidence numbers run per candidate per centre (issue 16: centres are walled). Alice has evidence
at Riverside; when Hillside registers her too, her first item there is E1, so Hillside's people do
not learn from an "E3" that she has two items elsewhere. Riverside's numbers, and the signed-off
record citing them, are unchanged."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import integrity
from assessments.models import SignOff
from assessments.services.signoff import unit_sign_off
from portfolio import services
from portfolio.models import AssessmentMethod, Evidence, Membership, Role
from standards.models import Criterion, ScopeItem
from tests.assessments.unit_case import accept, items, meet, photo
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def hal(other_centre):
    return member(other_centre, Role.ASSESSOR, first_name="Hal", last_name="Hart", email="hal@example.org")


@pytest.fixture
def there(alice, other_centre, hal):
    """Alice's HSC331 at Hillside, where she accepted an invitation too."""
    iris = member(other_centre, Role.IQA, first_name="Iris", last_name="Irwin", email="iris@example.org")
    Membership.objects.get_or_create(person=alice, centre=other_centre, role=Role.CANDIDATE)
    return enrol(alice, "HSC331", assessor=hal, iqa=iris, centre=other_centre)


def _add(alice, centre, title: str) -> Evidence:
    return services.evidence_create(
        candidate=alice, centre=centre, author=alice, title=title, method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=timezone.localdate() - datetime.timedelta(days=3), account="What I did, in my own words.",
        uploads=[photo()],
    )


@pytest.fixture
def riverside_signed(alice, bob, centre, hsc331):
    """Two items at Riverside (E1, E2); HSC331 there signed off on E1 and E2."""
    first, second = _add(alice, centre, "Riverside visit"), _add(alice, centre, "Riverside plan")
    cited = []
    for item in (first, second):
        criteria, knowledge = items(hsc331)
        services.evidence_map(evidence=item, editor=alice, criteria=criteria, knowledge_items=knowledge,
                              scope_items=list(ScopeItem.objects.filter(category__unit=hsc331.unit)))
        services.evidence_submit(evidence=item, candidate=alice, declared=True)
        cited.append(accept(Evidence.objects.get(pk=item.pk), bob))
    meet(None, hsc331, cited)
    unit_sign_off(enrolment=hsc331, assessor=bob, declared=True)
    return cited


def test_the_first_item_at_a_second_centre_is_e1_there(client, alice, hal, centre, other_centre, there, riverside_signed):
    assert [e.reference for e in riverside_signed] == ["E1", "E2"]
    hillside = _add(alice, other_centre, "Hillside night shift")
    assert hillside.reference == "E1"
    assert _add(alice, other_centre, "Hillside handover").reference == "E2"
    assert _add(alice, centre, "Riverside review").reference == "E3"

    services.evidence_map(evidence=hillside, editor=alice, criteria=list(Criterion.objects.filter(unit=there.unit)[:1]),
                          knowledge_items=[], scope_items=[])
    services.evidence_submit(evidence=hillside, candidate=alice, declared=True)
    client.force_login(hal)
    page = client.get(reverse("assessments:enrolment_detail", args=[there.pk])).content.decode()
    assert "Hillside night shift" in page
    # No number from the other centre (whole words: a page's random token may hold "E3").
    assert not re.search(r"\bE3\b", page) and "Riverside" not in page


def test_the_signed_off_record_at_the_first_centre_still_verifies(alice, centre, other_centre, there, riverside_signed):
    _add(alice, other_centre, "Hillside night shift")
    sign_off = SignOff.objects.get()
    assert integrity.verify(sign_off) == []
    assert [row["ref"] for row in sign_off.manifest["evidence"]] == ["E1", "E2"]
    assert list(Evidence.objects.filter(centre=centre).order_by("number").values_list("number", flat=True)) == [1, 2]


def test_one_number_is_given_once_per_candidate_and_centre(alice, centre, other_centre, there, riverside_signed):
    first = Evidence.objects.get(centre=centre, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(
            centre=centre, candidate=alice, number=1, title="Copy", method=AssessmentMethod.REFLECTIVE_ACCOUNT,
            activity_date=first.activity_date, created_by=alice,
        )
    Evidence.objects.create(
        centre=other_centre, candidate=alice, number=1, title="Hillside's first",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=first.activity_date, created_by=alice,
    )


def test_the_candidate_sees_each_centres_evidence_under_its_name(client, alice, centre, other_centre, there, riverside_signed):
    _add(alice, other_centre, "Hillside night shift")
    client.force_login(alice)
    page = client.get(reverse("portfolio:evidence_list")).content.decode()
    riverside, hillside = page.index(f"At {centre.name}"), page.index(f"At {other_centre.name}")
    at_hillside = page[hillside:] if hillside > riverside else page[hillside:riverside]
    assert "Hillside night shift" in at_hillside and "Riverside visit" not in at_hillside
    home = client.get(reverse("home")).content.decode()
    assert f"at {other_centre.name}" in home and f"at {centre.name}" in home


def test_a_candidate_at_one_centre_sees_one_list(client, alice, centre, hsc331):
    _add(alice, centre, "Riverside visit")
    client.force_login(alice)
    page = client.get(reverse("portfolio:evidence_list")).content.decode()
    assert "Riverside visit" in page and f"At {centre.name}" not in page
