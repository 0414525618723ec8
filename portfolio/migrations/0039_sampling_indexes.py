"""Two indexes for the IQA's sampling, found by timing it at 1,000 and 10,000 candidates.

- Enrolments by IQA and status, holding every column the sampling report counts (centre, assessor,
  candidate, id): the report's count of a page of IQAs' units (12,500 units of 25 IQAs at 10,000
  candidates) is read from the index alone (180 pages) instead of the table (6,400 pages).
- Evidence by method: the IQA's sample asks whether a unit's decisions cite evidence of a method
  the sample does not cover yet, which PostgreSQL answers by reading that method's evidence once;
  without this index it read the whole (candidate, method, state) index to find it (1,476 pages at
  10,000 candidates, 149 at 1,000); with it, 3 pages at both.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0038_deactivation_invitations_withdrawn"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(
                fields=["iqa", "status", "centre", "assessor", "candidate", "id"],
                name="enrolment_iqa_coverage",
            ),
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(fields=["method"], name="evidence_method"),
        ),
    ]
