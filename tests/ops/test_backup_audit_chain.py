"""A backup keeps the audit trail's chain as it was written, and a restore says when the trail it put
back was changed before the backup was made; a backup from before the trail was chained (portfolio
0052) is chained as it goes back in, as that migration chained the events already there.

The portfolio is tests/ops/test_backup.py's: Alice's HSC331 signed off by Bob and countersigned."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from ops.audit_trail import heads
from ops.backups import older_versions
from portfolio import audit, audit_chain
from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, Centre
from tests.ops.test_backup import _backed_up_before, backup, build_portfolio, restore, wipe
from tests.portfolio import audit_tampering

pytestmark = pytest.mark.django_db(transaction=True)


def _trail() -> list[tuple]:
    return list(AuditEvent.objects.order_by("pk").values_list("pk", "previous", "seal"))


def _problems() -> list[str]:
    return [problem.words for centre in Centre.objects.all() for problem in audit_chain.centre_problems(centre)]


@pytest.fixture
def portfolio():
    build_portfolio()
    assert AuditEvent.objects.count() > 10 and _problems() == []


def test_a_restored_trail_keeps_its_chain_and_holds(portfolio, evidence_root, tmp_path):
    written = _trail()
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    wipe(evidence_root)

    printed = restore(archive)

    assert "every sign-off is intact" in printed
    assert _trail() == written and _problems() == []


def test_a_restore_names_an_event_deleted_before_the_backup_was_made(portfolio, evidence_root, tmp_path):
    deleted = AuditEvent.objects.order_by("pk")[3]
    with transaction.atomic():
        audit_tampering.delete(deleted)
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    wipe(evidence_root)

    with pytest.raises(CommandError, match="The backup holds them so") as refused:
        restore(archive)

    assert f"The audit trail of Riverside Training: Event {deleted.pk}, which the event of " in str(refused.value)


def test_a_backup_from_before_the_trail_was_chained_restores_it_chained(
    portfolio, evidence_root, tmp_path, monkeypatch
):
    events = AuditEvent.objects.count()
    with transaction.atomic():  # the rows as that version wrote them
        audit_tampering.in_sql("UPDATE portfolio_auditevent SET seal = NULL, previous = NULL", [])
    archive = _backed_up_before([older_versions.AUDIT_CHAINED_FROM], tmp_path, monkeypatch, evidence_root)

    printed = restore(archive)

    assert "every sign-off is intact" in printed
    trail = _trail()
    assert len(trail) == events and all(seal for _, _, seal in trail) and _problems() == []
    # Each event follows the one written before it at its centre (one centre here), as 0052 chains them.
    assert [previous for _, previous, _ in trail] == [None] + [pk for pk, _, _ in trail[:-1]]


def test_a_restore_rewinds_the_trail_without_comparing_and_records_its_heads(portfolio, evidence_root, tmp_path):
    """A restore puts back an earlier trail as it should: it is not a tail deleted. The heads the last
    check recorded are not compared with; those of what was restored are written for the next check."""
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    centre = Centre.objects.get(name="Riverside Training")
    audit.record(PortfolioAction.CENTRE_RENAMED, actor=None, centre=centre, summary="After the backup")
    call_command("check_fixity", "--now", stdout=io.StringIO())
    assert heads.recorded().heads[centre.pk].events == AuditEvent.objects.filter(centre=centre).count()
    wipe(evidence_root)

    restore(archive)

    restored = AuditEvent.objects.filter(centre=centre).order_by("-pk").first()
    head = heads.recorded().heads[centre.pk]
    assert (head.event, head.seal, head.events) == (restored.pk, restored.seal, AuditEvent.objects.filter(centre=centre).count())
    assert "AUDIT TRAIL CHANGED" not in _checked()


def _checked() -> str:
    out = io.StringIO()
    call_command("check_fixity", "--now", stdout=out)
    return out.getvalue()
