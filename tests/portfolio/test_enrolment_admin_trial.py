"""An outside tester's findings on the administrator's enrolment page (demo centre, Grace): a
deactivated candidate's enrolment not marked so, and its change-assessor sentence dropping them
from who is told unexplained; a typed address of a withdrawn unit's change form showing the form;
the reinstate form offering as IQA someone who assessed the unit; a finished unit offering
Withdraw, Record a transfer and Change the assessor, and the change's flash naming nobody.

Bob assesses Alice's HSC331 at Riverside, Carol quality-assures it; Erin is another assessor and
Ivan another IQA there; Grace administers Riverside."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import EnrolmentChange, EnrolmentStatus, Membership, Role
from portfolio.services_enrolments import enrolment_reassign, enrolment_withdraw
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import countersigned_by_the_iqa
from tests.factories import enrol

pytestmark = pytest.mark.django_db

CHANGES = ["assessor", "iqa", "target_date", "withdraw", "transfer"]


def words(response) -> str:
    """The page's text as a reader reads it, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode().replace("&#x27;", "'")).split())


def url(name: str, enrolment) -> str:
    return reverse(f"portfolio:enrolment_{name}" if name != "manage" else "portfolio:enrolment_manage",
                   args=[enrolment.pk])


def has_form(response) -> bool:
    return 'name="reason"' in response.content.decode()


# 1. A deactivated candidate's enrolment


def test_a_deactivated_candidates_enrolment_is_marked_and_the_change_says_they_are_not_told(
    client, centre, grace, alice, bob, carol, erin, hsc331
):
    membership_deactivate(centre=centre, person=alice, deactivated_by=grace, reason="Left the centre.")
    client.force_login(grace)

    page = words(client.get(url("manage", hsc331)))
    assert "HSC331 Alice Adams (deactivated)" in page
    assert "Candidate Alice Adams (deactivated)" in page
    assert "Alice Adams is deactivated here, so nobody works on the unit and they are not told" in page

    form = words(client.get(url("assessor", hsc331)))
    assert ("Bob Baker is the assessor now. Whoever you choose is told, and so is Bob Baker "
            "(Alice Adams is deactivated here, so is not told); what Bob Baker recorded keeps their name.") in form


# 2. A change the enrolment refuses, asked for by its address


@pytest.mark.parametrize("change", CHANGES)
def test_a_withdrawn_units_change_page_says_why_not_with_the_way_back_instead_of_the_form(
    client, grace, alice, bob, carol, erin, ivan, hsc331, change
):
    enrolment_withdraw(enrolment=hsc331, effective_date=timezone.localdate(), reason="Left her job.", changed_by=grace)
    client.force_login(grace)

    response = client.get(url(change, hsc331))

    assert response.status_code == 200
    assert "Alice Adams’s HSC331 is withdrawn, so " in words(response)
    assert "Reinstate it first if the candidate is carrying on with it here." in words(response)
    assert not has_form(response)
    assert f'href="{url("manage", hsc331)}"' in response.content.decode() and "Back to the enrolment" in words(response)

    sent = client.post(url(change, hsc331), {"person": erin.pk, "reason": "r", "effective_date": "2020-01-01",
                                             "to_centre": "Hillside", "target_date": "2030-01-01"})

    assert sent.status_code == 400 and "is withdrawn, so " in words(sent) and not has_form(sent)
    hsc331.refresh_from_db()
    assert (hsc331.status, hsc331.assessor) == (EnrolmentStatus.WITHDRAWN, bob)
    assert EnrolmentChange.objects.filter(enrolment=hsc331).count() == 1  # the withdrawal only


def test_an_active_units_reinstate_page_says_there_is_nothing_to_reinstate(client, grace, hsc331):
    client.force_login(grace)
    response = client.get(url("reinstate", hsc331))
    assert "Alice Adams’s HSC331 is active: there is nothing to reinstate." in words(response)
    assert not has_form(response)


