"""What an administrator of a large centre notices: lists a page at a time whatever the centre's size
(the filters kept from page to page), CSV downloads sent a row at a time with every row in them, and
the home's "what needs doing" counting no further than it needs to say."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import centre_to_do
from ops.reports import units as unit_reports
from portfolio.models import Enrolment, EnrolmentStatus, EqaVisit, Membership, QualificationRegistration, Role
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.assessments.unit_case import build_case
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

GROWN = 12  # candidates added to the case, each with one HSC331 unit and an assessor of their own


@pytest.fixture
def case():
    case = build_case()
    for n in range(GROWN):
        candidate = member(case.centre, "candidate", first_name=f"Extra{n:02}", last_name="Learner", email=f"extra{n}@example.org")
        assessor = member(case.centre, "assessor", first_name=f"Assessor{n:02}", last_name="Extra", email=f"assessor{n}@example.org")
        enrol(candidate, "HSC331", assessor=assessor, iqa=case.carol, centre=case.centre)
    return case


def _rows(response) -> list[list[str]]:
    assert response.streaming, "sent a row at a time"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_progress_report_lists_a_page_of_units_and_keeps_its_filter(client, case, monkeypatch):
    monkeypatch.setattr(unit_reports, "PER_PAGE", 5)
    client.force_login(case.grace)
    url = reverse("ops:report_progress", args=[case.centre.pk])
    units = Enrolment.objects.filter(centre=case.centre, status=EnrolmentStatus.ACTIVE).count()
    assert units == GROWN + 3  # Alice's two units and Dave's, by hand, and the twelve grown

    page = client.get(url).content.decode()
    assert page.count('<span class="visually-hidden"> on ') == 5
    assert f"{units} units." in page and "Page 1 of 3" in page
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count('<span class="visually-hidden"> on ') == units - 10

    on_track = client.get(url, {"status": "on-track"}).content.decode()
    assert "Page 1 of" in on_track and "status=on-track&amp;page=2" in on_track


def test_every_report_csv_streams_every_row(client, case):
    client.force_login(case.grace)

    def download(name: str) -> list[list[str]]:
        return _rows(client.get(reverse(f"ops:report_{name}_csv", args=[case.centre.pk])))

    progress = download("progress")
    assert progress[0][:3] == ["candidate", "candidate email", "unit"]
    assert len(progress) - 1 == GROWN + 3  # one row a unit, by hand as above
    assessors = Membership.objects.filter(centre=case.centre, role=Role.ASSESSOR).count()
    assert assessors == GROWN + 2  # Bob and Erin (Dave's assessor), and the twelve
    assert len(download("caseload")) - 1 == assessors
    assert len(download("sampling")) - 1 == Membership.objects.filter(centre=case.centre, role=Role.IQA).count()
    assert download("overdue") == [unit_reports.OVERDUE_HEADER]  # nothing past its target yet
    Enrolment.objects.filter(candidate__email__startswith="extra").update(
        start_date=timezone.localdate() - datetime.timedelta(days=60), target_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert len(download("overdue")) - 1 == GROWN
    assert download("decisions")[0][:3] == ["assessor", "email", "month"]


def test_the_eqa_access_log_csv_streams_every_visit(client, case):
    now = timezone.now()
    for n in range(7):
        EqaVisit.objects.create(person=case.people["heidi"], centre=case.centre, path=f"/p/{n}/", what=f"Unit page: {n}", opened_at=now)
    client.force_login(case.grace)
    rows = _rows(client.get(reverse("portfolio:eqa_visits_download", args=[case.centre.pk])))
    assert rows[0] == ["opened_at_utc", "name", "email", "what", "address"] and len(rows) == 8


def test_what_needs_doing_says_more_than_once_a_count_passes_its_bound(client, case, monkeypatch):
    Enrolment.objects.filter(candidate__email__startswith="extra").update(
        start_date=timezone.localdate() - datetime.timedelta(days=60), target_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(case.grace)
    assert f"{GROWN} units overdue" in client.get("/").content.decode()
    monkeypatch.setattr(centre_to_do, "SHOWN_UP_TO", 9)
    assert centre_to_do.centre_to_do(case.centre).overdue_units == 10  # counted no further than it says
    assert "More than 9 units overdue" in client.get("/").content.decode()


def test_the_centre_page_lists_a_page_of_qualification_registrations(client, case, monkeypatch):
    import assessments.views.centre as centre_view

    monkeypatch.setattr(centre_view, "PAGE_SIZE", 4)
    mandatory = list(Unit.objects.filter(code="HSC331"))
    client.force_login(case.grace)
    url = reverse("assessments:centre_detail", args=[case.centre.pk])
    counts = []
    for candidates in (range(0, 4), range(4, 12)):
        for n in candidates:
            registration = QualificationRegistration.objects.create(
                centre=case.centre, candidate=_extra(n),
                qualification=demo_qualification(), registered_by=case.grace,
            )
            registration.units.set(mandatory)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        counts.append(len(queries))
        assert page.count("<td>0 of 1</td>") == 4  # units signed off, a row each: a page of four
    assert counts[0] == counts[1], counts
    assert "Page 1 of 3" in page
    second = client.get(url, {"registrations_page": 3, "role": "candidate"}).content.decode()
    assert second.count("<td>0 of 1</td>") == 4 and "Page 3 of 3" in second


def _extra(n: int):
    from portfolio.models import Person

    return Person.objects.get(email=f"extra{n}@example.org")
