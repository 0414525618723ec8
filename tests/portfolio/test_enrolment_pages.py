"""The administrator's enrolment page and its forms (issue 16 item 2), and how a withdrawn or
transferred enrolment shows wherever it is listed: the centre page, the candidate's home, the
assessor's and IQA's lists (which stop asking for it) and the unit's own page (read-only).

Alice is on HSC331 and H3 25 at Riverside, with Bob as assessor and Carol as IQA; Erin is another
assessor there; Grace administers Riverside."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import EnrolmentStatus
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def page(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def withdraw(case, enrolment=None):
    enrolment_withdraw(enrolment=enrolment or case.hsc331, effective_date=timezone.localdate(),
                       reason="Alice has left her job in care.", changed_by=case.grace)


def test_the_centre_page_links_each_enrolment_to_its_page(case, client):
    centre_page = page(client, case.grace, reverse("assessments:centre_detail", args=[case.centre.pk]))
    assert reverse("portfolio:enrolment_manage", args=[case.hsc331.pk]) in centre_page
    manage = page(client, case.grace, reverse("portfolio:enrolment_manage", args=[case.hsc331.pk]))
    assert "Bob Baker" in manage and "Change the assessor" in manage
    assert "Nothing has been changed since the enrolment was registered." in manage


def test_changing_the_assessor_on_the_page_shows_in_its_history_and_the_units_audit_trail(case, client):
    client.force_login(case.grace)
    form = page(client, case.grace, reverse("portfolio:enrolment_assessor", args=[case.hsc331.pk]))
    assert "Erin Evans" in form and "Alice Adams (alice" not in form  # the candidate is not offered

    response = client.post(reverse("portfolio:enrolment_assessor", args=[case.hsc331.pk]),
                           {"person": case.erin.pk, "reason": "Bob has left the centre."}, follow=True)

    text = response.content.decode()
    # Who was told, by name, as a withdrawal says it (not "Everyone concerned": an outside trial).
    assert ("Erin Evans is now the assessor of Alice Adams’s HSC331, in place of Bob Baker. "
            "Erin Evans, Bob Baker and Alice Adams have been told.") in text
    assert "Assessor changed" in text and "Bob has left the centre." in text
    unit = page(client, case.grace, reverse("assessments:enrolment_detail", args=[case.hsc331.pk]))
    assert "Grace Gordon changed the assessor of HSC331 from Bob Baker to Erin Evans" in unit


def test_a_refused_change_comes_back_saying_why_beside_the_field(case, client):
    client.force_login(case.grace)
    response = client.post(reverse("portfolio:enrolment_iqa", args=[case.hsc331.pk]),
                           {"person": case.bob.pk, "reason": "Why not."})
    assert response.status_code == 400
    assert "Choose one of this centre&#x27;s IQAs." in response.content.decode()  # Bob is no IQA here
    response = client.post(reverse("portfolio:enrolment_withdraw", args=[case.hsc331.pk]),
                           {"effective_date": "2999-01-01", "reason": "Leaving."})
    assert response.status_code == 400
    assert "The date cannot be in the future" in response.content.decode()
    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.ACTIVE


def test_a_withdrawn_enrolment_is_shown_as_withdrawn_on_the_centre_page_and_the_candidates_home(case, client):
    withdraw(case)
    centre_page = page(client, case.grace, reverse("assessments:centre_detail", args=[case.centre.pk]))
    assert "Withdrawn" in centre_page
    home = page(client, case.alice, reverse("home"))
    assert "Withdrawn" in home and "kept as it stands, with nothing more to do on it here" in home
    manage = page(client, case.grace, reverse("portfolio:enrolment_manage", args=[case.hsc331.pk]))
    assert "Alice has left her job in care." in manage and "Reinstate" in manage
    assert "Change the assessor" not in manage


def test_a_withdrawn_unit_is_read_only_on_its_page(case, client):
    submitted_evidence(case, references=["HSC331a.1"])
    withdraw(case)
    unit_url = reverse("assessments:enrolment_detail", args=[case.hsc331.pk])
    for person in (case.alice, case.bob):
        unit = page(client, person, unit_url)
        assert "Withdrawn on" in unit and "read-only" in unit
        assert "Add evidence" not in unit and "Record decisions" not in unit and "Sign off" not in unit


def test_the_assessor_and_iqa_lists_no_longer_ask_for_a_withdrawn_unit(case, client):
    submitted_evidence(case, references=["HSC331a.1"])
    meet(case, case.dave_hsc331, [accepted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331)])
    for enrolment in (case.hsc331, case.h3_25):
        withdraw(case, enrolment)
    queue = page(client, case.bob, reverse("assessments:queue"))
    assert "Alice Adams" not in queue
    home = page(client, case.bob, reverse("home"))
    assert "Alice Adams" not in home
    sample = page(client, case.carol, reverse("assessments:iqa_sample"))
    assert "Alice Adams" not in sample and "Dave Davies" in sample


def test_a_transferred_enrolment_is_shown_as_transferred_with_the_other_centre(case, client):
    enrolment_transfer(enrolment=case.hsc331, to_centre="Hillside College", effective_date=timezone.localdate(),
                       reason="Alice moved to Leeds.", changed_by=case.grace)
    centre_page = page(client, case.grace, reverse("assessments:centre_detail", args=[case.centre.pk]))
    assert "Transferred" in centre_page
    unit = page(client, case.alice, reverse("assessments:enrolment_detail", args=[case.hsc331.pk]))
    assert "Transferred to Hillside College on" in unit
