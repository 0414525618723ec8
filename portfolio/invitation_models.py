"""An invitation to a centre: a single-use link, emailed, that expires. Whoever opens it either
sets a name and password (no account yet) or signs in as the invited address and accepts (an
account already there keeps its name and password). The centre learns nothing of which it was: it
sees "invited" until the link is accepted.

Only a digest of the link's secret is stored, as for a witness's link, so a copy of the database
holds no working link. Sending it again makes a new secret, and the old link stops working."""

import datetime

from django.db import models
from django.utils import timezone

INVITATION_VALID_FOR = datetime.timedelta(days=14)


class Invitation(models.Model):
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=200, help_text="The name as the administrator typed it.")
    email = models.EmailField()
    role = models.CharField(max_length=20, help_text="A portfolio.models.Role: what the invitation gives.")
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "portfolio.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="accepted_invitations"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.centre_id}"

    def status(self, now: datetime.datetime | None = None) -> str:
        """"accepted", "cancelled", "expired" or "pending": what the link does if opened now."""
        if self.accepted_at is not None:
            return "accepted"
        if self.cancelled_at is not None:
            return "cancelled"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "pending"
