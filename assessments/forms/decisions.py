"""The decisions page's forms: one item recorded as met, a decision withdrawn."""

from django import forms


class DecisionRecordForm(forms.Form):
    """One item's compact form. The evidence ticked is read as plain ids: the service decides what
    may be cited and says why not in the domain's own words."""

    item = forms.RegexField(regex=r"^(criterion|knowledge)-\d+$")
    decided_on = forms.DateField()
    seen = forms.RegexField(regex=r"^\d*$", required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is this decision withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the decision and shown in the audit trail.",
        max_length=2000,
    )
