from typing import Any

from django import forms
from django.utils import timezone


class ClaimMarkForm(forms.Form):
    """The items ready to claim are offered as choices; the service checks them again."""

    items = forms.MultipleChoiceField(
        label="Units and qualifications claimed", widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one unit or qualification to mark as claimed.",
            "invalid_choice": "Choose among the units and qualifications listed as ready to claim.",
        },
    )
    reference = forms.CharField(
        label="Claim reference", max_length=60,
        help_text="The reference the awarding body gave the claim, or your own.",
        error_messages={"required": "Give the claim reference."},
    )
    claimed_on = forms.DateField(
        label="Date claimed", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": "Give the date the claim was made."},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"claimed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        items = self.fields["items"]
        assert isinstance(items, forms.MultipleChoiceField)
        items.choices = choices
