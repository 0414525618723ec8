"""Forms for the centre's quality-assurance records: a standardisation meeting, and an assessor's or
IQA's qualifications, occupational experience and CPD."""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from portfolio.ids import RecordChoiceField, RecordsChoiceField
from portfolio.models import Enrolment, Evidence, Person
from portfolio.text_input import LineField, ParagraphsField

from ..models import HeldQualification
from ..services.standardisation import AgreedAction

# Rows for actions on the meeting form: enough for one meeting; more go in the outcome.
ACTION_ROWS = 3


def _date_field(label: str, required_message: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": required_message, "invalid": "Enter a real date."}, **kwargs,
    )


def _not_future(value: datetime.date | None, what: str) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(f"The {what} cannot be in the future.")
    return value


class StaffChoiceField(RecordsChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.get_full_name() or obj.email


class ActionOwnerChoiceField(RecordChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.get_full_name() or obj.email


class LinkedUnitChoiceField(RecordsChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.unit.code} of {obj.candidate.get_full_name()}"


class LinkedEvidenceChoiceField(RecordsChoiceField):
    def label_from_instance(self, obj: Evidence) -> str:
        return f"{obj.reference} {obj.title} ({obj.candidate.get_full_name()})"


class StandardisationForm(forms.Form):
    held_on = _date_field("Date of the meeting", "Give the date of the meeting.")
    attendees = StaffChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, label="Who attended",
        error_messages={"required": "Choose who attended."},
    )
    looked_at = ParagraphsField(
        label="Evidence or decisions looked at", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the meeting compared: a unit, a method, decisions on a criterion.",
        error_messages={"required": "Say what evidence or decisions the meeting looked at."},
    )
    units = LinkedUnitChoiceField(
        queryset=Enrolment.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Units looked at (optional)", help_text="Linked from the record for those who may open them.",
    )
    evidence = LinkedEvidenceChoiceField(
        queryset=Evidence.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Evidence looked at (optional)", help_text="Hold Ctrl (or ⌘) to choose more than one.",
    )
    outcome = ParagraphsField(
        label="Agreed outcome", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the meeting agreed."},
    )

    def __init__(
        self, *args: Any, staff: list[Person], units: list[Enrolment], evidence: list[Evidence], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        staff_ids = [p.pk for p in staff]
        people = Person.objects.filter(pk__in=staff_ids).order_by("last_name", "first_name", "pk")
        cast(forms.ModelMultipleChoiceField, self.fields["attendees"]).queryset = people
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = (
            Enrolment.objects.filter(pk__in=[u.pk for u in units]).select_related("unit", "candidate")
            .order_by("candidate__last_name", "unit__code", "pk")
        )
        cast(forms.ModelMultipleChoiceField, self.fields["evidence"]).queryset = (
            Evidence.objects.filter(pk__in=[e.pk for e in evidence]).select_related("candidate")
            .order_by("candidate__last_name", "number")
        )
        for row in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{row}_text"] = LineField(label=f"Action {row}", required=False, max_length=500)
            self.fields[f"action_{row}_owner"] = ActionOwnerChoiceField(
                queryset=people, required=False, label=f"Who does action {row}", empty_label="Choose…",
            )
            self.fields[f"action_{row}_due"] = _date_field(f"Action {row} due by", "", required=False)

    def clean_held_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("held_on"), "date of the meeting")

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        agreed: list[AgreedAction] = []
        for row in range(1, ACTION_ROWS + 1):
            text, owner, due = (cleaned.get(f"action_{row}_{part}") for part in ("text", "owner", "due"))
            if not (text or owner or due):
                continue
            missing = [(part, words) for part, value, words in (
                ("text", text, "what is to be done"), ("owner", owner, "who does it"), ("due", due, "the due date"),
            ) if not value]
            for part, words in missing:
                self.add_error(f"action_{row}_{part}", f"Action {row}: give {words}.")
            if text and owner and due:
                agreed.append(AgreedAction(text=str(text), owner=owner, due_on=due))
        cleaned["actions"] = agreed
        return cleaned

    def action_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"action_{row}_text"], self[f"action_{row}_owner"], self[f"action_{row}_due"])
            for row in range(1, ACTION_ROWS + 1)
        ]


class HeldQualificationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of qualification", choices=[("", "Choose…"), *HeldQualification.Kind.choices],
        error_messages={"required": "Choose the kind of qualification."},
    )
    title = LineField(
        label="Title", max_length=200, help_text="As on the certificate, e.g. “Level 3 Certificate in Assessing Vocational Achievement”.",
        error_messages={"required": "Give the qualification’s title."},
    )
    awarding_body = LineField(
        label="Awarding body", max_length=100, help_text="For example City & Guilds, SQA, Pearson.",
        error_messages={"required": "Give the awarding body."},
    )
    achieved_on = _date_field("Date achieved", "Give the date you achieved it.")
    certificate = forms.FileField(
        label="Certificate (optional)", required=False,
        help_text="A PDF or a photo of the certificate. Only you, the centre’s IQAs and administrators and the EQA can open it.",
    )

    def clean_achieved_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("achieved_on"), "date achieved")


class ExperienceForm(forms.Form):
    role = LineField(label="Job role", max_length=200, error_messages={"required": "Give the job role."})
    setting = LineField(
        label="Employer or setting", max_length=200, help_text="For example “Riverside Care Home”.",
        error_messages={"required": "Give the employer or setting."},
    )
    started_on = _date_field("From", "Give the date you started.")
    ended_on = _date_field("To", "", required=False, help_text="Leave empty if you still do this work.")
    summary = ParagraphsField(
        label="What the work involved", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and started > timezone.localdate():
            self.add_error("started_on", "The start date cannot be in the future.")
        if started and ended and ended < started:
            self.add_error("ended_on", "The end date cannot be before the start date.")
        return cleaned


class CpdForm(forms.Form):
    activity = LineField(
        label="Activity", max_length=200, help_text="For example “Standardisation workshop on HSC331”.",
        error_messages={"required": "Say what the activity was."},
    )
    done_on = _date_field("Date", "Give the date of the activity.")
    hours = forms.DecimalField(
        label="Hours", min_value=0.1, max_value=999, decimal_places=1,
        error_messages={
            "required": "Give the hours the activity took.", "invalid": "Give the hours as a number, e.g. 1.5.",
            "min_value": "Give the hours the activity took: more than 0.",
            "max_value": "That is more hours than one entry can hold: split it into several.",
            "max_decimal_places": "Give the hours to one decimal place, e.g. 1.5.",
        },
    )
    reflection = ParagraphsField(
        label="Reflection", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you learnt, and what you will do differently in your assessment or quality assurance.",
        error_messages={"required": "Write what you learnt from it."},
    )
    cpd_file = forms.FileField(label="A file (optional)", required=False, help_text="A certificate of attendance, notes or slides.")

    def clean_done_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("done_on"), "date of the activity")
