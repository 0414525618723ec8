"""A bulk export or visit pack found not as the portfolio made it: put in, or its centre, who asked
for it, its file or its units changed, in the database (an outside trial pointed an export's file at
another centre's ZIP, and widened a pack's units between the request and the build).

Checked where its ZIP is built (`zip_builds.run_with_retries`: a row that does not hold is not built,
and fails saying why), on its page and at its download (`views/bulk.py`, `views/visit_pack.py`: it
serves nothing, and its page says so), and for every row by `manage.py check_fixity` and a restore.
One found changed is marked (`seal_broken_at`, with the words in `error`), recorded on the centre's
audit trail and told to the centre's administrators once; put back as the portfolio made it, the
next check clears the mark, recorded and told."""

from typing import cast

from django.urls import reverse
from django.utils import timezone

from portfolio import audit
from portfolio.models import AuditEvent, Person, Role
from portfolio.notifications import NotificationKind, notify

from .audit_actions import ExportAction
from .models import BackgroundZip, BulkExport, VisitPack
from .zip_sealing import SEALED, enrolments_of, row_holds

UNITS_CHANGED = "its list of units was changed outside the portfolio"
Zip = BulkExport | VisitPack


def _holds(row: Zip) -> bool:
    values = {column: getattr(row, column) for column in SEALED} | {"access_seal": row.access_seal}
    return row_holds(row._meta.label_lower, row.pk, values, enrolments_of(type(row), [row.pk])[row.pk])


def vouched(row: Zip) -> bool:
    """True when the row is as the portfolio made it; otherwise it is marked (told once) and False.
    A row marked that holds again is cleared."""
    holds, marked = _holds(row), row.seal_broken_at is not None
    if not holds and not marked:
        mark(row)
    elif holds and marked:
        reopen(row)
    return holds


def refused_build(build: BackgroundZip) -> bool:
    """Before a build: a row not as the portfolio made it is not built. It fails, saying why; True."""
    row = cast(Zip, build)  # each kind of ZIP is one of these
    if vouched(row):
        return False
    row.refresh_from_db()
    row.status, row.finished_at = BackgroundZip.Status.FAILED, timezone.now()
    row.error = f"It was not built: {what_changed(row)}, so it is not what was asked for. Ask for a new one"
    row.save(update_fields=["status", "finished_at", "error"])
    return True


def what_changed(row: Zip) -> str:
    """What can be told of the change: a row with no seal was put in; units other than the request's
    (on the audit trail, itself sealed) were changed; else one of the other sealed columns was."""
    if not row.access_seal:
        return "it was put in the database, not asked for through the portfolio"
    key = "pack" if isinstance(row, VisitPack) else "export"
    action = ExportAction.VISIT_PACK_REQUESTED if isinstance(row, VisitPack) else ExportAction.EXPORT_REQUESTED
    asked = AuditEvent.objects.filter(action=action, **{f"after__{key}": row.pk}).values_list("after", flat=True).first()
    units = sorted(enrolments_of(type(row), [row.pk])[row.pk])
    if asked is not None and sorted(asked.get("enrolments") or []) != units:
        return UNITS_CHANGED
    return "it was changed outside the portfolio (its centre, who asked for it, or the file it serves)"


def said(row: Zip) -> str:
    """The row's finding, in words, for its page, the audit trail and the fixity check."""
    return (f"{row.label.capitalize()} {row.pk} of {row.centre.name}, asked for by {row.requested_by}: "
            f"{what_changed(row)}. It serves nothing.")


def mark(row: Zip) -> bool:
    """Marks the row changed, so that it is neither built nor served, and tells its centre's
    administrators once. True if this marked it."""
    model = type(row)
    if not model._default_manager.filter(pk=row.pk, seal_broken_at__isnull=True).update(seal_broken_at=timezone.now()):
        return False
    row = model._default_manager.select_related("centre", "requested_by").get(pk=row.pk)
    words = said(row)
    model._default_manager.filter(pk=row.pk).update(error=words.removesuffix("."))  # as its page says it
    _recorded(row, words)
    _tell(row, f"{words} Find out with whoever runs the installation who changed it.",
          subject=f"A {row.label} of {row.centre.name} changed outside the portfolio")
    return True


def reopen(row: Zip) -> bool:
    """A row marked changed found as the portfolio made it again: served again, recorded and told."""
    model = type(row)
    if not model._default_manager.filter(pk=row.pk, seal_broken_at__isnull=False).update(seal_broken_at=None, error=""):
        return False
    row = model._default_manager.select_related("centre", "requested_by").get(pk=row.pk)
    words = f"{row.label.capitalize()} {row.pk} of {row.centre.name} is as the portfolio made it again: it is served again."
    _recorded(row, words)
    _tell(row, words, subject=f"A {row.label} of {row.centre.name}: put back")
    return True


def check_every_row() -> list[str]:
    """Every bulk export and visit pack verified, as `vouched` does; the words of each not as the
    portfolio made it."""
    found: list[str] = []
    model: type[BulkExport] | type[VisitPack]
    for model in (BulkExport, VisitPack):
        rows: list[Zip] = list(model.objects.select_related("centre", "requested_by").order_by("pk"))
        units = enrolments_of(model, [row.pk for row in rows])
        for row in rows:
            values = {column: getattr(row, column) for column in SEALED} | {"access_seal": row.access_seal}
            holds = row_holds(row._meta.label_lower, row.pk, values, units[row.pk])
            if holds and row.seal_broken_at is not None:
                reopen(row)
            elif not holds:
                mark(row)
                found.append(said(row))
    return found


def _recorded(row: Zip, words: str) -> None:
    audit.record(
        ExportAction.EXPORT_CHANGED, actor=None, centre=row.centre, summary=words[:300],
        after={"kind": row.label, "id": row.pk, "said": words},
    )


def _tell(row: Zip, message: str, *, subject: str) -> None:
    administrators = Person.objects.filter(memberships__centre=row.centre_id, memberships__role=Role.ADMINISTRATOR)
    page = "exports:pack_detail" if isinstance(row, VisitPack) else "exports:export_detail"
    notify(
        list(administrators.distinct()), message, subject=subject, centre=row.centre_id,
        kind=NotificationKind.INTEGRITY_FAILURE, link=reverse(page, args=[row.pk]),
    )

