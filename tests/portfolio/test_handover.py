"""Handing over all of an assessor's (or IQA's) units at a centre at once (issue 16, tester's
finding): each unit changed as on its own page (history, audit event, the people told), in one
transaction, all or nothing, with one summary message.

Bob assesses Alice's HSC331 and H3 25 and Dave's HSC331 at Riverside, Carol quality-assures them;
Erin is another assessor and Ivan another IQA there; Grace administers Riverside, Frank Hillside."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import QualityReview, SignOff
from assessments.services import iqa
from assessments.services.signoff import unit_unlock
from portfolio.audit import PortfolioAction
from portfolio.errors import PortfolioError
from portfolio.models import (
    AuditEvent,
    DeactivatedMembership,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Membership,
    Notification,
    PreparedEnrolment,
    Role,
)
from portfolio.services_centre import Refused, person_add
from portfolio.services_centre_invitations import enrolment_prepare
from portfolio.services_handover import units_hand_over
from standards.models import Unit
from tests.assessments.quality_records import (
    countersigned_by_the_iqa,
    sign_off,
    signed_off_through_the_services,
)
from tests.factories import enrol, member, put_on_case

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def bobs_units(centre, alice, dave, bob, carol, hsc331, h3_25):
    return [hsc331, h3_25, enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)]


def url(centre, person):
    return reverse("portfolio:person_handover", args=[centre.pk, person.pk])


def test_all_of_an_assessors_active_units_go_to_another_assessor_in_one_go(
    client, grace, centre, bob, erin, bobs_units
):
    withdrawn = bobs_units[2]
    Enrolment.objects.filter(pk=withdrawn.pk).update(status=EnrolmentStatus.WITHDRAWN)
    client.force_login(grace)

    page = text_of(client.get(url(centre, bob)))
    assert "As assessor: 2 active units" in page
    assert "As IQA: 0 active units" in page

    response = client.post(url(centre, bob), {
        "role": "assessor", "assessor-person": erin.pk, "assessor-reason": "Bob has left the centre.",
    }, follow=True)

    assert "Erin Evans is now the assessor of 2 units in place of Bob Baker." in text_of(response)
    assert {e.pk: e.assessor for e in Enrolment.objects.all()} == {
        bobs_units[0].pk: erin, bobs_units[1].pk: erin, withdrawn.pk: bob,
    }
    changes = EnrolmentChange.objects.filter(kind="assessor")
    assert sorted(c.enrolment_id for c in changes) == sorted([bobs_units[0].pk, bobs_units[1].pk])
    assert {(c.from_person, c.to_person, c.reason) for c in changes} == {(bob, erin, "Bob has left the centre.")}
    assert AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_ASSESSOR_CHANGED).count() == 2
    assert Notification.objects.filter(recipient=erin).count() == 2
    assert Notification.objects.filter(recipient=bob).count() == 2


def test_one_unit_the_new_person_may_not_take_changes_nothing_and_is_named(
    client, grace, centre, alice, dave, carol, ivan, bobs_units
):
    # Ivan is also an assessor, and assesses Dave's unit: he cannot quality-assure it.
    Membership.objects.create(person=ivan, centre=centre, role=Role.ASSESSOR)
    put_on_case(bobs_units[2].pk, assessor=ivan)
    client.force_login(grace)

    response = client.post(url(centre, carol), {
        "role": "iqa", "iqa-person": ivan.pk, "iqa-reason": "Carol is on long leave.",
    })

    page = text_of(response)
    assert response.status_code == 400
    assert "Dave Davies’s HSC331: Ivan Ives is this unit's assessor, and nobody quality-assures their own " \
           "decisions." in page
    assert set(Enrolment.objects.values_list("iqa", flat=True)) == {carol.pk}
    assert not EnrolmentChange.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_someone_without_the_role_and_a_missing_reason(centre, grace, bob, alice, bobs_units):
    with pytest.raises(Refused, match="Alice Adams is not an assessor at Riverside"):
        units_hand_over(centre=centre, role="assessor", from_person=bob, to_person=alice, reason="Left.",
                        changed_by=grace)
    erin = member(centre, Role.ASSESSOR, first_name="Erin", last_name="Else")
    with pytest.raises(Refused, match="Give the reason"):
        units_hand_over(centre=centre, role="assessor", from_person=bob, to_person=erin, reason=" ", changed_by=grace)
    assert not EnrolmentChange.objects.exists()


def test_the_person_page_offers_the_handover_to_assessors_and_iqas_only(client, grace, centre, alice, bob, bobs_units):
    client.force_login(grace)

    assert "Hand over their units" in text_of(client.get(reverse("portfolio:person_detail", args=[centre.pk, bob.pk])))
    assert "Hand over their units" not in text_of(
        client.get(reverse("portfolio:person_detail", args=[centre.pk, alice.pk]))
    )


def test_another_centres_administrator_finds_nothing(client, frank, centre, bob, erin, bobs_units):
    client.force_login(frank)

    assert client.get(url(centre, bob)).status_code == 404
    response = client.post(url(centre, bob), {"role": "assessor", "assessor-person": erin.pk, "assessor-reason": "x"})
    assert response.status_code == 404
    assert not EnrolmentChange.objects.exists()


# Registrations waiting for an invited candidate to accept ----------------------------------------


@pytest.fixture
def nias_registration(centre, grace, bob, carol):
    """Nia, invited as a candidate and not yet accepted, registered on HSC331 with Bob and Carol."""
    invitation = person_add(centre=centre, added_by=grace, email="nia@example.org", first_name="Nia",
                            last_name="Newton", role=Role.CANDIDATE)
    today = timezone.localdate()
    return enrolment_prepare(
        invitation=invitation, prepared_by=grace, unit=Unit.objects.get(code="HSC331", version=1), assessor=bob,
        iqa=carol, start_date=today, target_date=today + datetime.timedelta(days=120),
    )


def test_a_handover_moves_the_registrations_waiting_for_acceptance_too(
    client, grace, centre, bob, erin, bobs_units, nias_registration
):
    client.force_login(grace)
    page = text_of(client.get(url(centre, bob)))
    assert "As assessor: 3 active units" in page
    assert "Also named on 1 registration waiting for an invited candidate to accept" in page
    assert "Nia Newton (invited, not yet accepted)" in page
    assert "Hand over 3 units and 1 waiting registration as assessor" in page

    response = client.post(url(centre, bob), {
        "role": "assessor", "assessor-person": erin.pk, "assessor-reason": "Bob has left the centre.",
    }, follow=True)

    assert ("Erin Evans is now the assessor of 3 units and 1 registration waiting for its candidate to accept "
            "in place of Bob Baker.") in text_of(response)
    assert PreparedEnrolment.objects.get(pk=nias_registration.pk).assessor == erin
    event = AuditEvent.objects.get(action=PortfolioAction.ENROLMENT_PREPARED_CHANGED)
    assert event.actor == grace and event.after["reason"] == "Bob has left the centre."
    assert "Nia Newton on HSC331 handed over before acceptance" in event.summary


def test_a_handover_of_only_waiting_registrations_moves_them(client, grace, centre, carol, ivan, nias_registration):
    client.force_login(grace)
    assert "Hand over 1 waiting registration as IQA" in text_of(client.get(url(centre, carol)))
    response = client.post(url(centre, carol), {
        "role": "iqa", "iqa-person": ivan.pk, "iqa-reason": "Carol is on long leave.",
    }, follow=True)
    assert ("Ivan Ives is now the IQA of 1 registration waiting for its candidate to accept in place of "
            "Carol Clark.") in text_of(response)
    assert PreparedEnrolment.objects.get(pk=nias_registration.pk).iqa == ivan


def test_a_waiting_registration_the_new_person_may_not_take_changes_nothing(
    client, grace, centre, bob, carol, bobs_units, nias_registration
):
    # Carol quality-assures Nia's registration: she cannot assess it too.
    Membership.objects.create(person=carol, centre=centre, role=Role.ASSESSOR)
    client.force_login(grace)
    response = client.post(url(centre, bob), {
        "role": "assessor", "assessor-person": carol.pk, "assessor-reason": "Bob has left.",
    })
    assert response.status_code == 400
    assert "Nia Newton’s HSC331 (waiting for them to accept)" in text_of(response)
    assert PreparedEnrolment.objects.get(pk=nias_registration.pk).assessor == bob
    assert set(Enrolment.objects.values_list("assessor", flat=True)) == {bob.pk}


def test_an_assessors_signed_off_unit_stays_with_them_as_the_record_of_who_signed_it(
    client, grace, centre, bob, erin, bobs_units
):
    """Issue 16: a handover moved signed-off units too, and their new assessor could then unlock
    them, voiding a sign-off they never made. The page counts what leaving counts."""
    signed = bobs_units[0]
    sign_off(signed)
    client.force_login(grace)

    page = text_of(client.get(url(centre, bob)))
    assert "As assessor: 2 active units not yet signed off" in page
    assert "1 signed-off unit stays with Bob Baker, not handed over" in page
    assert "Hand over 2 units as assessor" in page
    assert "Bob Baker assesses 2 units not yet signed off here" in text_of(
        client.get(reverse("portfolio:person_deactivate", args=[centre.pk, bob.pk]))
    )

    response = client.post(url(centre, bob), {
        "role": "assessor", "assessor-person": erin.pk, "assessor-reason": "Bob has left the centre.",
    }, follow=True)

    assert "Erin Evans is now the assessor of 2 units in place of Bob Baker." in text_of(response)
    assert ("has been told. 1 signed-off unit stays with Bob Baker, not handed over: their name on it is the record "
            "of who signed it off.") in text_of(response)
    assert {e.pk: e.assessor for e in Enrolment.objects.all()} == {
        signed.pk: bob, bobs_units[1].pk: erin, bobs_units[2].pk: erin,
    }
    with pytest.raises(PortfolioError, match="Only the assessor or the IQA"):
        unit_unlock(enrolment=Enrolment.objects.get(pk=signed.pk), person=erin, reason="Not mine to unlock.")
    assert SignOff.objects.get(enrolment=signed).voided_at is None


def test_with_only_signed_off_units_left_there_is_nothing_to_hand_over_as_assessor(
    client, grace, centre, bob, erin, carol, ivan, hsc331
):
    sign_off(hsc331)
    client.force_login(grace)
    page = text_of(client.get(url(centre, bob)))
    assert "As assessor: 0 active units not yet signed off" in page
    assert "1 signed-off unit stays with Bob Baker" in page
    assert "Bob Baker is the assessor of no active unit not yet signed off here" in page
    with pytest.raises(Refused, match="no active unit not yet signed off here: there is nothing to hand over"):
        units_hand_over(centre=centre, role="assessor", from_person=bob, to_person=erin, reason="Left.", changed_by=grace)
    # An IQA's work is not done at sign-off: a signed-off unit they have not countersigned moves.
    handover = units_hand_over(centre=centre, role="iqa", from_person=carol, to_person=ivan, reason="Left.", changed_by=grace)
    assert [change.enrolment_id for change in handover.changes] == [hsc331.pk]


# An IQA's units: those an IQA has countersigned stay with them, as an assessor's signed-off ones do.


def words(response) -> str:
    return " ".join(text_of(response).split())


def iqa_section(response) -> str:
    page = text_of(response)
    section = page[page.index('id="handover-iqa"'):]
    return " ".join(re.sub(r"<[^>]+>", " ", section[:section.index("</section>")]).split())


@pytest.fixture
def carols_units(centre, alice, dave, bob, carol, hsc331, h3_25):
    """Carol is the IQA of Alice's HSC331, which she has countersigned; of Alice's H3 25, signed off
    and waiting for her review; of Dave's HSC331, in progress; and of Dave's H3 25, which she
    referred back to Bob."""
    countersigned_by_the_iqa(hsc331)
    signed_off_through_the_services(h3_25)
    referred = enrol(dave, "H3 25", assessor=bob, iqa=carol, centre=centre)
    signed_off_through_the_services(referred)
    iqa.sample_add(iqa=carol, enrolments=[referred])
    iqa.review_record(review_or_enrolment=referred, iqa=carol, outcome="referred", actions="Cite the observation.")
    in_progress = enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return {"countersigned": hsc331, "signed off": h3_25, "in progress": in_progress, "referred": referred}


def test_an_iqas_countersigned_unit_stays_with_them_and_the_rest_move(client, grace, centre, carol, ivan, carols_units):
    """Tester's finding: the IQA handover moved the units Carol had countersigned to Ivan, so her
    countersignature seemed his."""
    client.force_login(grace)

    section = iqa_section(client.get(url(centre, carol)))
    assert "As IQA: 3 active units not yet countersigned by an IQA" in section
    assert ("1 IQA-countersigned unit stays with Carol Clark, not handed over: their name on it is the record of "
            "who quality-assured it.") in section
    assert "Alice Adams · H3 25" in section and "Dave Davies · HSC331" in section and "Dave Davies · H3 25" in section
    assert "Alice Adams · HSC331" not in section
    assert "Hand over 3 units as IQA" in section

    response = client.post(url(centre, carol), {
        "role": "iqa", "iqa-person": ivan.pk, "iqa-reason": "Carol has left the centre.",
    }, follow=True)

    assert ("Ivan Ives is now the IQA of 3 units in place of Carol Clark. Each unit’s history records it, and "
            "everyone concerned has been told. 1 IQA-countersigned unit stays with Carol Clark, not handed over: "
            "their name on it is the record of who quality-assured it.") in words(response)
    assert {name: Enrolment.objects.get(pk=e.pk).iqa for name, e in carols_units.items()} == {
        "countersigned": carol, "signed off": ivan, "in progress": ivan, "referred": ivan,
    }
    assert sorted(EnrolmentChange.objects.filter(kind="iqa").values_list("enrolment_id", flat=True)) == sorted(
        e.pk for name, e in carols_units.items() if name != "countersigned"
    )
    assert not Notification.objects.filter(recipient=ivan, message__contains="Alice Adams’s HSC331").exists()
    # Nothing is left for Carol to hand over as IQA, and the page says what stays.
    section = iqa_section(client.get(url(centre, carol)))
    assert "As IQA: 0 active units not yet countersigned by an IQA" in section
    assert "Carol Clark is the IQA of no active unit not yet countersigned by an IQA here" in section
    assert "1 IQA-countersigned unit stays with Carol Clark" in section


def test_an_iqa_whose_units_are_all_countersigned_is_deactivated_without_a_handover(
    client, grace, centre, carol, ivan, hsc331
):
    countersigned_by_the_iqa(hsc331)
    with pytest.raises(Refused, match="no active unit not yet countersigned by an IQA here: there is nothing to hand over"):
        units_hand_over(centre=centre, role="iqa", from_person=carol, to_person=ivan, reason="Left.", changed_by=grace)
    client.force_login(grace)
    deactivate = reverse("portfolio:person_deactivate", args=[centre.pk, carol.pk])

    confirm = words(client.get(deactivate))
    assert "Reassign" not in confirm and "Hand over their units" not in confirm
    assert ("1 IQA-countersigned unit stays with Carol Clark, not handed over: their name on it is the record of "
            "who quality-assured it.") in confirm
    assert "Deactivate Carol Clark</button>" in confirm

    response = client.post(deactivate, {"reason": "Left the centre."}, follow=True)

    assert "Carol Clark is deactivated" in words(response)
    assert DeactivatedMembership.objects.filter(person=carol, centre=centre).exists()
    assert Enrolment.objects.get(pk=hsc331.pk).iqa == carol
    assert QualityReview.objects.get(enrolment=hsc331, outcome="countersigned").iqa == carol


def test_an_iqa_is_refused_deactivation_for_the_units_still_needing_them_only(
    client, grace, centre, carol, ivan, carols_units
):
    client.force_login(grace)
    deactivate = reverse("portfolio:person_deactivate", args=[centre.pk, carol.pk])
    assert ("Carol Clark quality-assures 3 units not yet countersigned by an IQA here. Reassign them to another "
            "internal quality assurer first, then deactivate them.") in words(client.get(deactivate))
    assert not DeactivatedMembership.objects.exists()

    units_hand_over(centre=centre, role="iqa", from_person=carol, to_person=ivan, reason="Left.", changed_by=grace)

    assert "1 IQA-countersigned unit stays with Carol Clark" in words(client.get(deactivate))
    client.post(deactivate, {"reason": "Left the centre."})
    assert DeactivatedMembership.objects.filter(person=carol, centre=centre).exists()
