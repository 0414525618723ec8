"""Forms of internal quality assurance: choosing a sample, recording a review, answering a referral."""

from typing import Any, cast

from django import forms

from portfolio.held_roles import as_iqa
from portfolio.ids import RecordsChoiceField
from portfolio.models import Enrolment, Person
from portfolio.text_input import LineField, ParagraphsField

from ..models import QualityReview
from ..sampling import Register
from ..unit_state import UnitState


class SampleForm(forms.Form):
    """The enrolments ticked on the sample page. Only the IQA's own are valid choices, so another
    IQA's enrolment id is simply not one of them."""

    enrolments = RecordsChoiceField(
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one unit to add to your sample."},
    )

    def __init__(self, *args: Any, iqa: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["enrolments"]).queryset = Enrolment.objects.filter(as_iqa(iqa)).exclude(assessor=iqa)
        if self.part == "list":
            self.fields["enrolments"].error_messages["required"] = (
                "Tick at least one unit in the list to add to your sample."
            )

    @property
    def part(self) -> str:
        """Which Add button sent the form: "suggested" (the suggested sample's), "list" (the one
        under the list of all the IQA's units), or "" when nothing was sent. Each part of the page
        is a form of its own, so the ticks sent are that part's alone; a post without the marker
        (a tab opened before it was added) is taken as the suggestions'."""
        if not self.is_bound:
            return ""
        return "list" if self.data.get("part") == "list" else "suggested"


class SampleFilterForm(forms.Form):
    """What narrows the list of the IQA's units on the sample page (sent by GET). A value that is
    not one of the choices (an old link, a hand-edited address) is left out, not refused."""

    SAMPLE_CHOICES = [
        ("", "All units"),
        ("waiting", "Waiting for your review"),
        ("not-sampled", "Not in your sample"),
    ]

    q = LineField(
        label="Candidate",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control", "autocomplete": "off"}),
    )
    assessor = forms.TypedChoiceField(label="Assessor", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="Unit", required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label="State", required=False, choices=[("", "Any state"), *UnitState.choices])
    sample = forms.ChoiceField(label="Sample", required=False, choices=SAMPLE_CHOICES)

    def __init__(self, *args: Any, names: Register, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        for name in ("assessor", "unit", "state", "sample"):
            self.fields[name].widget.attrs["class"] = "form-select"
        cast(forms.TypedChoiceField, self.fields["assessor"]).choices = [("", "All assessors"), *names.assessors.items()]
        cast(forms.TypedChoiceField, self.fields["unit"]).choices = [("", "All units"), *names.units.items()]

    @property
    def chosen(self) -> dict:
        """The valid filters given, without the empty ones."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class ReviewForm(forms.Form):
    OUTCOMES = [
        (QualityReview.Outcome.COUNTERSIGNED, "Countersign"),
        (QualityReview.Outcome.REFERRED, "Refer back to the assessor"),
    ]

    outcome = forms.ChoiceField(
        label="Your decision",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to countersign or refer back to the assessor."},
    )
    comments = ParagraphsField(
        label="Comments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you checked and what you found, for the assessor and the external quality assurer.",
    )
    # The sign-off the page showed, so a unit signed off or unlocked meanwhile is not reviewed unseen.
    sign_off = forms.IntegerField(required=False, widget=forms.HiddenInput)
    actions = ParagraphsField(
        label="Actions for the assessor",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you refer back: what the assessor must do.",
    )

    # At an interim review nothing is signed off to countersign: the IQA agrees with the decisions so far
    # (the same stored outcome, said as what it is).
    INTERIM_OUTCOMES = {QualityReview.Outcome.COUNTERSIGNED: "Agree with the assessor’s decisions so far"}

    def __init__(
        self, *args: Any, may_refer_back: bool = True, countersign_refused: str = "", interim: bool = False, **kwargs: Any
    ) -> None:
        """`interim`: the unit is not signed off (`INTERIM_OUTCOMES`). `may_refer_back` False (the candidate is deactivated, `EnrolmentRights.may_refer_back`):
        countersigning is the one outcome offered, and no actions are asked for. `countersign_refused`
        (`services.iqa.countersign_refusal`): referring back is the one offered, and a countersignature
        sent anyway is answered in those words."""
        super().__init__(*args, **kwargs)
        outcome = cast(forms.ChoiceField, self.fields["outcome"])
        if countersign_refused:
            outcome.error_messages["invalid_choice"] = countersign_refused
        if not may_refer_back:
            outcome.error_messages["invalid_choice"] = (
                "Referring back is not offered while the candidate is deactivated: "
                f"{'agree with the decisions so far' if interim else 'countersign'}, or leave the unit for now."
            )
            del self.fields["actions"]
        if interim:
            outcome.error_messages["required"] = "Choose whether to agree with the decisions so far or refer back to the assessor."
        outcome.choices = [
            (value, self.INTERIM_OUTCOMES.get(value, words) if interim else words) for value, words in self.OUTCOMES
            if (value == QualityReview.Outcome.COUNTERSIGNED and not countersign_refused)
            or (value == QualityReview.Outcome.REFERRED and may_refer_back)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean() gives back cleaned_data
        if (
            cleaned.get("outcome") == QualityReview.Outcome.REFERRED
            and not cleaned.get("actions", "").strip()
        ):
            self.add_error("actions", "Say what the assessor must do: a referral back needs actions.")
        return cleaned


class ActionsDoneForm(forms.Form):
    note = ParagraphsField(
        label="What you did",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The IQA reads this before reviewing the unit again.",
        error_messages={"required": "Say what you did about the IQA’s actions."},
    )
