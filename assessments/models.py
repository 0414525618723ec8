"""An assessor's judgements on a candidate's enrolment."""

from django.db import models
from django.db.models import Q

from portfolio.models import Enrolment, Evidence, Person


class Decision(models.Model):
    """The assessor's record that one criterion or knowledge item is met, citing the evidence that
    proves it. A withdrawn decision is kept, with who withdrew it, when and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="decisions")
    criterion = models.ForeignKey(
        "standards.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    knowledge_item = models.ForeignKey(
        "standards.KnowledgeItem", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    evidence = models.ManyToManyField(Evidence, related_name="decisions")
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["enrolment", "decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(criterion__isnull=False, knowledge_item__isnull=True)
                | Q(criterion__isnull=True, knowledge_item__isnull=False),
                name="decision_on_one_item",
            ),
            # At most one standing decision per item: a new one needs the old one withdrawn first.
            models.UniqueConstraint(
                fields=["enrolment", "criterion"], condition=Q(withdrawn_at__isnull=True, criterion__isnull=False),
                name="one_standing_decision_per_criterion",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "knowledge_item"],
                condition=Q(withdrawn_at__isnull=True, knowledge_item__isnull=False),
                name="one_standing_decision_per_knowledge_item",
            ),
        ]

    def __str__(self) -> str:
        item = self.criterion or self.knowledge_item
        return f"{item.reference} met for {self.enrolment}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None
