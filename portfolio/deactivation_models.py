"""A person's membership of a centre, deactivated: what it was, kept so that it can be given back.

Deactivating deletes the person's `Membership` rows at the centre and keeps their roles here, so
every access check (which asks for a membership) shuts them out with no check of its own, while
their enrolments, evidence and decisions stay as they were. Reactivating gives the same roles back
and deletes this record (and with it which invitations it withdrew, none comes back, and the reason);
the audit trail keeps both moves, the deactivation's reason with it and again with the reactivation.
"""

from django.db import models


def deactivated_here_words(email: str) -> str:
    """Why an address deactivated at this centre is not invited again, in the same words on the
    add-person page and in a CSV import's preview: the centre's own knowledge, nothing of elsewhere."""
    return (f"{email} is deactivated at this centre. To give them back their access, choose “Reactivate” "
            "on their page; they get back the roles they held.")


class DeactivatedMembership(models.Model):
    person = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="deactivations")
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.PROTECT, related_name="deactivations")
    roles = models.JSONField(help_text="The roles the person held at the centre, to give back.")
    # The site administrator's leave to import units, held with the administrator's role.
    may_import_units = models.BooleanField(default=False)
    deactivated_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    deactivated_at = models.DateTimeField(auto_now_add=True)
    # Why the administrator deactivated them (left the centre, finished, a duplicate account...), for
    # the centre and its EQA; required since migration 0043, so a deactivation before it has none.
    # Not told to the person: a safeguarding reason is the centre's to share.
    reason = models.TextField(blank=True, default="")
    # The waiting invitations to their address that deactivating withdrew, recorded as it withdrew
    # them, so the person page says which links stopped working without guessing from times.
    invitations_withdrawn = models.ManyToManyField("portfolio.Invitation", blank=True, related_name="+")

    class Meta:
        ordering = ["centre", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "centre"], name="one_deactivation_per_centre"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — deactivated at {self.centre}"
