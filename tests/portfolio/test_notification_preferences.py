"""Each person chooses, per kind of notification, an email at once, the daily digest or the app only,
on their own settings page; `notify` honours the choice (the digest itself: test_digest.py).

Alice is the candidate, Bob her assessor, Carol her IQA (tests/cast.py)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments.services import judging, signoff
from portfolio.digest import send_digests
from portfolio.models import Notification, NotificationPreference, Person
from portfolio.notifications import NotificationKind
from tests.assessments.judging_people import submitted
from tests.assessments.quality_records import signed_off_through_the_services

pytestmark = pytest.mark.django_db

PAGE = reverse("portfolio:notification_preferences")


def checked(page: str, kind: str) -> str:
    """The option shown chosen for a kind, by its value."""
    [value] = re.findall(rf'name="{kind}" value="(\w+)"[^>]*checked', page)
    return value


def choose(client, person, **choices):
    """Saves the settings page as `person`, with their current choices except those given."""
    client.force_login(person)
    page = client.get(PAGE).content.decode()
    shown = dict(re.findall(r'name="(\w+)" value="(\w+)"[^>]*checked', page))
    return client.post(PAGE, {**shown, **choices})


def inbox(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("message", flat=True))


def accept(evidence, bob):
    judging.evidence_accept(evidence=evidence, assessor=bob, valid=True, authentic=True, current=True, sufficient=True)


# The page


def test_a_candidate_is_offered_a_candidates_kinds_with_the_defaults_chosen(client, alice):
    client.force_login(alice)

    page = client.get(PAGE).content.decode()

    assert "<h1>Notification settings</h1>" in page
    assert "Your evidence referred back to you" in page
    assert "A unit signed off and waiting for your countersignature" in page
    assert "Evidence submitted for you to judge" not in page
    assert "The IQA’s actions marked done by the assessor" not in page
    # What asks something of her comes at once; news that asks nothing, in the digest.
    assert checked(page, "evidence_referred") == "at_once"
    assert checked(page, "countersign_requested") == "at_once"
    assert checked(page, "evidence_accepted") == "digest"
    assert page.count("In the app only") >= 5


def test_an_assessor_is_offered_evidence_to_judge_and_the_iqas_referral(client, bob):
    client.force_login(bob)

    page = client.get(PAGE).content.decode()

    assert checked(page, "evidence_submitted") == "at_once"
    assert checked(page, "iqa_referred") == "at_once"
    assert checked(page, "iqa_countersigned") == "digest"
    assert "Your evidence referred back to you" not in page


def test_someone_with_no_role_at_any_centre_is_offered_every_kind(client):
    admin = Person.objects.create_user("site@example.org", "pw", first_name="Site", last_name="Admin")
    client.force_login(admin)

    page = client.get(PAGE).content.decode()

    for kind in NotificationKind:
        assert kind.label in page, kind


def test_the_page_is_linked_from_the_account_menu_and_the_notifications_page(client, alice):
    client.force_login(alice)

    home = client.get(reverse("home")).content.decode()
    notifications = client.get(reverse("portfolio:notification_list")).content.decode()

    assert f'href="{PAGE}">Notification settings</a>' in home
    assert f'href="{PAGE}">Notification settings</a>' in notifications


def test_saving_keeps_the_choices_and_says_so(client, alice):
    response = choose(client, alice, evidence_accepted="at_once", evidence_referred="in_app")

    assert response.status_code == 302 and response["Location"] == PAGE
    page = client.get(PAGE).content.decode()
    assert "Your notification settings are saved." in page
    assert checked(page, "evidence_accepted") == "at_once"
    assert checked(page, "evidence_referred") == "in_app"
    assert checked(page, "countersign_requested") == "at_once"


def test_a_choice_left_out_or_not_offered_is_refused_and_nothing_is_saved(client, alice):
    client.force_login(alice)

    response = client.post(PAGE, {"evidence_accepted": "by_pigeon"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_evidence_referred_0" class="alert-link">Choose how to hear of “Your evidence referred back to you”.</a>' in page
    assert not NotificationPreference.objects.exists()


def test_saving_changes_only_the_persons_own_choices(client, alice, bob):
    choose(client, bob, iqa_countersigned="in_app", evidence_submitted="digest")

    client.force_login(alice)
    page = client.get(PAGE).content.decode()
    assert checked(page, "evidence_accepted") == "digest"
    assert set(NotificationPreference.objects.values_list("person__email", flat=True)) == {"bob@example.org"}


# Honoured


def test_at_once_emails_now_naming_who_did_it_with_a_way_to_change_it(
    client, alice, bob, hsc331, django_capture_on_commit_callbacks
):
    choose(client, alice, evidence_accepted="at_once")
    evidence = submitted(alice, hsc331)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        accept(evidence, bob)

    [email] = mail.outbox
    assert email.to == ["alice@example.org"]
    assert email.subject == "Evidence portfolio: Bob Baker accepted E1 (HSC331)"
    assert "Choose which notifications are emailed to you" in email.body
    assert email.body.rstrip().endswith(f"http://127.0.0.1:8000{PAGE}")


def test_digest_emails_nothing_now_then_one_digest_with_all_then_nothing(
    client, alice, bob, hsc331, django_capture_on_commit_callbacks
):
    first, second = submitted(alice, hsc331, title="Visit plan"), submitted(alice, hsc331, title="Phone call")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        accept(first, bob)  # the digest is the default for an acceptance
        accept(second, bob)

    assert mail.outbox == []
    assert len(inbox(alice)) == 2
    assert send_digests() == 1
    [digest] = mail.outbox
    assert digest.to == ["alice@example.org"]
    assert "Bob Baker accepted E1 (HSC331) “Visit plan”." in digest.body
    assert "Bob Baker accepted E2 (HSC331) “Phone call”." in digest.body
    assert send_digests() == 0
    assert len(mail.outbox) == 1


def test_in_app_only_is_never_emailed_and_still_in_the_inbox(
    client, alice, bob, hsc331, django_capture_on_commit_callbacks
):
    choose(client, alice, evidence_referred="in_app", evidence_accepted="in_app")
    referred, accepted = submitted(alice, hsc331), submitted(alice, hsc331, title="Phone call")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        judging.evidence_refer_back(evidence=referred, assessor=bob, feedback="Say what Person A chose.")
        accept(accepted, bob)
    send_digests()

    assert mail.outbox == []
    page = client.get(reverse("portfolio:notification_list")).content.decode()
    assert "Bob Baker referred E1 (HSC331) “Supporting a family visit” back to you with feedback." in page
    assert "Bob Baker accepted E2 (HSC331) “Phone call”." in page


def test_each_recipient_is_told_as_they_chose(client, alice, bob, carol, hsc331, django_capture_on_commit_callbacks):
    """One countersignature, two people: Bob wants it at once, Carol in the app only."""
    choose(client, carol, unit_countersigned="in_app")
    signed_off_through_the_services(hsc331, countersigned=False)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        signoff.unit_countersign(enrolment=hsc331, candidate=alice, declared=True)

    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert inbox(carol)[0] == "Alice Adams countersigned HSC331."
