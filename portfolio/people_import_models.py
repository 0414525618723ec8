"""A centre's import of candidates from a CSV file (issue 16), from upload to report.

The file's text waits here between the preview and the confirmation (found by a random token, by
the administrator who uploaded it, at their centre only), so the confirmation posts nothing but the
token and is checked again from the file itself. Confirmed, it is worked through by the background
worker (thousands of rows, each an invitation email), which keeps count as it goes; done, the text
is dropped and what became of each row is kept for the report."""

import datetime

from django.db import models

# An upload never confirmed is deleted when its administrator next uploads, after this long.
DRAFT_KEPT_FOR = datetime.timedelta(days=1)


class PeopleImport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Waiting to be confirmed"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Inviting"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped part-way"
        # A draft whose administrator checked another file before confirming it: its text is gone.
        REPLACED = "replaced", "Replaced by a newer file"

    centre = models.ForeignKey("portfolio.Centre", on_delete=models.CASCADE, related_name="people_imports")
    uploaded_by = models.ForeignKey("portfolio.Person", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40, unique=True)
    file_name = models.CharField(max_length=200)
    text = models.TextField(blank=True, help_text="The file as read; emptied once the import is done.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # Each row once done: [row number, first name, last name, email, ULN, outcome, note, problems].
    report = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.file_name} at {self.centre_id}"

    @property
    def working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
