"""A person's role at a centre sealed as the portfolio saves it (`signing.membership_seal`): the row
that lets them in to the centre's records in that role. Sealed when made; a save re-seals only a row
that held, so a product save never makes a hand edit good (`membership_seals` checks and puts right)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.crypto import constant_time_compare

from .signing import membership_seal

SEALED = ("person_id", "centre_id", "role")
_FIELDS = {"person", "person_id", "centre", "centre_id", "role"}


def seal_of(membership_id: int, row: Mapping[str, Any]) -> str:
    return membership_seal(membership_id, row["person_id"], row["centre_id"], row["role"])


def row_holds(membership_id: int, row: Mapping[str, Any]) -> bool:
    """Is the row (its `SEALED` values and its `seal`) as the portfolio gave it?"""
    return bool(row["seal"]) and constant_time_compare(row["seal"], seal_of(membership_id, row))


def _row(membership: models.Model) -> dict[str, Any]:
    return {column: getattr(membership, column) for column in SEALED}


class SealedOnSave(models.Model):
    """Membership's saving: the seal written with the row, and kept as it was over a hand edit."""

    seal = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            super().save(*args, **kwargs)
            self.seal = seal_of(self.pk, _row(self))
            type(self)._default_manager.filter(pk=self.pk).update(seal=self.seal)
            return
        update_fields: Iterable[str] | None = kwargs.get("update_fields")
        if update_fields is None or _FIELDS & set(update_fields):
            stored = type(self)._default_manager.filter(pk=self.pk).values(*SEALED, "seal").first()
            if stored is not None:
                self.seal = seal_of(self.pk, _row(self)) if row_holds(self.pk, stored) else stored["seal"]
                if update_fields is not None:
                    kwargs["update_fields"] = [*update_fields, "seal"]
        super().save(*args, **kwargs)
