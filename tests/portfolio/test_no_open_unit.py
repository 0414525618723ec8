"""A candidate whose units at the centre are all withdrawn or transferred has nothing evidence could
be mapped to, and nobody can unlock such a unit (only the centre can reinstate it). Outside trial:
the home still offered "Add evidence", the draft landed on a mapping page saying "Locked: signed
off on . … until your assessor unlocks it", and it could never be submitted.

Alice is the candidate on HSC331 and H3 25 at Riverside, Bob her assessor, Grace the centre's
administrator (tests/cast.py)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import dates, services
from portfolio.errors import PortfolioError
from portfolio.models import Evidence
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from standards.models import Criterion
from tests.assessments.judging_people import draft, last_week

pytestmark = pytest.mark.django_db

NEW = reverse("portfolio:evidence_create")
FIELDS = {"title": "Planning a visit", "method": "reflective_account", "activity_date": last_week().isoformat(),
          "location": "Day centre", "account": "I helped Person A plan a visit."}


def _on() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=3)


def _withdraw(enrolment, grace) -> None:
    enrolment_withdraw(enrolment=enrolment, effective_date=_on(), reason="Left the job.", changed_by=grace)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_mapping_page_says_the_unit_was_withdrawn_on_its_date_not_signed_off(client, alice, grace, hsc331, h3_25):
    evidence = draft(alice, hsc331)
    _withdraw(hsc331, grace)
    enrolment_transfer(enrolment=h3_25, to_centre="Hillside College", effective_date=_on(), reason="Moved.",
                       changed_by=grace)
    client.force_login(alice)

    page = _text(client.get(reverse("portfolio:evidence_map", args=[evidence.pk])))

    assert f"Locked: withdrawn on {dates.day(_on())}, so evidence can no longer be mapped to it" in page
    assert f"Locked: transferred on {dates.day(_on())}, so evidence can no longer be mapped to it" in page
    assert "signed off on" not in page and "assessor unlocks" not in page
    assert "Only the centre can reinstate it." in page


def test_with_every_unit_withdrawn_the_home_says_why_instead_of_offering_add_evidence(client, alice, grace, hsc331, h3_25):
    _withdraw(hsc331, grace)
    _withdraw(h3_25, grace)
    client.force_login(alice)

    home = client.get(reverse("home")).content.decode()

    assert f'href="{NEW}"' not in home
    assert "You have no unit open at Riverside" in _text(client.get(reverse("home")))
    assert f"HSC331 was withdrawn on {dates.day(_on())}" in _text(client.get(reverse("home")))
    listed = client.get(reverse("portfolio:evidence_list"))
    assert f'href="{NEW}"' not in listed.content.decode() and "You have no unit open at Riverside" in _text(listed)


def test_the_add_evidence_page_reached_by_its_address_refuses_and_keeps_nothing(client, alice, grace, hsc331, h3_25):
    _withdraw(hsc331, grace)
    _withdraw(h3_25, grace)
    client.force_login(alice)

    shown = client.get(NEW)
    sent = client.post(NEW, FIELDS)

    assert shown.status_code == 200 and sent.status_code == 403
    for response in (shown, sent):
        page = _text(response)
        assert "No evidence can be added now" in page and "You have no unit open at Riverside" in page
        assert 'name="title"' not in response.content.decode()
    assert not Evidence.objects.exists()
    with pytest.raises(PortfolioError, match="Alice Adams has no unit open at Riverside"):
        services.evidence_create(candidate=alice, centre=hsc331.centre, author=alice, title="Visit",
                                 method="reflective_account", activity_date=last_week(), account="I helped.")


def test_with_one_unit_open_and_one_withdrawn_evidence_is_added_and_mapped_to_the_open_one_only(
    client, alice, grace, hsc331, h3_25
):
    _withdraw(h3_25, grace)
    client.force_login(alice)
    assert f'href="{NEW}"' in client.get(reverse("home")).content.decode()

    location = client.post(NEW, FIELDS)["Location"]
    evidence = Evidence.objects.get()
    assert location.startswith(reverse("portfolio:evidence_map", args=[evidence.pk]))
    assert f"Locked: withdrawn on {dates.day(_on())}" in _text(client.get(location))

    open_one = Criterion.objects.filter(unit=hsc331.unit).first()
    closed_one = Criterion.objects.filter(unit=h3_25.unit).first()
    with pytest.raises(PortfolioError, match=f"H3 25 was withdrawn on {dates.day(_on())} and is locked"):
        services.evidence_map(evidence=evidence, editor=alice, criteria=[open_one, closed_one], knowledge_items=[],
                              scope_items=[])
    services.evidence_map(evidence=evidence, editor=alice, criteria=[open_one], knowledge_items=[], scope_items=[])
    assert list(evidence.criteria.all()) == [open_one]
