from django import forms
from django.core.validators import RegexValidator

from ..text_input import EmailAddressField, LineField

CENTRE_CODE_HINT = "Short, with letters, numbers and hyphens only: the awarding body's approval number, say."

# The rule the hint states, in the same words; the model's own (a slug) also allows underscores.
centre_code_rule = RegexValidator(
    r"^[A-Za-z0-9-]+$",
    "Use only letters, numbers and hyphens, with no spaces: 4521-07 or riverside, say.",
)


class CentreCreateForm(forms.Form):
    """The site administrator's new centre, and who is invited to administer it."""

    name = LineField(label="Centre name", max_length=200)
    code = LineField(label="Centre code", max_length=40, validators=[centre_code_rule], help_text=CENTRE_CODE_HINT)
    administrator_first_name = LineField(label="First name", max_length=150)
    administrator_last_name = LineField(label="Last name", max_length=150)
    administrator_email = EmailAddressField(
        label="Email address", max_length=254,
        help_text="We email an invitation to this address. They administer the centre once they accept it.",
    )


class CentreRenameForm(forms.Form):
    name = LineField(label="Centre name", max_length=200)


class AdministratorInviteForm(forms.Form):
    """Another administrator of a centre, invited by the site administrator."""

    first_name = LineField(label="First name", max_length=150)
    last_name = LineField(label="Last name", max_length=150)
    email = EmailAddressField(
        label="Email address", max_length=254,
        help_text="We email an invitation to this address. They administer the centre once they accept it.",
    )
