"""A unit's dates within reach of today, as an outside tester found them unbounded: registering with
a start of 0001-01-01 and a target of 9999-12-31 was accepted (the unit then rated "At risk"), and
so was changing a target date to 9999-12-31. One rule (`services_centre.require_case_dates_within_reach`)
for registering a unit or a qualification and for changing a target date: the start no more than 5
years ago, the target no more than 5 years away.

The centre is tests/assessments/unit_case.py's: Dave is on HSC331 only; Bob assesses, Carol is IQA."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Enrolment, EnrolmentStatus, QualificationRegistration
from portfolio.services_centre import (
    DatesRefused,
    Refused,
    enrolment_register,
    require_new_case_dates,
    years_from,
)
from portfolio.services_enrolments import enrolment_withdraw
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def _years(n: int) -> datetime.date:
    return years_from(timezone.localdate(), n)


def _register_dave_on_h3_25(client, case, start: datetime.date, target: datetime.date):
    client.force_login(case.grace)
    return client.post(reverse("portfolio:enrolment_create", args=[case.centre.pk]), {
        "candidate": case.dave.pk, "unit": case.h3_25.unit.pk, "assessor": case.bob.pk, "iqa": case.carol.pk,
        "start_date": start.isoformat(), "target_date": target.isoformat(), "registration_number": "",
    })


def _text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


@pytest.mark.parametrize(("start", "target", "message"), [
    (datetime.date(1, 1, 1), None, "The start date is more than 5 years ago: choose a date on or after"),
    (None, datetime.date(9999, 12, 31), "The target date is more than 5 years away: choose a date on or before"),
    # A start in year 9999 is a slip of the start's own year, not a target before it (issue 16).
    (datetime.date(9999, 12, 31), None, "The start date is more than 5 years away: choose a date on or before"),
    (years_from(datetime.date.today(), 5) + datetime.timedelta(days=7), None, "The start date is more than 5 years away"),
])
def test_a_unit_is_not_registered_with_dates_out_of_reach(client, case, start, target, message):
    today = timezone.localdate()
    response = _register_dave_on_h3_25(client, case, start or today, target or today + datetime.timedelta(days=180))
    assert message in _text(response)
    assert not Enrolment.objects.filter(candidate=case.dave, unit=case.h3_25.unit).exists()


def test_dates_at_the_edge_of_reach_register(client, case):
    response = _register_dave_on_h3_25(client, case, _years(-5), _years(5))
    assert response.status_code == 302
    assert Enrolment.objects.filter(candidate=case.dave, unit=case.h3_25.unit).exists()


def test_a_qualification_is_not_registered_with_a_target_out_of_reach(client, case):
    qualification = demo_qualification()
    client.force_login(case.grace)
    today = timezone.localdate()
    response = client.post(reverse("portfolio:qualification_register", args=[case.centre.pk, qualification.pk]), {
        "candidate": case.dave.pk, "assessor": case.bob.pk, "iqa": case.carol.pk, "start_date": today.isoformat(),
        "target_date": "9999-12-31", "optional_units": [Unit.objects.get(code="H3 25", version=1).pk],
    })
    assert "The target date is more than 5 years away" in _text(response)
    assert not QualificationRegistration.objects.filter(candidate=case.dave).exists()


def test_a_target_date_is_not_changed_to_one_out_of_reach(client, case):
    client.force_login(case.grace)
    url = reverse("portfolio:enrolment_target_date", args=[case.dave_hsc331.pk])
    assert "Today or later, within 5 years." in _text(client.get(url))
    before = case.dave_hsc331.target_date
    response = client.post(url, {"target_date": "9999-12-31", "reason": "No end in sight."})
    assert response.status_code == 400
    assert "The target date is more than 5 years away" in _text(response)
    case.dave_hsc331.refresh_from_db()
    assert case.dave_hsc331.target_date == before
    response = client.post(url, {"target_date": _years(5).isoformat(), "reason": "A longer course."})
    case.dave_hsc331.refresh_from_db()
    assert case.dave_hsc331.target_date == _years(5)


# A unit registered to start later is left before its start (issue 16, tester's finding) ---------


@pytest.fixture
def dave_starting_later(client, case):
    """Dave registered today on H3 25, to start in two years."""
    today = timezone.localdate()
    assert _register_dave_on_h3_25(client, case, _years(2), _years(3)).status_code == 302
    enrolment = Enrolment.objects.get(candidate=case.dave, unit=case.h3_25.unit)
    assert enrolment.start_date > today
    return enrolment


@pytest.mark.parametrize(("page", "fields", "status"), [
    ("enrolment_withdraw", {}, EnrolmentStatus.WITHDRAWN),
    ("enrolment_transfer", {"to_centre": "Hillside College"}, EnrolmentStatus.TRANSFERRED),
])
def test_a_unit_not_started_yet_is_withdrawn_or_transferred_today(client, case, dave_starting_later, page, fields, status):
    url = reverse(f"portfolio:{page}", args=[dave_starting_later.pk])
    at_start = client.post(url, {**fields, "effective_date": dave_starting_later.start_date.isoformat(), "reason": "Moved."})
    assert "The date cannot be in the future" in _text(at_start)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    before_registered = client.post(url, {**fields, "effective_date": yesterday.isoformat(), "reason": "Moved."})
    assert "The date cannot be before the candidate was registered on the unit" in _text(before_registered)
    dave_starting_later.refresh_from_db()
    assert dave_starting_later.status == EnrolmentStatus.ACTIVE

    response = client.post(url, {**fields, "effective_date": timezone.localdate().isoformat(), "reason": "Moved."})

    assert response.status_code == 302
    dave_starting_later.refresh_from_db()
    assert dave_starting_later.status == status


def test_a_started_unit_is_still_not_left_before_its_start(case):
    started = case.dave_hsc331
    started.start_date = timezone.localdate() - datetime.timedelta(days=10)
    started.save(update_fields=["start_date"])
    with pytest.raises(Refused, match="The date cannot be before the unit's start date"):
        enrolment_withdraw(enrolment=started, effective_date=started.start_date - datetime.timedelta(days=1),
                           reason="Left.", changed_by=case.grace)
    enrolment_withdraw(enrolment=started, effective_date=started.start_date, reason="Left.", changed_by=case.grace)
    started.refresh_from_db()
    assert started.status == EnrolmentStatus.WITHDRAWN


# Every wrong date at once, beside its own field (issue 16, tester's finding: registering with two
# wrong dates said one, and the other only once the first was put right) --------------------------


def _beside(response, field: str) -> str:
    """The words of the message shown beside a field (under its box), "" if none."""
    found = re.search(rf'<div id="id_{field}_error" class="invalid-feedback">(.*?)</div>', response.content.decode(), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


AGO = "The start date is more than 5 years ago: choose a date on or after"
START_AWAY = "The start date is more than 5 years away: choose a date on or before"
TARGET_AWAY = "The target date is more than 5 years away: choose a date on or before"
PASSED = "The target date has passed: choose today or a later date, one the candidate can still meet."


@pytest.mark.parametrize(("start", "target", "start_message", "target_message"), [
    ("0001-01-01", "9999-12-31", AGO, TARGET_AWAY),
    ("9999-12-31", "9999-12-31", START_AWAY, TARGET_AWAY),
    ("0001-01-01", "2001-01-01", AGO, PASSED),
])
def test_a_unit_registration_with_two_wrong_dates_says_both_beside_their_fields(client, case, start, target,
                                                                                start_message, target_message):
    response = _register_dave_on_h3_25(client, case, datetime.date.fromisoformat(start),
                                       datetime.date.fromisoformat(target))

    assert response.status_code == 400
    assert _beside(response, "start_date").startswith(start_message)
    assert _beside(response, "target_date").startswith(target_message)
    summary = _text(response)
    assert start_message in summary and target_message in summary
    assert not Enrolment.objects.filter(candidate=case.dave, unit=case.h3_25.unit).exists()


def test_wrong_dates_are_said_with_whatever_else_is_wrong(client, case):
    """No candidate ticked and both dates wrong: all three said at once, not the dates after."""
    client.force_login(case.grace)
    response = client.post(reverse("portfolio:enrolment_create", args=[case.centre.pk]), {
        "unit": case.h3_25.unit.pk, "assessor": case.bob.pk, "iqa": case.carol.pk,
        "start_date": "0001-01-01", "target_date": "9999-12-31",
    })
    assert "Tick at least one candidate." in _text(response)
    assert _beside(response, "start_date").startswith(AGO)
    assert _beside(response, "target_date").startswith(TARGET_AWAY)


def test_a_start_that_is_no_date_leaves_the_target_still_checked(client, case):
    client.force_login(case.grace)
    response = client.post(reverse("portfolio:enrolment_create", args=[case.centre.pk]), {
        "candidate": case.dave.pk, "unit": case.h3_25.unit.pk, "assessor": case.bob.pk, "iqa": case.carol.pk,
        "start_date": "10000-01-01", "target_date": "9999-12-31",
    })
    assert _beside(response, "start_date") == "Enter a valid date."
    assert _beside(response, "target_date").startswith(TARGET_AWAY)


def test_a_qualification_registration_with_two_wrong_dates_says_both_beside_their_fields(client, case):
    qualification = demo_qualification()
    client.force_login(case.grace)
    response = client.post(reverse("portfolio:qualification_register", args=[case.centre.pk, qualification.pk]), {
        "candidate": case.dave.pk, "assessor": case.bob.pk, "iqa": case.carol.pk, "start_date": "0001-01-01",
        "target_date": "9999-12-31", "optional_units": [Unit.objects.get(code="H3 25", version=1).pk],
    })
    assert response.status_code == 400
    assert _beside(response, "start_date").startswith(AGO)
    assert _beside(response, "target_date").startswith(TARGET_AWAY)
    assert not QualificationRegistration.objects.filter(candidate=case.dave).exists()


def test_a_target_date_change_says_its_refusal_beside_the_field(client, case):
    client.force_login(case.grace)
    url = reverse("portfolio:enrolment_target_date", args=[case.dave_hsc331.pk])
    response = client.post(url, {"target_date": "9999-12-31", "reason": "No end in sight."})
    assert _beside(response, "target_date").startswith(TARGET_AWAY)


def test_the_services_refuse_every_wrong_date_at_once(case):
    """The rule the forms show is the one the services ask again: each date by its field."""
    with pytest.raises(DatesRefused) as refused:
        require_new_case_dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
    said = dict(refused.value.by_field())
    assert said["start_date"].startswith(AGO) and said["target_date"].startswith(TARGET_AWAY)
    today = timezone.localdate()
    with pytest.raises(DatesRefused) as refused:
        enrolment_register(centre=case.centre, registered_by=case.grace, candidate=case.dave, unit=case.h3_25.unit,
                           assessor=case.bob, iqa=case.carol, start_date=_years(6),
                           target_date=today - datetime.timedelta(days=1))
    assert [field for field, _ in refused.value.by_field()] == ["start_date", "target_date"]


# A target date is not changed to one already passed (outside tester: 30 November 2026 was accepted on
# 4 December 2026, though registering refuses it): the one rule, `services_centre.target_passed` ------


def _dave_started_a_month_ago(case) -> Enrolment:
    today = timezone.localdate()
    enrolment = case.dave_hsc331
    enrolment.start_date, enrolment.target_date = today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)
    enrolment.save(update_fields=["start_date", "target_date"])
    return enrolment


def test_a_target_date_is_not_changed_to_yesterday_but_to_today(client, case):
    enrolment = _dave_started_a_month_ago(case)
    before = enrolment.target_date
    client.force_login(case.grace)
    url = reverse("portfolio:enrolment_target_date", args=[enrolment.pk])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(url, {"target_date": yesterday.isoformat(), "reason": "Behind with the course."})

    assert response.status_code == 400
    assert _beside(response, "target_date") == PASSED  # the words registering says, beside the date
    enrolment.refresh_from_db()
    assert enrolment.target_date == before and not enrolment.changes.exists()

    response = client.post(url, {"target_date": timezone.localdate().isoformat(), "reason": "Finishing today."})

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.target_date == timezone.localdate()


def test_a_target_date_before_a_later_start_is_still_refused_as_such(client, case):
    """A unit starting next week: today is not passed, but it is before the start, and said so."""
    enrolment = case.dave_hsc331
    today = timezone.localdate()
    enrolment.start_date, enrolment.target_date = today + datetime.timedelta(days=7), today + datetime.timedelta(days=90)
    enrolment.save(update_fields=["start_date", "target_date"])
    client.force_login(case.grace)

    response = client.post(reverse("portfolio:enrolment_target_date", args=[enrolment.pk]),
                           {"target_date": today.isoformat(), "reason": "Sooner."})

    assert response.status_code == 400
    assert _beside(response, "target_date").startswith("The target date cannot be before the start date,")
    enrolment.refresh_from_db()
    assert enrolment.target_date == today + datetime.timedelta(days=90)
