"""A record of a file check dated in the future (or altered) in the database, as the outside tester
wrote one: the unit page says the signed-off record cannot be vouched for, and so does every
boundary where the record leaves: the unit PDF, the visit pack (the unit is left out) and the
comparison with the live record that `verify_export` and the checking page make. One judgement,
`assessments.fixity.judged`, everywhere.

Alice's H3 25 is signed off (Bob her assessor); Grace administers Riverside."""

import datetime
import json

import pytest
from django.utils import timezone

from assessments.models import FixityCheck, SignOff
from exports import visit_pack
from exports.models import VisitPack
from exports.unit_pdf import render_unit_pdf
from exports.verification import check_pdf
from exports.verification_live import centre_roots, compare_with_live_record
from tests.exports.signed_case import signed_case
from tests.exports.test_changed_record import embedded_manifest, pages_of

pytestmark = pytest.mark.django_db
ALTERED = "A record of a file check has been altered or dated in the future, and is not trustworthy"


def _forge_a_future_check(enrolment) -> None:
    sign_off = SignOff.objects.standing().get(enrolment=enrolment)
    FixityCheck.objects.create(
        sign_off=sign_off, checked_at=timezone.now() + datetime.timedelta(days=400),
        boundary=FixityCheck.Boundary.SCHEDULE, intact=True, files_checked=1,
    )


def test_a_future_dated_file_check_counts_against_the_record_at_every_boundary(client):
    signed = signed_case()
    case, unit = signed.case, signed.case.h3_25
    before = render_unit_pdf(unit)  # sealed while the record held
    _forge_a_future_check(unit)

    client.force_login(case.bob)
    page = client.get(f"/assessments/units/{unit.pk}/").content.decode()
    assert ALTERED in page and "This signed-off record has changed since it was signed." in page

    pdf = render_unit_pdf(unit)
    cover = pages_of(pdf)[0]
    assert "CHANGED SINCE SIGN-OFF" in cover and ALTERED in cover
    record = embedded_manifest(pdf)["record"]
    assert record["state"] == "changed since sign-off"
    assert any(change.startswith(ALTERED) for change in record["changes"])

    checked = check_pdf(before, "h3-25.pdf", centre_roots, compare_with_live_record)
    assert any(problem.startswith(f"the live record: {ALTERED}") for problem in checked.problems), checked.problems

    pack = VisitPack.objects.create(centre=case.centre, requested_by=case.grace)
    pack.enrolments.set([case.hsc331, unit])
    visit_pack.build(pack)
    pack.refresh_from_db()
    assert [left["unit"] for left in pack.left_out] == ["H3 25"]
    assert ALTERED in json.dumps(pack.left_out, ensure_ascii=False)
