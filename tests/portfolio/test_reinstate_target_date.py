"""Reinstating a withdrawn enrolment offers its target date (an outside trial: the old date had
often passed by the time the candidate came back, and the reinstate page offered no new one). The
date it had is filled in; a date in the past is refused as the "Change the target date" form refuses
it, with nothing changed; a new date is kept in the enrolment's history and the audit trail as a
target-date change is.

Alice is on HSC331 at Riverside (started 30 days ago), with Bob as assessor and Carol as IQA; Grace
administers Riverside."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portfolio import dates
from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent, Enrolment, EnrolmentStatus, Notification
from portfolio.services_centre import Refused
from portfolio.services_enrolments import enrolment_reinstate, enrolment_withdraw
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def case():
    """Alice's HSC331, withdrawn; its target date passed while it was."""
    case = build_case()
    enrolment_withdraw(
        enrolment=case.hsc331, effective_date=TODAY(), reason="Alice left her job.", changed_by=case.grace
    )
    Enrolment.objects.filter(pk=case.hsc331.pk).update(target_date=TODAY() - datetime.timedelta(days=10))
    case.hsc331.refresh_from_db()
    return case


def url(case) -> str:
    return reverse("portfolio:enrolment_reinstate", args=[case.hsc331.pk])


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.replace("&rsquo;", "’").replace("&#x27;", "'").split())


def posted(case, target_date: datetime.date, **more) -> dict:
    return {
        "assessor": case.bob.pk,
        "iqa": case.carol.pk,
        "target_date": target_date.isoformat(),
        "reason": "Alice is back at work.",
        **more,
    }


def still_withdrawn(case, events_before: int) -> None:
    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.WITHDRAWN
    assert case.hsc331.target_date == TODAY() - datetime.timedelta(days=10)
    assert list(case.hsc331.changes.values_list("kind", flat=True)) == ["withdrawn"]
    assert AuditEvent.objects.count() == events_before


def test_the_page_offers_the_target_date_filled_in_and_says_it_has_passed(client, case):
    client.force_login(case.grace)
    response = client.get(url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(
        rf'<input type="date" name="target_date" value="{case.hsc331.target_date.isoformat()}"', page
    )
    passed = dates.day(case.hsc331.target_date)
    assert (
        f"Its target date, {passed}, has passed. Choose a new one: today or later" in words(response)
    )
    assert "while it was closed" not in words(response)  # it may have passed before the withdrawal


def test_a_date_not_yet_passed_is_offered_to_keep(client, case):
    later = TODAY() + datetime.timedelta(days=60)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(target_date=later)
    client.force_login(case.grace)
    shown = words(client.get(url(case)))
    assert f"Its target date is {dates.day(later)}. Keep it, or choose another date the candidate can meet, " \
        "today or later" in shown
    assert "a later one" not in shown


def test_an_earlier_date_than_the_one_kept_is_accepted_as_the_hint_says(client, case):
    later, earlier = TODAY() + datetime.timedelta(days=60), TODAY() + datetime.timedelta(days=20)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(target_date=later)
    client.force_login(case.grace)
    done = client.post(url(case), posted(case, earlier), follow=True)

    assert f"is active again, with the target date {dates.day(earlier)}." in words(done)
    case.hsc331.refresh_from_db()
    assert (case.hsc331.status, case.hsc331.target_date) == (EnrolmentStatus.ACTIVE, earlier)


def test_keeping_a_date_that_has_passed_is_refused_saying_so_and_nothing_changes(client, case):
    before = AuditEvent.objects.count()
    client.force_login(case.grace)
    response = client.post(url(case), posted(case, case.hsc331.target_date))
    assert response.status_code == 400
    shown = words(response)
    assert (
        f"Its target date, {dates.day(case.hsc331.target_date)}, has passed: choose a new one, today or later, "
        "that the candidate can still meet." in shown
    )
    assert "There is a problem" in shown
    assert "Alice is back at work." in shown  # the reason typed stays in its box
    still_withdrawn(case, before)


def test_another_date_in_the_past_is_refused_as_the_change_target_date_form_refuses_it(client, case):
    before = AuditEvent.objects.count()
    client.force_login(case.grace)
    response = client.post(url(case), posted(case, TODAY() - datetime.timedelta(days=1)))
    assert response.status_code == 400
    assert (
        "The target date has passed: choose today or a later date, one the candidate can still meet."
        in words(response)
    )
    still_withdrawn(case, before)
    # The same words as the target-date form's.
    client.post(reverse("portfolio:enrolment_reinstate", args=[case.hsc331.pk]), posted(case, TODAY()))
    moved = client.post(
        reverse("portfolio:enrolment_target_date", args=[case.hsc331.pk]),
        {"target_date": (TODAY() - datetime.timedelta(days=1)).isoformat(), "reason": "r"},
    )
    assert (
        "The target date has passed: choose today or a later date, one the candidate can still meet."
        in words(moved)
    )


def test_a_date_before_the_start_is_refused(client, case):
    client.force_login(case.grace)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(
        start_date=TODAY() + datetime.timedelta(days=5), target_date=TODAY() + datetime.timedelta(days=30)
    )
    response = client.post(url(case), posted(case, TODAY() + datetime.timedelta(days=1)))
    assert response.status_code == 400
    start = dates.day(TODAY() + datetime.timedelta(days=5))
    assert f"The target date cannot be before the start date, {start}." in words(response)


def test_a_new_date_is_kept_in_the_history_and_the_audit_trail_and_the_page_says_it(client, case):
    new = TODAY() + datetime.timedelta(days=120)
    old = case.hsc331.target_date
    client.force_login(case.grace)
    done = client.post(url(case), posted(case, new), follow=True)

    case.hsc331.refresh_from_db()
    assert (case.hsc331.status, case.hsc331.target_date) == (EnrolmentStatus.ACTIVE, new)
    page = words(done)
    assert f"Alice Adams’s HSC331 is active again, with the target date {dates.day(new)}." in page
    # The enrolment's page: its target date, and the history's rows, the latest first.
    assert f"Target date {dates.day(new)}" in page
    history = page.split("Changes by the centre")[1]
    assert f"Target date changed {dates.day(old)} {dates.day(new)} Alice is back at work." in history
    assert "Reinstated Withdrawn Active" in history
    assert (
        history.index("Target date changed") < history.index("Reinstated") < history.index("Withdrawn Active")
    )

    changed = AuditEvent.objects.get(action=PortfolioAction.ENROLMENT_TARGET_DATE_CHANGED)
    assert (
        changed.before == {"target_date": old.isoformat()} and changed.after["target_date"] == new.isoformat()
    )
    assert sentence(changed) == (
        f"Grace Gordon changed the target date of HSC331 from {dates.day(old)} to {dates.day(new)}: "
        "“Alice is back at work.”"
    )
    assert AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_REINSTATED).count() == 1


