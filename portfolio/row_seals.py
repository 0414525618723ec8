"""An evidence item moved to another candidate or centre, or a file moved to another item, in the
database (an outside trial: the new candidate and their assessor read it, file and all). Checked
where a person is let in to one (`access.evidence_for_user`, `access.evidence_file_for_user`), and
for every row by `manage.py check_fixity`: a row found moved is put back where its seal says where it
was (trying, one column at a time, everyone and everything it could have belonged to: an HMAC each),
the finding kept on the item's audit trail and told to the centre's administrators; one that cannot
be put back is opened to nobody, and reported, until whoever runs the installation does."""

import re
from collections.abc import Iterator

from django.db.models import Max
from django.http import Http404
from django.urls import reverse

from . import audit
from .models import Evidence, EvidenceFile, Membership, Person, Role
from .notifications import NotificationKind, notify
from .row_sealing import row_holds, seal_of


def _holds(row: Evidence | EvidenceFile) -> bool:
    values = {column: getattr(row, column) for column in row.SEALED} | {"access_seal": row.access_seal}
    return row_holds(row._meta.label_lower, row.pk, row.SEALED, values)


def vouched(row: Evidence | EvidenceFile) -> bool:
    """True when the row is where the portfolio put it. Otherwise it is put back (False: the caller
    asks again, and finds it where it belongs), or, if it cannot be, refused to everyone (404)."""
    if _holds(row):
        return True
    if put_back(row) is None:
        raise Http404("This was changed outside the portfolio, and is opened to nobody until it is put back.")
    return False


def put_back(row: Evidence | EvidenceFile) -> str | None:
    """Puts the row back as its seal says it was, records and tells it; the words, or None."""
    kind = row._meta.label_lower
    now = {c: getattr(row, c) for c in row.SEALED}
    for change in _what_it_could_have_been(row):
        if row.access_seal and seal_of(kind, row.pk, row.SEALED, now | change) == row.access_seal:
            type(row)._default_manager.filter(pk=row.pk).update(**change)
            return _told(row, change)
    return None


def _what_it_could_have_been(row: Evidence | EvidenceFile) -> Iterator[dict[str, int]]:
    """Each way the row could have been before one hand changed it: one column, or an item's candidate
    with its number (which moving it to another candidate needs, each candidate's numbers being theirs)."""
    if isinstance(row, Evidence):
        candidates = list(Membership.objects.filter(centre=row.centre_id, role=Role.CANDIDATE).values_list("person_id", flat=True))
        centres = Membership.objects.filter(person=row.candidate_id).values_list("centre_id", flat=True)
        highest = Evidence.objects.filter(centre=row.centre_id).aggregate(n=Max("number"))["n"] or 0
        yield from ({"candidate_id": c} for c in candidates if c != row.candidate_id)
        yield from ({"centre_id": c} for c in centres if c != row.centre_id)
        yield from ({"number": n} for n in range(1, highest + 2) if n != row.number)
        yield from ({"candidate_id": c, "number": n} for c in candidates for n in range(1, highest + 2)
                    if c != row.candidate_id)
        return
    # A file's storage name keeps the candidate it was uploaded for (`models.evidence_file_name`).
    named = re.match(r"evidence/(\d+)/", row.file.name or "")
    owner = int(named.group(1)) if named else row.evidence.candidate_id
    items = Evidence.objects.filter(candidate=owner).values_list("pk", flat=True)
    yield from ({"evidence_id": item} for item in items if item != row.evidence_id)


def _told(row: Evidence | EvidenceFile, change: dict[str, int]) -> str:
    evidence = Evidence.objects.select_related("candidate", "centre").get(
        pk=row.pk if isinstance(row, Evidence) else change["evidence_id"]
    )
    what = f"{evidence.reference} of {evidence.candidate}" if isinstance(row, Evidence) else (
        f"the file {row.original_name} of {evidence.reference} of {evidence.candidate}"
    )
    column = " and ".join(change)
    words = f"{what} had been moved in the database ({column} changed), not by the portfolio: it is put back."
    audit.record(
        audit.PortfolioAction.EVIDENCE_PUT_RIGHT, actor=None, centre=evidence.centre, evidence=evidence,
        summary=words[:300], after={"row": row._meta.label_lower, "id": row.pk, "column": column, "said": words},
    )
    administrators = Person.objects.filter(memberships__centre=evidence.centre_id, memberships__role=Role.ADMINISTRATOR)
    notify(
        list(administrators.distinct()), f"{words} Find out with whoever runs the installation who moved it.",
        subject="Evidence moved outside the portfolio", centre=evidence.centre_id,
        kind=NotificationKind.INTEGRITY_FAILURE, link=reverse("assessments:evidence_detail", args=[evidence.pk]),
    )
    return words


def check_every_row() -> tuple[list[str], list[str]]:
    """Every evidence item and file checked (one query each, an HMAC a row): those moved put back.
    What was put back, and what could not be, in words."""
    put, left = [], []
    for model in (Evidence, EvidenceFile):
        for row in model.objects.only("pk", "file" if model is EvidenceFile else "pk", *model.SEALED, "access_seal").iterator():
            if not _holds(row):
                said = put_back(row)
                if said:
                    put.append(said)
                else:
                    left.append(f"{model._meta.verbose_name} {row.pk} was changed in the database and cannot be put back "
                                "by its seal: opened to nobody until it is.")
    return put, left
