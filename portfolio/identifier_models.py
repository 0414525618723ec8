"""A candidate's national identifiers as one centre recorded them (issue 16: centres are walled).

The Unique Learner Number (England, Wales, Northern Ireland) and the Scottish Candidate Number
(`portfolio/identifiers.py` checks them) are typed in by each centre's administrator from its own
records, and go on that centre's unit PDF cover, claims CSV and summary of achievement. A candidate
at two centres has a row at each: one centre never reads, nor overwrites, what the other recorded.
"""

from django.db import models


class CandidateIdentifiers(models.Model):
    candidate = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="identifiers")
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.PROTECT, related_name="+")
    uln = models.CharField("Unique Learner Number (ULN)", max_length=10, blank=True)
    scn = models.CharField("Scottish Candidate Number (SCN)", max_length=9, blank=True)

    class Meta:
        verbose_name_plural = "candidate identifiers"
        constraints = [
            models.UniqueConstraint(fields=["candidate", "centre"], name="one_set_of_identifiers_per_centre"),
            # A ULN identifies one learner, so a centre records it for one candidate. Another centre
            # may hold the same ULN for its own candidate: centres never read each other's records.
            models.UniqueConstraint(
                fields=["centre", "uln"], condition=~models.Q(uln=""), name="one_candidate_per_uln_at_a_centre"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate}'s identifiers at {self.centre}"


def identifiers_at(candidate_id: int, centre_id: int) -> CandidateIdentifiers:
    """What the centre recorded for the candidate; blank (not saved) if nothing yet."""
    found = CandidateIdentifiers.objects.filter(candidate_id=candidate_id, centre_id=centre_id).first()
    return found or CandidateIdentifiers(candidate_id=candidate_id, centre_id=centre_id)
