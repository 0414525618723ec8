"""The IQA's sampling plan: its period and shares, one row of fields per assessor (risk rating, date,
reason, share, stages, sample before claim), the methods and locations to cover, and the units to
sample before they are claimed. One form, so one error summary links to every field."""

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils import timezone

from portfolio.ids import RecordsChoiceField
from portfolio.models import AssessmentMethod, Enrolment, Person
from portfolio.text_input import ParagraphsField

from ..sampling_plan_models import AssessorRating, RiskRating, SampleStages, SamplingPlan

SHARE_FIELDS = {
    RiskRating.NEW: "share_new",
    RiskRating.IN_DEVELOPMENT: "share_in_development",
    RiskRating.EXPERIENCED: "share_experienced",
    RiskRating.UNDER_SUPPORT: "share_under_support",
}
_DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _percent(label: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=100, required=required,
        error_messages={"min_value": "A share is a number from 0 to 100.", "max_value": "A share is a number from 0 to 100."},
    )


@dataclass
class AssessorFields:
    """One assessor's row of the form, as the template draws it."""

    assessor: Person
    rating: forms.BoundField
    rated_on: forms.BoundField
    reason: forms.BoundField
    share: forms.BoundField
    stages: forms.BoundField
    before_claim: forms.BoundField


class SamplingPlanForm(forms.Form):
    period_start = forms.DateField(
        label="The plan starts on", widget=_DATE, help_text="The plan runs for twelve months from this day.",
        error_messages={"required": "Give the day the plan starts."},
    )
    share_new = _percent("New")
    share_in_development = _percent("In development")
    share_experienced = _percent("Experienced")
    share_under_support = _percent("Under support")
    methods = forms.MultipleChoiceField(
        label="Assessment methods to cover", choices=AssessmentMethod.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    locations = ParagraphsField(
        label="Assessment locations to cover", required=False, max_length=4000,
        help_text="One a line, as the evidence names where it happened (a workplace, a care home, a day centre).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    must_sample = RecordsChoiceField(
        label="Units to sample before they are claimed", queryset=Enrolment.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, assessors: list[Person], units: list[Enrolment], plan: SamplingPlan | None, **kwargs: Any
    ) -> None:
        self.assessors = assessors
        kwargs.setdefault("initial", _initial(plan, assessors))
        super().__init__(*args, **kwargs)
        must_sample = cast(forms.ModelMultipleChoiceField, self.fields["must_sample"])
        must_sample.queryset = (
            Enrolment.objects.filter(pk__in=[e.pk for e in units]).select_related("candidate", "unit", "assessor")
            .order_by("assessor__last_name", "assessor__first_name", "candidate__last_name", "unit__code", "pk")
        )
        must_sample.label_from_instance = lambda e: f"{e.candidate}, {e.unit.code} (assessed by {e.assessor})"  # type: ignore[method-assign,assignment]
        for person in assessors:
            self._add_assessor(person)

    def _add_assessor(self, person: Person) -> None:
        name = person.get_full_name() or person.email
        pk = person.pk
        self.fields[f"rating_{pk}"] = forms.ChoiceField(label=f"Risk rating of {name}", choices=RiskRating.choices)
        self.fields[f"rated_on_{pk}"] = forms.DateField(
            label=f"Date of {name}’s rating", widget=_DATE,
            error_messages={"required": f"Give the date you rated {name}."},
        )
        self.fields[f"reason_{pk}"] = ParagraphsField(
            label=f"Reason for {name}’s rating", max_length=2000,
            error_messages={"required": f"Give the reason for {name}’s rating."},
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields[f"share_{pk}"] = _percent(f"Share of {name}’s units, if not the rating’s", required=False)
        self.fields[f"stages_{pk}"] = forms.ChoiceField(label=f"{name}’s units sampled at", choices=SampleStages.choices)
        self.fields[f"before_claim_{pk}"] = forms.BooleanField(
            label=f"Sample every unit of {name}’s before it is claimed", required=False
        )

    def share_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SHARE_FIELDS.values()]

    def assessor_rows(self) -> list[AssessorFields]:
        return [
            AssessorFields(person, *(self[f"{part}_{person.pk}"] for part in
                                     ("rating", "rated_on", "reason", "share", "stages", "before_claim")))
            for person in self.assessors
        ]

    def ratings(self) -> list[dict[str, Any]]:
        """Each assessor's row as the service takes it (once the form is valid)."""
        data = self.cleaned_data
        return [
            {
                "assessor": person, "rating": data[f"rating_{person.pk}"], "rated_on": data[f"rated_on_{person.pk}"],
                "reason": data[f"reason_{person.pk}"], "share": data[f"share_{person.pk}"],
                "stages": data[f"stages_{person.pk}"], "sample_before_claim": data[f"before_claim_{person.pk}"],
            }
            for person in self.assessors
        ]

    def shares(self) -> dict[str, int]:
        return {rating: self.cleaned_data[name] for rating, name in SHARE_FIELDS.items()}


def _initial(plan: SamplingPlan | None, assessors: list[Person]) -> dict[str, Any]:
    """The plan as saved, or a new plan's defaults: starting today, every assessor not rated yet as new."""
    today = timezone.localdate()
    fresh = SamplingPlan(period_start=today)
    source = plan or fresh
    initial: dict[str, Any] = {
        "period_start": source.period_start, "methods": list(source.methods), "locations": source.locations,
        "must_sample": [e.pk for e in plan.must_sample.all()] if plan else [],
        **{name: source.share_of(rating) for rating, name in SHARE_FIELDS.items()},
    }
    ratings: dict[int, AssessorRating] = {r.assessor_id: r for r in plan.ratings.all()} if plan else {}
    for person in assessors:
        rated = ratings.get(person.pk)
        initial.update({
            f"rating_{person.pk}": rated.rating if rated else RiskRating.NEW,
            f"rated_on_{person.pk}": rated.rated_on if rated else today,
            f"reason_{person.pk}": rated.reason if rated else "",
            f"share_{person.pk}": rated.share if rated else None,
            f"stages_{person.pk}": rated.stages if rated else SampleStages.BOTH,
            f"before_claim_{person.pk}": rated.sample_before_claim if rated else False,
        })
    return initial
