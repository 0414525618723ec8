# A ULN identifies one learner: a centre records it for one candidate (outside tester, issue 16).

from django.db import migrations, models
from django.db.models import Count


def clear_repeated_ulns(apps, schema_editor):
    """Where a centre already recorded one ULN for two candidates, the first recorded keeps it and
    the others' is cleared, each clearing written to the centre's audit trail with the ULN it had,
    so the centre can find it and put it right from the candidate's Identifiers page."""
    Identifiers = apps.get_model("portfolio", "CandidateIdentifiers")
    AuditEvent = apps.get_model("portfolio", "AuditEvent")
    repeated = (
        Identifiers.objects.exclude(uln="").values("centre_id", "uln").annotate(holders=Count("pk")).filter(holders__gt=1)
    )
    for clash in repeated:
        rows = list(
            Identifiers.objects.filter(centre_id=clash["centre_id"], uln=clash["uln"]).select_related("candidate").order_by("pk")
        )
        kept = rows[0].candidate
        for row in rows[1:]:
            Identifiers.objects.filter(pk=row.pk).update(uln="")
            AuditEvent.objects.create(
                action="portfolio.candidate.identifiers_changed", centre_id=row.centre_id, candidate_id=row.candidate_id,
                summary=f"ULN {row.uln} cleared from {row.candidate.email}'s identifiers: it was also recorded for "
                f"{kept.email}, and a ULN belongs to one learner",
                before={"uln": row.uln}, after={"uln": ""},
            )


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0040_people_import_replaced'),
    ]

    operations = [
        migrations.RunPython(clear_repeated_ulns, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='candidateidentifiers',
            constraint=models.UniqueConstraint(condition=models.Q(('uln', ''), _negated=True), fields=('centre', 'uln'), name='one_candidate_per_uln_at_a_centre'),
        ),
    ]
