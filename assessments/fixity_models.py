"""The record of each check of a signed-off unit's files (`FixityCheck`), a model of the assessments
app kept in a module of its own; `assessments.models` re-exports it."""

from django.db import models

from portfolio.models import Person


class FixityCheck(models.Model):
    """One check of a standing sign-off with its files read from storage and hashed: when, at which
    boundary, asked for by whom, and what it found. Pages read the latest one ("files last verified
    ...") instead of reading the files themselves (`assessments.fixity`)."""

    class Boundary(models.TextChoices):
        SIGN_OFF = "sign_off", "assessor’s sign-off"
        SCHEDULE = "schedule", "scheduled check"
        RESTORE = "restore", "check after a restore"
        ON_DEMAND = "on_demand", "check asked for"
        COUNTERSIGN = "countersign", "candidate’s countersignature"
        IQA_REVIEW = "iqa_review", "IQA’s review"
        UNIT_PDF = "unit_pdf", "unit PDF"
        BULK_EXPORT = "bulk_export", "bulk export"
        COMMAND = "command", "check from the command line"
        DOWNLOAD = "download", "check after a changed file was asked for"
        VISIT_PACK = "visit_pack", "EQA visit pack"
        PAGE = "page", "check after a page found the record changed"

    sign_off = models.ForeignKey("assessments.SignOff", on_delete=models.PROTECT, related_name="fixity_checks")
    checked_at = models.DateTimeField()
    boundary = models.CharField(max_length=20, choices=Boundary.choices)
    intact = models.BooleanField()
    problems = models.JSONField(default=list, blank=True, help_text="Everything the check found, in words.")
    # The part of `problems` only reading storage finds (a file changed or missing), which pages add
    # to the database-side check they make on every view; and the ids of those files.
    file_problems = models.JSONField(default=list, blank=True)
    changed_files = models.JSONField(default=list, blank=True)  # [{"file_id": ..., "problem": ...}]
    files_checked = models.PositiveIntegerField(help_text="How many signed files were read and hashed.")
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The sign-off is marked void, but no unlock did it (its void signature does not verify): it stands,
    # and SQL, which cannot verify a signature, reads that here (`models.standing_sign_off`).
    void_not_believed = models.BooleanField(default=False)
    # HMAC of the row (`assessments.record_seals`): a row written or changed outside the product is
    # never believed.
    signature = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["sign_off", "-checked_at"], name="fixity_latest_per_sign_off")]

    def __str__(self) -> str:
        return f"Fixity check of {self.sign_off} ({self.get_boundary_display()})"
