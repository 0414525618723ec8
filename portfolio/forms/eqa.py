"""The forms of access for external quality assurers: the administrator's invitation and renewal,
the invited person's new account, the EQA's acceptance of the centre's terms."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordMixin
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    password_validators_help_text_html,
)
from django.db.models import QuerySet

from standards.models import Qualification, Unit

from ..ids import RecordChoiceField, RecordsChoiceField
from ..models import Centre, Person
from ..sign_in_limits import LockOutEndsWithNewPassword
from ..text_input import EmailAddressField, LineField


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class UnitCheckboxes(RecordsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


def units_offered(centre: Centre) -> QuerySet[Unit]:
    """The units the centre has candidates on: what an EQA samples."""
    return Unit.objects.filter(enrolments__centre=centre).distinct().order_by("code", "version")


class EqaInviteForm(forms.Form):
    name = LineField(label="Name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = EmailAddressField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text="The invitation goes to this address. It works whether or not they already have an account.",
    )
    awarding_body = LineField(label="Awarding body", max_length=100, help_text='For example "City & Guilds" or "SQA".')
    qualifications = UnitCheckboxes(
        label="Qualifications", queryset=Qualification.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every unit of each candidate registered on a chosen qualification.",
    )
    units = UnitCheckboxes(
        label="Units", queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Every candidate's enrolment on a chosen unit.",
    )
    start_date = forms.DateField(label="Start date", widget=_date_input())
    end_date = forms.DateField(label="End date", widget=_date_input(), help_text="At most 90 days after the start date.")

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["qualifications"].queryset = Qualification.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["units"].queryset = units_offered(centre)  # type: ignore[attr-defined]


class EqaRenewForm(forms.Form):
    end_date = forms.DateField(label="New end date", widget=_date_input(), help_text="At most 90 days from today.")

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = today + datetime.timedelta(days=90)


class InvitationAccountForm(SetPasswordMixin, forms.Form):
    """Someone invited who has no account: their name and a password (Django's password fields and
    checks, as for a reset)."""

    first_name = LineField(label="First name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = LineField(label="Last name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1, password2 = SetPasswordMixin.create_password_fields(label1="Password", label2="Password again")

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        # A new account has no sign-in lock-out for a new password to end: that hint is not theirs.
        rules = [v for v in get_default_password_validators() if not isinstance(v, LockOutEndsWithNewPassword)]
        self.fields["password1"].help_text = password_validators_help_text_html(rules)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.validate_passwords()
        someone = Person(email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""))
        self.validate_password_for_user(someone, "password1")
        return cleaned


class EqaVisitFilterForm(forms.Form):
    person = RecordChoiceField(label="External quality assurer", queryset=Person.objects.none(), required=False,
                                    empty_label="Everyone")
    since = forms.DateField(label="From", required=False, widget=_date_input())
    until = forms.DateField(label="To", required=False, widget=_date_input())

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
