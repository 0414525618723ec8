"""An IQA's units moved to another IQA while they stay one, in the sampling report (outside trial):
an IQA who had left was counted on the units they quality-assured until those were handed over, but
one of today's only on the units naming them now, so when an administrator moved some of a current
IQA's units to another IQA the sampling they had done on them vanished from their row, which an EQA
reads to judge it. Now one rule for every IQA: the units naming them now and those handed over from
them since, with their own reviews of those; the new IQA counts the units too, as theirs now.

The centre is tests/ops/test_reports.py's: Carol is the IQA of Alice's HSC331 and H3 25 (Bob
assesses both) and of Dave's HSC331 (Erin); she has countersigned an interim review of Alice's
H3 25. Ivan is an IQA with no unit. Here Carol has also countersigned an interim review of Dave's
HSC331 (2 of her 3 units sampled), then Grace moves Dave's HSC331 to Ivan. By hand:

| IQA | units | sampled | signed off (reviewed) | assessors sampled | candidates sampled |
|---|---|---|---|---|---|
| Carol Clark | 3 | 2 (Alice's H3 25, Dave's) | 0 (0) | 2 of 2 (Bob, Erin) | 2 of 2 (Alice, Dave) |
| Ivan Ives | 1 (Dave's) | 0 (Carol's review is not his) | 0 (0) | 0 of 1 | 0 of 1 |

Before, Carol's row said 1 of 2 sampled, 1 of 1 assessor and 1 of 1 candidate."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import QualityReview
from portfolio.models import Role
from portfolio.services_enrolments import enrolment_reassign
from portfolio.services_handover import units_hand_over
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import sign_off
from tests.factories import member
from tests.ops.test_reports import _get, case  # noqa: F401  (case: the fixture of that centre)
from tests.ops.test_reports_iqa_leavers import _review, _sampling

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<th scope="row" class="fw-normal text-nowrap">(.*?)</th>.*?aria-hidden="true">(\d+) of (\d+) \((\d+)%\)</span>'
    r'.*?data-label="Signed off and reviewed">(\d+) of (\d+)</td>.*?data-label="Assessors sampled">(\d+) of (\d+)</td>'
    r'.*?data-label="Candidates sampled">(\d+) of (\d+)</td>'
)


def _page_rows(client, centre_case, query="") -> dict[str, tuple]:
    """The page's rows, in the CSV's columns (test_reports_iqa_leavers.FIGURES)."""
    page = " ".join(_get(client, centre_case.grace, "report_sampling", centre_case.centre, query).content.decode().split())
    return {
        name: (units, sampled, percent, signed, reviewed, assessors_sampled, assessors, candidates_sampled, candidates)
        for name, sampled, units, percent, reviewed, signed, assessors_sampled, assessors, candidates_sampled, candidates
        in ROW.findall(page)
    }


def _both(client, centre_case, query="") -> dict[str, tuple]:
    """The CSV's rows, having checked the page says the same of each IQA."""
    rows = _sampling(client, centre_case, query)
    assert _page_rows(client, centre_case, query) == rows
    return rows


def _move(centre_case, enrolment, to) -> None:
    enrolment_reassign(enrolment=enrolment, role="iqa", person=to, reason="Rebalancing the caseloads",
                       changed_by=centre_case.grace)


@pytest.fixture
def moved(case):  # noqa: F811
    _review(case.dave_hsc331, case.carol)
    _move(case, case.dave_hsc331, case.ivan)
    return case


def test_a_current_iqas_sampled_unit_moved_to_another_iqa_stays_in_their_row(client, moved):
    rows = _both(client, moved)
    assert rows == {
        "Carol Clark": ("3", "2", "67", "0", "0", "2", "2", "2", "2"),
        "Ivan Ives": ("1", "0", "0", "0", "0", "0", "1", "0", "1"),
    }
    # Ivan's review of it is his, not hers: her row does not change.
    _review(moved.dave_hsc331, moved.ivan)
    rows = _both(client, moved)
    assert rows["Carol Clark"] == ("3", "2", "67", "0", "0", "2", "2", "2", "2")
    assert rows["Ivan Ives"] == ("1", "1", "100", "0", "0", "1", "1", "1", "1")


