"""Pages of a list that say when they are not the page asked for.

Django's `Paginator.get_page` shows the last page for a number past the end (and, oddly, for 0 or
a negative number), and says nothing: a person following a link to page 9 of a list that has
shrunk to 5 pages sees page 5 as if it were page 9. Here the page shown keeps the number asked
(`Shown.asked`), and the list's template says there is no such page (`page_not_there.html`).
A number that is not a number at all (a hand-edited address) still shows page 1 without comment.
"""

from typing import Any, cast

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


class Shown(Page):
    """A page of a list, and the page number asked for when there is no such page."""

    asked: int | None = None


class Pages(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> Shown:
        return Shown(*args, **kwargs)

    def get_page(self, number: Any) -> Shown:
        try:
            return cast(Shown, self.page(self.validate_number(number)))
        except PageNotAnInteger:
            return cast(Shown, self.page(1))
        except EmptyPage:
            asked = int(number)  # as validate_number read it
            shown = cast(Shown, self.page(1 if asked < 1 else self.num_pages))
            shown.asked = asked
            return shown
