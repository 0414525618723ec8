"""Signing: the declaration the assessor or the candidate confirms (with, for the assessor, why any
scope category without evidence does not apply), and the reason for unlocking."""

from typing import Any

from django import forms
from django.forms import BoundField

from portfolio.text_input import LineField, ParagraphsField
from standards.models import ScopeCategory

from ..models import SignOff


class SignatureDeclarationForm(forms.Form):
    declared = forms.BooleanField(
        required=True,
        error_messages={"required": "Confirm the declaration to sign."},
    )

    def __init__(self, *args: Any, declaration: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declared"].label = declaration


class CountersignForm(SignatureDeclarationForm):
    """The candidate's declaration, bound to the sign-off the page showed: one signed again while
    the page was open (unlocked, a decision changed, signed off anew) is not countersigned unread."""

    sign_off = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, declaration=SignOff.CANDIDATE_DECLARATION, **kwargs)


class UnlockForm(forms.Form):
    reason = ParagraphsField(
        label="Why must the unit be unlocked?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the voided sign-off, shown in the audit trail and sent to everyone on the case.",
        max_length=2000,
        error_messages={"required": "Say why the unit must be unlocked: everyone on the case is told."},
    )


def reason_field_name(category: ScopeCategory) -> str:
    return f"not_applicable_{category.pk}"


class SignOffForm(SignatureDeclarationForm):
    """The assessor's declaration, and for each scope category no accepted evidence covers, why it
    does not apply to the candidate's work area."""

    # The standing decisions the page listed (`seen_signing`): changed meanwhile, nothing is signed.
    decisions = LineField(required=False, max_length=10000, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, uncovered: list[ScopeCategory], candidate_name: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, declaration=SignOff.ASSESSOR_DECLARATION, **kwargs)
        self.uncovered = uncovered
        for category in uncovered:
            self.fields[reason_field_name(category)] = ParagraphsField(
                label=f"“{category.name}” does not apply to {candidate_name}’s work area because",
                help_text=f"{category.lead} {', '.join(item.text for item in category.items.all())}.",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                error_messages={"required": (
                    f"Say why “{category.name}” does not apply to the candidate’s work area, or record "
                    "evidence that covers it before signing off."
                )},
            )

    @property
    def reason_fields(self) -> list[BoundField]:
        return [self[reason_field_name(category)] for category in self.uncovered]

    @property
    def not_applicable(self) -> dict[int, str]:
        """The reasons given, by category id."""
        return {category.pk: self.cleaned_data[reason_field_name(category)] for category in self.uncovered}
