"""Rows a backup from an older version holds unsigned, of kinds this version signs.

Each kind was signed from a migration on (the IQA's reviews from assessments 0023, centre seals from
exports 0006), which signed the rows already there. A backup made before it holds them unsigned, and
a restore loads them after the migrations have run on an empty database: signed here as those
migrations sign them, once the archive has been verified (by the backup key, or trusted with
--accept-unsigned). Otherwise every countersignature would read as altered and every centre seal
as forged, on a database restored as it was backed up."""

from assessments import record_seals
from assessments.models import QualityReview
from exports.models import CentreSeal
from exports.seal_keys import seal_signature

REVIEWS_SIGNED_FROM = ("assessments", "0023_signed_quality_reviews")
SEALS_SIGNED_FROM = ("exports", "0006_signed_centre_seals")


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


def _before(migrations: dict[str, list[str]], migration: tuple[str, str]) -> bool:
    app, name = migration
    return name not in migrations.get(app, [])
