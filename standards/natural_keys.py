"""Natural keys for the standards: fixtures load every row by its published reference, so the
portfolio's records that point at a criterion survive a reload of the standards."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

NaturalKey = tuple[str | int, ...]
_NaturalKeyMethod = TypeVar("_NaturalKeyMethod", bound=Callable[..., NaturalKey])


def loads_after(*models: str) -> Callable[[_NaturalKeyMethod], _NaturalKeyMethod]:
    """Names the models a fixture must load before this one: Django's serializers read them from
    `natural_key.dependencies`."""

    def mark(natural_key: _NaturalKeyMethod) -> _NaturalKeyMethod:
        natural_key.dependencies = list(models)  # type: ignore[attr-defined]  # a function attribute, Django's protocol
        return natural_key

    return mark


_M = TypeVar("_M", bound=models.Model)


class NaturalKeyManager(models.Manager[_M]):
    """Looks a row up by the fields its model names in `natural_key_fields`."""

    def get_by_natural_key(self, *key: Any) -> _M:
        fields: tuple[str, ...] = getattr(self.model, "natural_key_fields")  # noqa: B009  # declared by each model, not by Model
        return self.get(**dict(zip(fields, key, strict=True)))
