"""A candidate registered on a qualification at a centre: the units they are to achieve (its
mandatory units and the optional ones chosen) and the awarding body's registration number. The
units themselves are worked through the candidate's enrolments, one per unit."""

from django.db import models


class QualificationRegistration(models.Model):
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.PROTECT, related_name="qualification_registrations")
    candidate = models.ForeignKey(
        "portfolio.Person", on_delete=models.PROTECT, related_name="qualification_registrations"
    )
    qualification = models.ForeignKey("standards.Qualification", on_delete=models.PROTECT, related_name="registrations")
    units = models.ManyToManyField("standards.Unit", related_name="+", help_text="Mandatory and chosen optional units.")
    registration_number = models.CharField(
        "awarding body registration number", max_length=50, blank=True,
        help_text="The number the awarding body gave the candidate for this qualification.",
    )
    registered_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate__last_name", "candidate__first_name", "qualification__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "qualification", "centre"], name="one_registration_per_qualification_per_centre"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} on {self.qualification.code}"
