"""Issue 15 item 3: the external quality assurer's visit report. A draft is the EQA's alone; sent, it
is fixed, the centre's administrators and the IQAs it concerns are told, and they answer each action
(done on a date, or planned for one); the EQA closes each action or leaves it open with a note.

Heidi is Riverside's EQA, Grace its administrator; Carol quality-assures Alice's unit, Ivan is
another IQA there (on no unit Heidi sampled).
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import access
from assessments.models import EqaAction, EqaReport, EqaSample
from assessments.services import eqa_reports
from portfolio.errors import PortfolioError
from portfolio.models import Notification

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def sample(heidi, hsc331):
    sample = EqaSample.objects.create(
        eqa=heidi, centre=hsc331.centre, name="Visit 12 March 2027", planned_on=datetime.date(2027, 3, 12), mode="remote"
    )
    sample.enrolments.set([hsc331])
    return sample


def _report_fields(**changes) -> dict:
    fields = {
        "visited_on": "2027-03-12", "mode": "remote", "outcome": "with_actions",
        "findings": "Assessment decisions on HSC331 are sound. Standardisation is not recorded.",
        "sample": "",
        "actions-TOTAL_FORMS": "3", "actions-INITIAL_FORMS": "0", "actions-MIN_NUM_FORMS": "0", "actions-MAX_NUM_FORMS": "30",
        "actions-0-text": "Record each standardisation meeting, with who came and what was agreed.",
        "actions-0-due_on": "2027-04-30",
        "actions-1-text": "Add Erin, a new assessor, to the IQA sampling plan at 100%.",
        "actions-1-due_on": "2027-04-15",
        "actions-2-text": "", "actions-2-due_on": "",
    }
    return fields | changes


def _draft(client, heidi, centre, sample=None, **changes) -> EqaReport:
    client.force_login(heidi)
    response = client.post(
        reverse("assessments:eqa_report_create", args=[centre.pk]), _report_fields(sample=sample.pk if sample else "", **changes)
    )
    assert response.status_code == 302, response.content.decode()
    return EqaReport.objects.latest("pk")


def _send(client, heidi, report):
    client.force_login(heidi)
    return client.post(reverse("assessments:eqa_report_submit", args=[report.pk]))


def test_the_eqa_writes_a_draft_with_two_actions_that_only_they_read(client, heidi, grace, carol, centre, sample):
    report = _draft(client, heidi, centre, sample)

    assert report.is_draft and report.sample == sample
    assert [(a.number, a.due_on) for a in report.actions.all()] == [(1, datetime.date(2027, 4, 30)), (2, datetime.date(2027, 4, 15))]
    page = client.get(reverse("assessments:eqa_report_detail", args=[report.pk])).content.decode()
    assert "Draft." in page and "Satisfactory with actions" in page and "Add Erin, a new assessor" in page
    for person in (grace, carol):
        client.force_login(person)
        assert client.get(reverse("assessments:eqa_report_detail", args=[report.pk])).status_code == 404


def test_the_report_form_starts_from_the_sample(client, heidi, centre, sample):
    client.force_login(heidi)

    page = client.get(reverse("assessments:eqa_report_create", args=[centre.pk]), {"sample": sample.pk}).content.decode()

    assert 'value="2027-03-12"' in page
    assert f'name="sample" value="{sample.pk}"' in page


def test_an_action_without_its_date_is_refused_and_nothing_is_saved(client, heidi, centre):
    client.force_login(heidi)

    response = client.post(reverse("assessments:eqa_report_create", args=[centre.pk]), _report_fields(**{"actions-1-due_on": ""}))

    assert response.status_code == 400
    assert "Give the date the action is due by." in response.content.decode()
    assert not EqaReport.objects.exists()


def test_sending_the_report_fixes_it_and_tells_the_administrators_and_the_iqas_it_concerns(client, heidi, grace, carol, ivan, centre, sample):
    report = _draft(client, heidi, centre, sample)

    response = _send(client, heidi, report)

    report.refresh_from_db()
    assert response.status_code == 302 and not report.is_draft
    told = Notification.objects.filter(kind="eqa_report")
    assert {n.recipient for n in told} == {grace, carol}  # Ivan is on none of the sampled units
    assert "Satisfactory with actions, with 2 actions for the centre to answer" in told.first().message
    change = client.post(reverse("assessments:eqa_report_edit", args=[report.pk]), _report_fields(findings="Changed."))
    assert change.status_code == 302
    report.refresh_from_db()
    assert report.findings.startswith("Assessment decisions")
    with pytest.raises(PortfolioError, match="fixed"):
        eqa_reports.report_submit(report=report, eqa=heidi)


def test_a_report_with_actions_outcome_and_no_actions_is_not_sent(client, heidi, centre):
    report = _draft(client, heidi, centre, **{"actions-0-text": "", "actions-0-due_on": "", "actions-1-text": "", "actions-1-due_on": ""})

    response = _send(client, heidi, report)

    report.refresh_from_db()
    assert report.is_draft
    page = client.get(response["Location"]).content.decode()
    assert "needs at least one action for the centre" in page


def test_the_centre_answers_each_action_and_the_eqa_closes_one_and_leaves_one_open(client, heidi, grace, carol, centre, sample):
    report = _draft(client, heidi, centre, sample)
    _send(client, heidi, report)
    first, second = report.actions.order_by("number")

    client.force_login(grace)
    done = client.post(
        reverse("assessments:eqa_action_answer", args=[first.pk]),
        {"response": "The meeting of 20 March is minuted in the QA folder.", "progress": "done", "on": TODAY.isoformat()},
    )
    client.force_login(carol)
    planned = client.post(
        reverse("assessments:eqa_action_answer", args=[second.pk]),
        {"response": "Erin's units are in the plan from April.", "progress": "planned", "on": (TODAY + datetime.timedelta(days=10)).isoformat()},
    )
    assert done.status_code == planned.status_code == 302
    assert Notification.objects.filter(recipient=heidi, kind="eqa_action_answered").count() == 2

    client.force_login(heidi)
    client.post(reverse("assessments:eqa_action_review", args=[first.pk]), {"review": "closed", "note": ""})
    client.post(reverse("assessments:eqa_action_review", args=[second.pk]), {"review": "still_open", "note": "Send me the plan."})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.closed and first.done_on == TODAY and first.answered_by == grace
    assert second.review == "still_open" and second.planned_on == TODAY + datetime.timedelta(days=10)
    client.force_login(grace)
    page = client.get(reverse("assessments:eqa_report_detail", args=[report.pk])).content.decode()
    assert "Closed by the EQA" in page and "Still open: the EQA asks for more" in page and "Send me the plan." in page
    assert "Grace Gordon answered the EQA’s action 1" in page  # the report's history, in sentences
    assert Notification.objects.filter(recipient=grace, kind="eqa_action_reviewed").count() == 2
    again = client.post(
        reverse("assessments:eqa_action_answer", args=[first.pk]), {"response": "More.", "progress": "done", "on": TODAY.isoformat()}
    )
    assert again.status_code == 400 and "closed this action" in again.content.decode()


def test_the_eqa_is_emailed_at_once_when_the_centre_answers_an_action(
    client, heidi, grace, centre, sample, django_capture_on_commit_callbacks
):
    """The answer waits on the EQA (close the action, or leave it open), so it asks something of them:
    by default it is emailed at once, as the README says of everything that does."""
    report = _draft(client, heidi, centre, sample)
    _send(client, heidi, report)
    mail.outbox.clear()
    client.force_login(grace)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assessments:eqa_action_answer", args=[report.actions.order_by("number").first().pk]),
            {"response": "Minuted in the QA folder.", "progress": "done", "on": TODAY.isoformat()},
        )

    [email] = mail.outbox
    assert email.to == [heidi.email] and "Grace Gordon answered" in email.subject + email.body


def test_a_done_date_in_the_future_is_refused(client, heidi, grace, centre, sample):
    report = _draft(client, heidi, centre, sample)
    _send(client, heidi, report)
    client.force_login(grace)

    response = client.post(
        reverse("assessments:eqa_action_answer", args=[report.actions.first().pk]),
        {"response": "Done.", "progress": "done", "on": (TODAY + datetime.timedelta(days=3)).isoformat()},
    )

    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert EqaAction.objects.filter(answered_at__isnull=False).count() == 0


def test_leaving_an_action_open_needs_a_note(client, heidi, centre):
    report = _draft(client, heidi, centre)
    _send(client, heidi, report)

    response = client.post(reverse("assessments:eqa_action_review", args=[report.actions.first().pk]), {"review": "still_open"})

    assert response.status_code == 400
    assert "an action left open needs a note" in response.content.decode()


def test_the_centres_people_see_sent_reports_at_home(client, heidi, grace, carol, centre, sample):
    report = _draft(client, heidi, centre, sample)
    _send(client, heidi, report)

    for person in (grace, carol):
        client.force_login(person)
        page = client.get(reverse("home")).content.decode()
        assert reverse("assessments:eqa_report_detail", args=[report.pk]) in page
        assert "2 actions open" in page


@pytest.mark.parametrize("sampled", [True, False], ids=["on-a-sample", "on-no-units"])
def test_who_reads_a_sent_report_is_the_same_rule_both_ways(heidi, grace, carol, ivan, alice, bob, frank, centre, sample, sampled):
    """`eqa_reports_visible_to` (for a person) and `eqa_report_readers` (for a report) state one rule."""
    report = EqaReport.objects.create(
        eqa=heidi, centre=centre, sample=sample if sampled else None, visited_on=TODAY, mode="remote",
        findings="Sound.", outcome="satisfactory", submitted_at=timezone.now(),
    )
    readers = set(access.eqa_report_readers(report))

    for person in (grace, carol, ivan, alice, bob, frank):
        assert (person in readers) == access.eqa_reports_visible_to(person).filter(pk=report.pk).exists(), person
    assert readers == ({grace, carol} if sampled else {grace, carol, ivan})


def test_once_the_eqas_access_has_ended_the_report_is_theirs_to_read_and_nothing_more(client, heidi, grace, centre, sample):
    """An outside tester closed an action after the centre had ended her access."""
    from portfolio.models import EqaGrant

    report = _draft(client, heidi, centre, sample)
    _send(client, heidi, report)
    first = report.actions.order_by("number").first()
    client.force_login(grace)
    client.post(
        reverse("assessments:eqa_action_answer", args=[first.pk]),
        {"response": "Minuted.", "progress": "done", "on": TODAY.isoformat()},
    )
    for grant in EqaGrant.objects.filter(person=heidi, centre=centre):
        grant.ended_at = timezone.now()
        grant.save(update_fields=["ended_at"])
    client.force_login(heidi)

    assert client.get(reverse("assessments:eqa_report_detail", args=[report.pk])).status_code == 200
    refused = client.post(reverse("assessments:eqa_action_review", args=[first.pk]), {"review": "closed", "note": ""})

    assert refused.status_code == 403
    first.refresh_from_db()
    assert not first.closed
