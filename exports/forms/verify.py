"""The checking page's one field: a unit PDF to check."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat


class VerifyPdfForm(forms.Form):
    pdf = forms.FileField(
        label="A unit portfolio PDF",
        help_text="The PDF as the product produced it (a download, or one from a bulk export's ZIP).",
        error_messages={"required": "Choose the PDF to check."},
    )

    def clean_pdf(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["pdf"]
        if (upload.size or 0) > settings.EVIDENCE_MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"That file is larger than {filesizeformat(settings.EVIDENCE_MAX_FILE_BYTES)}: no unit PDF is."
            )
        return upload
