"""The centre's reports (ops/reports): figures against hand counts on a small centre, the filters,
the CSV downloads (streamed), and queries that do not grow with the centre.

The centre, by hand (tests/assessments/unit_case.py's cast):
- Alice on HSC331 (Bob): target date yesterday, 29 of 34 items met: overdue.
- Alice on H3 25 (Bob): 30 days gone of 210, nothing met: on track.
- Dave on HSC331 (Erin): target in 10 days, nothing met: at risk.
- One item of Alice's waits for Bob, submitted 14 working days ago; Bob accepted one item this month.
- Carol is the IQA of all three; she has countersigned an interim review of Alice's H3 25."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import voids
from assessments.caseload import waited_more_than
from assessments.centre_to_do import centre_to_do
from assessments.models import EqaAction, EqaReport, QualityReview, SignOff
from portfolio.models import Enrolment, Evidence, Invitation, QualificationRegistration
from standards.demo_qualification import demo_qualification
from standards.qualification_models import QualificationUnit
from tests.assessments.quality_records import sign_off
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = build_case()
    today = timezone.localdate()
    meet(case, case.hsc331, [accepted_evidence(case)], skip=5)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(start_date=today - datetime.timedelta(days=200),
                                                      target_date=today - datetime.timedelta(days=1))
    Enrolment.objects.filter(pk=case.dave_hsc331.pk).update(start_date=today - datetime.timedelta(days=100),
                                                           target_date=today + datetime.timedelta(days=10))
    waiting = submitted_evidence(case, title="Notes from the lunch club", references=["HSC331a.1"])
    long_ago = waited_more_than(14, today) + datetime.timedelta(hours=10)  # 14 working days ago
    Evidence.objects.filter(pk=waiting.pk).update(submitted_at=long_ago)
    now = timezone.now()
    QualityReview.objects.create(
        enrolment=case.h3_25, iqa=case.carol, stage=QualityReview.Stage.INTERIM,
        outcome=QualityReview.Outcome.COUNTERSIGNED, sampled_at=now, reviewed_at=now,
    )
    return case


def _get(client, person, name, centre, query=""):
    client.force_login(person)
    return client.get(reverse(f"ops:{name}", args=[centre.pk]) + query)


def _csv(response) -> list[dict]:
    assert response.streaming, "a report's CSV streams"
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff"), "a CSV download starts with the byte-order mark, for Excel on Windows"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_progress_gives_each_unit_its_status_and_share_met(client, case):
    rows = {(r["candidate"], r["unit"]): r for r in _csv(_get(client, case.grace, "report_progress_csv", case.centre))}
    assert {key: (r["items met"], r["per cent met"], r["status"]) for key, r in rows.items()} == {
        ("Alice Adams", "HSC331"): ("29", "85", "Overdue"),
        ("Alice Adams", "H3 25"): ("0", "0", "On track"),
        ("Dave Davies", "HSC331"): ("0", "0", "At risk"),
    }
    page = _get(client, case.grace, "report_progress", case.centre).content.decode()
    assert "Units not signed off: 3 units (on track 1; at risk 1; overdue 1)" in page
    assert "29 of 34 met (85%)" in page
    assert "Overdue: the target date has passed and the unit is not signed off." in page
    assert 'role="img"' in page and "<title id=" in page


def test_overdue_lists_only_the_unit_past_its_target(client, case):
    rows = _csv(_get(client, case.grace, "report_overdue_csv", case.centre))
    assert [(r["candidate"], r["unit"], r["days overdue"]) for r in rows] == [("Alice Adams", "HSC331", "1")]
    assert "1 unit past its target date" in _get(client, case.grace, "report_overdue", case.centre).content.decode()


def test_caseloads_and_waiting_times_by_assessor(client, case):
    rows = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}
    bob, erin = rows["Bob Baker"], rows["Erin Evans"]
    assert (bob["units not signed off"], bob["candidates with units not signed off"], bob["on track"], bob["overdue"]) == ("2", "1", "1", "1")
    assert (bob["evidence waiting"], bob["waiting more than 10 working days"], bob["longest wait (working days)"]) == ("1", "1", "14")
    assert (erin["units not signed off"], erin["at risk"], erin["evidence waiting"]) == ("1", "1", "0")
    page = _get(client, case.carol, "report_caseload", case.centre).content.decode()
    assert "Bob Baker: 1 item (up to 5 working days 0; 6 to 10 working days 0; more than 10 working days 1)" in page


def test_a_wait_of_under_a_day_is_said_as_the_assessors_home_says_it(client):
    case = build_case()
    submitted_evidence(case, title="Notes from the lunch club", references=["HSC331a.1"])
    page = _get(client, case.grace, "report_caseload", case.centre).content.decode()
    assert "less than a working day" in page and ">0 working days" not in page
    client.force_login(case.bob)
    assert "less than a working day" in client.get("/").content.decode()  # the same words on Bob's home


def test_decisions_per_assessor_per_month(client, case):
    rows = _csv(_get(client, case.grace, "report_decisions_csv", case.centre))
    month = f"{timezone.localdate():%Y-%m}"
    assert [(r["assessor"], r["month"], r["evidence judged"], r["evidence accepted"], r["items met"]) for r in rows] == [
        ("Bob Baker", month, "1", "1", "29")
    ]
    # Evidence judged, items met and units signed off are different kinds of decision: nothing adds them up.
    assert "total" not in rows[0]
    page = _get(client, case.grace, "report_decisions", case.centre).content.decode()
    assert f"{timezone.localdate():%B %Y}" in page
    assert '<th scope="col" class="text-end">Evidence judged</th>' in page and ">Total<" not in page
    later = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    assert _csv(_get(client, case.grace, "report_decisions_csv", case.centre, f"?date_from={later}")) == []


def test_sampling_coverage_by_iqa(client, case):
    rows = {r["IQA"]: r for r in _csv(_get(client, case.grace, "report_sampling_csv", case.centre))}
    carol = rows["Carol Clark"]
    assert (carol["units quality-assured"], carol["units sampled"], carol["per cent sampled"]) == ("3", "1", "33")
    assert (carol["assessors sampled"], carol["assessors"], carol["candidates sampled"], carol["candidates"]) == ("1", "2", "1", "2")
    assert rows["Ivan Ives"]["units quality-assured"] == "0"


def test_sampling_coverage_counts_standing_sign_offs_and_their_final_reviews(client, case):
    now = timezone.now()
    final = {"iqa": case.carol, "stage": QualityReview.Stage.FINAL, "outcome": QualityReview.Outcome.COUNTERSIGNED,
             "sampled_at": now, "reviewed_at": now}
    # Alice's HSC331: signed off and given a final review. Dave's: signed off, not reviewed yet.
    QualityReview.objects.create(enrolment=case.hsc331, sign_off=sign_off(case.hsc331), **final)
    sign_off(case.dave_hsc331)
    # Alice's H3 25 was signed off and reviewed, then unlocked: the sign-off is void, so neither counts.
    voided = sign_off(case.h3_25)
    QualityReview.objects.create(enrolment=case.h3_25, sign_off=voided, **final)
    SignOff.objects.filter(pk=voided.pk).update(voided_at=now, voided_by=case.bob)
    voided.refresh_from_db()  # signed, as an unlock signs its void (one written by hand unlocks nothing)
    SignOff.objects.filter(pk=voided.pk).update(void_signature=voids.void_signature(voided))
    carol = {r["IQA"]: r for r in _csv(_get(client, case.grace, "report_sampling_csv", case.centre))}["Carol Clark"]
    assert (carol["units quality-assured"], carol["signed off"], carol["signed off and reviewed"]) == ("3", "2", "1")


def test_filters_narrow_by_unit_assessor_qualification_and_target_date(client, case):
    def units(query):
        return sorted((r["candidate"], r["unit"]) for r in _csv(_get(client, case.grace, "report_progress_csv", case.centre, query)))

    h3_25 = case.h3_25.unit
    assert units(f"?unit={h3_25.pk}") == [("Alice Adams", "H3 25")]
    assert units(f"?assessor={case.erin.pk}") == [("Dave Davies", "HSC331")]
    qualification = demo_qualification()
    QualificationUnit.objects.filter(group__qualification=qualification, unit__code="HSC331").delete()
    QualificationRegistration.objects.create(centre=case.centre, candidate=case.alice, qualification=qualification,
                                             registered_by=case.grace)
    assert units(f"?qualification={qualification.pk}") == [("Alice Adams", "H3 25")]
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert units(f"?date_from={yesterday}&date_to={yesterday}") == [("Alice Adams", "HSC331")]
    assert units("?status=at-risk") == [("Dave Davies", "HSC331")]
    # Another centre's assessor, or a date that is no date, is ignored and said to be wrong.
    response = _get(client, case.grace, "report_progress", case.centre, f"?assessor={case.frank.pk}&date_from=soon")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "named"),
    [("?assessor=999", "Assessor:"), ("?unit=abc", "Unit:"), ("?date_from=notadate", "From:"),
     ("?qualification=1&date_from=2026-02-01&date_to=2026-01-01", "To: The end date")],
)
def test_a_csv_with_a_wrong_filter_is_refused_not_every_row(client, case, query, named):
    for name in ("report_progress_csv", "report_caseload_csv", "report_decisions_csv"):
        response = _get(client, case.grace, name, case.centre, query)
        assert response.status_code == 400, (name, query)
        assert response["Content-Type"].startswith("text/plain")
        text = response.content.decode()
        assert "The report was not downloaded: a filter is not right." in text and named in text
    # Another centre's assessor is as wrong as one that does not exist.
    assert _get(client, case.grace, "report_overdue_csv", case.centre, f"?assessor={case.frank.pk}").status_code == 400
    # Right filters, and none, still download.
    assert _get(client, case.grace, "report_progress_csv", case.centre, f"?assessor={case.bob.pk}").status_code == 200
    assert _get(client, case.grace, "report_progress_csv", case.centre, "?assessor=&unit=").status_code == 200


def test_a_status_is_refused_only_by_the_report_that_has_a_status_filter(client, case):
    progress = _get(client, case.grace, "report_progress_csv", case.centre, "?status=zzz")
    assert progress.status_code == 400 and "Status:" in progress.content.decode()
    # The other reports have no Status filter: the parameter is ignored and every row downloads.
    for name in ("report_caseload_csv", "report_overdue_csv", "report_decisions_csv", "report_sampling_csv"):
        response = _get(client, case.grace, name, case.centre, "?status=zzz")
        assert response.status_code == 200, name
    rows = _csv(_get(client, case.grace, "report_caseload_csv", case.centre, "?status=zzz"))
    assert {r["assessor"] for r in rows} >= {"Bob Baker", "Erin Evans"}


def test_another_centres_administrator_finds_no_report(client, case):
    for name in ("reports", "report_progress", "report_caseload_csv", "report_sampling"):
        assert _get(client, case.frank, name, case.centre).status_code == 404
    # Nor may an IQA read the reports naming candidates.
    assert _get(client, case.carol, "report_progress", case.centre).status_code == 404


def _grow(case, candidates: int) -> None:
    for n in range(candidates):
        candidate = member(case.centre, "candidate", first_name=f"Extra{n}", last_name="Learner", email=f"extra{n}@example.org")
        assessor = member(case.centre, "assessor", first_name=f"Assessor{n}", last_name="Extra", email=f"assessor{n}@example.org")
        enrol(candidate, "HSC331", assessor=assessor, iqa=case.carol, centre=case.centre)


@pytest.mark.parametrize("name", ["report_progress", "report_overdue", "report_caseload", "report_decisions", "report_sampling"])
def test_a_reports_queries_do_not_grow_with_the_centre(client, case, name):
    client.force_login(case.grace)
    url = reverse(f"ops:{name}", args=[case.centre.pk])
    counts = []
    for more in (2, 8):
        _grow(case, more) if not counts else _grow_more(case, more)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _grow_more(case, candidates: int) -> None:
    for n in range(100, 100 + candidates):
        candidate = member(case.centre, "candidate", first_name=f"Extra{n}", last_name="Learner", email=f"extra{n}@example.org")
        assessor = member(case.centre, "assessor", first_name=f"Assessor{n}", last_name="Extra", email=f"assessor{n}@example.org")
        enrol(candidate, "H3 25", assessor=assessor, iqa=case.ivan, centre=case.centre)


def test_the_administrators_home_says_what_needs_doing(client, case):
    client.force_login(case.grace)
    page = client.get("/").content.decode()
    overdue = reverse("ops:report_overdue", args=[case.centre.pk])
    caseload = reverse("ops:report_caseload", args=[case.centre.pk])
    assert f'<a href="{overdue}">1 unit overdue</a>' in page
    progress = reverse("ops:report_progress", args=[case.centre.pk])
    assert f'<a href="{progress}?status=at-risk">1 unit at risk</a>' in page
    assert f'<a href="{caseload}">1 piece of evidence waiting more than 10 working days</a>' in page
    assert "No claim ready to make" in page
    assert "No invitation waiting to be accepted" in page


def test_what_needs_doing_counts_invitations_and_the_eqas_actions(client, case):
    now = timezone.now()
    for n, expires in enumerate((now + datetime.timedelta(days=3), now - datetime.timedelta(days=1))):
        Invitation.objects.create(
            centre=case.centre, name=f"New Person{n}", email=f"new{n}@example.org", role="candidate",
            token_digest=f"digest-{n}", invited_by=case.grace, sent_at=now, expires_at=expires,
        )
    Invitation.objects.create(
        centre=case.centre, name="Accepted", email="in@example.org", role="candidate", token_digest="digest-in",
        invited_by=case.grace, sent_at=now, expires_at=now, accepted_at=now,
    )
    report = EqaReport.objects.create(
        eqa=case.people["heidi"], centre=case.centre,
        visited_on=timezone.localdate(), mode="remote", findings="Sound.", outcome="with_actions", submitted_at=now,
    )
    today = timezone.localdate()
    EqaAction.objects.create(report=report, number=1, text="Record observations fully.", due_on=today - datetime.timedelta(days=1))
    EqaAction.objects.create(report=report, number=2, text="Hold a standardisation meeting.", due_on=today + datetime.timedelta(days=9))
    EqaAction.objects.create(report=report, number=3, text="Closed one.", due_on=today, review="closed")
    EqaAction.objects.create(report=report, number=4, text="Answered one.", due_on=today, response="Done.",
                             done_on=today, answered_by=case.grace, answered_at=now)
    to_do = centre_to_do(case.centre)
    assert (to_do.invitations_pending, to_do.invitations_expired) == (1, 1)
    assert (to_do.eqa_actions_due, to_do.eqa_actions_past_due) == (2, 1)
    assert (to_do.overdue_units, to_do.at_risk_units, to_do.late_evidence, to_do.claims_ready) == (1, 1, 1, 0)
    client.force_login(case.grace)
    page = client.get("/").content.decode()
    # The link leads to the invitations themselves, not the people above them.
    centre_page = reverse("assessments:centre_detail", args=[case.centre.pk])
    assert f'<a href="{centre_page}#invitations-heading">2 invitations not accepted</a>' in page
    assert 'id="invitations-heading"' in client.get(centre_page).content.decode()
    assert "2 invitations not accepted</a> <span class=\"badge text-bg-warning\">1 expired</span>" in page
    assert "2 EQA actions to answer</a> <span class=\"badge text-bg-warning\">1 past its due date</span>" in page


def test_a_deactivated_candidates_units_are_counted_apart_and_a_deactivated_assessor_is_marked(client, case):
    """Tester's finding: a deactivated candidate counted as on track and as a candidate in a caseload,
    and the reports named deactivated people plainly, unlike the centre page."""
    from portfolio.models import DeactivatedMembership, Membership
    from portfolio.services_people import membership_deactivate

    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")
    # Erin left after her units were signed off, and Dave's was unlocked since: it still names her.
    Membership.objects.filter(person=case.erin, centre=case.centre).delete()
    DeactivatedMembership.objects.create(person=case.erin, centre=case.centre, roles=["assessor"],
                                         deactivated_by=case.grace)

    # The CSV lists Alice's units too, each marked as left out of the figures.
    rows = _csv(_get(client, case.grace, "report_progress_csv", case.centre))
    left_out = "no: candidate deactivated, unit not signed off"
    assert [(r["candidate"], r["unit"], r["assessor"], r["status"], r["in the report's figures"]) for r in rows] == [
        ("Alice Adams (deactivated)", "H3 25", "Bob Baker", "On track", left_out),
        ("Alice Adams (deactivated)", "HSC331", "Bob Baker", "Overdue", left_out),
        ("Dave Davies", "HSC331", "Erin Evans (deactivated)", "At risk", "yes"),
    ]
    page = " ".join(_get(client, case.grace, "report_progress", case.centre).content.decode().split())
    assert "Units not signed off: 1 unit (on track 0; at risk 1; overdue 0)" in page
    assert "Not counted here: 2 units of deactivated candidates, not signed off (their signed-off units count)." in page
    assert "Erin Evans (deactivated)" in page
    assert [(r["candidate"], r["in the report's figures"]) for r in _csv(_get(client, case.grace, "report_overdue_csv", case.centre))] == [
        ("Alice Adams (deactivated)", left_out)]
    overdue = " ".join(_get(client, case.grace, "report_overdue", case.centre).content.decode().split())
    assert "Not counted here: 1 overdue unit of deactivated candidates." in overdue
    bob = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}["Bob Baker"]
    assert (bob["units not signed off"], bob["candidates with units not signed off"], bob["evidence waiting"]) == ("0", "0", "0")
    to_do = centre_to_do(case.centre)
    assert (to_do.overdue_units, to_do.at_risk_units, to_do.late_evidence) == (0, 1, 0)