# 3. Reinstating offers as IQA only those the rule accepts


def test_reinstating_offers_as_iqa_nobody_who_assessed_the_unit(client, centre, grace, alice, bob, carol, erin,
                                                                  ivan, hsc331):
    Membership.objects.create(person=erin, centre=centre, role=Role.IQA)  # Erin is an IQA here too
    Membership.objects.create(person=bob, centre=centre, role=Role.IQA)  # and so is Bob
    enrolment_reassign(enrolment=hsc331, role="assessor", person=erin, reason="Bob moved team.", changed_by=grace)
    enrolment_withdraw(enrolment=hsc331, effective_date=timezone.localdate(), reason="Left her job.", changed_by=grace)
    client.force_login(grace)

    form = client.get(url("reinstate", hsc331)).context["form"]

    offered = list(form.fields["iqa"].queryset)
    assert carol in offered and ivan in offered
    assert bob not in offered and erin not in offered  # Bob assessed it before, Erin assesses it
    assert "nor anyone who assessed this unit" in form.fields["iqa"].help_text


# 4. A finished unit: signed off, countersigned by the candidate and by the IQA


@pytest.fixture
def finished(hsc331):
    countersigned_by_the_iqa(hsc331)
    return hsc331


def test_a_finished_unit_offers_no_withdrawal_transfer_new_assessor_iqa_or_target_date_and_says_why(
    client, grace, erin, finished
):
    client.force_login(grace)

    page = client.get(url("manage", finished))

    text = words(page)
    for offer in ("Withdraw", "Record a transfer", "Change the assessor", "Change the IQA", "Change the target date"):
        assert f">{offer}<" not in page.content.decode()
    assert "Some changes cannot be made to this enrolment:" in text
    assert "HSC331 is signed off, so it is not withdrawn: its signed record is what the centre claims." in text
    assert "and Bob Baker is still an assessor here: the unit keeps them, as the record of who signed it off" in text
    assert "and Carol Clark is still an IQA here: the unit keeps them, as the record of who quality-assured it" in text
    assert "so its target date stays as it was: it shows whether the unit was completed on time" in text


@pytest.mark.parametrize("change", CHANGES)
def test_a_finished_units_change_pages_are_refused_by_address_too(client, grace, bob, erin, ivan, finished, change):
    client.force_login(grace)
    assert not has_form(client.get(url(change, finished)))
    sent = client.post(url(change, finished), {"person": (ivan if change == "iqa" else erin).pk, "reason": "r",
                                               "effective_date": timezone.localdate().isoformat(),
                                               "to_centre": "Hillside", "target_date": "2030-01-01"})
    assert sent.status_code == 400
    finished.refresh_from_db()
    assert finished.assessor == bob and finished.status == EnrolmentStatus.ACTIVE
    assert not EnrolmentChange.objects.filter(enrolment=finished).exists()


def test_once_its_assessor_has_left_a_finished_unit_may_be_given_another_and_the_flash_names_who_was_told(
    client, centre, grace, alice, bob, carol, erin, finished
):
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")
    client.force_login(grace)
    assert "Change the assessor" in words(client.get(url("manage", finished)))

    response = client.post(url("assessor", finished), {"person": erin.pk, "reason": "Bob has left."}, follow=True)

    assert ("Erin Evans is now the assessor of Alice Adams’s HSC331, in place of Bob Baker. "
            "Erin Evans and Alice Adams have been told.") in words(response)


def test_a_deactivated_candidates_open_unit_offers_every_change(client, centre, grace, dave, bob, carol, erin, ivan):
    # Erin and Ivan may take it over: with no other assessor or IQA, the page says so instead.
    daves = enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left.")
    client.force_login(grace)
    page = words(client.get(url("manage", daves)))
    for offer in ("Withdraw", "Record a transfer", "Change the assessor", "Change the IQA", "Change the target date"):
        assert offer in page
    assert "Some changes cannot be made" not in page
