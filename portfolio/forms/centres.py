from django import forms
from django.core.validators import RegexValidator

from ..text_input import EmailAddressField, LineField


class CentreCreateForm(forms.Form):
    """The site administrator's new centre, and who is invited to administer it."""

    name = LineField(label="Centre name", max_length=200)
    code = LineField(
        label="Centre code", max_length=40,
        help_text="Short, with letters, numbers and hyphens only: the awarding body's approval number, say.",
        # The words of the hint, not Django's "slug" (a word nobody at a centre uses).
        validators=[RegexValidator(r"^[-a-zA-Z0-9_]+\Z", "Use letters, numbers and hyphens only, with no spaces.")],
    )
    administrator_first_name = LineField(label="First name", max_length=150)
    administrator_last_name = LineField(label="Last name", max_length=150)
    administrator_email = EmailAddressField(
        label="Email address", max_length=254,
        help_text="We email an invitation to this address. They administer the centre once they accept it.",
    )
