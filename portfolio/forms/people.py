from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import (  # type: ignore[attr-defined]  # a private helper django-stubs leaves out
    AuthenticationForm,
    PasswordResetForm,
    _unicode_ci_compare,
)
from django.urls import reverse

from standards.models import Unit

from .. import person_seals, selectors
from ..ids import RecordChoiceField
from ..links import absolute_url
from ..models import Centre, Invitation, Person, Role
from ..services_centre import YEARS_FROM_TODAY, new_case_date_problems
from ..text_input import EmailAddressField, LineField


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Your email address and password did not match. Check them and try again.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})

    def confirm_login_allowed(self, user: Person) -> None:
        super().confirm_login_allowed(user)
        if not person_seals.vouched(user):  # its sign-in changed by hand: shut
            raise forms.ValidationError(
                "This account was changed outside the portfolio and is shut until the site administrator opens it "
                "again. They have been told.", code="shut",
            )


class PasswordResetByEmailForm(PasswordResetForm):
    """Django's reset form, which also serves people who have never set a password: someone whose
    invitation email expired or was lost starts again from "Forgotten your password?"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The address your training centre registered you with."

    def get_users(self, email: str) -> Iterator[Person]:
        # An account whose sign-in was changed in the database is shut (`person_seals`): no reset mail.
        people = [p for p in Person.objects.filter(email__iexact=email, is_active=True) if person_seals.vouched(p)]
        # As Django's own form: iexact alone would match look-alike Unicode addresses.
        return (person for person in people if _unicode_ci_compare(email, person.email))

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
                  from_email: str | None, to_email: str, html_email_template_name: str | None = None) -> None:
        # The link is built from PORTFOLIO_SITE_URL, never from the Host header of the request that
        # asked (which an attacker chooses: a reset link pointing at their own site).
        path = reverse("password_reset_confirm", args=[context["uid"], context["token"]])
        context = {**context, "set_password_url": absolute_url(path)}
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)


class PersonChoiceField(RecordChoiceField):
    """People by name and email address, so two people of the same name can be told apart. The
    empty choice says "Choose…", as every choice of the product's forms does, not Django's dashes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "Choose…")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, person: Person) -> str:
        return f"{person.get_full_name() or person.email} ({person.email})"


def _date_input() -> forms.DateInput:
    # type="date" needs ISO dates whatever the site's language shows elsewhere.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PersonAddForm(forms.Form):
    first_name = LineField(
        label="First name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = LineField(
        label="Last name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = EmailAddressField(
        label="Email address",
        max_length=254,
        help_text="We email an invitation to this address. They join the centre when they accept it.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role at this centre",
        choices=[
            (Role.CANDIDATE, "Candidate"),
            (Role.ASSESSOR, "Assessor"),
            (Role.IQA, "Internal quality assurer (IQA)"),
            (Role.ADMINISTRATOR, "Centre administrator"),
        ],
        widget=forms.RadioSelect,
    )


class UnitVersionChoiceField(RecordChoiceField):
    """Units by code, version and validity ("HSC331 v1 · Legacy Support individuals …"): versions of
    a unit differ by these words alone."""

    def label_from_instance(self, obj: Any) -> str:
        incomplete = " (incomplete unit)" if obj.incomplete else ""
        return f"{obj.label} {obj.title}{incomplete}"


