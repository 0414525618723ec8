"""The conversation about an evidence item (issue 13 item 5): Alice and Bob, her assessor, write to
each other beside the evidence; the other side is told in the app and by email; every comment is
kept with the item as sent, in time order with names and times, and in the unit's audit trail.
Carol (IQA), Grace (administrator) and Heidi (EQA) read it; nobody else finds it. A draft has none.

Who may open or post at which address is in tests/test_access_matrix.py."""

import re

import pytest
from django.contrib import admin
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments.models import EvidenceComment
from assessments.services import conversation
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Notification
from tests.assessments.judging_people import draft, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("people")]

SITE = "http://127.0.0.1:8000"
QUESTION = "Is the date right? The visit was on the Tuesday, I think."
ANSWER = "Yes, Tuesday. I have changed my notes.\nThank you for checking."


@pytest.fixture
def evidence(alice, hsc331):
    """Alice's E1, submitted; the notification of its submission is not what these tests ask about."""
    evidence = submitted(alice, hsc331)
    Notification.objects.all().delete()
    return evidence


def _page(client, person, evidence) -> str:
    client.force_login(person)
    response = client.get(reverse("assessments:evidence_detail", args=[evidence.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _send(client, person, evidence, text: str):
    client.force_login(person)
    return client.post(reverse("assessments:evidence_comment", args=[evidence.pk]), {"text": text}, follow=True)


def _thread(page: str) -> list[str]:
    """Each comment on the page as a line: who, in what role, and what they wrote."""
    items = re.findall(r'<li class="comment .*?</li>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_candidate_writes_and_her_assessor_is_told_in_the_app_and_by_email(
    client, alice, bob, carol, evidence, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, alice, evidence, QUESTION)

    link = reverse("assessments:evidence_detail", args=[evidence.pk]) + "#conversation"
    assert response.redirect_chain[-1][0] == link
    assert "Your comment on E1 is sent. Bob Baker has been told." in response.content.decode()
    told = Notification.objects.get(recipient=bob)
    assert told.message == "Alice Adams wrote to you about E1 (HSC331) “Supporting a family visit”."
    assert told.link == link
    assert not Notification.objects.filter(recipient__in=[alice, carol]).exists()
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert f"{SITE}{link}" in mail.outbox[0].body
    assert QUESTION not in mail.outbox[0].body  # the words stay in the portfolio


def test_the_assessor_answers_and_the_candidate_is_told(client, alice, bob, evidence):
    _send(client, alice, evidence, QUESTION)

    response = _send(client, bob, evidence, ANSWER)

    assert "Alice Adams has been told." in response.content.decode()
    assert Notification.objects.get(recipient=alice).message == "Bob Baker wrote to you about E1 (HSC331) “Supporting a family visit”."


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "grace", "heidi"])
def test_everyone_on_the_case_reads_the_thread_in_time_order_with_names_and_times(
    client, people, alice, bob, evidence, persona
):
    first = conversation.evidence_comment(evidence=evidence, author=alice, text=QUESTION)
    second = conversation.evidence_comment(evidence=evidence, author=bob, text=ANSWER)

    page = _page(client, people[persona], evidence)

    assert _thread(page) == [
        f"Alice Adams (candidate), {timezone.localtime(first.sent_at):%-d %B %Y, %H:%M} {QUESTION}",
        f"Bob Baker (assessor), {timezone.localtime(second.sent_at):%-d %B %Y, %H:%M} "
        "Yes, Tuesday. I have changed my notes. Thank you for checking.",
    ]
    assert f'<time datetime="{timezone.localtime(first.sent_at).isoformat()}' in page


@pytest.mark.parametrize(("persona", "label"), [("alice", "Write to your assessor"), ("bob", "Write to Alice Adams")])
def test_the_candidate_and_her_assessor_have_the_form(client, people, evidence, persona, label):
    page = _page(client, people[persona], evidence)

    assert f'action="{reverse("assessments:evidence_comment", args=[evidence.pk])}"' in page
    assert f">{label}</label>" in page
    assert "it cannot be changed or deleted" in page


@pytest.mark.parametrize("persona", ["carol", "grace", "heidi"])
def test_quality_assurers_and_the_administrator_read_without_a_form(client, people, alice, evidence, persona):
    conversation.evidence_comment(evidence=evidence, author=alice, text=QUESTION)

    page = _page(client, people[persona], evidence)

    assert QUESTION in page
    assert reverse("assessments:evidence_comment", args=[evidence.pk]) not in page
    with pytest.raises(PortfolioError, match="Only the candidate and their assessor"):
        conversation.evidence_comment(evidence=evidence, author=people[persona], text="A note.")


def test_the_comment_is_in_the_units_audit_trail_as_a_sentence(client, alice, bob, hsc331, evidence):
    conversation.evidence_comment(evidence=evidence, author=alice, text=QUESTION)

    client.force_login(bob)
    unit_page = client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).content.decode()
    csv = client.get(reverse("assessments:audit_export", args=[hsc331.pk])).content.decode()

    sentence = "Alice Adams wrote to Bob Baker about E1 “Supporting a family visit”"
    assert sentence in unit_page
    assert sentence in csv and QUESTION in csv
    event = AuditEvent.objects.get(action="assessments.evidence.commented")
    assert (event.actor, event.evidence_id, event.after) == (alice, evidence.pk, {"comment": QUESTION})


