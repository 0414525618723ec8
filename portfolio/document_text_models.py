"""The words of an Office or OpenDocument evidence file, read out on the worker so the evidence page
can show them without anyone opening the file (portfolio/document_text.py). (Imported by `models`,
so this is the portfolio app's model; the file it belongs to is named by its label, not imported.)

Derived from the stored file and never changed: a file's text is read once. No row yet means it is
being read; a row that is not readable says the worker could not read it within its limits."""

from django.db import models


class DocumentText(models.Model):
    evidence_file = models.OneToOneField(
        "portfolio.EvidenceFile", on_delete=models.CASCADE, related_name="document_text"
    )
    readable = models.BooleanField()
    text = models.TextField(blank=True)
    # The text stops at a limit (document_text.TEXT_LIMIT): the page says there is more in the file.
    cut_short = models.BooleanField(default=False)
    # Why it could not be read, for whoever looks after the site (never shown to the people on the case).
    problem = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Text of evidence file {self.evidence_file_id}"
