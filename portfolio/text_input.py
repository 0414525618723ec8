"""What people type, cleaned by one rule before any form checks it or anything saves it.

A single-line field (a title, a name, an email address, a reference) keeps no line break and no
control character (Unicode categories Cc and Cf, which hold the bidirectional overrides): a title
"HX\\r\\nBcc: evil@example.com" would otherwise stand as a line of its own in an email's body, and
U+202E would show a file name or a name backwards. A line break becomes a space; any other control
character goes.

A multi-line field (an account, a testimony, feedback, a comment, a note) keeps its line breaks
(written as \\n) and tabs; it loses every other control character and the bidirectional overrides
and isolates (U+202A-U+202E, U+2066-U+2069). Other format characters stay: the zero-width joiner
holds an emoji together and the soft hyphen is harmless.

Every form's text field is one of the three fields below (`tests/test_text_input.py` walks every
form to make sure); a model form gets them through `formfield`.
"""

import re
import unicodedata
from typing import Any

from django import forms
from django.db import models

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Whatever a browser, a pasted document or a hand-made request may use to end a line.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """The text on one line, without control or format characters."""
    spaced = _LINE_BREAK.sub(" ", text).replace("\t", " ")
    return "".join(char for char in spaced if unicodedata.category(char) not in ("Cc", "Cf"))


def paragraphs(text: str) -> str:
    """The text with its line breaks as \\n and its tabs, without other control characters."""
    lines = _LINE_BREAK.sub("\n", text)
    return "".join(
        char for char in lines
        if char in "\n\t" or (unicodedata.category(char) != "Cc" and char not in BIDI_CONTROLS)
    )


class LineField(forms.CharField):
    """A line of text people type: a title, a name, a place, a reference, a search."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(one_line(value) if isinstance(value, str) else value)


class EmailAddressField(forms.EmailField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(one_line(value) if isinstance(value, str) else value)


# The most a box of paragraphs takes unless it says otherwise: a long reflective account or witness
# testimony is 2,000 to 4,000 words. Without a limit, one pasted 2 MB "testimony" made the evidence
# page hang in the assessor's browser (found by a hostile tester).
PARAGRAPHS_MAX_LENGTH = 20_000


class ParagraphsField(forms.CharField):
    """Text of several lines: an account, a testimony, feedback, a comment, a note."""

    widget = forms.Textarea

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = kwargs.get("max_length") or PARAGRAPHS_MAX_LENGTH
        kwargs["error_messages"] = {
            "max_length": "This is %(show_value)s characters long; the most this box takes is %(limit_value)s. "
            "Shorten it, or split it into two pieces.",
            **(kwargs.get("error_messages") or {}),
        }
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        return super().to_python(paragraphs(value) if isinstance(value, str) else value)


TEXT_FIELDS = (LineField, EmailAddressField, ParagraphsField)


def formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A model form's `formfield_callback`: a model's text columns become the fields above."""
    if not db_field.choices:
        if isinstance(db_field, models.EmailField):
            kwargs.setdefault("form_class", EmailAddressField)
        elif isinstance(db_field, models.TextField):
            kwargs.setdefault("form_class", ParagraphsField)
        elif isinstance(db_field, models.CharField):
            kwargs.setdefault("form_class", LineField)
    return db_field.formfield(**kwargs)
