"""A centre's list of candidates as a CSV or tab-separated file (issue 16), checked as every upload is
(`uploads.check_uploads`), then read by `people_import`."""

from typing import Any

from django import forms

from ..errors import UploadRejected
from ..people_import import MAX_BYTES, UnreadableFile, decoded, read
from ..uploads import PEOPLE_CSV_UPLOADS, check_uploads


class PeopleImportForm(forms.Form):
    people_file = forms.FileField(
        label="The list of candidates (CSV)",
        help_text="One candidate a row, under the headings First name, Last name, Email and, if you have it, ULN. "
        "A file saved from Excel as “CSV UTF-8”, “CSV (Comma delimited)” or “Unicode Text” (.txt) works.",
        # Excel saves "Unicode Text" as .txt: a chooser offering only .csv would hide it.
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values"}),
        error_messages={"required": "Choose the CSV file that lists the candidates."},
    )

    def clean_people_file(self) -> Any:
        upload = self.cleaned_data["people_file"]
        try:
            checked = check_uploads([upload], PEOPLE_CSV_UPLOADS)[0]
        except UploadRejected as rejected:
            raise forms.ValidationError(rejected.problems[0][1]) from None
        if checked.size > MAX_BYTES:
            raise forms.ValidationError(
                f"“{checked.label}” is larger than {MAX_BYTES // (1024 * 1024)} MB: split the list into smaller files."
            )
        checked.file.seek(0)
        text = decoded(checked.file.read())
        try:
            read(text)
        except UnreadableFile as unreadable:
            raise forms.ValidationError(f"“{checked.label}”: {unreadable}") from None
        self.cleaned_data["text"] = text
        self.cleaned_data["file_name"] = checked.label
        return upload
