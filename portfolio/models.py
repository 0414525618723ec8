from typing import Any, ClassVar, NoReturn

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

# Models kept in modules of their own (EQA access, invitations, deactivations...) are the app's too.
from .account_models import NameSuggestion as NameSuggestion
from .audit_queryset import AuditEventQuerySet
from .case_sealing import case_seal_of, sealed_on_save
from .deactivation_models import DeactivatedMembership as DeactivatedMembership
from .deactivation_models import EndedDeactivation as EndedDeactivation
from .declaration_models import Declaration as Declaration
from .document_text_models import DocumentText as DocumentText
from .enrolment_models import EnrolmentChange as EnrolmentChange
from .enrolment_models import EnrolmentStatus as EnrolmentStatus
from .eqa_models import DEFAULT_TERMS
from .eqa_models import EqaGrant as EqaGrant
from .eqa_models import EqaVisit as EqaVisit
from .evidence_choices import AssessmentMethod as AssessmentMethod
from .evidence_choices import EvidenceState as EvidenceState
from .evidence_unit_models import EvidenceUnit as EvidenceUnit
from .file_types import Display, display_of, shown_inline
from .identifier_models import CandidateIdentifiers as CandidateIdentifiers
from .invitation_models import Invitation as Invitation
from .invitation_models import PreparedEnrolment as PreparedEnrolment
from .invitation_models import PreparedRegistration as PreparedRegistration
from .notification_models import Notification as Notification
from .notification_models import NotificationPreference as NotificationPreference
from .people_import_models import PeopleImport as PeopleImport
from .person_manager import PersonManager as PersonManager
from .photo_details import described
from .qualification_models import QualificationRegistration as QualificationRegistration
from .role_choices import Role as Role
from .row_sealing import SealedColumns
from .signing import sign_off_seal


class Person(SealedColumns, AbstractUser):
    """Anyone who signs in: candidate, assessor, IQA, centre administrator or external QA."""

    # The installation's own rights, and how they sign in: their address and password (`person_seals`).
    SEALED = ("is_superuser", "is_staff", "email", "password")

    username = None  # type: ignore[assignment]  # no user name: people sign in with their email
    email = models.EmailField("email address", unique=True)
    # A candidate's ULN and SCN are each centre's own record: `CandidateIdentifiers`.

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects: ClassVar[PersonManager] = PersonManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        # Lists of people or their enrolments, in name order a page at a time, read the page's rows
        # only; a CSV import looks its file's addresses up whatever their case (`centre_roll`).
        indexes = [models.Index(fields=["last_name", "first_name", "email"], name="person_by_name"),
                   models.Index(Lower("email"), name="person_email_lower")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Centre(models.Model):
    """A training centre approved by an awarding body to assess candidates."""

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=40, unique=True, help_text="Short code, e.g. the approval number.")
    claims_need_iqa = models.BooleanField(
        "claims need the IQA's countersignature", default=True,
        help_text="The centre's policy: a unit is ready to claim from the awarding body only once its "
        "internal quality assurer has countersigned it.",
    )
    eqa_terms = models.TextField("data-protection terms for external quality assurers", default=DEFAULT_TERMS)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(SealedColumns):
    """A person's role at a centre. One person may hold several (an assessor who is also an IQA).
    Any role but the EQA's, which only a centre's grant gives (EqaGrant; migration 0015): the admin's
    forms and filters do not offer it."""

    SEALED = ("person_id", "centre_id", "role", "may_import_units")  # who holds what where (`membership_seals`)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=[(v, label) for v, label in Role.choices if v != Role.EQA])
    created_at = models.DateTimeField(auto_now_add=True)
    # The unit catalogue is the installation's; who may import: `standards.permissions.may_import_units`.
    may_import_units = models.BooleanField(
        "may import units", default=False,
        help_text="A centre administrator the site administrator allows to import units into the catalogue.",
    )

    class Meta:
        ordering = ["centre", "role"]
        constraints = [models.UniqueConstraint(fields=["person", "centre", "role"], name="one_membership_per_role")]
        indexes = [models.Index(fields=["centre", "role"], name="membership_centre_role")]  # staff in a role (0034)

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} at {self.centre}"


