"""Finding the candidates to register on a unit (tester's finding: a class was ticked one by one): by
name, by the CSV import they came in, or by the day they were invited; "Show and tick all" ticks
every candidate found. A GET form, so it works without JavaScript; the registration form then
offers only the candidates found (`registration_filter.narrowed`)."""

from typing import Any

from django import forms

from ..models import Centre
from ..people_import_models import PeopleImport
from ..text_input import LineField
from .people import _date_input


class ImportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"“{obj.file_name}”, {obj.created_at:%-d %B %Y}"


class CandidateFindForm(forms.Form):
    words = LineField(
        label="Name or email address", required=False, max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )
    batch = ImportChoiceField(
        label="Imported from", queryset=PeopleImport.objects.none(), required=False, empty_label="Any file or none",
        error_messages={"invalid_choice": "Choose one of this centre's imports."},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    invited_on = forms.DateField(label="Invited on", required=False, widget=_date_input())

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invited_on"].widget.attrs["class"] = "form-control form-control-sm"
        batch = self.fields["batch"]
        assert isinstance(batch, ImportChoiceField)
        batch.queryset = PeopleImport.objects.filter(centre=centre, status=PeopleImport.Status.DONE)

    def chosen(self) -> dict[str, Any]:
        """What the candidates are narrowed to: the fields that are right, none if nothing asked."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
