"""A paginator told how many rows there are, for a page whose count is read with other figures in
one query (the claims page's units ready and held, the queue's evidence waiting and left out, the progress
report's units by status), so that it does not count the same rows again."""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.db.models import Count, QuerySet, Window

from .paging import Pages, Shown

# Rows before a page no list reaches; PostgreSQL's and SQLite's OFFSET is a 64-bit integer.
MAX_START = 2**31


class KnownCountPaginator(Pages):
    def __init__(self, rows: QuerySet[Any] | Sequence[Any], per_page: int, count: int) -> None:
        super().__init__(rows, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def page_counted_in_its_query(rows: QuerySet[Any], per_page: int, number: str | None) -> Shown:
    """The page asked for (`number`, as `Paginator.get_page` takes it) of these rows, each row read
    with how many there are in all (a window over the whole query, taken before the page is cut), so
    that the rows and their count cost one query: the claims page counted its 766 units ready at
    10,000 candidates, then sorted them all again for its page of 50. Only the rows' ids are read.
    A page past the last, before the first, or of nothing, is counted apart and handed to `get_page`,
    which says which page to show instead."""
    try:
        wanted = int(str(number))
    except ValueError:
        wanted = 1
    start = (wanted - 1) * per_page
    # Page 0 or less, or past any list's end (an OFFSET the databases cannot hold), is not cut here.
    within = 0 <= start < MAX_START
    cut = list(rows.only("pk").annotate(in_all=Window(Count("pk")))[start : start + per_page]) if within else []
    if not cut:
        return Pages(rows, per_page).get_page(number)
    paginator = KnownCountPaginator(rows, per_page, cut[0].in_all)
    paginator.validate_number(wanted)  # there is a row on it, so it is a page
    return Shown(cut, wanted, paginator)
