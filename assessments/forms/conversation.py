"""The form that sends a comment in the conversation about an evidence item."""

from django import forms

from portfolio.text_input import ParagraphsField

from ..models import EvidenceComment


class CommentForm(forms.Form):
    text = ParagraphsField(
        label="Your comment",
        max_length=EvidenceComment.MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Once sent, a comment stays with the evidence as written: it cannot be changed or deleted.",
        error_messages={
            "required": "Write your comment before sending it.",
            "max_length": "A comment can be up to %(limit_value)d characters long; this one has %(show_value)d.",
        },
    )
