"""The order of every list of people: by last name, then first name, then email address, with no
regard to case or accents, so that "Óscar Ólafsson" is among the O's and "Łucja Łukasik" among the
L's, not after Z. The same rule on SQLite and PostgreSQL, whatever the database's collation (the
test cluster's is C, which puts "É" after "z"), and in Python for lists built there.

One folding, `folded`: letters with accents become their base letter ("É" "e", "Ł" "l", "ß"
"ss"), then everything is lower case. In the database it is `Folded`: on SQLite the same Python
function, registered on every connection; on PostgreSQL the same steps in SQL (normalize,
regexp_replace, translate), compared byte by byte (`COLLATE "C"`) as Python and SQLite compare.
No stored sort key, so no migration; the price is that a name-ordered page computes the key of
every row it sorts rather than reading the first fifty from the names' index (`person_by_name`,
portfolio 0032). A plain ASCII name, most of them, costs a lower() only."""

import re
import unicodedata
from typing import Any

from django.core.paginator import Page
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, F, Func, QuerySet
from django.db.models.expressions import OrderBy

from .paging import Pages

# Letters with no accent to drop (Unicode does not decompose them), spelled as English lists spell them.
_SPELLED = {
    "Ł": "l", "ł": "l", "Ø": "o", "ø": "o", "Đ": "d", "đ": "d", "Ð": "d", "ð": "d", "Ħ": "h", "ħ": "h",
    "ı": "i", "Ŧ": "t", "ŧ": "t", "Ŋ": "n", "ŋ": "n", "ĸ": "k",
    "Æ": "ae", "æ": "ae", "Œ": "oe", "œ": "oe", "ß": "ss", "ẞ": "ss", "Þ": "th", "þ": "th",
}
_TABLE = str.maketrans(_SPELLED)
# The accents themselves, once a letter is decomposed ("É" is "E" and U+0301): the combining diacritical marks.
_ACCENTS = "[\u0300-\u036f]"
# PostgreSQL's translate maps one letter to one letter: those spelled with two are replaced first.
_ONE_FOR_ONE = {letter: base for letter, base in _SPELLED.items() if len(base) == 1}
_TWO_FOR_ONE = {letter: base for letter, base in _SPELLED.items() if len(base) > 1}
_SQLITE_FUNCTION = "portfolio_folded"


def folded(text: str) -> str:
    """The text as names are compared: "Ólafsson" and "olafsson" alike. Most names are plain ASCII
    and only lowered; the others are decomposed (NFKD), their accents dropped, and the few letters
    Unicode does not decompose spelled out."""
    if text.isascii():
        return text.lower()
    bare = re.sub(_ACCENTS, "", unicodedata.normalize("NFKD", text))
    return bare.translate(_TABLE).lower()


def person_key(person: Any) -> tuple[str, str, str]:
    """A person's place in a list built in Python, as `by_name` orders a query."""
    return folded(person.last_name), folded(person.first_name), person.email


def typed_name_key(name: str, email: str) -> tuple[str, str, str]:
    """An invitation's place among people: the centre typed the name first name first ("Nia
    Newton"), so its last word is taken as the last name."""
    *first, last = name.split() or [""]
    return folded(last), folded(" ".join(first)), email


def page_by_typed_name(rows: QuerySet[Any], number: Any, *, per_page: int, prefix: str = "", then: tuple[str, ...] = ()) -> Page:
    """A page of invitations, or of rows by the invitation at `prefix` ("invitation__") and then
    by `then`, in the order of people (`typed_name_key`). The last name is a word of the name the
    centre typed, which no query can order by on both databases: every row's name is read and
    sorted here (a centre's waiting invitations, not its thousands of people), then the page's rows."""
    keys = rows.values_list("pk", f"{prefix}name", f"{prefix}email", *then)
    ordered = sorted(keys, key=lambda row: (typed_name_key(row[1], row[2]), *row[3:], row[0]))
    page = Pages([row[0] for row in ordered], per_page).get_page(number)
    found = rows.in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list]
    return page


class Folded(Func):
    """`folded` in the database."""

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        return super().as_sql(compiler, connection, function=_SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        # The expensive way for the few names that are not plain ASCII (bytes and letters differ).
        # normalize() needs a UTF8 database, as docs/production.md creates it.
        name, name_params = compiler.compile(self.get_source_expressions()[0])
        sql, params = f"regexp_replace(normalize({name}, NFKD), %s, '', 'g')", [*name_params, _ACCENTS]
        for letter, base in _TWO_FOR_ONE.items():
            sql = f"replace({sql}, %s, %s)"
            params += [letter, base]
        sql = f"translate({sql}, %s, %s)"
        params += ["".join(_ONE_FOR_ONE), "".join(_ONE_FOR_ONE.values())]
        return (
            f'(CASE WHEN octet_length({name}) = char_length({name}) THEN lower({name}) ELSE lower({sql}) END COLLATE "C")',
            [*name_params, *name_params, *name_params, *params],
        )


def by_name(prefix: str = "") -> list[OrderBy]:
    """The `order_by` of people (or of rows by the person at `prefix`, "candidate__")."""
    return [
        Folded(f"{prefix}last_name").asc(),
        Folded(f"{prefix}first_name").asc(),
        F(f"{prefix}email").asc(),
    ]


def register_on_sqlite(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created`: SQLite has no such function of its own."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(_SQLITE_FUNCTION, 1, _folded_or_null, deterministic=True)


def _folded_or_null(text: str | None) -> str | None:
    return None if text is None else folded(text)
