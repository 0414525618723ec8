"""A paginator told how many rows there are, for a page whose count is read with other figures in
one query (the claims page's units ready and held, the queue's evidence waiting and left out, the progress
report's units by status), so that it does not count the same rows again."""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet


class KnownCountPaginator(Paginator):
    def __init__(self, rows: QuerySet[Any] | Sequence[Any], per_page: int, count: int) -> None:
        super().__init__(rows, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count
