"""External quality assurers read a centre's records through a grant the centre gives
(portfolio/eqa_models.py), no longer through a membership of the centre. Each EQA membership
becomes a grant over every unit and qualification the centre has candidates on, for 90 days from
today, already accepted: the EQA accepts the centre's terms at their next visit, as any new grant
asks. The memberships go; going back makes them again from the grants."""

import datetime

from django.db import migrations
from django.utils import timezone

DAYS = 90


def memberships_to_grants(apps, schema_editor):
    Membership = apps.get_model("portfolio", "Membership")
    EqaGrant = apps.get_model("portfolio", "EqaGrant")
    Enrolment = apps.get_model("portfolio", "Enrolment")
    QualificationRegistration = apps.get_model("portfolio", "QualificationRegistration")
    today = timezone.localdate()
    for membership in Membership.objects.filter(role="eqa"):
        grant = EqaGrant.objects.create(
            centre_id=membership.centre_id, person_id=membership.person_id, awarding_body="",
            start_date=today, end_date=today + datetime.timedelta(days=DAYS),
        )
        enrolments = Enrolment.objects.filter(centre_id=membership.centre_id)
        grant.units.set(enrolments.values_list("unit_id", flat=True).distinct())
        registrations = QualificationRegistration.objects.filter(centre_id=membership.centre_id)
        grant.qualifications.set(registrations.values_list("qualification_id", flat=True).distinct())
        membership.delete()


def grants_to_memberships(apps, schema_editor):
    Membership = apps.get_model("portfolio", "Membership")
    EqaGrant = apps.get_model("portfolio", "EqaGrant")
    for grant in EqaGrant.objects.filter(person__isnull=False, ended_at__isnull=True):
        Membership.objects.get_or_create(person_id=grant.person_id, centre_id=grant.centre_id, role="eqa")


class Migration(migrations.Migration):

    dependencies = [
        ("portfolio", "0014_eqa_access"),
    ]

    operations = [
        migrations.RunPython(memberships_to_grants, grants_to_memberships),
    ]
