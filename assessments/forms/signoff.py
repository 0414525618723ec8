"""Signing: the declaration the assessor or the candidate confirms, and the reason for unlocking."""

from typing import Any

from django import forms


class SignatureDeclarationForm(forms.Form):
    declared = forms.BooleanField(
        required=True,
        error_messages={"required": "Confirm the declaration to sign."},
    )

    def __init__(self, *args: Any, declaration: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declared"].label = declaration


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label="Why must the unit be unlocked?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the voided sign-off, shown in the audit trail and sent to everyone on the case.",
        max_length=2000,
    )
