"""With every unit at the centre withdrawn or transferred, nothing asks the candidate to change or
submit evidence there (`portfolio.locks.no_open_unit`): the home's "To do" leaves it out, and the
evidence page offers no Change, Map or Submit but says why. Outside trial: the To do still said
"E1 … change it and submit it again" and "E2 … is a draft: submit it for assessment", and E1
offered "Submit again", refused with "Map it to a unit you are still working on".

Alice is the candidate on HSC331 and H3 25 at Riverside, Bob her assessor, Grace the centre's
administrator (tests/cast.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.services import judging
from portfolio.models import EvidenceState
from portfolio.services_enrolments import enrolment_withdraw
from tests.assessments.judging_people import draft, fresh, submitted
from tests.portfolio.test_no_open_unit import _text

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(alice, bob, hsc331):
    referred = submitted(alice, hsc331, title="Planning a visit")
    judging.evidence_refer_back(evidence=referred, assessor=bob, feedback="Say who decided.")
    return {"referred": fresh(referred), "draft": draft(alice, hsc331, title="Phoning a sister")}


def _withdraw(enrolment, grace) -> None:
    """Withdrawn today: the evidence was referred back today, and a withdrawal is not dated before
    the last decision on the unit (`portfolio/last_decision.py`)."""
    enrolment_withdraw(enrolment=enrolment, effective_date=timezone.localdate(), reason="Left the job.", changed_by=grace)


def _actions(evidence) -> list[str]:
    return [
        reverse("portfolio:evidence_edit", args=[evidence.pk]),
        reverse("portfolio:evidence_map", args=[evidence.pk]),
        reverse("portfolio:evidence_submit", args=[evidence.pk]),
    ]


def test_the_home_asks_nothing_of_evidence_it_cannot_take(client, alice, grace, hsc331, h3_25, alices):
    _withdraw(hsc331, grace)
    _withdraw(h3_25, grace)
    client.force_login(alice)
    response = client.get(reverse("home"))

    page, html = _text(response), response.content.decode()
    assert "You have no unit open at Riverside" in page
    assert "change it and submit it again" not in page
    assert "is a draft" not in page and "submit it for assessment" not in page
    assert reverse("portfolio:evidence_submit", args=[alices["draft"].pk]) not in html


@pytest.mark.parametrize("which", ["referred", "draft"])
def test_the_evidence_page_offers_no_change_map_or_submit_and_says_why(client, alice, grace, hsc331, h3_25, alices, which):
    _withdraw(hsc331, grace)
    _withdraw(h3_25, grace)
    evidence = alices[which]
    client.force_login(alice)
    response = client.get(reverse("assessments:evidence_detail", args=[evidence.pk]))

    page, html = _text(response), response.content.decode()
    assert "You have no unit open at Riverside" in page
    for address in _actions(evidence):
        assert f'href="{address}"' not in html
    assert "Submit again" not in page and "Submit for assessment" not in page
    assert "then submit it again" not in page
    assert fresh(evidence).state == (EvidenceState.REFERRED if which == "referred" else EvidenceState.DRAFT)


def test_with_a_unit_still_open_the_todo_and_buttons_stay(client, alice, grace, hsc331, h3_25, alices):
    _withdraw(hsc331, grace)  # H3 25 is still open at Riverside
    client.force_login(alice)

    page = _text(client.get(reverse("home")))
    assert "change it and submit it again" in page and "is a draft" in page
    html = client.get(reverse("assessments:evidence_detail", args=[alices["referred"].pk])).content.decode()
    assert f'href="{reverse("portfolio:evidence_submit", args=[alices["referred"].pk])}"' in html
