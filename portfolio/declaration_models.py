"""The candidate's declaration at each submission, kept in a module of its own (the app's model all
the same: `portfolio.models` exports it)."""

from django.db import models


class Declaration(models.Model):
    """The candidate's declaration that the evidence is their own work, made at each submission."""

    TEXT = (
        "I declare that this evidence is my own work, that it is a true record of what I did, "
        "and that it does not identify the people I support."
    )

    evidence = models.ForeignKey("portfolio.Evidence", on_delete=models.PROTECT, related_name="declarations")
    version = models.PositiveIntegerField(help_text="The version of the evidence declared.")
    text = models.TextField()
    declared_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["evidence", "declared_at"]

    def __str__(self) -> str:
        return (
            f"{self.evidence.reference} declared by {self.declared_by} at {self.declared_at:%Y-%m-%d %H:%M}"
        )
