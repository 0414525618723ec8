"""The form of a person's own account page: their name."""

from django import forms

from ..text_input import LineField


class OwnNameForm(forms.Form):
    first_name = LineField(label="First name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = LineField(label="Last name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
