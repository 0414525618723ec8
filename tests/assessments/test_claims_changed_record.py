"""A unit whose record changed since sign-off is not certified by a claim (an outside trial: a
changed file was found and notified, yet the claims page listed the unit as ready, "Mark as claimed"
accepted it and the awarding body's CSV listed it).

Ready to claim before anything changes: Alice's H3 25 and HSC331, and Fay's H3 25."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import fixity
from assessments.claims import digest_of, ready_count, ready_to_claim, ready_units_matching
from assessments.models import Claim, Decision, SignOff
from assessments.services.claims import claims_mark, claims_mark_matching
from portfolio.errors import PortfolioError
from portfolio.models import EvidenceFile
from tests.assessments.test_claims_mark_all import case  # noqa: F401  (the fixture: three units ready)

pytestmark = pytest.mark.django_db


def _signed_file(case, evidence_root):  # noqa: F811
    """HSC331's standing sign-off, and where the first file it was signed on is stored."""
    sign_off = SignOff.objects.get(enrolment=case.hsc331, voided_at=None)
    stored = EvidenceFile.objects.get(pk=sign_off.manifest["files"][0]["file_id"]).file.name
    return sign_off, evidence_root / stored


def _ready_codes(case) -> list[tuple[str, str]]:  # noqa: F811
    return sorted((item.candidate.first_name, item.code) for item in ready_to_claim(case.centre))


def test_a_unit_its_last_check_found_changed_is_not_ready_nor_counted(client, case, evidence_root):  # noqa: F811
    sign_off, stored = _signed_file(case, evidence_root)
    signed = stored.read_bytes()
    stored.write_bytes(signed[:-1] + bytes([signed[-1] ^ 1]))  # one byte changed in storage
    assert ("Alice", "HSC331") in _ready_codes(case)  # no check has read the file yet

    fixity.check_and_record(sign_off, boundary=fixity.Boundary.SCHEDULE)

    assert _ready_codes(case) == [("Alice", "H3 25"), ("Fay", "H3 25")]
    assert ready_count(case.centre, up_to=10) == 2
    client.force_login(case.grace)
    page = client.get(reverse("assessments:claim_list", args=[case.centre.pk])).content.decode()
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "2 units ready" in words
    assert f'value="unit-{case.hsc331.pk}"' not in page
    # Not gone without a word: named apart, with a link to its page.
    assert "Not ready: changed since sign-off" in words and "Alice Adams: Unit HSC331" in words
    assert f'href="/assessments/units/{case.hsc331.pk}/"' in page.split('id="changed-heading"')[1]

    # The file put back from a backup and checked again: ready once more.
    stored.write_bytes(signed)
    fixity.check_and_record(sign_off, boundary=fixity.Boundary.ON_DEMAND, by=case.grace)
    assert ("Alice", "HSC331") in _ready_codes(case)


def test_a_posted_claim_of_a_unit_not_listed_says_why_and_marks_nothing(client, case, evidence_root):  # noqa: F811
    """Posted from a page read before the check found it changed: the list again, with the refusal
    (an outside trial: the page came back with no form and no word of why)."""
    sign_off, stored = _signed_file(case, evidence_root)
    stored.write_bytes(stored.read_bytes() + b"!")
    fixity.check_and_record(sign_off, boundary=fixity.Boundary.SCHEDULE)
    client.force_login(case.grace)

    response = client.post(reverse("assessments:claim_list", args=[case.centre.pk]), {
        "items": [f"unit-{case.hsc331.pk}"], "reference": "SQA-2026-0101", "claimed_on": timezone.localdate().isoformat(),
    })

    page = response.content.decode()
    assert response.status_code == 400 and Claim.objects.count() == 0
    assert "Choose among the units and qualifications listed as ready to claim." in page
    assert f'value="unit-{case.h3_25.pk}"' in page  # the list as it is, to choose again


def test_a_claim_of_a_unit_changed_since_its_last_check_marks_nothing(case):  # noqa: F811
    decision = Decision.objects.filter(enrolment=case.hsc331, withdrawn_at=None).first()
    Decision.objects.filter(pk=decision.pk).update(decided_on=decision.decided_on.replace(year=decision.decided_on.year - 1))

    with pytest.raises(PortfolioError) as refused:
        claims_mark(centre=case.centre, claimed_by=case.grace, keys=[f"unit-{case.h3_25.pk}", f"unit-{case.hsc331.pk}"],
                    reference="SQA-2026-0100", claimed_on=timezone.localdate())

    assert str(refused.value).startswith("Nothing was marked as claimed: Alice Adams’s HSC331 has changed since sign-off (")
    assert Claim.objects.count() == 0


def test_marking_all_matching_refuses_a_changed_unit_among_them(case):  # noqa: F811
    Decision.objects.filter(enrolment=case.fay_h3_25, withdrawn_at=None).update(decided_by=case.carol)
    count, digest = digest_of(ready_units_matching(case.centre, "H3"))

    with pytest.raises(PortfolioError, match="Fay Fox’s H3 25 has changed since sign-off"):
        claims_mark_matching(centre=case.centre, claimed_by=case.grace, words="H3", confirmed=digest,
                             reference="SQA-2026-0101", claimed_on=timezone.localdate())

    assert count == 2 and Claim.objects.count() == 0
