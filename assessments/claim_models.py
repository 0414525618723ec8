"""A certification claim: the centre's record that it claimed a unit, or a whole qualification,
from the awarding body, with the date and the claim's reference. A claimed unit cannot be unlocked
without a reason that names the claim (`assessments.services.signoff.unit_unlock`)."""

from django.db import models
from django.db.models import Q

from portfolio.models import Centre, Enrolment, Person, QualificationRegistration


class Claim(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="claims")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    registration = models.ForeignKey(
        QualificationRegistration, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    # The sign-off a unit was claimed on (None for a qualification): what the awarding body was told.
    sign_off = models.ForeignKey(
        "assessments.SignOff", on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    awarding_body = models.CharField(max_length=100, blank=True)
    reference = models.CharField("claim reference", max_length=60)
    claimed_on = models.DateField("date claimed")
    claimed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-claimed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrolment__isnull=False, registration__isnull=True)
                | Q(enrolment__isnull=True, registration__isnull=False),
                name="claim_of_a_unit_or_a_qualification",
            ),
            models.UniqueConstraint(fields=["enrolment"], name="one_claim_per_unit"),
            models.UniqueConstraint(fields=["registration"], name="one_claim_per_qualification"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.reference} of {self.enrolment or self.registration}"
