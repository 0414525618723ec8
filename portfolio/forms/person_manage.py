"""The forms of a centre administrator's page about one person: their roles here, their name, and
why they are deactivated or reactivated."""

from collections.abc import Mapping
from typing import Any

from django import forms

from ..services_centre import CENTRE_ROLES
from ..services_enrolments import REASON_LENGTH
from ..services_people import DEACTIVATION_REASON_KEPT, REACTIVATION_REASON_KEPT
from ..text_input import LineField, ParagraphsField


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


def _reason(label: str, help_text: str, required: str) -> ParagraphsField:
    """A reason, asked as an enrolment's changes ask it (`forms.enrolments`); the rule is the service's."""
    return ParagraphsField(
        label=label, max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), help_text=help_text,
        error_messages={"required": required},
    )


class DeactivateForm(forms.Form):
    reason = _reason(
        "Reason",
        "For example: left the centre, finished the course, a duplicate account. Kept with the deactivation, on "
        "their page here and in the centre's audit trail; not sent to them.",
        f"Say why: the reason is kept with {DEACTIVATION_REASON_KEPT}.",
    )


class DeactivationReasonForm(forms.Form):
    """The reason of a deactivation still in force, corrected: required as when deactivating."""

    reason = _reason(
        "Reason",
        "Replaces the reason on their page here; the centre's audit trail keeps both. Not sent to them.",
        f"Give the reason: it cannot be left empty. It is kept with {DEACTIVATION_REASON_KEPT}.",
    )


class ReactivateForm(forms.Form):
    """Why they come back, asked as deactivating asks it."""

    reason = _reason(
        "Reason for reactivating",
        "For example: back from leave, deactivated by mistake, returning to finish the course. Kept with the "
        "reactivation, on their page here and in the centre's audit trail; not sent to them.",
        f"Say why: the reason is kept with {REACTIVATION_REASON_KEPT}.",
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        # Its own ids: the page may show the deactivation's reason form beside it.
        kwargs.setdefault("auto_id", "id_reactivate_%s")
        super().__init__(data, **kwargs)
