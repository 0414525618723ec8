"""Forms of the external quality assurer's own work: narrowing their list of units, a sample, a
visit report with its actions; and the centre's answer to an action, and the EQA's word on it."""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from portfolio import access
from portfolio.ids import RecordChoiceField, RecordsChoiceField
from portfolio.models import Centre, Enrolment, Person
from portfolio.text_input import LineField, ParagraphsField

from ..eqa_models import EqaOutcome, EqaReview, EqaSample, VisitMode
from ..eqa_units import STATE_CHOICES, FilterChoices


def _date_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


class EqaUnitFilterForm(forms.Form):
    """What narrows the EQA's list of units (sent by GET). A value that is not one of the choices
    (an old link, a hand-edited address) is left out, not refused."""

    centre = forms.TypedChoiceField(label="Centre", required=False, coerce=int, empty_value=None)
    qualification = forms.TypedChoiceField(label="Qualification", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="Unit", required=False, coerce=int, empty_value=None)
    assessor = forms.TypedChoiceField(label="Assessor", required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label="State", required=False, choices=[("", "Any state"), *STATE_CHOICES])

    def __init__(self, *args: Any, choices: FilterChoices, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        offered = {
            "centre": ("All centres", choices.centres),
            "qualification": ("All qualifications", choices.qualifications),
            "unit": ("All units", choices.units),
            "assessor": ("All assessors", choices.assessors),
        }
        for name, (everything, values) in offered.items():
            cast(forms.TypedChoiceField, self.fields[name]).choices = [("", everything), *values]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    @property
    def chosen(self) -> dict:
        """The valid filters given, without the empty ones."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class EqaSampleForm(forms.Form):
    name = LineField(label="Name of the sample", max_length=120, help_text="For example “Visit 12 March 2027”.")
    planned_on = _date_field("Date planned")
    mode = forms.ChoiceField(label="Remote or on site", choices=VisitMode.choices, widget=forms.RadioSelect)
    enrolments = RecordsChoiceField(
        label="Units in the sample",
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one unit for the sample."},
    )

    def __init__(self, *args: Any, eqa: Person, centre: Centre | None = None, **kwargs: Any) -> None:
        """`centre`: the sample's, once it has one; a new sample takes the centre of its units."""
        super().__init__(*args, **kwargs)
        self.centre = centre
        cast(forms.ModelMultipleChoiceField, self.fields["enrolments"]).queryset = access.eqa_enrolments(eqa)

    def clean_enrolments(self) -> Any:
        chosen = self.cleaned_data["enrolments"]
        centres = {e.centre_id for e in chosen}
        if len(centres) > 1:
            raise forms.ValidationError("A sample is of one centre’s units: tick units of one centre only.")
        if self.centre is not None and centres and centres != {self.centre.pk}:
            raise forms.ValidationError(f"This sample is of units at {self.centre.name}.")
        return chosen


class EqaReportForm(forms.Form):
    visited_on = _date_field("Date of the visit")
    mode = forms.ChoiceField(label="Remote or on site", choices=VisitMode.choices, widget=forms.RadioSelect)
    findings = ParagraphsField(
        label="Findings",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you looked at and what you found: assessment decisions, IQA sampling, standardisation, "
        "records. The centre’s administrators and IQAs read this.",
    )
    outcome = forms.ChoiceField(label="Outcome", choices=EqaOutcome.choices, widget=forms.RadioSelect)
    # The sample the report is on (none: a visit that sampled no units); only the EQA's own at the centre.
    sample = RecordChoiceField(queryset=EqaSample.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, eqa: Person, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["sample"]).queryset = EqaSample.objects.filter(eqa=eqa, centre=centre)


class EqaActionForm(forms.Form):
    """One action of a report; a row left empty is no action."""

    text = ParagraphsField(label="Action", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = _date_field("Due by", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())
        if cleaned.get("text") and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "Give the date the action is due by.")
        if cleaned.get("due_on") and not cleaned.get("text"):
            self.add_error("text", "Say what the centre must do by this date.")
        return cleaned


EqaActionFormSet = forms.formset_factory(EqaActionForm, extra=3, max_num=30)


class ActionAnswerForm(forms.Form):
    DONE, PLANNED = "done", "planned"

    response = ParagraphsField(
        label="What the centre did, or will do",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the centre did, or will do, about this action."},
    )
    progress = forms.ChoiceField(
        label="Is it done?",
        choices=[(DONE, "Done"), (PLANNED, "Planned, not yet done")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the action is done or planned."},
    )
    on = _date_field(
        "Date done or planned", help_text="The date it was done, or the date it is planned for.",
        error_messages={"required": "Give the date it was done, or the date it is planned for."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())
        on: datetime.date | None = cleaned.get("on")
        today = timezone.localdate()
        if on and cleaned.get("progress") == self.DONE and on > today:
            self.add_error("on", "A date it was done cannot be in the future: choose “Planned” for a date to come.")
        if on and cleaned.get("progress") == self.PLANNED and on < today:
            self.add_error("on", "A planned date cannot be in the past: if it is done, choose “Done”.")
        return cleaned


class ActionReviewForm(forms.Form):
    review = forms.ChoiceField(
        label="Your word on the centre’s answer",
        choices=EqaReview.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to close the action or leave it open."},
    )
    note = ParagraphsField(
        label="Note to the centre",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you leave the action open: what the centre still has to do.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())
        if cleaned.get("review") == EqaReview.STILL_OPEN and not cleaned.get("note"):
            self.add_error("note", "Say what the centre still has to do: an action left open needs a note.")
        return cleaned
