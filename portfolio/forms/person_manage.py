"""The forms of a centre administrator's page about one person: their roles here and their name."""

from django import forms

from ..services_centre import CENTRE_ROLES
from ..text_input import LineField


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles at this centre",
        choices=[(role.value, role.label) for role in CENTRE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one role. To end all their roles here, deactivate them instead."},
    )


class NameForm(forms.Form):
    first_name = LineField(label="First name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    last_name = LineField(label="Last name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
