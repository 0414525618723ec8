"""The audit trail is a chain of sealed events (an outside trial deleted events on SQLite and inserted
forged ones on both databases, and nothing noticed): an event deleted, put in or changed in the
database is named, in words, by the check, whichever event of the centre it was.

Grace runs Riverside; Frank runs Hillside."""

import datetime

import pytest
from django.utils import timezone

from portfolio import audit, audit_chain
from portfolio.audit import PortfolioAction
from portfolio.dates import day_time_zoned as day_time  # as the check words an event: with its zone
from portfolio.models import AuditEvent
from portfolio.signing import audit_event_seal
from tests.portfolio import audit_tampering

pytestmark = pytest.mark.django_db


def _event(centre, actor, summary: str, **facts) -> AuditEvent:
    return audit.record(PortfolioAction.CENTRE_RENAMED, actor=actor, centre=centre, summary=summary, **facts)


def _problems(centre) -> list[str]:
    return [problem.words for problem in audit_chain.centre_problems(centre)]


@pytest.fixture
def trail(centre, grace):
    return [_event(centre, grace, f"Renamed the centre, {n}", after={"name": f"Riverside {n}"}) for n in range(4)]


def test_events_written_by_the_portfolio_hold_at_two_centres(trail, other_centre, frank, centre):
    _event(other_centre, frank, "Renamed Hillside", before={"name": "Hill", "ids": (3, 1)}, after={2: ["x"]})
    _event(centre, None, "Unicode “quotes” and ünïcödé", after={"nested": {"z": 1.5, "a": [True, None]}})

    assert _problems(centre) == [] and _problems(other_centre) == []
    # Each follows the one written before it at its own centre, the first none.
    assert [e.previous for e in trail] == [None] + [e.pk for e in trail[:-1]]
    assert AuditEvent.objects.get(centre=other_centre).previous is None


def test_what_the_seal_signs_reads_back_the_same_from_the_database(trail):
    written = trail[-1]
    read = AuditEvent.objects.get(pk=written.pk)
    assert read.at == written.at and read.at.microsecond == written.at.microsecond
    assert (read.before, read.after) == (written.before, written.after)
    assert audit_event_seal(read, AuditEvent.objects.get(pk=read.previous).seal) == written.seal


def test_an_event_deleted_in_sql_is_named_with_the_event_that_followed_it(trail, centre):
    audit_tampering.delete(trail[1])

    follower = trail[2]
    assert _problems(centre) == [
        f"Event {trail[1].pk}, which the event of {day_time(follower.at)} (event {follower.pk}, "
        f"“Renamed the centre, 2”) follows, has been deleted."
    ]


def test_an_event_inserted_without_a_seal_is_named(trail, centre, grace):
    AuditEvent.objects.bulk_create([AuditEvent(
        action=PortfolioAction.CENTRE_RENAMED, actor=grace, centre=centre, summary="Renamed the centre, forged",
    )])
    forged = AuditEvent.objects.get(summary="Renamed the centre, forged")

    assert _problems(centre) == [
        f"The event of {day_time(forged.at)} (event {forged.pk}, “Renamed the centre, forged”) has no seal: it was "
        "put into the audit trail outside the portfolio."
    ]


def test_an_event_inserted_with_a_seal_copied_from_another_is_named(trail, centre, grace):
    last = trail[-1]
    AuditEvent.objects.bulk_create([AuditEvent(
        action=last.action, actor=grace, actor_name=last.actor_name, centre=centre, summary="Renamed it, forged",
        after=last.after, at=timezone.now(), previous=last.pk, seal=last.seal,
    )])

    [problem] = _problems(centre)
    assert "(event " in problem and "“Renamed it, forged”) does not match its seal" in problem


def test_an_event_whose_summary_is_changed_in_sql_is_named(trail, centre):
    audit_tampering.rewrite_summary(trail[1], "Nothing happened")

    assert _problems(centre) == [
        f"The event of {day_time(trail[1].at)} (event {trail[1].pk}, “Nothing happened”) does not match its seal: "
        f"it was changed, or put into the audit trail, outside the portfolio, or the event it follows "
        f"(event {trail[0].pk}) was."
    ]


def test_a_seal_changed_in_sql_is_named_with_the_event_that_followed_it(trail, centre):
    audit_tampering.in_sql("UPDATE portfolio_auditevent SET seal = %s WHERE id = %s", ["0" * 64, trail[1].pk])

    named = [problem.event_id for problem in audit_chain.centre_problems(centre)]
    assert named == [trail[1].pk, trail[2].pk]


def test_two_events_written_at_once_may_follow_the_same_event(trail, centre, grace):
    """On PostgreSQL two writers may both read the same latest event: a fork, not a break."""
    first = trail[-1]
    for summary in ("Written at once, 1", "Written at once, 2"):
        twin = AuditEvent(action=PortfolioAction.CENTRE_RENAMED, actor=grace, actor_name="Grace Gordon",
                          centre=centre, summary=summary, at=timezone.now(), previous=first.pk)
        twin.seal = audit_event_seal(twin, first.seal)
        twin.save()
    _event(centre, grace, "And then another")

    assert AuditEvent.objects.filter(previous=first.pk).count() == 2
    assert _problems(centre) == []


def test_the_check_reads_a_big_trail_in_a_fixed_number_of_queries(trail, centre, grace, django_assert_max_num_queries):
    for n in range(30):
        _event(centre, grace, f"More {n}")
    with django_assert_max_num_queries(3):
        assert _problems(centre) == []


def test_a_page_of_events_is_checked_with_a_query_for_the_events_they_follow_and_one_for_copies(
    trail, centre, django_assert_num_queries
):
    audit_tampering.delete(trail[0])
    shown = list(AuditEvent.objects.filter(pk__in=[e.pk for e in trail[1:]]).order_by("-id"))

    with django_assert_num_queries(2):
        problems = audit_chain.page_problems(shown)

    assert [p.event_id for p in problems] == [trail[1].pk]
    assert problems[0].words.startswith(f"Event {trail[0].pk}, which the event of ")


def test_times_keep_their_microseconds(centre, grace):
    moment = datetime.datetime(2026, 6, 1, 9, 15, 30, 123456, tzinfo=datetime.UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        event = _event(centre, grace, "At a moment")
    assert AuditEvent.objects.get(pk=event.pk).at == moment
    assert _problems(centre) == []


def _copied(event: AuditEvent) -> AuditEvent:
    """An event copied whole into the trail (facts, previous and seal), under a new id."""
    fields = {f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields if not f.primary_key}
    [copy] = AuditEvent.objects.bulk_create([AuditEvent(**fields)])
    return copy


def test_an_event_copied_whole_is_named_and_cannot_stand_in_for_the_newest_deleted(trail, centre, client, grace):
    """An outside trial copied an event (same facts, previous and seal), which passed as two events
    written at once; and deleted the newest events, copying old ones in to keep the count."""
    audit_tampering.delete(trail[3])
    copy = _copied(trail[1])

    found = _problems(centre)

    assert found == [f"The event of {day_time(copy.at)} (event {copy.pk}, “Renamed the centre, 1”) is a copy of event "
                     f"{trail[1].pk}: it was put into the audit trail outside the portfolio."]
    assert [p.event_id for p in audit_chain.page_problems(list(AuditEvent.objects.filter(centre=centre)))] == [copy.pk]
