"""The centre's quality-assurance records that are not about one candidate's unit: standardisation
meetings, and each assessor's and IQA's occupational competence and continuing professional
development (CPD). Awarding bodies ask to see both (the EQA reads them; City & Guilds' centre
guidance and SQA's quality criteria expect them kept)."""

from django.db import models
from django.db.models import Q

from portfolio.models import Centre, Enrolment, Evidence, Person


class StandardisationMeeting(models.Model):
    """A meeting at which the centre's assessors and IQAs looked at the same evidence or decisions
    and agreed how the standard is to be judged. Recorded once, by an IQA or an administrator."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="standardisation_meetings")
    held_on = models.DateField("date of the meeting")
    attendees = models.ManyToManyField(Person, related_name="standardisation_meetings")
    looked_at = models.TextField("evidence or decisions looked at")
    # What the recorder could open and chose to link; each reader sees only those they may open.
    units = models.ManyToManyField(Enrolment, blank=True, related_name="+")
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="+")
    outcome = models.TextField("agreed outcome")
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Standardisation meeting of {self.held_on} at {self.centre}"


class StandardisationAction(models.Model):
    """Something the meeting agreed someone would do, by a date."""

    meeting = models.ForeignKey(StandardisationMeeting, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField()
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due date")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.text[:40]} ({self.owner}, by {self.due_on})"


class HeldQualification(models.Model):
    """A qualification an assessor or IQA holds: an assessor or quality-assurance award (TAQA, or
    the A1/D32/V1/D34 units it replaced) or an occupational one, kept by the person themselves."""

    class Kind(models.TextChoices):
        TAQA_ASSESSOR = "taqa_assessor", "TAQA Assessor Award (e.g. CAVA)"
        TAQA_IQA = "taqa_iqa", "TAQA Internal Quality Assurance Award"
        A1 = "a1", "A1 Assess candidates using a range of methods"
        D32 = "d32", "D32 Assess candidate performance"
        D33 = "d33", "D33 Assess candidates using differing sources of evidence"
        V1 = "v1", "V1 Conduct internal quality assurance"
        D34 = "d34", "D34 Internally verify the assessment process"
        OCCUPATIONAL = "occupational", "Occupational qualification"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="held_qualifications")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    awarding_body = models.CharField(max_length=100)
    achieved_on = models.DateField("date achieved")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-achieved_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.person})"

    @property
    def is_assessment_award(self) -> bool:
        return self.kind not in (self.Kind.OCCUPATIONAL, self.Kind.OTHER)


class OccupationalExperience(models.Model):
    """Work in the occupation the person assesses: the role, where, and for how long."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="occupational_experience")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("job role", max_length=200)
    setting = models.CharField("employer or setting", max_length=200)
    started_on = models.DateField("from")
    ended_on = models.DateField("to", null=True, blank=True)
    summary = models.TextField("what the work involved", blank=True)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.role}, {self.setting} ({self.person})"


class CpdEntry(models.Model):
    """One piece of continuing professional development: what, when, how long, and what it changed."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cpd_entries")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    activity = models.CharField(max_length=200)
    done_on = models.DateField("date")
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    reflection = models.TextField()
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-done_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="cpd_hours_positive")]

    def __str__(self) -> str:
        return f"{self.activity} ({self.person}, {self.done_on})"


def competence_file_name(instance: "CompetenceFile", filename: str) -> str:
    """A storage name of our own making, beside the evidence and never under a public URL."""
    return f"competence/{instance.person_id}/{instance.storage_key}"


class CompetenceFile(models.Model):
    """A certificate of a held qualification, or a file of a CPD entry: checked as every upload is
    (portfolio/uploads.py) and served only through the permission-checked download."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    qualification = models.ForeignKey(
        HeldQualification, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    cpd_entry = models.ForeignKey(CpdEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="files")
    file = models.FileField(upload_to=competence_file_name, max_length=255)
    storage_key = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(qualification__isnull=False, cpd_entry__isnull=True)
                | Q(qualification__isnull=True, cpd_entry__isnull=False),
                name="competence_file_of_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