def test_an_empty_comment_is_refused_and_nothing_is_sent(client, alice, bob, evidence):
    response = _send(client, alice, evidence, "   \n  ")

    page = response.content.decode()
    assert "Your comment was not sent. Write your comment before sending it." in page
    assert not EvidenceComment.objects.exists()
    assert not Notification.objects.filter(recipient=bob).exists()


def test_a_refused_comment_comes_back_with_its_words_and_a_refresh_sends_nothing(client, alice, evidence):
    too_long = "word " * 900  # 4,500 characters

    response = _send(client, alice, evidence, too_long)

    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#comment-errors")
    assert "A comment can be up to 4000 characters long; this one has 4499." in page
    assert too_long.strip() in page and 'aria-invalid="true"' in page
    again = client.get(reverse("assessments:evidence_detail", args=[evidence.pk])).content.decode()
    assert "Your comment was not sent" not in again
    assert not EvidenceComment.objects.exists()


def test_a_draft_has_no_conversation(client, alice, hsc331):
    evidence = draft(alice, hsc331)

    page = _page(client, alice, evidence)

    assert "Once you submit E1, you and your assessor can write to each other about it here." in page
    assert reverse("assessments:evidence_comment", args=[evidence.pk]) not in page
    with pytest.raises(PortfolioError, match="is a draft"):
        conversation.evidence_comment(evidence=evidence, author=alice, text=QUESTION)
    assert not EvidenceComment.objects.exists()


def test_a_comment_is_never_changed_or_deleted(alice, evidence):
    comment = conversation.evidence_comment(evidence=evidence, author=alice, text=QUESTION)

    comment.text = "Something else"
    with pytest.raises(PermissionError):
        comment.save()
    with pytest.raises(PermissionError):
        comment.delete()
    with pytest.raises(PermissionError):
        EvidenceComment.objects.filter(pk=comment.pk).update(text="Something else")
    with pytest.raises(PermissionError):
        EvidenceComment.objects.filter(pk=comment.pk).delete()
    assert EvidenceComment.objects.get().text == QUESTION


def test_the_database_itself_refuses_to_change_a_comment(alice, evidence):
    """Whatever code runs, the database refuses an UPDATE; PostgreSQL also refuses a DELETE.
    (SQLite keeps DELETE possible in SQL because the test suite empties tables row by row.)"""
    comment = conversation.evidence_comment(evidence=evidence, author=alice, text=QUESTION)
    statements = [("UPDATE assessments_evidencecomment SET text = %s WHERE id = %s", ["Rewritten", comment.pk])]
    if connection.vendor == "postgresql":
        statements.append(("DELETE FROM assessments_evidencecomment WHERE id = %s", [comment.pk]))

    for sql, params in statements:
        with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)

    assert EvidenceComment.objects.get().text == QUESTION


def test_the_admin_reads_comments_and_changes_none(admin_user, alice, evidence):
    comment = conversation.evidence_comment(evidence=evidence, author=alice, text=QUESTION)
    model_admin = admin.site._registry[EvidenceComment]
    request = RequestFactory().get("/")
    request.user = admin_user

    assert model_admin.has_view_permission(request, comment)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, comment)
    assert not model_admin.has_delete_permission(request, comment)
