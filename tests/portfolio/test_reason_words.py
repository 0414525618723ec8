"""A reason left empty is asked for in the product's words, not Django's "This field is required."
(tester's finding): the enrolment's changes, a handover, unlocking a unit and withdrawing a decision."""

import pytest
from django.urls import reverse

from assessments.forms.decisions import WithdrawForm
from assessments.forms.signoff import UnlockForm
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db


def test_an_empty_reason_on_an_enrolment_change_is_asked_for_in_plain_words(client):
    case = build_case()
    client.force_login(case.grace)

    response = client.post(reverse("portfolio:enrolment_target_date", args=[case.hsc331.pk]),
                           {"target_date": "2099-01-01", "reason": "  "})

    page = response.content.decode().replace("&#x27;", "'")
    assert "Say why: the reason is kept with the enrolment's history and told to the people on the case." in page
    assert "This field is required." not in page


@pytest.mark.parametrize(("form", "words"), [
    (UnlockForm, "Say why the unit must be unlocked"), (WithdrawForm, "Say why the decision is withdrawn"),
])
def test_the_other_reasons_say_why_they_are_asked(form, words):
    bound = form({"reason": ""})
    assert not bound.is_valid()
    assert words in bound.errors["reason"][0]
