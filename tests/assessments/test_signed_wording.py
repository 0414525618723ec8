"""The words of the unit the assessor signed against are in the signed record (one digest per
item), so a criterion reworded in the database afterwards is found (an outside trial rewrote one,
and the PDF printed the new words beside decisions signed against the old).

Alice is the candidate on HSC331, Bob her assessor (tests/assessments/unit_case.py)."""

import pytest

from assessments import fixity, integrity, unit_wording
from assessments.models import SignOff
from standards.models import Criterion, ScopeCategory
from tests.assessments.unit_case import signed_off_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return signed_off_case()


def _problems(case) -> list[str]:
    return fixity.page_report(SignOff.objects.get(pk=case.sign_off.pk)).problems


def test_the_manifest_holds_a_digest_of_every_items_words(case):
    wording = case.sign_off.manifest[unit_wording.WORDING]
    criteria = Criterion.objects.filter(unit=case.hsc331.unit)
    assert {c.reference for c in criteria} <= wording.keys()
    assert case.sign_off.manifest["format"] == integrity.MANIFEST_FORMAT == 4
    assert _problems(case) == []


def test_a_criterion_reworded_in_the_database_is_named(case):
    criterion = Criterion.objects.filter(unit=case.hsc331.unit).order_by("position").first()
    Criterion.objects.filter(pk=criterion.pk).update(text=criterion.text + " Or not.")

    [problem] = _problems(case)

    assert "The wording of the unit has changed in the database since it was signed off" in problem
    assert f"({criterion.reference})" in problem
    assert not fixity.check_and_record(SignOff.objects.get(pk=case.sign_off.pk), boundary=fixity.Boundary.ON_DEMAND).intact


def test_a_scope_category_renamed_is_named(case):
    category = ScopeCategory.objects.filter(unit=case.hsc331.unit).first()
    ScopeCategory.objects.filter(pk=category.pk).update(name="Anyone at all")

    assert any("scope category Anyone at all" in p and f"scope category {category.name}" in p for p in _problems(case))


def test_a_manifest_signed_before_the_wording_was_kept_is_checked_without_it(case):
    manifest = dict(case.sign_off.manifest)
    del manifest[unit_wording.WORDING]
    manifest["format"] = 3
    SignOff.objects.filter(pk=case.sign_off.pk).update(
        manifest=manifest,
        signature=integrity.assessor_signature(
            manifest=manifest, enrolment_id=case.hsc331.pk, assessor_id=case.bob.pk,
            signed_at=case.sign_off.assessor_signed_at,
        ),
    )
    Criterion.objects.filter(unit=case.hsc331.unit).update(text="Reworded.")

    assert not any("wording" in p for p in _problems(case))


def test_the_units_code_or_title_changed_in_the_database_is_named(case):
    from standards.models import Unit

    Unit.objects.filter(pk=case.hsc331.unit_id).update(code="HSC332")

    assert any("the unit’s code, title and version" in p for p in _problems(case))
