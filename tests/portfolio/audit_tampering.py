"""What an insider with the database does to the audit trail, in SQL, past the portfolio: the
append-only triggers (portfolio 0004, 0005) dropped for the statement and made again, as the
database's owner can. Inside the test's transaction, so the triggers stand again afterwards anyway."""

from django.db import connection

from portfolio.models import AuditEvent

TRIGGERS = {
    "sqlite": (
        "DROP TRIGGER portfolio_auditevent_no_update",
        """CREATE TRIGGER portfolio_auditevent_no_update BEFORE UPDATE ON portfolio_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    ),
    "postgresql": (
        "DROP TRIGGER portfolio_auditevent_append_only ON portfolio_auditevent",
        """CREATE TRIGGER portfolio_auditevent_append_only BEFORE UPDATE OR DELETE ON portfolio_auditevent
           FOR EACH ROW EXECUTE FUNCTION portfolio_auditevent_append_only()""",
    ),
}


def in_sql(statement: str, params: list) -> None:
    drop, create = TRIGGERS[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(drop)
        cursor.execute(statement, params)
        cursor.execute(create)


def delete(event: AuditEvent) -> None:
    in_sql("DELETE FROM portfolio_auditevent WHERE id = %s", [event.pk])


def rewrite_summary(event: AuditEvent, summary: str) -> None:
    in_sql("UPDATE portfolio_auditevent SET summary = %s WHERE id = %s", [summary, event.pk])
