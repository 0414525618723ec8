from typing import Any

from django import forms
from django.utils import timezone

from portfolio.text_input import LineField


class ClaimDetailsForm(forms.Form):
    """What every claim records, whether ticked unit by unit or all matching at once."""

    reference = LineField(
        label="Claim reference", max_length=60,
        help_text="The reference the awarding body gave the claim, or your own.",
        error_messages={"required": "Give the claim reference."},
    )
    claimed_on = forms.DateField(
        label="Date claimed", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": "Give the date the claim was made."},
    )


class ClaimMarkForm(ClaimDetailsForm):
    """The items ready to claim are offered as choices; the service checks them again."""

    field_order = ["items", "reference", "claimed_on"]

    items = forms.MultipleChoiceField(
        label="Units and qualifications claimed", widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one unit or qualification to mark as claimed.",
            "invalid_choice": "Choose among the units and qualifications listed as ready to claim.",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"claimed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        items = self.fields["items"]
        assert isinstance(items, forms.MultipleChoiceField)
        items.choices = choices


class ClaimMarkAllForm(ClaimDetailsForm):
    """Every unit matching the claims page's search marked claimed at once: the confirmation carries
    the digest of the units it counted (`claims.digest_of`), so the service can refuse a changed set."""

    q = LineField(required=False, widget=forms.HiddenInput)
    # Checked in `clean`: a hidden field's own error would read "Confirmed: This field is required."
    confirmed = LineField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"claimed_on": timezone.localdate(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if not self.cleaned_data.get("confirmed"):
            raise forms.ValidationError(
                "The confirmation was missing, so nothing was marked as claimed. Go back to the list and choose again."
            )
        return cleaned
