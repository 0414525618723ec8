"""With every unit at the centre withdrawn or transferred, a draft can be neither submitted nor
mapped, and its pages say so rather than offering what is refused. Outside trial: the draft's page
read "Your assessor sees it once you submit it." beside "You have no unit open…", the submit page
reached by its address showed the declaration and Submit (the post refused with "Map it to a unit
you are still working on", though she had none), and the mapping page offered "Save mapping".

Alice is the candidate on HSC331 and H3 25 at Riverside, Grace the centre's administrator."""

import pytest
from django.urls import reverse

from portfolio.models import Declaration, EvidenceState
from tests.assessments.judging_people import draft, fresh
from tests.portfolio.test_no_open_unit import _text, _withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def shut_draft(alice, grace, hsc331, h3_25):
    evidence = draft(alice, hsc331, title="Phoning a sister")
    _withdraw(hsc331, grace)
    _withdraw(h3_25, grace)
    return evidence


def test_the_drafts_page_says_it_cannot_be_submitted(client, alice, shut_draft):
    client.force_login(alice)
    page = _text(client.get(reverse("assessments:evidence_detail", args=[shut_draft.pk])))

    assert "It cannot be submitted while you have no unit open." in page
    assert "Your assessor sees it once you submit it" not in page


def test_the_submit_page_shows_the_refusal_instead_of_the_form(client, alice, shut_draft):
    client.force_login(alice)
    address = reverse("portfolio:evidence_submit", args=[shut_draft.pk])

    shown = client.get(address)
    sent = client.post(address, {"declared": "on"})

    assert shown.status_code == 200 and sent.status_code == 403
    for response in (shown, sent):
        page = _text(response)
        assert f"{shut_draft.reference} cannot be submitted. You have no unit open at Riverside" in page
        assert "Declaration of authenticity" not in page and "Submit for assessment</button>" not in response.content.decode()
        assert "Map it to a unit you are still working on" not in page
    assert fresh(shut_draft).state == EvidenceState.DRAFT
    assert not Declaration.objects.filter(evidence=shut_draft).exists()


def test_the_mapping_page_offers_no_save_when_every_unit_is_locked(client, alice, shut_draft):
    client.force_login(alice)
    address = reverse("portfolio:evidence_map", args=[shut_draft.pk])

    shown = client.get(address)
    sent = client.post(address, {"criteria": []})

    assert shown.status_code == 200 and sent.status_code == 403
    for response in (shown, sent):
        assert "Save mapping" not in response.content.decode()
        assert "You have no unit open at Riverside" in _text(response)
    assert list(fresh(shut_draft).criteria.values_list("reference", flat=True)) == ["HSC331a.1"]


def test_with_a_unit_still_open_submit_and_save_are_offered(client, alice, grace, hsc331, h3_25):
    evidence = draft(alice, hsc331, title="Phoning a sister")
    _withdraw(hsc331, grace)  # H3 25 is still open
    client.force_login(alice)

    assert "Save mapping" in client.get(reverse("portfolio:evidence_map", args=[evidence.pk])).content.decode()
    assert "Declaration of authenticity" in _text(client.get(reverse("portfolio:evidence_submit", args=[evidence.pk])))
