from typing import Any

from django import forms

from portfolio.ids import RecordChoiceField
from standards.models import Unit


class VersionChoiceField(RecordChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"Version {obj.version} ({obj.get_validity_display().lower()})"


class UnitVersionMoveForm(forms.Form):
    """The version to move the enrolment to, and the administrator's confirmation that they read
    what carries over."""

    to_unit = VersionChoiceField(
        label="Move to", queryset=Unit.objects.none(), widget=forms.RadioSelect,
        error_messages={"required": "Choose the version to move to.", "invalid_choice": "Choose one of the versions listed."},
    )
    confirmed = forms.BooleanField(
        label="I have read what carries over and what the assessor must look at again.",
        error_messages={"required": "Confirm that you have read what carries over."},
    )

    def __init__(self, *args: Any, versions: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_unit"]
        assert isinstance(field, VersionChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in versions])
