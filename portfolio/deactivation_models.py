"""A person's membership of a centre, deactivated: what it was, kept so that it can be given back.

Deactivating deletes the person's `Membership` rows at the centre and keeps their roles here, so
every access check (which asks for a membership) shuts them out with no check of its own, while
their enrolments, evidence and decisions stay as they were. Reactivating gives the same roles back
and deletes this record (and with it which invitations it withdrew, none comes back); what it was
and why is kept as an `EndedDeactivation`, for the person's page, and the audit trail keeps both
moves, the deactivation's reason with it and again with the reactivation, which keeps its own reason too.
"""

from django.db import models

from .row_sealing import SealedColumns


def deactivated_here_words(email: str) -> str:
    """Why an address deactivated at this centre is not invited again, in the same words on the
    add-person page and in a CSV import's preview: the centre's own knowledge, nothing of elsewhere."""
    return (f"{email} is deactivated at this centre. To give them back their access, choose “Reactivate” "
            "on their page; they get back the roles they held.")


class DeactivatedMembership(SealedColumns):
    # The roles given back on reactivating, as they were taken (`pending_seals`): an outside trial
    # changed them in SQL and a reactivated assessor came back a centre administrator.
    SEALED = ("person_id", "centre_id", "roles", "may_import_units")
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


class EndedDeactivation(models.Model):
    """A deactivation at the centre that a reactivation ended: when, by whom and why, and when and by
    whom it was ended, shown to the centre's administrators on the person's page (never to the person,
    never at another centre), with why it was ended. Written by `services_people.membership_reactivate`; those ended before
    it was kept were read back from the audit trail by migration 0045."""

    person = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="ended_deactivations")
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.PROTECT, related_name="ended_deactivations")
    roles = models.JSONField(help_text="The roles the person held at the centre, given back.")
    deactivated_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    deactivated_at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")  # none for a deactivation before migration 0043
    reactivated_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    reactivated_at = models.DateTimeField()
    # Why the administrator reactivated them, required as the deactivation's is since migration 0048;
    # none for a reactivation before it.
    reactivation_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-reactivated_at", "-pk"]
        indexes = [models.Index(fields=["person", "centre", "-reactivated_at"], name="ended_deactivation_person")]

    def __str__(self) -> str:
        return f"{self.person} — deactivated at {self.centre}, reactivated"
