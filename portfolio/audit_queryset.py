"""The audit trail's queryset: bulk changes would go round `AuditEvent`'s refusals, so they are
refused here too (and by the database: portfolio 0004, 0005)."""

from typing import Any, NoReturn

from django.db import models


class AuditEventQuerySet(models.QuerySet):
    """Bulk changes would go round the model's refusals, so they are refused here too."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events cannot be changed once written.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events cannot be deleted.")