def test_the_dates_and_the_assessor_chosen_narrow_a_moved_unit_as_any(client, moved):
    erin = f"?assessor={moved.erin.pk}"  # Dave's HSC331 only
    assert _both(client, moved, erin) == {
        "Carol Clark": ("1", "1", "100", "0", "0", "1", "1", "1", "1"),
        "Ivan Ives": ("1", "0", "0", "0", "0", "0", "1", "0", "1"),
    }
    assert _both(client, moved, f"?iqa={moved.carol.pk}") == {"Carol Clark": ("3", "2", "67", "0", "0", "2", "2", "2", "2")}
    # No review counted after the dates chosen; her units stay hers.
    assert _both(client, moved, "?date_from=2099-01-01")["Carol Clark"] == ("3", "0", "0", "0", "0", "0", "2", "0", "2")


def test_a_unit_handed_away_and_back_counts_once_for_its_iqa(client, case):  # noqa: F811
    for to in (case.ivan, case.carol):
        _move(case, case.dave_hsc331, to)
    assert _both(client, case) == {
        "Carol Clark": ("3", "1", "33", "0", "0", "1", "2", "1", "2"),
        "Ivan Ives": ("1", "0", "0", "0", "0", "0", "1", "0", "1"),
    }


def test_a_handover_keeps_the_countersigned_unit_with_its_iqa_and_leaving_then_changes_nothing(client, case):  # noqa: F811
    """Carol countersigns Alice's HSC331 at the final stage and hands her units to Ivan while she
    stays an IQA: the countersigned unit stays named on her (portfolio/work_done.py), the two others
    move, and her row keeps all three. Deactivating her then changes only her name's mark: the rule
    is the one leavers had (tests/ops/test_reports_iqa_leavers.py's figures)."""
    _review(case.hsc331, case.carol, QualityReview.Stage.FINAL, sign_off=sign_off(case.hsc331))
    units_hand_over(centre=case.centre, role="iqa", from_person=case.carol, to_person=case.ivan,
                    reason="Rebalancing the caseloads", changed_by=case.grace)
    case.hsc331.refresh_from_db()
    assert case.hsc331.iqa == case.carol
    carol = ("3", "2", "67", "1", "1", "1", "2", "1", "2")
    assert _both(client, case) == {"Carol Clark": carol, "Ivan Ives": ("2", "0", "0", "0", "0", "0", "2", "0", "2")}
    membership_deactivate(centre=case.centre, person=case.carol, deactivated_by=case.grace, reason="Left the centre.")
    assert _both(client, case)["Carol Clark (deactivated)"] == carol


def _page_queries(client, centre_case) -> int:
    client.force_login(centre_case.grace)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("ops:report_sampling", args=[centre_case.centre.pk])).status_code == 200
    return len(queries)


def test_the_page_reads_in_fixed_queries_however_many_iqas_had_units_moved(client, case):  # noqa: F811
    """The hand-overs from the IQAs listed are read in one query; the IQAs with none from them are
    counted in one grouped query (none when every IQA has one), and those with one, a row per unit
    in one more: at most one query more than with no hand-over, however many IQAs had units moved."""
    none = _page_queries(client, case)
    _move(case, case.dave_hsc331, case.ivan)
    one = _page_queries(client, case)
    judy = member(case.centre, Role.IQA, email="judy@example.org", first_name="Judy", last_name="Jones")
    _move(case, case.dave_hsc331, judy)  # from Ivan
    _move(case, case.h3_25, judy)  # from Carol
    _move(case, case.h3_25, case.ivan)  # from Judy
    three = _page_queries(client, case)
    assert none <= one <= none + 1 and three <= none + 1, (none, one, three)
    assert _both(client, case) == {
        "Carol Clark": ("3", "1", "33", "0", "0", "1", "2", "1", "2"),
        "Ivan Ives": ("2", "0", "0", "0", "0", "0", "2", "0", "2"),
        "Judy Jones": ("2", "0", "0", "0", "0", "0", "2", "0", "2"),
    }