def test_a_date_kept_that_has_not_passed_records_no_target_date_change(case):
    later = TODAY() + datetime.timedelta(days=60)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(target_date=later)
    case.hsc331.refresh_from_db()
    enrolment_reinstate(enrolment=case.hsc331, reason="Back.", changed_by=case.grace, target_date=later)
    case.hsc331.refresh_from_db()
    assert case.hsc331.target_date == later
    assert list(case.hsc331.changes.values_list("kind", flat=True)) == ["reinstated", "withdrawn"]
    assert not AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_TARGET_DATE_CHANGED).exists()


def test_the_service_refuses_a_passed_date_kept_when_none_is_given(case):
    before = AuditEvent.objects.count()
    with pytest.raises(Refused, match="has passed: choose a new one") as refused:
        enrolment_reinstate(enrolment=case.hsc331, reason="Back.", changed_by=case.grace)
    assert refused.value.field == "target_date"
    still_withdrawn(case, before)


def test_withdrawn_again_it_cannot_be_dated_before_its_reinstatement(case):
    """An outside trial: a unit reinstated today was withdrawn as of a week earlier, and its history
    then said it was closed while it was being judged."""
    later = TODAY() + datetime.timedelta(days=60)
    enrolment_reinstate(enrolment=case.hsc331, reason="Back.", changed_by=case.grace, target_date=later)
    case.hsc331.refresh_from_db()
    with pytest.raises(Refused, match=f"before the unit was reinstated, {re.escape(dates.day(TODAY()))}") as refused:
        enrolment_withdraw(
            enrolment=case.hsc331, effective_date=TODAY() - datetime.timedelta(days=7), reason="Left.",
            changed_by=case.grace,
        )
    assert refused.value.field == "effective_date"
    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.ACTIVE
    enrolment_withdraw(enrolment=case.hsc331, effective_date=TODAY(), reason="Left.", changed_by=case.grace)


# One notice for a reinstatement with a new target date (an outside trial: the same people were sent
# one saying it was reinstated and another giving the new date).


def test_a_new_target_date_is_told_in_the_one_notice_and_email_each_person_gets(
    client, case, django_capture_on_commit_callbacks
):
    new, old = TODAY() + datetime.timedelta(days=120), case.hsc331.target_date
    since = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    mail.outbox.clear()
    client.force_login(case.grace)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(case), posted(case, new))

    said = (
        f"Grace Gordon reinstated {{}} HSC331, with a new target date of {dates.day(new)} "
        f"(it was {dates.day(old)}): Alice is back at work."
    )
    for person in (case.alice, case.bob, case.carol):
        whose = "your" if person == case.alice else "Alice Adams’s"  # Alice is spoken to, not of
        notices = Notification.objects.filter(recipient=person, pk__gt=since)
        assert list(notices.values_list("message", flat=True)) == [said.format(whose)]
        [email] = [m for m in mail.outbox if person.email in m.to]
        assert email.subject == f"Evidence portfolio: {whose[:1].upper()}{whose[1:]} HSC331 reinstated, new target date"
        assert said.format(whose) in email.body
    assert len(mail.outbox) == 3  # one each, nobody else


def test_a_date_kept_is_not_said_to_be_new(case):
    later = TODAY() + datetime.timedelta(days=60)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(target_date=later)
    case.hsc331.refresh_from_db()
    since = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    enrolment_reinstate(enrolment=case.hsc331, reason="Back.", changed_by=case.grace, target_date=later)
    for person in (case.alice, case.bob, case.carol):
        assert list(Notification.objects.filter(recipient=person, pk__gt=since).values_list("message", flat=True)) == [
            f"Grace Gordon reinstated {'your' if person == case.alice else 'Alice Adams’s'} HSC331: Back."
        ]
