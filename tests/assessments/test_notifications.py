"""Notifications: in the app and by email when evidence is submitted, referred back or accepted
(at once or in the daily digest: tests/portfolio/test_notification_preferences.py);
the notifications page with its unread marks and "Mark all read"; the unread count in the menu.

People as in tests/assessments/judging_people.py: Alice is the candidate, Bob her assessor, Carol
her IQA; Dave is another candidate, Erin his assessor.
"""

import pytest
from django.core import mail
from django.urls import reverse

from assessments.services import judging
from portfolio.errors import PortfolioError
from portfolio.models import Notification
from portfolio.notifications import notify
from standards.models import Criterion
from tests.assessments.judging_people import draft, last_week, submitted
from tests.factories import EvidenceFactory, enrol

# The whole cast is present in every test, as it was when these tests began: what a stranger must
# not see exists to be hidden.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("people")]

SITE = "http://127.0.0.1:8000"


def messages_to(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("message", flat=True))


def test_submitting_evidence_tells_the_assessor_of_its_units_in_the_app_and_by_email(
    alice, bob, erin, carol, centre, hsc331, django_capture_on_commit_callbacks
):
    enrol(alice, "H3 25", assessor=erin, iqa=carol, centre=centre)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = submitted(alice, hsc331)

    expected = "Alice Adams submitted E1 (HSC331) “Supporting a family visit” for assessment."
    assert messages_to(bob) == [expected]
    # Erin assesses Alice's H3 25, which E1 does not bear on: not hers to judge (`portfolio.judged_by`).
    assert messages_to(erin) == []
    assert messages_to(carol) == []
    assert messages_to(alice) == []
    assert Notification.objects.get(recipient=bob).link == reverse("assessments:evidence_detail", args=[evidence.pk])
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org"]
    email = next(m for m in mail.outbox if m.to == ["bob@example.org"])
    assert email.subject == "Evidence portfolio: Alice Adams submitted E1 (HSC331) for assessment"
    assert f"{SITE}{reverse('assessments:evidence_detail', args=[evidence.pk])}" in email.body


def test_referring_back_tells_the_candidate(alice, bob, hsc331, django_capture_on_commit_callbacks):
    evidence = submitted(alice, hsc331)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="Say what Person A chose.")

    assert messages_to(alice) == ["Bob Baker referred E1 (HSC331) “Supporting a family visit” back to you with feedback."]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert mail.outbox[0].subject == "Evidence portfolio: Bob Baker referred E1 (HSC331) back to you"
    assert reverse("assessments:evidence_detail", args=[evidence.pk]) in mail.outbox[0].body


def test_accepting_tells_the_candidate(alice, bob, hsc331, django_capture_on_commit_callbacks):
    evidence = submitted(alice, hsc331)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        judging.evidence_accept(
            evidence=evidence, assessor=bob, valid=True, authentic=True, current=True, sufficient=True
        )

    assert messages_to(alice) == ["Bob Baker accepted E1 (HSC331) “Supporting a family visit”."]
    assert mail.outbox == [], "news that asks nothing of her waits for her daily digest, by default"


def test_the_assessors_own_record_tells_the_candidate(alice, bob, hsc331, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        judging.assessor_evidence_record(
            enrolment=hsc331, assessor=bob, method="observation", title="Observation", activity_date=last_week(),
            account="What I saw.", criteria=Criterion.objects.filter(reference="HSC331a.1"),
        )

    assert messages_to(alice) == ["Bob Baker recorded E1 (HSC331) “Observation” (direct observation) on your portfolio."]
    assert mail.outbox == [], "news that asks nothing of her waits for her daily digest, by default"
    assert messages_to(bob) == []


def test_a_refused_move_tells_nobody_anything(alice, bob, hsc331, django_capture_on_commit_callbacks):
    evidence = draft(alice, hsc331)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PortfolioError):
        judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="Too early.")

    assert not Notification.objects.exists()
    assert mail.outbox == []


# The page and the menu


def test_the_page_lists_the_persons_notifications_newest_first_with_the_unread_marked(client, alice, bob):
    notify([alice], "First: read already", link="/assessments/evidence/1/")
    notify([alice], "Second: unread", link="/assessments/evidence/2/")
    notify([bob], "Bob's own")
    Notification.objects.filter(message__startswith="First").update(read_at="2024-01-01T00:00Z")
    client.force_login(alice)

    page = client.get(reverse("portfolio:notification_list")).content.decode()

    assert page.index("Second: unread") < page.index("First: read already")
    assert page.count('<span class="badge text-bg-primary">Unread</span>') == 1
    second = Notification.objects.get(message__startswith="Second")
    assert f'<a href="{reverse("portfolio:notification_open", args=[second.pk])}">Second: unread</a>' in page
    assert "Bob&#x27;s own" not in page and "Bob's own" not in page


