import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.template import Context
from django.template.defaulttags import querystring
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from portfolio import mapped_items
from portfolio.models import Evidence

register = template.Library()


@register.simple_tag
def lookup(table: dict, kind: str, pk: int) -> int:
    """How many evidence items cover one item, from the counts gathered for the whole page."""
    return table.get(kind, {}).get(pk, 0)


@register.simple_tag
def is_chosen(chosen: dict, kind: str, pk: int) -> bool:
    return pk in chosen.get(kind, set())


@register.filter
def mapped_references(evidence: Evidence) -> list[str]:
    """The references of what the evidence is mapped to, unit by unit (`portfolio.mapped_items`),
    from its prefetched criteria and knowledge items."""
    return mapped_items.references(evidence)


@register.filter
def get_item(table: Mapping[Any, Any] | None, key: object) -> Any:
    """A value from a dict in a template, or None."""
    if not table:
        return None
    return table.get(key)


@register.simple_tag(takes_context=True)
def evidence_chip(context: Context, evidence: Evidence) -> str:
    """A link to one evidence item with its reference, title and state, as on the unit page. An item
    mapped to many criteria is shown beside each: its chip is built once per page and reused
    (the unit page showed a hundred and more chips, each reversing its URL and truncating its title)."""
    # django-stubs types the render context for the template loader's own entries only.
    chips: dict[int, SafeString] = context.render_context.setdefault("evidence_chips", {})  # type: ignore[arg-type, assignment]
    chip = chips.get(evidence.pk)
    if chip is None:
        chip = chips[evidence.pk] = format_html(
            '<a href="{}" class="evidence-chip"><span class="ref">{}</span> {} '
            '<span class="visually-hidden">(</span><span class="chip-state state-{}">{}</span>'
            '<span class="visually-hidden">)</span></a>',
            reverse("assessments:evidence_detail", args=[evidence.pk]),
            evidence.reference,
            Truncator(evidence.title).chars(40),
            evidence.state,
            evidence.get_state_display(),
        )
    return chip


@register.filter
def sentence(text: object) -> str:
    """A message as a sentence on a page: its first letter capital (unless it opens with a quoted
    name or a file's path or name, which stay as written: "manifest.json", not "Manifest.json") and
    one full stop at the end, never two."""
    words = str(text).strip()
    if not words:
        return ""
    if words[0].islower() and not _FILE_NAME.match(words.split(" ", 1)[0]):
        words = words[0].upper() + words[1:]
    return words if words[-1] in ".!?…" else words + "."


# A word that names a file: a path, or a name with an extension ("left-out.txt", "a/b/c.jpg").
_FILE_NAME = re.compile(r"^\S*/\S*$|^\S+\.[a-z0-9]{2,4}[:,]?$")


@register.filter
def up_to(count: int, shown: int = 99) -> str:
    """A count read no further than `shown` + 1, as a sentence begins with it: "12", or "More than 99"."""
    return f"More than {shown}" if count > shown else str(count)


# Where an email address may wrap: after its "@" and before each dot.
_EMAIL_BREAKS = re.compile(r"(?<=@)|(?=\.)")


@register.filter
def email_breaks(address: object) -> SafeString:
    """An email address in a narrow column, wrapping where a reader expects it ("samantha<wbr>
    .o'connor-whitfield@<wbr>riverside<wbr>.example<wbr>.org", and after a hyphen as any text does),
    never inside a name ("o'connor-whitf|ield"): with `.email-address` (static/css/portfolio.css)
    a mid-word break is left for an address too long for the whole width."""
    parts = [part for part in _EMAIL_BREAKS.split(str(address)) if part]
    return format_html_join(SafeString("<wbr>"), "{}", ((part,) for part in parts))


@register.simple_tag
def options(choices: Iterable[tuple[object, object]], chosen: object) -> SafeString:
    """A select's <option>s for (value, label) pairs, the one whose value reads as `chosen` selected.
    Built in one pass here: through the template's own loop, the bulk export's Assessor filter cost
    4 ms at a centre of 200 assessors against 0.4 at 20, a tenth of the page (docs/performance.md)."""
    chosen_text = str(chosen)
    return mark_safe("".join(  # noqa: S308  (every value and label escaped as it is joined)
        f'<option value="{html.escape(text)}"{" selected" if text == chosen_text else ""}>{_escaped(label)}</option>'
        for text, label in ((str(value), label) for value, label in choices)
    ))


def _escaped(text: object) -> str:
    """As `conditional_escape` does it, without its lazy-text wrapper: a tenth of the time a call,
    which at 200 options was 1 ms of the page (docs/performance.md)."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


@register.simple_tag(takes_context=True)
def page_query(context: Context, parameter: str, number: int) -> str:
    """`{% querystring %}` for a page number whose parameter is named by a variable: each list on
    the centre page has its own ("people_page", "enrolments_page"), and the other lists keep theirs."""
    return querystring(context, None, **{parameter: number})
