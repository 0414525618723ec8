"""Portfolio 0052 seals the events already written, each centre's in the order written, so that on an
installation that had them a null seal afterwards means an event put in behind the portfolio's back;
and the database still refuses to change an event afterwards (on SQLite a new column with a default,
or an altered one, would have copied the table and dropped its trigger)."""

import pytest
from django.db import DatabaseError, connection, transaction

from portfolio import audit, audit_chain
from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, Centre
from tests.migrating import latest, migrate_to

BEFORE = [("portfolio", "0051_enrolment_sign_off_seal")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_every_centres_events_in_order_and_the_trail_stays_append_only():
    newest = latest()
    try:
        old = migrate_to(BEFORE)
        centres = old.get_model("portfolio", "Centre").objects
        riverside = centres.create(name="Riverside Training", code="riverside")
        hillside = centres.create(name="Hillside College", code="hillside")
        events = old.get_model("portfolio", "AuditEvent").objects
        for n, centre in enumerate([riverside, hillside, riverside, riverside, hillside]):
            events.create(action="portfolio.centre.renamed", centre=centre, summary=f"Renamed, {n}",
                          before={"name": f"Old {n}"}, after={"name": f"New {n}", "list": [n, 1.5, None]})
    finally:
        migrate_to(newest)

    by_centre = {
        code: list(AuditEvent.objects.filter(centre__code=code).order_by("pk").values_list("pk", "previous", "seal"))
        for code in ("riverside", "hillside")
    }
    for trail in by_centre.values():
        assert all(seal for _, _, seal in trail)
        assert [previous for _, previous, _ in trail] == [None] + [pk for pk, _, _ in trail[:-1]]
    riverside = Centre.objects.get(code="riverside")
    assert list(audit_chain.centre_problems(riverside)) == []
    assert list(audit_chain.centre_problems(Centre.objects.get(code="hillside"))) == []
    # What the portfolio writes next follows the last event the migration sealed.
    event = audit.record(PortfolioAction.CENTRE_RENAMED, actor=None, centre=riverside, summary="Renamed again")
    assert event.previous == by_centre["riverside"][-1][0]
    assert list(audit_chain.centre_problems(riverside)) == []
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE portfolio_auditevent SET summary = %s WHERE id = %s", ["Rewritten", event.pk])