def test_the_menu_counts_unread_notifications(client, alice):
    notify([alice], "One")
    notify([alice], "Two")
    client.force_login(alice)

    page = client.get(reverse("home")).content.decode()

    assert (
        f'href="{reverse("portfolio:notification_list")}">Notifications <span class="badge rounded-pill text-bg-light">2'
        '<span class="visually-hidden"> unread</span></span></a>'
    ) in page


def test_following_a_notification_marks_it_read_and_goes_to_what_it_is_about(client, alice, centre):
    # Her own evidence: a page she may open (one she may not shows why instead, test_notification_no_longer_open).
    evidence = EvidenceFactory(candidate=alice, centre=centre)
    notify([alice], "E1 accepted", link=f"/assessments/evidence/{evidence.pk}/")
    notification = Notification.objects.get()
    client.force_login(alice)

    response = client.get(reverse("portfolio:notification_open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/assessments/evidence/{evidence.pk}/"
    assert Notification.objects.get().read_at is not None


def test_a_notification_link_to_another_site_is_not_followed(client, alice):
    notify([alice], "Odd", link="https://example.com/")
    client.force_login(alice)

    response = client.get(reverse("portfolio:notification_open", args=[Notification.objects.get().pk]))

    assert response["Location"] == reverse("portfolio:notification_list")


def test_nobody_opens_anyone_elses_notification(client, alice, bob):
    notify([alice], "Alice's", link="/assessments/evidence/1/")
    client.force_login(bob)

    assert client.get(reverse("portfolio:notification_open", args=[Notification.objects.get().pk])).status_code == 404
    assert Notification.objects.get().read_at is None


def test_mark_all_read_clears_the_count(client, alice, bob):
    notify([alice], "One")
    notify([bob], "Bob's")
    client.force_login(alice)

    response = client.post(reverse("portfolio:notifications_mark_read"), follow=True)

    page = response.content.decode()
    assert "1 notification marked as read." in page
    assert "Unread</span>" not in page
    assert f'href="{reverse("portfolio:notification_list")}">Notifications</a>' in page
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=bob).read_at is None


def test_mark_all_read_takes_only_a_post(client, alice):
    notify([alice], "One")
    client.force_login(alice)

    assert client.get(reverse("portfolio:notifications_mark_read")).status_code == 405
    assert Notification.objects.get().read_at is None


def test_anonymous_visitors_cannot_mark_anything_read(client, alice):
    notify([alice], "One")

    response = client.post(reverse("portfolio:notifications_mark_read"))

    assert response.status_code == 302
    assert Notification.objects.get().read_at is None


def test_the_page_says_when_there_is_nothing(client, alice):
    client.force_login(alice)

    assert "You have no notifications." in client.get(reverse("portfolio:notification_list")).content.decode()


# Naming the unit; subjects that fit whole


def test_evidence_mapped_to_two_units_names_both(alice, bob, hsc331, h3_25):
    submitted(alice, hsc331, criteria=("HSC331a.1", "H3 25.1"))
    assert messages_to(bob) == ["Alice Adams submitted E1 (H3 25, HSC331) “Supporting a family visit” for assessment."]


LONG_TITLE = "Supporting Person A to plan and make a visit to her sister at the weekend, with the bus timetable"


def test_each_subject_fits_whole_however_long_the_title(
    alice, bob, carol, hsc331, settings, django_capture_on_commit_callbacks
):
    """The fresh user's referral subject ran "…referred E5 … back to you with…": the subject is now
    a few words of its own, whole, and the title and feedback are in the body."""
    from portfolio.models import NotificationPreference
    from portfolio.notification_kinds import NotificationDelivery, NotificationKind

    for person in (alice, bob):
        for kind in NotificationKind:
            NotificationPreference.objects.update_or_create(
                person=person, kind=kind, defaults={"delivery": NotificationDelivery.AT_ONCE}
            )
    with django_capture_on_commit_callbacks(execute=True):
        referred = submitted(alice, hsc331, title=LONG_TITLE)
        judging.evidence_refer_back(evidence=referred, assessor=bob, feedback="Say what Person A chose.")
        accepted = submitted(alice, hsc331, title=LONG_TITLE)
        judging.evidence_accept(evidence=accepted, assessor=bob, valid=True, authentic=True, current=True, sufficient=True)
        judging.assessor_evidence_record(
            enrolment=hsc331, assessor=bob, method="observation", title=LONG_TITLE, activity_date=last_week(),
            account="What I saw.", criteria=Criterion.objects.filter(reference="HSC331a.1"),
        )

    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Evidence portfolio: Alice Adams submitted E1 (HSC331) for assessment",
        "Evidence portfolio: Bob Baker referred E1 (HSC331) back to you",
        "Evidence portfolio: Alice Adams submitted E2 (HSC331) for assessment",
        "Evidence portfolio: Bob Baker accepted E2 (HSC331)",
        "Evidence portfolio: Bob Baker recorded E3 (HSC331) on your portfolio",
    ]
    assert all(len(s) <= 78 and "…" not in s for s in subjects)
    assert all(LONG_TITLE in m.body for m in mail.outbox)
