from typing import Any

from django import forms

from standards.models import Qualification, Unit

from ..ids import RecordsChoiceField
from ..models import Centre, QualificationRegistration
from ..services_centre import YEARS_FROM_TODAY
from ..text_input import LineField
from .people import CandidateChoices, CaseTeamForm


class OptionalUnitsField(RecordsChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return f"{unit.code} {unit.title}"


class QualificationRegisterForm(CaseTeamForm):
    """The candidate, the optional units chosen (the rules of combination are checked by the
    service, which names what is missing), and the team for the units' enrolments."""

    field_order = ["candidate", "optional_units", "assessor", "iqa", "start_date", "target_date", "registration_number"]

    candidate = CandidateChoices(
        error_messages={"invalid_choice": "Choose one of this centre's candidates."},
        help_text="Someone invited and not yet accepted is registered at once: the registration opens when they accept.",
    )
    optional_units = OptionalUnitsField(
        label="Optional units", queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose among the optional units listed."},
    )

    def __init__(self, *args: Any, centre: Centre, qualification: Qualification, optional: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, centre=centre, invited=True, **kwargs)
        units = self.fields["optional_units"]
        assert isinstance(units, OptionalUnitsField)
        units.queryset = Unit.objects.filter(pk__in=[u.pk for u in optional])
        units.help_text = "Choose the optional units the candidate will take; the rules of each group are listed above."
        self.fields["target_date"].help_text = f"When the qualification should be complete: today or later, within {YEARS_FROM_TODAY} years."
        self.fields["registration_number"].help_text = (
            f"The number {qualification.awarding_body} gave the candidate for this qualification, if you have it."
        )


class IdentifiersForm(forms.Form):
    uln = LineField(
        label="Unique Learner Number (ULN)", max_length=13, required=False,
        help_text="10 digits, from the Learning Records Service. Leave it empty if the candidate has none.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    scn = LineField(
        label="Scottish Candidate Number (SCN)", max_length=12, required=False,
        help_text="9 digits, from SQA. Leave it empty if the candidate has none.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, registrations: list[QualificationRegistration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[f"registration_{registration.pk}"] = LineField(
                label=f"{registration.qualification.awarding_body} registration number for "
                f"{registration.qualification.code} {registration.qualification.title}",
                max_length=50, required=False, initial=registration.registration_number,
            )

    def registration_numbers(self) -> dict[int, str]:
        return {r.pk: self.cleaned_data.get(f"registration_{r.pk}", "") for r in self.registrations}
