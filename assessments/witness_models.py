"""Witnesses, and the single-use links that ask them for testimony or to confirm their status."""

from django.db import models

from portfolio.models import Centre, Enrolment, Evidence, Person
from portfolio.row_sealing import SealedColumns


class Witness(models.Model):
    """Someone who saw the candidate at work and gave testimony; no account. On the candidate's
    list at one centre, whose evidence holds the testimony (issue 16: centres are walled)."""

    candidate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="witnesses")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    job_role = models.CharField(max_length=200)
    relationship = models.CharField("relationship to the candidate", max_length=200)
    email = models.EmailField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    # The witness status (City & Guilds' RF03), as the witness last confirmed it themselves: whether
    # they are an expert witness, and why. None: not said (testimony given before it was asked).
    expert = models.BooleanField("expert witness", null=True, blank=True)
    expertise = models.TextField("occupational expertise", blank=True)
    status_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["candidate", "centre", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.job_role})"


class TestimonyRequest(SealedColumns):
    """A single-use link, sent to a witness, to give testimony on some criteria. Only a digest of
    the link's secret is stored, so a copy of the database holds no working link.

    Its unit, the witness's address, the digest, who asked and its expiry are sealed as the portfolio
    made them (`access_seal`: an outside trial put a request in by SQL and wrote evidence into a
    candidate's portfolio through its link): one that does not hold opens nothing
    (`testimony_seals`), marked `seal_broken_at` when found."""

    __test__ = False  # a model, not a pytest class
    SEALED = ("enrolment_id", "witness_email", "token_digest", "requested_by_id", "expires_at")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="testimony_requests")
    criteria = models.ManyToManyField("standards.Criterion", related_name="+")
    witness_name = models.CharField(max_length=200)
    witness_email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    evidence = models.OneToOneField(
        Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="testimony_request"
    )
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, null=True, blank=True, related_name="testimonies")
    seal_broken_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Testimony from {self.witness_name} for {self.enrolment}"


class WitnessStatusRequest(models.Model):
    """A single-use link asking a witness who testified before their status was asked for to
    confirm it. As for testimony, only a digest of the link's secret is stored."""

    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="status_requests")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Status of {self.witness} asked for {self.enrolment}"
