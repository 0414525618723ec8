"""Importing a unit into the catalogue from its published text (issue 14): the unit's PDF or a
text file, checked as every upload is, or the text pasted; then the suite it belongs to, which
the text does not carry."""

from typing import Any, BinaryIO, cast

from django import forms

from standards.importing.detect import parse
from standards.importing.parsed import NotAUnit, ParsedUnit
from standards.importing.pdf_text import UnreadablePdf, extract_text
from standards.models import Suite, Unit

from ..errors import UploadRejected
from ..ids import RecordChoiceField, RecordsChoiceField
from ..models import Membership, Role
from ..text_input import LineField, ParagraphsField
from ..uploads import STANDARD_UPLOADS, check_uploads

# A hundred-page PDF's text is about 300 KB; a paste ten times that is not one unit.
MAX_TEXT_CHARACTERS = 2_000_000


class UnitImportForm(forms.Form):
    source_file = forms.FileField(
        required=False, label="The unit's PDF or text file",
        help_text="As downloaded from the UK Standards site or the awarding body: at most 100 pages.",
    )
    source_text = ParagraphsField(
        required=False, label="Or paste the unit's text", max_length=MAX_TEXT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Everything from the unit's code and title to its last section.",
    )
    suite = RecordChoiceField(
        queryset=Suite.objects.all(), required=False, label="Suite of standards", empty_label="A new suite",
        help_text="The published text does not say which suite a unit belongs to.",
    )
    suite_code = LineField(required=False, max_length=20, label="New suite's code", help_text="e.g. SCD")
    suite_title = LineField(
        required=False, max_length=200, label="New suite's title",
        help_text="e.g. Health and Social Care National Occupational Standards",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = self._source_text(data)
        if text is not None:
            self._parse(text)
        if not data.get("suite"):
            if not data.get("suite_code", "").strip():
                self.add_error("suite_code", "Give the new suite's code, or choose a suite above.")
            if not data.get("suite_title", "").strip():
                self.add_error("suite_title", "Give the new suite's title, or choose a suite above.")
        return data

    def _source_text(self, data: dict[str, Any]) -> str | None:
        upload, pasted = data.get("source_file"), (data.get("source_text") or "").strip()
        if upload and pasted:
            self.add_error("source_text", "Choose a file or paste the text, not both.")
            return None
        if not upload and not pasted:
            self.add_error("source_text", "Paste the unit's text, or choose its PDF or text file: nothing was given.")
            return None
        if upload:
            return self._file_text(upload)
        if len(pasted) > MAX_TEXT_CHARACTERS:
            self.add_error("source_text", "This is far longer than any one unit: paste one unit at a time.")
            return None
        data["source"] = "pasted text"
        data["text"] = pasted
        return pasted

    def _file_text(self, upload: Any) -> str | None:
        try:
            checked = check_uploads([upload], STANDARD_UPLOADS)[0]
        except UploadRejected as rejected:
            self.add_error("source_file", rejected.problems[0][1])
            return None
        try:
            is_pdf = checked.content_type == "application/pdf"
            text = extract_text(cast(BinaryIO, checked.file)) if is_pdf else _decoded(checked.file)
        except UnreadablePdf as unreadable:
            self.add_error("source_file", str(unreadable))
            return None
        if not text.strip():
            self.add_error("source_file", f"“{checked.label}” holds no text.")
            return None
        self.cleaned_data["source"] = checked.label
        self.cleaned_data["text"] = text
        return text

    def _parse(self, text: str) -> ParsedUnit | None:
        try:
            parsed = parse(text)
        except NotAUnit as not_a_unit:
            field = "source_file" if self.cleaned_data.get("source_file") else "source_text"
            self.add_error(field, str(not_a_unit))
            return None
        self.cleaned_data["parsed"] = parsed
        return parsed


def _decoded(file: Any) -> str:
    file.seek(0)
    raw = file.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Text saved by Windows programs; every byte is a character there, so nothing is lost.
        return raw.decode("cp1252", errors="replace")


class UnitImportConfirmForm(forms.Form):
    accept_incomplete = forms.BooleanField(
        required=False, label="Import it as an incomplete unit",
        help_text="It will be marked incomplete wherever it appears, and candidates cannot be signed off on what it lacks.",
    )

    supersede = forms.BooleanField(required=False)

    def __init__(self, *args: Any, parsed: ParsedUnit, superseded: list[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed = parsed
        superseded = superseded or []
        if superseded:
            # Offered only when this is a newer version than a Current one in the catalogue.
            named = " and ".join(unit.version for unit in superseded)
            field = self.fields["supersede"]
            field.label = f"Mark version{'s' if len(superseded) > 1 else ''} {named} Legacy"
            field.help_text = (
                "As the UK Standards site marks a standard that has been superseded. Candidates on "
                f"version {named} stay on it until their centre moves them."
            )
        else:
            del self.fields["supersede"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.parsed.complete and not data.get("accept_incomplete"):
            self.add_error(
                "accept_incomplete",
                f"This text has {self.parsed.why_incomplete}: tick the box to import it as an incomplete unit, "
                "or import a complete text.",
            )
        return data


class ImportRightsForm(forms.Form):
    """The site administrator's page of centre administrators: ticked, they may import units. The
    page also sends who it showed, so only those are changed."""

    shown = RecordsChoiceField(
        queryset=Membership.objects.filter(role=Role.ADMINISTRATOR), required=False,
        widget=forms.MultipleHiddenInput,
    )
    granted = RecordsChoiceField(
        queryset=Membership.objects.filter(role=Role.ADMINISTRATOR), required=False,
        widget=forms.CheckboxSelectMultiple, label="May import units",
    )
