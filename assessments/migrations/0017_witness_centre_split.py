"""Each witness is on a candidate's list at one centre (issue 16: centres are walled). A witness who
testified for the candidate at two centres becomes two rows, one at each, each holding the
testimony and status links of its own centre, and what the witness last said of themselves there
(read from that centre's audit trail), so neither centre reads what the witness told the other."""

from django.db import migrations


SAID_OF_THEMSELVES = ("assessments.testimony.given", "assessments.witness_status.confirmed")


def _as_said_at(apps, witness, centre_id) -> None:
    """The witness's details as last said at this centre, where its audit trail has them."""
    AuditEvent = apps.get_model("portfolio", "AuditEvent")
    events = AuditEvent.objects.filter(
        centre_id=centre_id, action__in=SAID_OF_THEMSELVES, enrolment__candidate_id=witness.candidate_id
    ).order_by("at", "pk")
    said = None
    for event in events:
        details = (event.after or {}).get("witness") or {}
        if str(details.get("email", "")).lower() == witness.email.lower():
            said = (event.at, details)
    if said is None:
        return
    at, details = said
    witness.name = str(details.get("name", witness.name))[:200]
    witness.job_role = str(details.get("job_role", witness.job_role))[:200]
    witness.relationship = str(details.get("relationship", witness.relationship))[:200]
    witness.expert = details.get("expert", witness.expert)
    witness.expertise = str(details.get("expertise", "")) if witness.expert else ""
    witness.status_confirmed_at = at


def _centre_of_each_witness(apps, schema_editor):
    Witness = apps.get_model("assessments", "Witness")
    TestimonyRequest = apps.get_model("assessments", "TestimonyRequest")
    WitnessStatusRequest = apps.get_model("assessments", "WitnessStatusRequest")
    Enrolment = apps.get_model("portfolio", "Enrolment")
    for witness in Witness.objects.order_by("pk"):
        centres = list(
            TestimonyRequest.objects.filter(witness=witness).order_by("used_at", "pk")
            .values_list("enrolment__centre_id", flat=True)
        ) + list(
            WitnessStatusRequest.objects.filter(witness=witness).order_by("requested_at", "pk")
            .values_list("enrolment__centre_id", flat=True)
        )
        if not centres:
            # Not reachable through any testimony: on the list nowhere but its candidate's first centre.
            first = Enrolment.objects.filter(candidate_id=witness.candidate_id).order_by("pk").first()
            if first is None:
                witness.delete()
                continue
            centres = [first.centre_id]
        ordered = list(dict.fromkeys(centres))
        for centre_id in ordered[1:]:
            copy = Witness.objects.get(pk=witness.pk)
            copy.pk = None
            copy.centre_id = centre_id
            _as_said_at(apps, copy, centre_id)
            copy.save()
            TestimonyRequest.objects.filter(witness=witness, enrolment__centre_id=centre_id).update(witness=copy)
            WitnessStatusRequest.objects.filter(witness=witness, enrolment__centre_id=centre_id).update(witness=copy)
        witness.centre_id = ordered[0]
        if len(ordered) > 1:
            _as_said_at(apps, witness, ordered[0])
        witness.save()


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0016_witness_centre'),
        ('portfolio', '0028_notification_kinds_merged'),
    ]

    operations = [
        migrations.RunPython(_centre_of_each_witness, migrations.RunPython.noop),
    ]
