"""A box of paragraphs takes at most 20,000 characters unless it says otherwise (portfolio/
text_input.py): a 2 MB pasted "account" or witness testimony once made the evidence page hang in the
assessor's browser. The person is told how long it is and what the limit is; nothing is saved."""

import pytest
from django.urls import reverse

from portfolio.models import Evidence
from portfolio.text_input import PARAGRAPHS_MAX_LENGTH, ParagraphsField
from tests.portfolio.test_evidence import form_fields

pytestmark = pytest.mark.django_db


def test_a_written_account_past_the_limit_is_refused_with_its_length_and_nothing_is_saved(client, alice, hsc331):
    client.force_login(alice)
    account = "word " * (PARAGRAPHS_MAX_LENGTH // 5) + "more"

    response = client.post(reverse("portfolio:evidence_create"), form_fields(account=account))

    assert response.status_code == 400  # a refused form, as every form here answers
    page = response.content.decode()
    assert f"This is {len(account):,} characters long; the most this box takes is {PARAGRAPHS_MAX_LENGTH:,}".replace(
        ",", ""
    ) in page.replace(",", "")
    assert not Evidence.objects.filter(candidate=alice).exists()


def test_an_account_at_the_limit_is_kept(client, alice, hsc331):
    client.force_login(alice)
    account = ("word " * (PARAGRAPHS_MAX_LENGTH // 5))[:PARAGRAPHS_MAX_LENGTH - 1] + "."

    client.post(reverse("portfolio:evidence_create"), form_fields(account=account))

    assert Evidence.objects.get(candidate=alice).account == account


def test_a_box_that_says_its_own_limit_keeps_it():
    assert ParagraphsField(max_length=4000).max_length == 4000
    assert ParagraphsField().max_length == PARAGRAPHS_MAX_LENGTH
