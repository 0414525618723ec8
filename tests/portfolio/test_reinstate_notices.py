"""Reinstating a unit with another assessor or IQA and a new target date tells each person once
(an outside trial: the candidate and the new assessor each had two notices, "Your assessor has
changed" and "reinstated, new target date", and the page named everyone told but the assessor
taken off, who was told too).

Alice is on HSC331 at Riverside with Bob as assessor and Carol as IQA; Erin is another assessor
there, Ivan another IQA; Grace administers Riverside. HSC331 is withdrawn, its target date passed."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portfolio import dates
from portfolio.models import Enrolment, Membership, Notification, Role
from portfolio.services_enrolments import enrolment_reinstate, enrolment_withdraw
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def case():
    case = build_case()
    enrolment_withdraw(
        enrolment=case.hsc331, effective_date=TODAY(), reason="Alice left her job.", changed_by=case.grace
    )
    Enrolment.objects.filter(pk=case.hsc331.pk).update(target_date=TODAY() - datetime.timedelta(days=10))
    case.hsc331.refresh_from_db()
    case.erin, case.ivan = case.people["erin"], case.people["ivan"]
    case.since = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    return case


def notices(case, person) -> list[str]:
    return list(Notification.objects.filter(recipient=person, pk__gt=case.since).values_list("message", flat=True))


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.replace("&rsquo;", "’").replace("&#x27;", "'").split())


def test_a_new_assessor_and_target_date_are_told_once_to_each_person_and_the_page_names_them_all(
    client, case, django_capture_on_commit_callbacks
):
    new, old = TODAY() + datetime.timedelta(days=120), case.hsc331.target_date
    mail.outbox.clear()
    client.force_login(case.grace)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("portfolio:enrolment_reinstate", args=[case.hsc331.pk]), {
            "assessor": case.erin.pk, "iqa": case.carol.pk, "target_date": new.isoformat(),
            "reason": "Alice is back at work.",
        }, follow=True)

    assert ("Alice Adams’s HSC331 is active again, with the target date "
            f"{dates.day(new)}. Alice Adams, Erin Evans, Carol Clark and Bob Baker have been told.") in words(done)
    date_words = f"a new target date of {dates.day(new)} (it was {dates.day(old)})"
    assert notices(case, case.carol) == [
        f"Grace Gordon reinstated Alice Adams’s HSC331, with Erin Evans as its assessor in place of Bob Baker "
        f"and {date_words}: Alice is back at work."
    ]
    # Alice is spoken to, not of (an outside trial: she read "reinstated Alice Adams's HSC331").
    assert notices(case, case.alice) == [
        f"Grace Gordon reinstated your HSC331, with Erin Evans as its assessor in place of Bob Baker "
        f"and {date_words}: Alice is back at work."
    ]
    assert notices(case, case.erin) == [
        f"Grace Gordon reinstated Alice Adams’s HSC331, with you as its assessor in place of Bob Baker "
        f"and {date_words}: Alice is back at work."
    ]
    assert notices(case, case.bob) == [
        "Grace Gordon reinstated Alice Adams’s HSC331, with Erin Evans as its assessor in place of you: Alice is back "
        "at work. You no longer have access to it; what you recorded on it stays in its record under your name."
    ]
    subjects = {person.email: [m.subject for m in mail.outbox if person.email in m.to]
                for person in (case.alice, case.erin, case.carol, case.bob)}
    assert subjects == {
        "alice@example.org": ["Evidence portfolio: Your HSC331 reinstated, new assessor, target date"],
        "erin@example.org": ["Evidence portfolio: Alice Adams’s HSC331 reinstated: you are now its assessor"],
        "carol@example.org": ["Evidence portfolio: Alice Adams’s HSC331 reinstated, new assessor, target date"],
        "bob@example.org": ["Evidence portfolio: You are no longer the assessor of Alice Adams’s HSC331"],
    }
    assert len(mail.outbox) == 4


def test_a_new_assessor_and_iqa_each_told_once_and_both_taken_off_told_once(case):
    later = TODAY() + datetime.timedelta(days=60)
    told = enrolment_reinstate(enrolment=case.hsc331, reason="Back.", changed_by=case.grace,
                               assessor=case.erin, iqa=case.ivan, target_date=later)

    assert told == [case.alice, case.erin, case.ivan, case.bob, case.carol]
    for person in told:
        assert len(notices(case, person)) == 1, person
    assert notices(case, case.alice)[0].startswith(
        "Grace Gordon reinstated your HSC331, with Erin Evans as its assessor in place of Bob Baker, "
        "Ivan Ives as its IQA in place of Carol Clark and a new target date of"
    )
    assert "Ivan Ives as its IQA in place of you" in notices(case, case.carol)[0]
    assert "you as its IQA in place of Carol Clark" in notices(case, case.ivan)[0]
    case.hsc331.refresh_from_db()
    assert (case.hsc331.assessor, case.hsc331.iqa, case.hsc331.target_date) == (case.erin, case.ivan, later)
    assert list(case.hsc331.changes.values_list("kind", flat=True)) == [
        "target_date", "iqa", "assessor", "reinstated", "withdrawn"
    ]


def test_the_iqa_made_its_assessor_is_told_once_of_both_and_is_not_said_to_have_lost_it(case):
    Membership.objects.create(person=case.carol, centre=case.centre, role=Role.ASSESSOR)  # an assessor too
    later = TODAY() + datetime.timedelta(days=60)
    told = enrolment_reinstate(enrolment=case.hsc331, reason="Back.", changed_by=case.grace,
                               assessor=case.carol, iqa=case.ivan, target_date=later)

    assert told == [case.alice, case.carol, case.ivan, case.bob]
    assert notices(case, case.carol) == [
        "Grace Gordon reinstated Alice Adams’s HSC331, with Ivan Ives as its IQA in place of you, you as its assessor "
        f"in place of Bob Baker and a new target date of {dates.day(later)} "
        f"(it was {dates.day(TODAY() - datetime.timedelta(days=10))}): Back."
    ]
    assert notices(case, case.bob) == [
        "Grace Gordon reinstated Alice Adams’s HSC331, with Carol Clark as its assessor in place of you: Back. "
        "You no longer have access to it; what you recorded on it stays in its record under your name."
    ]
