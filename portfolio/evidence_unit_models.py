"""Which units each piece of evidence bears on, kept by the database itself.

Two pages ask it of many units at once: the caseload report (the submitted evidence mapped to
each unit of every assessor listed) and the IQA's sample (the methods of the accepted evidence
mapped to each unit shown). Asked of the evidence and its two mapping tables, that is a probe of
every item of the candidate's in a state for each unit, through each mapping (about 50 microseconds
a unit: 100 ms of a 25-assessor page of caseloads at a large centre); here it is one index read a
unit, the index holding every column they ask.

A row for each evidence item and each unit it is mapped to (by a criterion or a knowledge item),
with the item's candidate, centre, state, method and submission time copied. Triggers on the
evidence and on its two mapping tables write it (migration 0047), so no writer (a service, the
centre generator's bulk inserts, a restore, a bare update) can leave it out of step, and no Python
code writes it. It is derived, so backups leave it out and a restore rebuilds it as the rows go
back in. `tests/portfolio/test_evidence_units.py` holds it equal to the evidence and mappings after
each kind of change."""

from django.db import models

from .evidence_choices import AssessmentMethod, EvidenceState


class EvidenceUnit(models.Model):
    # No foreign key constraints and no cascades: the triggers delete an item's rows when it is
    # deleted or loses its last mapping to a unit (Django's cascade would be a second writer).
    evidence = models.ForeignKey(
        "portfolio.Evidence", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    unit = models.ForeignKey(
        "standards.Unit", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    candidate = models.ForeignKey(
        "portfolio.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="evidence_units",
    )
    centre = models.ForeignKey(
        "portfolio.Centre", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    state = models.CharField(max_length=20, choices=EvidenceState.choices)
    method = models.CharField(max_length=30, choices=AssessmentMethod.choices)
    submitted_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evidence", "unit"], name="one_row_per_evidence_unit")]
        indexes = [
            # An enrolment's evidence in one state, read from the index alone: what waits (with when
            # it was submitted) and the methods of what was accepted.
            models.Index(
                fields=["candidate", "centre", "unit", "state", "method", "evidence", "submitted_at"],
                name="evidence_unit_by_enrolment",
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence {self.evidence_id} bears on unit {self.unit_id}"
