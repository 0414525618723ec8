"""Every sign-off made before units had versions still verifies after the migration that gives them
one (issue 14 item 5).

The sign-off is made as the sign-off service makes it, on Alice's HSC331; the manifest it signs holds
nothing this change added (no version: the unit by its code, the items by their references, as
before), so it is the record the code before the change would have signed. The database is then
taken back to the schema before versions (standards 0001: codes and references unique across the
catalogue, no version column), which is where an installation's existing sign-offs stand, and the
migration under test is applied to it. The sign-off must verify and the unit page show it intact.
"""

import pytest
from django.utils import timezone

from assessments import integrity
from assessments.models import SignOff
from standards.models import Unit
from tests.assessments.unit_case import accepted_evidence, build_case, meet, signed_as_the_service_signs
from tests.migrating import latest, migrate_to

BEFORE = [("standards", "0002_qualifications")]  # the migration before versions


@pytest.mark.django_db(transaction=True)
def test_a_sign_off_made_before_versions_verifies_after_the_migration(client):
    case = build_case()
    evidence = accepted_evidence(case)
    meet(case, case.hsc331, [evidence])
    sign_off = signed_as_the_service_signs(case.hsc331, case.bob)
    integrity.countersign(sign_off, signed_at=timezone.now())
    sign_off.save()
    assert "version" not in str(sign_off.manifest["enrolment"])  # the manifest is as it was signed before
    signed = SignOff.objects.get(pk=sign_off.pk)
    newest = latest()
    try:
        old = migrate_to(BEFORE)
        # The schema before versions: no version column, references unique across the catalogue.
        old_unit = old.get_model("standards", "Unit")
        assert "version" not in {f.name for f in old_unit._meta.get_fields()}
        assert old.get_model("standards", "Criterion")._meta.get_field("reference").unique
        assert old_unit.objects.get(code="HSC331").slug == "hsc331"
    finally:
        migrate_to(newest)

    unit = Unit.objects.get(code="HSC331")
    assert (unit.version, unit.validity, unit.slug) == ("1", "current", "hsc331")
    assert Unit.objects.get(code="H3 25").version == "1"
    after = SignOff.objects.get(pk=sign_off.pk)
    assert after.manifest == signed.manifest and after.signature == signed.signature
    assert integrity.verify(after) == []
    client.force_login(case.bob)
    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert "Signed off" in page and "v1 · Current" in page
    assert 'data-integrity="intact"' in page and "has changed since" not in page.lower()
    # The address the unit always had still leads to it.
    assert client.get("/standards/hsc331/").status_code == 200
