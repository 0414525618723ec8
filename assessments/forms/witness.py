"""Forms for witness testimony: the request the candidate or assessor sends, and the witness's own."""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from portfolio.ids import RecordsChoiceField
from portfolio.text_input import EmailAddressField, LineField, ParagraphsField
from standards.models import Criterion, Unit, plain

from ..services.witness import EXPERT_CONFIRMATION, MIN_TESTIMONY_CHARACTERS, WITNESS_CONFIRMATION
from ..services.witness_status import MIN_EXPERTISE_CHARACTERS, STATUS_CONFIRMATION


class CriterionChoiceField(RecordsChoiceField):
    def label_from_instance(self, obj: Criterion) -> str:
        return f"{obj.reference} {plain(obj.text)}"


class TestimonyRequestForm(forms.Form):
    __test__ = False
    # The page's order, which the error summary follows.
    field_order = ["witness_name", "witness_email", "criteria"]

    criteria = CriterionChoiceField(
        queryset=Criterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Criteria the witness saw",
        help_text="Tick only what the witness saw you do themselves.",
        error_messages={"required": "Tick at least one criterion the witness saw."},
    )
    witness_name = LineField(label="Witness’s name", max_length=150)
    witness_email = EmailAddressField(
        label="Witness’s email address",
        help_text="The link is sent here. It works once, for 14 days.",
    )

    def __init__(self, *args: Any, unit: Unit, candidate: str = "", **kwargs: Any) -> None:
        """`candidate`: the candidate's name when someone else (their assessor) fills it in."""
        super().__init__(*args, **kwargs)
        if candidate:
            self.fields["criteria"].help_text = f"Tick only what the witness saw {candidate} do themselves."
        cast(forms.ModelMultipleChoiceField, self.fields["criteria"]).queryset = (
            Criterion.objects.filter(unit=unit).select_related("element").prefetch_related("points")
        )
        self.fields["witness_name"].widget.attrs["autocomplete"] = "off"
        self.fields["witness_email"].widget.attrs["autocomplete"] = "off"


EXPERT_CHOICES = [
    ("no", "No: I saw the work, but I am not qualified in this kind of work myself"),
    ("yes", "Yes: " + EXPERT_CONFIRMATION.rstrip(".")),
]


class WitnessStatusFields(forms.Form):
    """Who the witness is (the witness status list, RF03), asked of them and confirmed by them: on
    the testimony page, and on the page that asks a witness who testified before."""

    witness_name = LineField(
        label="Your name", max_length=150, error_messages={"required": "Give your name."}
    )
    job_role = LineField(
        label="Your job role", max_length=200, help_text="For example “Team leader”.",
        error_messages={"required": "Give your job role."},
    )
    relationship = LineField(
        label="Your relationship to the candidate",
        max_length=200,
        help_text="For example “Line manager” or “Colleague on the same shift”.",
        error_messages={"required": "Say how you know the candidate."},
    )
    expert = forms.TypedChoiceField(
        label="Are you an expert witness?",
        choices=EXPERT_CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=(
            "An expert witness is qualified and experienced in this kind of work themselves. "
            "Choose “No” if you are not sure."
        ),
        error_messages={"required": "Say whether you are an expert witness."},
    )
    expertise = ParagraphsField(
        label="If you are an expert witness: why",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your own qualifications and experience in this work, e.g. “Registered nurse, 12 years in care homes”.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["witness_name"].widget.attrs["autocomplete"] = "name"
        self.fields["job_role"].widget.attrs["autocomplete"] = "organization-title"

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("expert") and len(cleaned.get("expertise", "").strip()) < MIN_EXPERTISE_CHARACTERS:
            self.add_error(
                "expertise",
                "Say why you are an expert witness: your own qualifications and experience in this kind of work.",
            )
        return cleaned


class WitnessStatusForm(WitnessStatusFields):
    """A witness who testified before confirms their status, through a link of its own."""

    field_order = ["witness_name", "job_role", "relationship", "expert", "expertise", "confirmed"]
    confirmed = forms.BooleanField(
        label=STATUS_CONFIRMATION,
        error_messages={"required": "Tick the box to confirm these details are true."},
    )


class TestimonyForm(WitnessStatusFields):
    """What the witness writes. Nothing here comes from the candidate except the initial name."""

    __test__ = False

    testimony = ParagraphsField(
        label="What you saw",
        min_length=MIN_TESTIMONY_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Describe what you saw the candidate do, in your own words, for the points listed above. "
            "Do not name the people they support: write “Person A” or “the resident” instead."
        ),
        error_messages={
            "required": "Describe what you saw.",
            "min_length": f"Describe what you saw in at least {MIN_TESTIMONY_CHARACTERS} characters.",
        },
    )
    seen_on = forms.DateField(
        label="Date you saw it",
        help_text="If you saw it several times, the most recent date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Give the date you saw it.", "invalid": "Enter a real date."},
    )
    seen_at = LineField(
        label="Where you saw it",
        max_length=200,
        help_text="The workplace or setting, e.g. “Day centre” — not a person’s home address.",
        error_messages={"required": "Say where you saw it."},
    )
    confirmed = forms.BooleanField(
        label=WITNESS_CONFIRMATION,
        error_messages={"required": "Tick the box to confirm this is a true account of what you saw."},
    )

    field_order = [
        "testimony", "seen_on", "seen_at", "witness_name", "job_role", "relationship", "expert", "expertise",
        "confirmed",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_seen_on(self) -> datetime.date:
        value = self.cleaned_data["seen_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date you saw it cannot be in the future.")
        return value
