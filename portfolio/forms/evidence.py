"""Forms for a candidate's evidence."""

import datetime
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from ..ids import RecordsChoiceField
from ..models import AssessmentMethod, Evidence, EvidenceFile
from ..text_input import formfield


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files in one field, as Django's documentation recommends."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


# What the candidate may choose; simulation only where a unit's assessment strategy allows it,
# which neither shipped unit's does, and witness testimony arrives through the witness's own link.
CANDIDATE_METHODS = [
    (value, label)
    for value, label in AssessmentMethod.choices
    if value not in (AssessmentMethod.DIRECT_OBSERVATION, AssessmentMethod.SIMULATION)
]


class EvidenceForm(forms.ModelForm):
    # The form's metaclass takes declared fields out of the class, so self.files stays the request's files.
    files = MultipleFileField(  # type: ignore[assignment]
        required=False,
        label="Files",
        help_text="Documents, photos, audio or video. You can choose several at once, or drag them here.",
    )

    class Meta:
        model = Evidence
        formfield_callback = formfield
        # In the page's order, which the error summary follows.
        fields = ["title", "activity_date", "method", "location", "account"]
        widgets = {
            "activity_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "account": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "title": "A short name you will recognise, e.g. “Supporting a family visit”.",
            "location": "The setting, e.g. “Day centre” — not a person’s home address.",
            "account": "What you did, how and why. A reflective account can be all text.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["method"]).choices = [("", "Choose a method"), *CANDIDATE_METHODS]
        self.fields["activity_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_activity_date(self) -> datetime.date | None:
        value = self.cleaned_data["activity_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of the activity cannot be in the future.")
        return value


class RemoveFilesField(RecordsChoiceField):
    def label_from_instance(self, obj: EvidenceFile) -> str:
        return f"Remove {obj.original_name}"


class EvidenceEditForm(EvidenceForm):
    remove_files = RemoveFilesField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Files to remove", help_text="Removed files are kept in the evidence's history.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RemoveFilesField, self.fields["remove_files"]).queryset = self.instance.files.filter(removed_in_version=None)
        self.fields["files"].label = "Add files"


class EvidenceDeclarationForm(forms.Form):
    declared = forms.BooleanField(
        required=True,
        label="I confirm this declaration",
        error_messages={"required": "Tick the box to confirm the declaration before you submit."},
    )
