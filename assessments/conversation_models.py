"""The conversation about an evidence item (`EvidenceComment`), a model of the assessments app kept
in a module of its own; `assessments.models` re-exports it."""

from typing import Any, NoReturn

from django.db import models

from portfolio.models import Evidence, Person


class EvidenceCommentQuerySet(models.QuerySet):
    """A bulk change would go round the model's refusals, so it is refused here too."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("A comment cannot be changed once sent.")

    def delete(self) -> NoReturn:
        raise PermissionError("A comment cannot be deleted once sent.")


class EvidenceComment(models.Model):
    """One message in the conversation about an evidence item between the candidate and their
    assessor, kept with the item. Sent once, never changed or deleted (`save` refuses an update,
    `delete` refuses outright; on PostgreSQL the database refuses too). Read by whoever may read
    the evidence; written by the candidate and their assessor (`portfolio.access.EvidenceRights`)."""

    MAX_CHARS = 4000

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=MAX_CHARS)
    sent_at = models.DateTimeField()

    objects = EvidenceCommentQuerySet.as_manager()

    class Meta:
        ordering = ["evidence", "sent_at", "id"]
        indexes = [models.Index(fields=["evidence", "sent_at"], name="comment_evidence_sent")]

    def __str__(self) -> str:
        return f"{self.evidence.reference} comment by {self.author} at {self.sent_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("A comment cannot be changed once sent.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("A comment cannot be deleted once sent.")
