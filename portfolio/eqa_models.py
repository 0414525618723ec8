"""An external quality assurer's access to a centre, given by the centre: the grant (who, which
qualifications and units, from when to when, accepted through an invitation, the centre's terms
accepted) and the record of every page and file they open there.

Who may read what under a grant is `portfolio.access`'s to say, computed on each request from the
dates here: nothing runs at the end of a grant, it simply no longer opens anything."""

import datetime

from django.db import models

from . import grant_sealing
from .set_sealing import SealedOnSave

# The longest a grant runs, from its start or from the day it was renewed.
MAX_GRANT_DAYS = 90

DEFAULT_TERMS = (
    "The portfolios you are about to read hold personal data about our candidates and, often, about "
    "the people they support. You may read them only to quality-assure our assessment for the awarding "
    "body. Do not copy, download or keep more than that work needs, do not share what you read with "
    "anyone outside the awarding body, and delete any copies when the review is over. Tell us at once "
    "if you believe any of it has been seen by someone who should not have seen it. Every page and file "
    "you open here is recorded, and the centre can see that record."
)


class EqaGrant(SealedOnSave):
    SEALING = grant_sealing.GRANT
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.CASCADE, related_name="eqa_grants")
    invitation = models.OneToOneField(
        "portfolio.Invitation", on_delete=models.PROTECT, null=True, blank=True, related_name="eqa_grant"
    )
    # Set when the invitation is accepted: until then the grant opens nothing.
    person = models.ForeignKey(
        "portfolio.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="eqa_grants"
    )
    awarding_body = models.CharField(max_length=100)
    qualifications = models.ManyToManyField("standards.Qualification", blank=True, related_name="+")
    units = models.ManyToManyField("standards.Unit", blank=True, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField()
    renewed_on = models.DateField(null=True, blank=True)
    # None: made from an EQA's membership of the centre when access by grant began (migration 0014).
    created_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    # Whose it is, where, when and over what, sealed as the portfolio saved it (`grant_sealing`);
    # set when a check finds it otherwise (`grant_seals`): then it opens nothing until put back.
    access_seal = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - null until sealed
    seal_broken_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="grant_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"EQA access to centre {self.centre_id}, {self.start_date} to {self.end_date}"

    def status(self, today: datetime.date) -> str:
        """What the centre's list says: "invited" (the link not yet accepted), "invitation expired",
        "cancelled", "ended", "changed" (outside the portfolio: it opens nothing), "expired",
        "starts" (accepted, not yet begun) or "active"."""
        if self.ended_at is not None:
            return "ended"
        if self.seal_broken_at is not None:
            return "changed"
        if self.person_id is None:
            invitation = self.invitation
            state = invitation.status() if invitation is not None else "pending"
            return {"expired": "invitation expired", "cancelled": "cancelled"}.get(state, "invited")
        if today > self.end_date:
            return "expired"
        if today < self.start_date:
            return "starts"
        return "active"


class EqaVisit(models.Model):
    """One page or file an external quality assurer opened at a centre (never changed or deleted)."""

    person = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    what = models.CharField(max_length=200)  # in words: the page, and whose record (eqa_visits.py)
    opened_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["centre", "-opened_at"], name="eqa_visit_centre_opened")]

    def __str__(self) -> str:
        return f"{self.person_id} opened {self.path} at {self.opened_at:%Y-%m-%d %H:%M}"