class CaseTeamForm(forms.Form):
    """Who assesses and quality-assures a new case, and when: registering on a unit and on a
    qualification ask the same; each adds whom it registers (its `candidate` field). Choices are the
    centre's own people: anyone else is "not one of the available choices"."""

    assessor = PersonChoiceField(
        queryset=Person.objects.none(),
        error_messages={"invalid_choice": "Choose one of this centre's assessors."},
    )
    iqa = PersonChoiceField(
        label="Internal quality assurer (IQA)",
        queryset=Person.objects.none(),
        help_text="Not the assessor: an IQA cannot quality-assure their own decisions.",
        error_messages={"invalid_choice": "Choose one of this centre's IQAs."},
    )
    start_date = forms.DateField(label="Start date", widget=_date_input())
    target_date = forms.DateField(
        label="Target date", widget=_date_input(), help_text=f"When the unit should be complete: today or later, within {YEARS_FROM_TODAY} years."
    )
    registration_number = LineField(
        label="Registration number (optional)",
        max_length=50,
        required=False,
        help_text="The awarding body's registration number for this candidate, if you have it.",
    )

    def __init__(
        self, *args: Any, centre: Centre, invited: bool, candidates: list[Person | Invitation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds copies of the fields declared above, so they are the same kinds.
        people = cast(dict[str, PersonChoiceField], self.fields)
        people["assessor"].queryset = selectors.staff_choices(centre, Role.ASSESSOR)
        people["iqa"].queryset = selectors.staff_choices(centre, Role.IQA)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
                field.empty_label = "Choose…"
        candidate = self.fields["candidate"]
        assert isinstance(candidate, CandidateChoices)
        candidate.offer(selectors.candidates_to_register(centre, invited=invited) if candidates is None else candidates)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Every wrong date beside its own field, all at once, whatever else is wrong with the form
        # (a date that is no date is said by its field already); the service asks again.
        problems = new_case_date_problems(start_date=cleaned.get("start_date"), target_date=cleaned.get("target_date"))
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned

    def short_of(self) -> list[str]:
        """Whom the centre lacks before anyone can be registered ("assessor"), for the page to say."""
        candidate = self.fields["candidate"]
        assert isinstance(candidate, CandidateChoices)
        lacking = [] if candidate.records else ["candidate"]
        for name, words in (("assessor", "assessor"), ("iqa", "IQA")):
            field = self.fields[name]
            assert isinstance(field, PersonChoiceField)
            if field.queryset is None or not field.queryset.exists():
                lacking.append(words)
        return lacking


INVITED = "invited-"


def _label_parts(candidate: Person | Invitation) -> tuple[str, str, str]:
    """A choice's label as the words before the email address, the address and the words after, so
    the page can let the address wrap where a reader expects it (`email_breaks`)."""
    if isinstance(candidate, Invitation):
        return f"{candidate.name} (", candidate.email, "), invited, not yet accepted"
    return f"{candidate.get_full_name() or candidate.email} (", candidate.email, ")"


def _candidate_choice(candidate: Person | Invitation) -> tuple[str, str]:
    value = f"{INVITED}{candidate.pk}" if isinstance(candidate, Invitation) else str(candidate.pk)
    return value, "".join(_label_parts(candidate))


class CandidateChoices(forms.ChoiceField):
    """The centre's candidates, and those it has invited as candidates who have not yet accepted (by
    the name it typed), in the order `selectors.candidates_to_register` gives: it cleans to a Person,
    or to the Invitation whose enrolment is prepared."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=(), **kwargs)
        self.records: dict[str, Person | Invitation] = {}
        self.label_parts: dict[str, tuple[str, str, str]] = {}

    def offer(self, candidates: list[Person | Invitation]) -> None:
        choices = [_candidate_choice(candidate) for candidate in candidates]
        self.records = {value: candidate for (value, _), candidate in zip(choices, candidates, strict=True)}
        self.label_parts = {value: _label_parts(candidate) for value, candidate in self.records.items()}
        self.choices = self._with_blank(choices)

    def _with_blank(self, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [("", "Choose…"), *choices]

    def clean(self, value: Any) -> Person | Invitation | None:
        chosen = super().clean(value)
        return self.records[chosen] if chosen else None


class CandidatesChoices(CandidateChoices, forms.MultipleChoiceField):
    """As `CandidateChoices`, any number ticked: a class registered at once. It cleans to a list."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def _with_blank(self, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return choices

    def clean(self, value: Any) -> list[Person | Invitation]:  # type: ignore[override]  # several, not one
        return [self.records[chosen] for chosen in forms.MultipleChoiceField.clean(self, value)]


class EnrolmentRegisterForm(CaseTeamForm):
    """One or more candidates on a unit, with the same team and dates (`services_registration`)."""

    field_order = ["candidate", "unit", "assessor", "iqa", "start_date", "target_date", "registration_number"]

    candidate = CandidatesChoices(
        label="Candidates",
        help_text="Tick everyone to register on the unit. Someone invited and not yet accepted is registered "
        "when they accept.",
        error_messages={
            "invalid_choice": "Choose one of this centre's candidates.",
            "required": "Tick at least one candidate.",
        },
    )
    unit = UnitVersionChoiceField(
        queryset=Unit.objects.all(),
        error_messages={"invalid_choice": "Choose one of the units listed."},
    )

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, centre=centre, invited=True, **kwargs)
        self.fields["registration_number"].help_text = (
            "The awarding body's registration number for the candidate, if you have it: "
            "only when registering one candidate."
        )

    def every_candidate(self) -> list[str]:
        """The values of every candidate offered, to tick them all."""
        candidate = self.fields["candidate"]
        assert isinstance(candidate, CandidateChoices)
        return list(candidate.records)
