"""The centre administrator's changes to an enrolment: its assessor or IQA, its target date, and its
standing (withdrawn, transferred, reinstated). Each asks for the reason, which the history keeps;
the rules are the service's (`services_enrolments`), which names the field a refusal is about."""

from typing import Any

from django import forms
from django.utils import timezone

from .. import dates, selectors
from ..models import Centre, Enrolment, Person, Role
from ..services_centre import YEARS_FROM_TODAY
from ..services_enrolments import REASON_LENGTH
from ..text_input import LineField, ParagraphsField
from .people import PersonChoiceField, _date_input

REASON_HELP = "Kept with the enrolment's history, and told to the people on the case."
REASON_MISSING = "Say why: the reason is kept with the enrolment's history and told to the people on the case."


def _reason(label: str = "Reason") -> ParagraphsField:
    return ParagraphsField(
        label=label, max_length=REASON_LENGTH, help_text=REASON_HELP, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_MISSING},
    )


class EnrolmentReassignForm(forms.Form):
    """Who takes over as the unit's assessor or IQA: the centre's people in that role, less the
    candidate and whoever holds it now."""

    person = PersonChoiceField(queryset=Person.objects.none())
    reason = _reason()

    def __init__(self, *args: Any, enrolment: Enrolment, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = selectors.people_for(enrolment, role)
        word = "assessor" if role == "assessor" else "IQA"
        field.label = f"New {word}"
        field.empty_label = "Choose…"
        field.error_messages["invalid_choice"] = f"Choose one of this centre's {word}s."
        if role == "iqa":
            field.help_text = "Not the assessor, nor anyone who assessed this unit: nobody quality-assures their own decisions."


class EnrolmentTargetDateForm(forms.Form):
    target_date = forms.DateField(
        label="New target date", widget=_date_input(), help_text=f"Today or later, within {YEARS_FROM_TODAY} years."
    )
    reason = _reason()


class EnrolmentWithdrawForm(forms.Form):
    effective_date = forms.DateField(
        label="Date of withdrawal", widget=_date_input(), help_text="Today or earlier: when the candidate left the unit."
    )
    reason = _reason()


class EnrolmentTransferForm(forms.Form):
    to_centre = LineField(
        label="Centre the candidate is transferring to", max_length=200,
        help_text="Its name as you know it. Nothing is sent to it from here.",
    )
    effective_date = forms.DateField(label="Date of transfer", widget=_date_input(), help_text="Today or earlier.")
    reason = _reason()


class EnrolmentReinstateForm(forms.Form):
    """The reason, who takes the unit on (the assessor and IQA it had, already chosen while they
    still hold the role here; otherwise the administrator chooses among the centre's) and its target
    date (the one it had, filled in; refused by the service if it has passed)."""

    assessor = PersonChoiceField(
        queryset=Person.objects.none(), error_messages={"invalid_choice": "Choose one of this centre's assessors."}
    )
    iqa = PersonChoiceField(
        label="Internal quality assurer (IQA)", queryset=Person.objects.none(),
        help_text="Not the assessor, nor anyone who assessed this unit: nobody quality-assures their own decisions.",
        error_messages={"invalid_choice": "Choose one of this centre's IQAs."},
    )
    # Its target date may have passed (before it was closed or since): offered, filled in, to move on.
    target_date = forms.DateField(label="Target date", widget=_date_input())
    reason = _reason()

    def __init__(self, *args: Any, enrolment: Enrolment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("target_date", enrolment.target_date)
        had = dates.day(enrolment.target_date)
        self.fields["target_date"].help_text = (
            f"Its target date, {had}, has passed. Choose a new one: today or later, within {YEARS_FROM_TODAY} years."
            if enrolment.target_date < timezone.localdate()
            else f"Its target date is {had}. Keep it, or choose another date the candidate can meet, today or "
            f"later, within {YEARS_FROM_TODAY} years."
        )
        for name, role in (("assessor", Role.ASSESSOR), ("iqa", Role.IQA)):
            field = self.fields[name]
            assert isinstance(field, PersonChoiceField)
            # As the IQA, only those the rule accepts, as the Change IQA page offers (an outside
            # trial: Bob, who assessed the unit, was offered with a hint that he must not be chosen).
            field.queryset = (
                selectors.iqas_on_return(enrolment) if name == "iqa"
                else selectors.staff_choices(enrolment.centre, role).exclude(pk=enrolment.candidate_id)
            )
            field.empty_label = "Choose…"
            had = getattr(enrolment, name)
            if field.queryset.filter(pk=had.pk).exists():
                self.initial.setdefault(name, had)
            else:
                word = "an assessor" if name == "assessor" else "an IQA"
                field.help_text = f"{had}, its {name if name == 'assessor' else 'IQA'} before, is no longer {word} here."


class HandoverForm(forms.Form):
    """Who takes over all of one person's units as assessor or IQA: the centre's people in that
    role, less the person handing over. One form per role on the page, told apart by its prefix."""

    person = PersonChoiceField(queryset=Person.objects.none())
    reason = _reason()

    def __init__(self, *args: Any, centre: Centre, role: str, leaving: Person, **kwargs: Any) -> None:
        kwargs["prefix"] = role
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PersonChoiceField)
        wanted = Role.ASSESSOR if role == "assessor" else Role.IQA
        field.queryset = selectors.staff_choices(centre, wanted).exclude(pk=leaving.pk)
        word = "assessor" if role == "assessor" else "IQA"
        field.label = f"New {word}"
        field.empty_label = "Choose…"
        field.error_messages["invalid_choice"] = f"Choose one of this centre's {word}s."


class PreparedEnrolmentForm(forms.Form):
    """An invited candidate's registration, before they accept: its assessor, IQA and target date."""

    assessor = PersonChoiceField(
        queryset=Person.objects.none(), error_messages={"invalid_choice": "Choose one of this centre's assessors."}
    )
    iqa = PersonChoiceField(
        label="Internal quality assurer (IQA)", queryset=Person.objects.none(),
        help_text="Not the assessor: an IQA cannot quality-assure their own decisions.",
        error_messages={"invalid_choice": "Choose one of this centre's IQAs."},
    )
    target_date = forms.DateField(label="Target date", widget=_date_input(), help_text="Today or later.")

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, role in (("assessor", Role.ASSESSOR), ("iqa", Role.IQA)):
            field = self.fields[name]
            assert isinstance(field, PersonChoiceField)
            field.queryset = selectors.staff_choices(centre, role)