class Enrolment(models.Model):
    """A candidate registered on one unit at a centre, with the assessor and IQA on their case."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="enrolments")
    candidate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    unit = models.ForeignKey("standards.Unit", on_delete=models.PROTECT, related_name="enrolments")
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessed_enrolments")
    iqa = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="quality_assured_enrolments",
        verbose_name="internal quality assurer",
    )
    registration_number = models.CharField(
        max_length=50, blank=True, help_text="The awarding body's registration number, if known."
    )
    start_date = models.DateField()
    target_date = models.DateField()
    registered_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn and transferred enrolments are kept, read-only; the history says when and why.
    status = models.CharField(max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    # The sign-offs the portfolio made of the unit, sealed where deleting a sign-off cannot reach
    # (`signing.sign_off_seal`); a seal found broken is marked, for lists, which cannot verify it in SQL.
    sign_offs_made = models.PositiveIntegerField(default=0, editable=False)
    sign_off_seal = models.CharField(max_length=64, blank=True, default="", editable=False)
    sign_off_seal_broken_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who is on the case, sealed as the portfolio put them there (`signing.case_seal`); a case found
    # changed outside the portfolio is marked, and lets in nobody but the centre's administrators.
    case_seal = models.CharField(max_length=64, blank=True, default="", editable=False)
    case_seal_broken_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["candidate__last_name", "candidate__first_name", "unit__code"]
        # "Is this person on the candidate's case here?" is asked of every evidence row listed: without
        # the first index SQLite read every enrolment of the centre per row (seconds, at 1,000
        # candidates). The second: a centre's active units past their target date, and no others.
        # The last: the sampling report's counts of a page of IQAs' units, from the index alone (0037).
        indexes = [
            models.Index(fields=["candidate", "centre"], name="enrolment_candidate_centre"),
            models.Index(fields=["centre", "status", "target_date"], name="enrolment_centre_target"),
            # The bulk export page counts a centre's units and fingerprints them (`portfolio.ids`) from
            # the index alone (the claims page's count is led from the sign-offs: `assessments.claims`).
            models.Index(fields=["centre", "status", "id"], name="enrolment_centre_status_id"),
            models.Index(
                fields=["iqa", "status", "centre", "assessor", "candidate", "id"], name="enrolment_iqa_coverage"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "unit", "centre"], name="one_enrolment_per_unit_per_centre"),
            models.CheckConstraint(
                condition=models.Q(target_date__gte=models.F("start_date")),
                name="target_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} on {self.unit.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        if not adding:
            kwargs["update_fields"] = sealed_on_save(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if adding:  # made now: its case sealed, with no sign-off yet
            self.case_seal = case_seal_of(self)
            self.sign_off_seal = self.sign_off_seal or sign_off_seal(self.pk, [])
            type(self).objects.filter(pk=self.pk).update(case_seal=self.case_seal, sign_off_seal=self.sign_off_seal)


class Evidence(SealedColumns):
    """Anything that proves competence. It belongs to the candidate, not to one unit: one item
    often proves criteria of several units ("holistic" evidence)."""

    SEALED = ("candidate_id", "centre_id", "number")  # whose case it is on, and its name there (`row_sealing`)

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="evidence")
    candidate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="evidence")
    # Numbered per candidate per centre (issue 16: centres are walled), so a centre's E7 does not
    # tell it that the candidate has six items elsewhere. Items numbered in one run across centres
    # before that keep their numbers: signed records and exports name them so.
    number = models.PositiveIntegerField(help_text="The candidate's own running number at the centre: E1, E2, ...")
    title = models.CharField(max_length=200)
    method = models.CharField("assessment method", max_length=30, choices=AssessmentMethod.choices)
    activity_date = models.DateField("date of the activity")
    location = models.CharField("where it happened", max_length=200, blank=True)
    account = models.TextField("written account", blank=True)
    state = models.CharField(max_length=20, choices=EvidenceState.choices, default=EvidenceState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    criteria = models.ManyToManyField("standards.Criterion", blank=True, related_name="evidence")
    knowledge_items = models.ManyToManyField("standards.KnowledgeItem", blank=True, related_name="evidence")
    scope_items = models.ManyToManyField("standards.ScopeItem", blank=True, related_name="evidence")
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["candidate", "-number"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["candidate", "centre", "number"], name="one_number_per_evidence_at_centre"),
        ]
        indexes = [
            models.Index(fields=["centre", "state", "submitted_at"]),
            # A candidate's evidence at a centre, often of one state (what waits for the assessor):
            # read for every enrolment on the assessor's home page and for every unit's audit trail.
            # Without it SQLite chose the index above and read the whole centre's evidence each time.
            models.Index(fields=["candidate", "centre", "state"], name="evidence_candidate_state"),
            # A candidate's evidence of one method: the IQA's sample page asks, for each of the IQA's
            # units and each method, whether such evidence bears on the unit; the index answers "none"
            # at once and holds all the question needs (candidate, method, state and id).
            models.Index(fields=["candidate", "method", "state"], name="evidence_candidate_method"),
            # One method's evidence, whoever's: the IQA's sample asks of methods it does not cover (0037).
            models.Index(fields=["method"], name="evidence_method"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"E{self.number}"

    @property
    def method_label(self) -> str:
        """The assessment method in words, as a signed record's citation gives it too."""
        return str(self.get_method_display())

    @property
    def is_assessors(self) -> bool:
        """Written by the assessor (an observation record, say), not by the candidate. Testimony is
        the witness's own, whoever asked for it, so it never counts as the assessor's."""
        witnessed = (AssessmentMethod.WITNESS_TESTIMONY, AssessmentMethod.EXPERT_WITNESS)
        return self.created_by_id != self.candidate_id and self.method not in witnessed

    @property
    def candidate_may_change(self) -> bool:
        return self.state in (EvidenceState.DRAFT, EvidenceState.REFERRED)


