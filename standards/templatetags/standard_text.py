"""Rendering the published text: defined words become keyboard-reachable definitions, and
footnote markers go back where the published text had them."""

import re
from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from standards.models import Footnote, plain

register = template.Library()

_BOLD = re.compile(r"\*\*(.+?)\*\*")


@register.filter
def defined_terms(text: str, terms: dict | None = None) -> SafeString:
    """Escapes the text, then turns each **marked** word into a button that shows its definition.

    A marked word the unit does not define (emphasis in an introduction) is simply bold.
    """
    terms = terms or {}
    escaped = str(conditional_escape(text))

    def replace(match: re.Match) -> str:
        words = match.group(1)
        term = terms.get(words.lower())
        if term is None:
            return f"<strong>{words}</strong>"
        return (
            f'<button type="button" class="defined-term" data-definition="definition-{term.anchor}" '
            f'aria-haspopup="dialog">{words}</button>'
        )

    return mark_safe(_BOLD.sub(replace, escaped))  # noqa: S308 - built from escaped text


@register.filter
def plain_text(text: str) -> str:
    return plain(text)


@register.simple_tag
def footnote_markers(text: SafeString, footnotes: Iterable[Footnote], part: str) -> SafeString:
    """Puts each footnote's marker of this part of the unit after the words it follows."""
    for footnote in footnotes:
        if footnote.part != part:
            continue
        marker = format_html(
            '<sup><a href="#footnote-{n}" id="footnote-ref-{n}" aria-label="Footnote {n}">{n}</a></sup>',
            n=footnote.number,
        )
        anchor = str(conditional_escape(footnote.anchor))
        if anchor and anchor in text:
            text = mark_safe(text.replace(anchor, anchor + marker, 1))  # noqa: S308
        else:
            text = mark_safe(text + marker)  # noqa: S308
    return text


@register.filter
def anchor_id(reference: str) -> str:
    """An HTML id for a reference such as "H3 25 K(c)"."""
    return slugify(reference.replace(".", "-"))


@register.filter
def paragraphs(text: str) -> list[str]:
    """The published paragraphs of a text field, which are separated by blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
