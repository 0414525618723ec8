"""The error summary every form page shows when a form is refused (the GOV.UK Design System's
pattern): a box at the top of the form, "There is a problem", a link to each field with an error,
focused when the page loads (static/js/portfolio.js). The fields keep their own messages as well.

    {% load error_summary %}
    {% error_summary form %}                          a Django form
    {% error_summary form also=error %}               and a view's message about the whole form
    {% error_summary form files=problems %}           and the upload's refused files
    {% error_summary form anchors="criteria=criteria-group" %}
                                                      a field drawn by hand: where its link goes
    {% error_summary also=comment_error also_anchor="id_text" summary_id="comment-errors" %}
                                                      a view's message about one field, no form

It is for every app's pages, so it lives in the lowest app that has forms. It only formats what
the form and the view already hold."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django import forms, template

register = template.Library()

# A message Django words for any field ("This field is required.") says nothing about which field
# in a list of several: the summary puts the field's label before it. Messages a form words itself
# ("Give the date you saw it.") stand alone.
_PARAMETER = re.compile(r"%\\\(\w+\\\)[sdr]")


@dataclass(frozen=True)
class SummaryLine:
    message: str
    anchor: str = ""  # the id the line links to; none for a problem with the whole form
    file_name: str = ""  # a refused upload's file name, which the upload script marks in its queue


@cache
def _pattern(template_text: str) -> re.Pattern[str]:
    return re.compile(_PARAMETER.sub(".*", re.escape(template_text)) + r"\Z", re.DOTALL)


def _generic_wordings(field: forms.Field) -> list[str]:
    wordings: dict[str, object] = {}
    for cls in reversed(type(field).__mro__):
        wordings.update(getattr(cls, "default_error_messages", {}))
    found = [str(text) for text in wordings.values()]
    found += [str(getattr(validator, "message", "")) for validator in field.validators]
    return [text for text in found if text]


def _worded(bound: forms.BoundField, message: str) -> str:
    if any(_pattern(text).match(message) for text in _generic_wordings(bound.field)):
        label = str(bound.label or bound.name.replace("_", " ").capitalize())
        return f"{label}: {message}"
    return message


def _anchor(bound: forms.BoundField, anchors: dict[str, str]) -> str:
    if bound.name in anchors:
        return anchors[bound.name]
    if bound.is_hidden:
        return ""
    # A group of checkboxes or radio buttons has no one label: its first box takes the link.
    return bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")


def _parsed(anchors: str) -> dict[str, str]:
    pairs = (pair.split("=", 1) for pair in anchors.split(";") if "=" in pair)
    return {name.strip(): target.strip() for name, target in pairs}


def summary_lines(
    form: forms.BaseForm | None, *, also: str | Iterable[str] = "", also_anchor: str = "",
    files: Iterable[tuple[str, str]] = (), anchors: str = "",
) -> list[SummaryLine]:
    """The summary's lines in the page's order: the view's and the whole form's problems, each
    field's, the files'."""
    from_view = [also] if isinstance(also, str) else list(also or [])
    lines = [SummaryLine(str(message), also_anchor) for message in from_view if message]
    if form is not None and form.is_bound:
        lines += [SummaryLine(str(message)) for message in form.non_field_errors()]
        targets = _parsed(anchors)
        for bound in form:
            anchor = _anchor(bound, targets)
            lines += [SummaryLine(_worded(bound, str(message)), anchor) for message in bound.errors]
    files_anchor = ""
    if form is not None and "files" in form.fields:
        files_anchor = form["files"].id_for_label
    lines += [SummaryLine(message, files_anchor, name) for name, message in files]
    return lines


@register.inclusion_tag("error_summary.html")
def error_summary(
    form: forms.BaseForm | None = None, also: str | Iterable[str] = "", also_anchor: str = "",
    files: Iterable[tuple[str, str]] = (), anchors: str = "", summary_id: str = "error-summary",
) -> dict[str, object]:
    files = list(files or [])
    return {
        "lines": summary_lines(form, also=also, also_anchor=also_anchor, files=files, anchors=anchors),
        "files_refused": len(files),
        "summary_id": summary_id,
    }
