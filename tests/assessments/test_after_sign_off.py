"""What came after a sign-off (the candidate's countersignature, the IQA's reviews of it) is signed
on the sign-off, so that one deleted or cleared in the database is found (an outside trial: deleting
the IQA's countersignature, or clearing the candidate's, changed the pages and the PDF with nothing
said anywhere).

Alice is the candidate on HSC331, Bob her assessor, Carol her IQA (tests/assessments/unit_case.py)."""

import importlib

import pytest

from assessments import fixity, record_seals
from assessments.models import QualityReview, SignOff
from tests.assessments.unit_case import signed_off_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return signed_off_case(countersigned_and_reviewed=True)


def _problems(case) -> list[str]:
    return fixity.page_report(SignOff.objects.get(pk=case.sign_off.pk)).problems


def test_signed_off_countersigned_and_reviewed_it_is_intact(case):
    assert _problems(case) == []


def test_the_iqas_countersignature_deleted_is_found_on_the_page_and_at_every_check(client, case):
    QualityReview.objects.filter(sign_off=case.sign_off).delete()

    assert _problems(case) == [record_seals.AFTER_CHANGED]
    report = fixity.judged(SignOff.objects.get(pk=case.sign_off.pk), boundary=fixity.Boundary.SCHEDULE)
    assert record_seals.AFTER_CHANGED in report.problems
    client.force_login(case.grace)
    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert "the candidate’s countersignature, an internal quality assurer’s review of it, its unlock or the count of its file checks has been removed" in page


def test_the_candidates_countersignature_cleared_is_found(case):
    SignOff.objects.filter(pk=case.sign_off.pk).update(candidate_signed_at=None, candidate_signature="")

    assert record_seals.AFTER_CHANGED in _problems(case)


def test_a_review_inserted_by_hand_is_found(case):
    review = QualityReview.objects.get(sign_off=case.sign_off)
    review.pk = None
    review.save()  # a copy, its signature copied too: it does not sign its own id, nor is it in the seal

    assert record_seals.AFTER_CHANGED in _problems(case)


def test_the_migration_signs_what_came_after_each_sign_off_as_it_stands(case):
    from django.apps import apps

    migration = importlib.import_module("assessments.migrations.0025_signed_after_sign_off")
    SignOff.objects.update(after_signature="")
    assert record_seals.AFTER_CHANGED in _problems(case)

    migration.sign_what_came_after(apps, None)
    # As the database stood after 0025: the checks not yet counted; 0028 counts them and signs again.
    SignOff.objects.update(checks_made=0)
    importlib.import_module("assessments.migrations.0028_counted_checks").count_checks(apps, None)

    assert _problems(case) == []
