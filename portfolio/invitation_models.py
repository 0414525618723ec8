"""An invitation to a centre: a single-use link, emailed, that expires. Whoever opens it either
sets a name and password (no account yet) or signs in as the invited address and accepts (an
account already there keeps its name and password). The centre learns nothing of which it was: it
sees "invited" until the link is accepted.

Only a digest of the link's secret is stored, as for a witness's link, so a copy of the database
holds no working link. Sending it again makes a new secret, and the old link stops working."""

import datetime

from django.db import models
from django.utils import timezone

from .row_sealing import SealedColumns

INVITATION_VALID_FOR = datetime.timedelta(days=14)


def also_waiting_words(waiting: list[tuple[str, datetime.datetime]]) -> str:
    """A note that the address has waiting invitations here in other roles (role, sent), so that the
    centre does not send two by mistake: the centre's own knowledge, the same on the add-person
    page and in a CSV import's preview. "" if none."""
    from .role_choices import Role

    each = [f"as {str(Role(role).label).lower()}, sent {timezone.localtime(sent):%-d %B %Y}" for role, sent in waiting]
    if not each:
        return ""
    return f"Also has a waiting invitation {' and one '.join(each)}."


class Invitation(SealedColumns):
    # Who it makes what, where, and its link, as the centre sent it (`pending_seals`): an outside trial
    # put an invitation in by SQL (the link's digest needs no key) and became a centre's administrator.
    SEALED = ("centre_id", "email", "role", "token_digest", "uln", "expires_at", "cancelled_at", "accepted_at")
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=200, help_text="The name as the administrator typed it.")
    email = models.EmailField()
    role = models.CharField(max_length=20, help_text="A portfolio.models.Role: what the invitation gives.")
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "portfolio.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="accepted_invitations"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # A candidate's ULN as the centre's CSV import gave it: recorded as the centre's own
    # (`CandidateIdentifiers`) when they accept, never shown to anyone before.
    uln = models.CharField("Unique Learner Number (ULN)", max_length=10, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One waiting invitation per address and role at a centre (EQAs' have their grants' rules).
            models.UniqueConstraint(
                fields=["centre", "email", "role"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True) & ~models.Q(role="eqa"),
                name="one_waiting_invitation_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.centre_id}"

    def name_parts(self) -> tuple[str, str]:
        """The typed name as a first and a last name, to fill in a form: the centre typed them as
        two and they are kept as one, so a first name of two words is a guess the form may correct."""
        first, _, last = self.name.strip().partition(" ")
        return first, last.strip()

    def status(self, now: datetime.datetime | None = None) -> str:
        """"accepted", "cancelled", "expired" or "pending": what the link does if opened now."""
        if self.accepted_at is not None:
            return "accepted"
        if self.cancelled_at is not None:
            return "cancelled"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "pending"


class ReplacedInvitationLink(models.Model):
    """A link that stopped working because the invitation was sent again (a new secret each time):
    kept as a digest, as the invitation's own, so that whoever opens an older email is told a newer
    invitation was sent, not that the link was never valid."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="replaced_links")
    token_digest = models.CharField(max_length=64, unique=True)
    replaced_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"A replaced link of {self.invitation_id}"


class _Prepared(SealedColumns):
    """What a registration prepared for an invited candidate holds, unit or qualification alike:
    the team, the dates and who prepared it."""

    assessor = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    iqa = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    target_date = models.DateField()
    registration_number = models.CharField(max_length=50, blank=True)
    prepared_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class PreparedEnrolment(_Prepared):
    """A unit an administrator registers an invited candidate on before they accept. It is not an
    Enrolment, so nothing else in the product sees it: accepting the invitation turns each into one,
    in the same transaction (`services_centre_invitations.prepared_enrolments_open`); withdrawing
    the invitation drops them."""

    SEALED = ("invitation_id", "unit_id", "assessor_id", "iqa_id")  # who it puts on whose case (`pending_seals`)
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="prepared_enrolments")
    unit = models.ForeignKey("standards.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["invitation", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "unit"], name="one_prepared_enrolment_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation.email} on {self.unit.code} (waiting for acceptance)"

    @property
    def registered_on(self) -> str:
        """What the invited candidate is registered on, in a list of waiting registrations."""
        return self.unit.code


class PreparedRegistration(_Prepared):
    """A qualification an administrator registers an invited candidate on before they accept, with
    the units chosen and the team for them. As a `PreparedEnrolment`, nothing else in the product
    sees it: accepting the invitation opens the registration and its units' enrolments in the same
    transaction (`services_prepared_registrations.prepared_registrations_open`); withdrawing the
    invitation drops it."""

    SEALED = ("invitation_id", "qualification_id", "assessor_id", "iqa_id")  # as a PreparedEnrolment's
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="prepared_registrations")
    qualification = models.ForeignKey("standards.Qualification", on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField("standards.Unit", related_name="+")

    class Meta:
        ordering = ["invitation", "qualification__code"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "qualification"], name="one_prepared_registration_each"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation.email} on {self.qualification.code} (waiting for acceptance)"

    @property
    def registered_on(self) -> str:
        return f"{self.qualification.code} (qualification)"