def evidence_file_name(instance: "EvidenceFile", filename: str) -> str:
    """A storage name of our own making: the uploader's file name is only ever a label."""
    return f"evidence/{instance.evidence.candidate_id}/{instance.storage_key}"


class EvidenceFile(SealedColumns):
    """One file of an evidence item. Files are never overwritten or deleted by an edit: a removed
    file keeps its row and its bytes, marked with the version that removed it."""

    SEALED = ("evidence_id", "file")  # whose item it is, and the stored file it serves (`row_sealing`)
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=evidence_file_name, max_length=255)
    storage_key = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=255, help_text="The uploader's file name, as a label.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    added_in_version = models.PositiveIntegerField()
    removed_in_version = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # A photo whose details (EXIF) hold where it was taken or a description, read when it was
    # uploaded (portfolio/photo_details.py): the evidence page warns, and no page reads the file for it.
    carries_location = models.BooleanField(default=False)
    carries_description = models.BooleanField(default=False)

    class Meta:
        ordering = ["evidence", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.removed_in_version is None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def kind(self) -> str:
        """A word for the sort of file, for people rather than machines."""
        major = self.content_type.split("/")[0]
        if major in ("image", "audio", "video"):
            return {"image": "Photo", "audio": "Audio", "video": "Video"}[major]
        if self.content_type == "application/pdf":
            return "PDF"
        if major == "text":
            return "Text"
        return "Document"

    @property
    def shows_inline(self) -> bool:
        # Browsers draw or play these safely on their own; anything else is offered as a download.
        return shown_inline(self.content_type)

    @property
    def identifying_details(self) -> str:
        """What the photo's details hold that could identify someone, in words ("" for nothing)."""
        return described(location=self.carries_location, description=self.carries_description)

    @property
    def display(self) -> Display:
        """How the evidence page shows it: a picture, a PDF, a player, the document's text, or not at all."""
        return display_of(self.content_type)


class EvidenceRevision(models.Model):
    """The words of an evidence item as they stood before an edit changed them."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    method = models.CharField(max_length=30, choices=AssessmentMethod.choices)
    activity_date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    account = models.TextField(blank=True)
    replaced_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "version"], name="one_revision_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence.reference} version {self.version}"


class AuditEvent(models.Model):
    """An append-only record of one state change: who, what, when, and the before and after.

    Rows are only ever created; `save` refuses an update and `delete` refuses outright, so no page
    or service can rewrite history.
    """

    # Given by the writer rather than set on saving, because the seal signs it before the row is saved.
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    # Who acted, as they were named when they did (a name changed later does not rewrite the
    # record). Null for events written before it was kept: those read the actor's name as it is now.
    # Null rather than a default: SQLite adds a column with a default by copying the table, which
    # would drop its append-only triggers (migration 0005).
    actor_name = models.CharField(max_length=300, null=True, blank=True)  # noqa: DJ001 - see above
    action = models.CharField(max_length=80, help_text='Namespaced, e.g. "portfolio.evidence.submitted".')
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, null=True, related_name="+")
    # A deleted draft keeps its events: the event names it in `before`, and this id then points
    # at nothing rather than the event being changed or removed with it.
    evidence = models.ForeignKey(
        Evidence, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    # The trail is a chain (`portfolio.audit_chain`): each event names the centre's event it followed
    # and seals its facts with that event's seal, so an event changed, copied in or deleted in the
    # database is found. Null with no default, as `actor_name`; a null seal was not written by `record`.
    seal = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - see above
    previous = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["candidate", "-at"]), models.Index(fields=["enrolment", "-at"]),
            # The centre's audit trail (ops/audit_trail): a page of the centre's events, newest first,
            # read from the centre's rows in order; and counted on the centre and action alone.
            models.Index(fields=["centre", "-at", "-id"], name="audit_centre_at"),
            models.Index(fields=["centre", "action", "at"], name="audit_centre_action_at"),
            models.Index(fields=["seal"], name="audit_seal"),  # a copy has another's seal (`audit_chain`)
            # The centre's latest event, which the next one follows; and its chain, checked in order.
            models.Index(fields=["centre", "id"], name="audit_centre_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events cannot be deleted.")
