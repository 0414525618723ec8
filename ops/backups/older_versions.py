"""Rows a backup from an older version holds unsigned, of kinds this version signs.

Each kind was signed from a migration on (the IQA's reviews from assessments 0023, centre seals from
exports 0006, unlocks from before voids were signed from assessments 0024, each with its unlock in
the audit trail, what came after each sign-off from assessments 0025, each enrolment's record of its
sign-offs from assessments 0027, the count of each sign-off's checks from assessments 0028, its unlock from 0029,
the audit trail chained from portfolio 0052, the people on each enrolment's case from portfolio 0053, each membership from 0055, each evidence item's and file's place from 0056, each person's rights from 0057 and sign-in from 0060, each EQA's grant from 0058, invitations, prepared registrations, kept roles and each file's stored name from 0059, qualification registrations from 0061, each bulk export's and visit pack's centre, asker, file and units from exports 0007,
each witness's testimony link from assessments 0030), which
signed the rows already there. A backup made before it holds them unsigned, and
a restore loads them after the migrations have run on an empty database: signed here as those
migrations sign them, once the archive has been verified (by the backup key, or trusted with
--accept-unsigned). Otherwise every countersignature would read as altered, every centre seal
as forged, every early unlock as a sign-off voided by hand and every audit event as put in behind
the portfolio's back, on a database restored as it was backed up."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Count
from django.db.models.signals import pre_save

from assessments import integrity, record_seals, voids
from assessments.audit_actions import AssessmentAction
from assessments.models import QualityReview, SignOff, TestimonyRequest, seal_sign_offs
from exports import zip_sealing
from exports.models import BulkExport, CentreSeal, VisitPack
from exports.seal_keys import seal_signature
from portfolio import grant_sealing
from portfolio.case_sealing import CASE_COLUMNS, case_seal_of
from portfolio.models import (
    AuditEvent,
    DeactivatedMembership,
    Enrolment,
    EqaGrant,
    Evidence,
    EvidenceFile,
    Invitation,
    Membership,
    Person,
    PreparedEnrolment,
    PreparedRegistration,
    QualificationRegistration,
)
from portfolio.qualification_models import REGISTRATION
from portfolio.row_sealing import sealed_in_bulk
from portfolio.signing import audit_event_seal

REVIEWS_SIGNED_FROM = ("assessments", "0023_signed_quality_reviews")
SEALS_SIGNED_FROM = ("exports", "0006_signed_centre_seals")
VOIDS_SIGNED_FROM = ("assessments", "0024_signed_audited_voids")
AFTER_SIGNED_FROM = ("assessments", "0025_signed_after_sign_off")
SIGN_OFFS_SEALED_FROM = ("assessments", "0027_sealed_sign_offs")
CHECKS_COUNTED_FROM = ("assessments", "0028_counted_checks")
UNLOCKS_SIGNED_AFTER_FROM = ("assessments", "0029_unlocks_signed_after")
CASES_SEALED_FROM = ("portfolio", "0053_enrolment_case_seal")
MEMBERSHIPS_SEALED_FROM = ("portfolio", "0055_membership_seal")
EVIDENCE_SEALED_FROM = ("portfolio", "0056_evidence_access_seal")
PEOPLE_SEALED_FROM = ("portfolio", "0057_person_access_seal")
GRANTS_SEALED_FROM = ("portfolio", "0058_eqa_grant_access_seal")
PENDING_SEALED_FROM = ("portfolio", "0059_pending_rows_sealed")
SIGN_IN_SEALED_FROM = ("portfolio", "0060_person_sign_in_sealed")
REGISTRATIONS_SEALED_FROM = ("portfolio", "0061_registration_sealed")
EXPORTS_SEALED_FROM = ("exports", "0007_zip_access_seal")
TESTIMONY_REQUESTS_SEALED_FROM = ("assessments", "0030_testimony_request_access_seal")
AUDIT_CHAINED_FROM = ("portfolio", "0052_audit_events_chained")


@contextmanager
def audit_events_chained(migrations: dict[str, list[str]], using: str) -> Iterator[None]:
    """Around the load of a backup made before portfolio 0052: each audit event sealed as it goes in,
    following the last event of its centre loaded, as that migration seals the events already written
    (a backup lists them in the order written). Not afterwards, as the other rows are: the database
    refuses to change an audit event once it is in."""
    if not _before(migrations, AUDIT_CHAINED_FROM):
        yield
        return
    latest: dict[int, tuple[int, str]] = {}
    loading = using

    def seal(sender: type[AuditEvent], instance: AuditEvent, raw: bool, using: str, **kwargs: Any) -> None:
        if not raw or using != loading:
            return
        instance.previous, previous_seal = latest.get(instance.centre_id, (None, None))
        instance.seal = audit_event_seal(instance, previous_seal)
        latest[instance.centre_id] = (instance.pk, instance.seal)

    pre_save.connect(seal, sender=AuditEvent, weak=False, dispatch_uid="restore_audit_events_chained")
    try:
        yield
    finally:
        pre_save.disconnect(sender=AuditEvent, dispatch_uid="restore_audit_events_chained")


def sign_rows_left_unsigned(migrations: dict[str, list[str]], using: str) -> None:
    if _before(migrations, REVIEWS_SIGNED_FROM):
        reviews = list(QualityReview.objects.using(using).filter(reviewed_at__isnull=False, signature=""))
        for review in reviews:
            review.signature = record_seals.review_signature(review)
        QualityReview.objects.using(using).bulk_update(reviews, ["signature"])
    if _before(migrations, SEALS_SIGNED_FROM):
        seals = list(CentreSeal.objects.using(using).filter(signature=""))
        for seal in seals:
            seal.signature = seal_signature(seal)
        CentreSeal.objects.using(using).bulk_update(seals, ["signature"])
    if _before(migrations, VOIDS_SIGNED_FROM):
        _sign_audited_voids(using)
    counting = _before(migrations, CHECKS_COUNTED_FROM)
    if counting:  # before what came after is signed, which counts them
        for sign_off_id, rows in SignOff.objects.using(using).annotate(rows=Count("fixity_checks")).values_list("pk", "rows"):
            SignOff.objects.using(using).filter(pk=sign_off_id).update(checks_made=rows)
    if _before(migrations, AFTER_SIGNED_FROM) or counting or _before(migrations, UNLOCKS_SIGNED_AFTER_FROM):  # last: it signs the reviews' signatures, made above
        sign_offs = list(SignOff.objects.using(using).all())
        for sign_off in sign_offs:
            sign_off.after_signature = record_seals.after_signature(sign_off, using=using)
        SignOff.objects.using(using).bulk_update(sign_offs, ["after_signature"])
    if _before(migrations, SIGN_OFFS_SEALED_FROM):
        for enrolment_id in Enrolment.objects.using(using).values_list("pk", flat=True):
            seal_sign_offs(enrolment_id, using=using)
    if _before(migrations, CASES_SEALED_FROM):
        enrolments = list(Enrolment.objects.using(using).select_related("unit").only("pk", *CASE_COLUMNS, "unit__code", "unit__version"))
        for enrolment in enrolments:
            enrolment.case_seal = case_seal_of(enrolment)
        Enrolment.objects.using(using).bulk_update(enrolments, ["case_seal"], batch_size=1000)
    if _before(migrations, MEMBERSHIPS_SEALED_FROM):
        sealed_in_bulk(list(Membership.objects.using(using).only("pk", *Membership.SEALED)), using)
    if _before(migrations, EVIDENCE_SEALED_FROM):
        sealed_in_bulk(list(Evidence.objects.using(using).only("pk", *Evidence.SEALED)), using)
        sealed_in_bulk(list(EvidenceFile.objects.using(using).only("pk", *EvidenceFile.SEALED)), using)
    if _before(migrations, SIGN_IN_SEALED_FROM):  # rights from 0057, and how they sign in from 0060
        sealed_in_bulk(list(Person.objects.using(using).only("pk", *Person.SEALED)), using)
    if _before(migrations, GRANTS_SEALED_FROM):
        grant_sealing.sealed_in_bulk(EqaGrant.objects.using(using).only("pk", *grant_sealing.SEALED), using)
    if _before(migrations, REGISTRATIONS_SEALED_FROM):
        REGISTRATION.sealed_in_bulk(QualificationRegistration.objects.using(using).select_related("qualification"), using)
    if _before(migrations, PENDING_SEALED_FROM):  # and each file again, with the stored file it serves
        for model in (Invitation, PreparedEnrolment, PreparedRegistration, DeactivatedMembership, EvidenceFile):
            sealed_in_bulk(list(model.objects.using(using).only("pk", *model.SEALED)), using)
    if _before(migrations, EXPORTS_SEALED_FROM):
        zip_sealing.sealed_in_bulk(BulkExport.objects.using(using).only("pk", *zip_sealing.SEALED), using)
        zip_sealing.sealed_in_bulk(VisitPack.objects.using(using).only("pk", *zip_sealing.SEALED), using)
    if _before(migrations, TESTIMONY_REQUESTS_SEALED_FROM):
        sealed_in_bulk(list(TestimonyRequest.objects.using(using).only("pk", *TestimonyRequest.SEALED)), using)


def _sign_audited_voids(using: str) -> None:
    """As assessments 0024: an unsigned void is signed only with its unlock in the audit trail (the
    same enrolment, by the same person, naming the same moment); one without stays what it is."""
    signed = []
    for sign_off in SignOff.objects.using(using).filter(voided_at__isnull=False, void_signature=""):
        assert sign_off.voided_at is not None
        if AuditEvent.objects.using(using).filter(
            action=AssessmentAction.UNIT_UNLOCKED, enrolment_id=sign_off.enrolment_id,
            actor_id=sign_off.voided_by_id, after__voided_at=integrity.utc_iso(sign_off.voided_at),
        ).exists():
            sign_off.void_signature = voids.void_signature(sign_off)
            signed.append(sign_off)
    SignOff.objects.using(using).bulk_update(signed, ["void_signature"])


def _before(migrations: dict[str, list[str]], migration: tuple[str, str]) -> bool:
    app, name = migration
    return name not in migrations.get(app, [])
