"""The records of a centre's bulk exports and visit packs (what was asked for, how far each has got,
and the file) and of its seals."""

from typing import ClassVar

from django.db import models

from portfolio.models import Centre, Enrolment, Person
from portfolio.set_sealing import SealedOnSave, Sealing

from . import zip_sealing


class BackgroundZip(SealedOnSave):
    """A ZIP built in the background by a worker for a centre: what was asked for, how far it has
    got, and the file. The bulk export and the visit pack are both one (exports/zip_builds.py holds
    what building one takes: the heartbeat, the tries, storing the file); `manage.py exports_watch`
    looks after both."""

    SEALING: ClassVar[Sealing] = zip_sealing  # its centre, requester, file and units (`zip_sealing`)

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    # What the people reading the audit trail, the watch's output and the logs call it.
    label = "export"
    # Each kind declares its own (the bulk export's keeps its reverse name, `bulk_exports`).
    centre: "models.ForeignKey[Centre, Centre]"
    centre_id: int

    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    units_done = models.PositiveIntegerField(default=0)
    units_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # While waiting or being built: why the last try stopped (the export is being tried again);
    # once failed: why it failed. Both are shown to the administrator on the export's page.
    error = models.TextField(blank=True)
    # Set by the builder as it starts and after every unit and file; `manage.py exports_watch`
    # (exports/watch.py) takes an export still "being built" with an old heartbeat for a killed worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The units asked for but left out, each with why (exports/bulk_staging.py `LeftOut`): their
    # record had changed since sign-off. Shown on the export's page, written into the ZIP.
    left_out = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Its centre, who asked, its file and units, sealed as the portfolio saved them (`zip_sealing`);
    # marked when found otherwise (`zip_seals`): then it is neither built nor served. Null with no
    # default, as the other seals.
    access_seal = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - as above
    seal_broken_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        return round(100 * self.units_done / self.units_total) if self.units_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class BulkExport(BackgroundZip):
    """One ZIP of many units' portfolios, built in the background by a worker."""

    label = "bulk export"

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="bulk_exports")
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    enrolments = models.ManyToManyField(Enrolment, related_name="+")
    description = models.CharField(max_length=300)

    class Meta:
        # The table it had when it lived in assessments (moved without copying rows).
        db_table = "assessments_bulkexport"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Export {self.pk} of {self.centre}"


class VisitPack(BackgroundZip):
    """The records an external quality assurer's visit asks for, for a sample of units, in one ZIP
    (exports/visit_pack.py): what its sections (exports/pack_sections.py) write, and a manifest of
    every file. Records, not evidence: the EQA reads the evidence online."""

    label = "visit pack"

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="visit_packs")
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    enrolments = models.ManyToManyField(Enrolment, related_name="+")
    # What the builder is doing now, in words for the pack's page ("Unit portfolios (PDF)").
    stage = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Visit pack {self.pk} of {self.centre}"


class CentreSeal(models.Model):
    """A centre's seal: the key and certificate that sign every PDF it produces, and the root
    certificate that a PDF reader or `verify_export` is given to trust them.

    The private key is never stored in the clear nor reachable by a URL: `pkcs12` is a PKCS#12
    encrypted with a passphrase derived from the PORTFOLIO_SEAL_KEY setting, which the database
    does not hold. Rotating the key makes a new seal and retires the old one; retired seals are
    kept, since PDFs they sealed are checked against their root for years."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="seals")
    made_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=300, help_text="Who the signing certificate names.")
    certificate_pem = models.TextField(help_text="The signing certificate (public).")
    root_pem = models.TextField(help_text="The root certificate that relying parties trust (public).")
    pkcs12 = models.BinaryField(help_text="Key and certificates, encrypted with a key from the settings.")
    valid_until = models.DateTimeField()
    uploaded = models.BooleanField(default=False, help_text="The centre's own PKCS#12 rather than one made here.")
    retired_at = models.DateTimeField(null=True, blank=True)
    # An HMAC, with the PORTFOLIO_SEAL_KEY setting, binding the root and certificate to the centre
    # (`seal_keys.seal_signature`): a seal row inserted in the database by hand, with a root of one's
    # own, is never taken as one of the centre's roots (an outside trial made a forged PDF check as valid).
    signature = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["centre", "-made_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre"], condition=models.Q(retired_at__isnull=True), name="one_current_seal_per_centre"
            ),
        ]

    def __str__(self) -> str:
        return f"Seal of {self.centre} made {self.made_at:%Y-%m-%d}"
