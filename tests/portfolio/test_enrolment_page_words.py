"""An outside trial of the administrator's enrolment page and of how a unit's state is said:

- a deactivated candidate's unit not signed off read "nobody works on it" on the administrator's
  home, "In progress" on the centre page and the unit page, and "Standing: Active" here;
- "Standing: Active" of a finished unit read as if it were still being worked on;
- a withdrawn or transferred enrolment's actions simply disappeared, with no word why;
- "Change the IQA" was offered with no other IQA who may take the unit, leading to a dead end.

Bob assesses Alice's HSC331 at Riverside, Carol quality-assures it; Dave is another candidate;
Grace administers Riverside."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.services_enrolments import enrolment_withdraw
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import countersigned_by_the_iqa
from tests.factories import enrol
from tests.portfolio.test_enrolment_admin_trial import url, words

pytestmark = pytest.mark.django_db

PAUSED = "In progress, paused candidate deactivated: nobody works on it"


def test_a_deactivated_candidates_unit_not_signed_off_is_paused_on_every_page(client, centre, grace, dave, bob, carol):
    daves = enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left.")

    client.force_login(grace)
    assert PAUSED in words(client.get(reverse("assessments:centre_detail", args=[centre.pk])))
    assert f"Standing Active · {PAUSED}" in words(client.get(url("manage", daves)))
    client.force_login(bob)
    unit_page = words(client.get(reverse("assessments:enrolment_detail", args=[daves.pk])))
    assert "In progress, paused Candidate deactivated: nobody works on it" in unit_page


def test_the_standing_of_an_active_unit_says_where_it_stands(client, grace, hsc331, h3_25):
    countersigned_by_the_iqa(hsc331)
    client.force_login(grace)

    finished = words(client.get(url("manage", hsc331)))
    assert "Standing Active · IQA countersigned completed" in finished
    assert "when the IQA countersigned" in finished
    assert "Standing Active · In progress" in words(client.get(url("manage", h3_25)))


def test_a_withdrawn_enrolment_says_why_nothing_but_reinstating_is_offered(client, grace, hsc331):
    enrolment_withdraw(enrolment=hsc331, effective_date=timezone.localdate(), reason="Left care work.", changed_by=grace)
    client.force_login(grace)

    page = words(client.get(url("manage", hsc331)))
    assert ("Some changes cannot be made to this enrolment: Alice Adams’s HSC331 is withdrawn, so its assessor, IQA and target date "
            "cannot be changed, and it cannot be withdrawn or transferred. Reinstate it first") in page
    assert "Reinstate" in page and "Change the IQA" not in page


def test_with_no_other_iqa_who_may_take_the_unit_the_page_says_so_instead_of_offering_it(client, grace, erin, hsc331):
    client.force_login(grace)

    response = client.get(url("manage", hsc331))
    page = words(response)
    assert reverse("portfolio:enrolment_iqa", args=[hsc331.pk]) not in response.content.decode()
    assert ("There is no other IQA at Riverside Training who may take this unit over (not its assessor, nor anyone "
            "who assessed it: nobody quality-assures their own decisions), so its IQA cannot be changed.") in page
    assert "Change the assessor" in page  # Erin may take it over
