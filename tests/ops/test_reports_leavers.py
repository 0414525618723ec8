"""A leaver's history in the reports, as an outside tester found it: deactivating an assessor took
their past decisions out of "Decisions per assessor per month" (page and CSV) and them out of the
Assessor filter. The centre is tests/ops/test_reports.py's: Bob assesses Alice's HSC331 and H3 25
and has accepted one item of evidence and recorded 29 items met this month; Erin assesses Dave's
HSC331."""

import html
import re

import pytest
from django.utils import timezone

from portfolio.models import Membership, Role
from portfolio.services_handover import units_hand_over
from portfolio.services_people import membership_deactivate, roles_set
from tests.ops.test_reports import _csv, _get, case  # noqa: F401  (case: the fixture of that centre)

pytestmark = pytest.mark.django_db


def _bob_leaves(centre_case) -> None:
    units_hand_over(centre=centre_case.centre, role="assessor", from_person=centre_case.bob, to_person=centre_case.erin,
                    reason="Bob has left the centre", changed_by=centre_case.grace)
    membership_deactivate(centre=centre_case.centre, person=centre_case.bob, deactivated_by=centre_case.grace,
                          reason="Left the centre.")


def _assessor_options(page: str) -> list[str]:
    select = re.search(r'<select name="assessor".*?</select>', page, re.S)
    assert select is not None
    return [html.unescape(" ".join(o.split())) for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(0), re.S)]


def test_a_deactivated_assessors_decisions_stay_in_the_report_and_the_filter(client, case):  # noqa: F811
    _bob_leaves(case)
    month = f"{timezone.localdate():%Y-%m}"
    rows = _csv(_get(client, case.grace, "report_decisions_csv", case.centre))
    assert [(r["assessor"], r["month"], r["evidence judged"], r["evidence accepted"], r["items met"]) for r in rows] == [
        ("Bob Baker (deactivated)", month, "1", "1", "29"),
    ]
    page = _get(client, case.grace, "report_decisions", case.centre).content.decode()
    assert f'<h2 class="h5" id="decisions-{case.bob.pk}">Bob Baker (deactivated)</h2>' in page
    # Today's assessors first, then the former one, marked.
    assert _assessor_options(page) == ["All", "Erin Evans", "Bob Baker (deactivated)"]

    # Narrowed to Bob, his decisions are there, though Erin holds his units now.
    narrowed = _get(client, case.grace, "report_decisions_csv", case.centre, f"?assessor={case.bob.pk}")
    assert [(r["assessor"], r["items met"]) for r in _csv(narrowed)] == [("Bob Baker (deactivated)", "29")]
    page = " ".join(_get(client, case.grace, "report_decisions", case.centre, f"?assessor={case.bob.pk}").content.decode().split())
    assert "There is a problem" not in page and "Assessor: Bob Baker (deactivated)" in page
    # Erin holds the units Bob decided on: narrowing to her shows none of his decisions as hers.
    narrowed = _get(client, case.grace, "report_decisions_csv", case.centre, f"?assessor={case.erin.pk}")
    assert _csv(narrowed) == []


def test_caseloads_count_every_unit_once_after_a_leaver_handed_over(client, case):  # noqa: F811
    _bob_leaves(case)
    rows = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}
    # Bob has no unit left: no caseload row. Erin's are her own and Bob's, three units of two candidates.
    assert list(rows) == ["Erin Evans"]
    erin = rows["Erin Evans"]
    assert (erin["units not signed off"], erin["candidates with units not signed off"], erin["on track"],
            erin["at risk"], erin["overdue"], erin["evidence waiting"]) == ("3", "2", "1", "1", "1", "1")


def test_a_former_assessor_still_named_on_a_unit_keeps_their_caseload_row(client, case):  # noqa: F811
    """Erin's role taken away while she is still named on Dave's unit (as the data may have it): the
    caseloads keep her row, marked, so the centre's units all add up."""
    Membership.objects.filter(person=case.erin, centre=case.centre, role=Role.ASSESSOR).delete()
    Membership.objects.get_or_create(person=case.erin, centre=case.centre, role=Role.IQA)
    rows = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}
    assert list(rows) == ["Bob Baker", "Erin Evans (no longer an assessor)"]
    assert rows["Erin Evans (no longer an assessor)"]["at risk"] == "1"
    page = _get(client, case.grace, "report_caseload", case.centre).content.decode()
    assert _assessor_options(page) == ["All", "Bob Baker", "Erin Evans (no longer an assessor)"]


def test_an_assessor_with_no_records_is_not_offered_once_gone(client, case):  # noqa: F811
    """A former assessor who decided nothing and holds no unit has nothing to report."""
    roles_set(centre=case.centre, person=case.erin, changed_by=case.grace, roles={Role.ASSESSOR, Role.IQA})
    units_hand_over(centre=case.centre, role="assessor", from_person=case.erin, to_person=case.bob,
                    reason="Erin moves to quality assurance", changed_by=case.grace)
    roles_set(centre=case.centre, person=case.erin, changed_by=case.grace, roles={Role.IQA})
    page = _get(client, case.grace, "report_decisions", case.centre).content.decode()
    assert _assessor_options(page) == ["All", "Bob Baker"]
