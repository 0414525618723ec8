"""An IQA's history in the sampling report once they have left: deactivating an IQA (their units
handed over first, as leaving asks) took their rows of sampling and countersignatures out of "IQA
sampling coverage", page and CSV, though the reviews are kept. Now a leaver's row stays, marked, with
the figures they had when they left, and the report's IQA filter offers them, marked.

The centre is tests/ops/test_reports.py's: Carol is the IQA of Alice's HSC331 and H3 25 (Bob
assesses both) and of Dave's HSC331 (Erin); she has countersigned an interim review of Alice's
H3 25. Ivan is an IQA with no unit. Here Bob has also signed off Alice's HSC331 and Carol has
countersigned it at the final stage; then Carol hands her units to Ivan and leaves (the two still
needing an IQA: her countersigned HSC331 of Alice stays with her), and Ivan countersigns an interim
review of Dave's HSC331. By hand:

| IQA | units | sampled | signed off (reviewed) | assessors sampled | candidates sampled |
|---|---|---|---|---|---|
| Ivan Ives | 2 | 1 (Dave's) | 0 (0) | 1 of 2 (Erin) | 1 of 2 (Dave) |
| Carol Clark (deactivated) | 3 | 2 (Alice's) | 1 (1) | 1 of 2 (Bob) | 1 of 2 (Alice) |"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import QualityReview
from portfolio.models import Membership, Role
from portfolio.services_enrolments import enrolment_reassign
from portfolio.services_handover import units_hand_over
from portfolio.services_people import membership_deactivate, roles_set
from tests.assessments.quality_records import sign_off
from tests.ops.test_reports import _csv, _get, case  # noqa: F401  (case: the fixture of that centre)

pytestmark = pytest.mark.django_db

FIGURES = ("units quality-assured", "units sampled", "per cent sampled", "signed off", "signed off and reviewed",
           "assessors sampled", "assessors", "candidates sampled", "candidates")


def _review(enrolment, iqa, stage=QualityReview.Stage.INTERIM, **more) -> None:
    now = timezone.now()
    QualityReview.objects.create(enrolment=enrolment, iqa=iqa, stage=stage, outcome=QualityReview.Outcome.COUNTERSIGNED,
                                 sampled_at=now, reviewed_at=now, **more)


def _carol_hands_over(centre_case) -> None:
    units_hand_over(centre=centre_case.centre, role="iqa", from_person=centre_case.carol, to_person=centre_case.ivan,
                    reason="Carol is leaving the centre", changed_by=centre_case.grace)


@pytest.fixture
def carol_left(case):  # noqa: F811
    _review(case.hsc331, case.carol, QualityReview.Stage.FINAL, sign_off=sign_off(case.hsc331))
    _carol_hands_over(case)
    membership_deactivate(centre=case.centre, person=case.carol, deactivated_by=case.grace,
                          reason="Left the centre.")
    _review(case.dave_hsc331, case.ivan)
    return case


def _sampling(client, centre_case, query=""):
    response = _get(client, centre_case.grace, "report_sampling_csv", centre_case.centre, query)
    return {r["IQA"]: tuple(r[f] for f in FIGURES) for r in _csv(response)}


def _iqa_options(page: str) -> list[str]:
    select = re.search(r'<select name="iqa".*?</select>', page, re.S)
    assert select is not None
    return [html.unescape(" ".join(o.split())) for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(0), re.S)]


def test_a_deactivated_iqas_sampling_stays_in_the_report_with_the_figures_they_left_with(client, carol_left):
    rows = _sampling(client, carol_left)
    # Today's IQAs first, then the one who left, marked; each counted by hand (the module's table).
    assert list(rows) == ["Ivan Ives", "Carol Clark (deactivated)"]
    assert rows["Ivan Ives"] == ("2", "1", "50", "0", "0", "1", "2", "1", "2")
    assert rows["Carol Clark (deactivated)"] == ("3", "2", "67", "1", "1", "1", "2", "1", "2")

    page = " ".join(_get(client, carol_left.grace, "report_sampling", carol_left.centre).content.decode().split())
    assert '<th scope="row" class="fw-normal text-nowrap">Carol Clark (deactivated)</th>' in page
    assert "Carol Clark (deactivated): units sampled</title>" in page and "2 of 3 (67%)" in page
    assert ("Each IQA, today’s or one who has left, is counted on the units they quality-assure now and on those handed "
            "over from them since, with their own reviews of those") in page
    # Her plan's page is an IQA's of today: her row does not link to it; Ivan's does.
    assert reverse("assessments:sampling_plan", args=[carol_left.centre.pk, carol_left.carol.pk]) not in page
    assert reverse("assessments:sampling_plan", args=[carol_left.centre.pk, carol_left.ivan.pk]) in page


def test_the_iqa_filter_offers_the_leaver_marked_and_narrows_to_them(client, carol_left):
    page = _get(client, carol_left.grace, "report_sampling", carol_left.centre).content.decode()
    assert _iqa_options(page) == ["All", "Ivan Ives", "Carol Clark (deactivated)"]
    # Only the sampling report lists IQAs, so only it has an IQA filter.
    assert '<select name="iqa"' not in _get(client, carol_left.grace, "report_decisions", carol_left.centre).content.decode()

    query = f"?iqa={carol_left.carol.pk}"
    assert _sampling(client, carol_left, query) == {"Carol Clark (deactivated)": ("3", "2", "67", "1", "1", "1", "2", "1", "2")}
    page = " ".join(_get(client, carol_left.grace, "report_sampling", carol_left.centre, query).content.decode().split())
    assert "There is a problem" not in page and "IQA: Carol Clark (deactivated)" in page
    assert "Ivan Ives</th>" not in page

    # The assessor chosen narrows her units as anyone's: Erin's is Dave's HSC331, which she did not sample.
    narrowed = _sampling(client, carol_left, f"{query}&assessor={carol_left.erin.pk}")
    assert narrowed == {"Carol Clark (deactivated)": ("1", "0", "0", "0", "0", "0", "1", "0", "1")}
    # Reviews recorded after the dates chosen are not counted; her row stays, with her units.
    later = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    assert _sampling(client, carol_left, f"{query}&date_from={later}")["Carol Clark (deactivated)"][:2] == ("3", "0")


def test_an_iqa_chosen_who_is_not_one_of_the_centres_is_refused_like_any_wrong_filter(client, carol_left):
    query = f"?iqa={carol_left.bob.pk}"  # an assessor, never an IQA
    page = _get(client, carol_left.grace, "report_sampling", carol_left.centre, query).content.decode()
    assert "There is a problem" in page and "Choose an IQA from the list: the one asked for is not one of this" in page
    response = _get(client, carol_left.grace, "report_sampling_csv", carol_left.centre, query)
    assert response.status_code == 400 and "IQA: Choose an IQA from the list" in response.content.decode()


def test_an_iqa_who_left_having_sampled_nothing_is_not_listed(client, case):  # noqa: F811
    membership_deactivate(centre=case.centre, person=case.ivan, deactivated_by=case.grace,
                          reason="Left the centre.")
    assert list(_sampling(client, case)) == ["Carol Clark"]
    assert _iqa_options(_get(client, case.grace, "report_sampling", case.centre).content.decode()) == ["All", "Carol Clark"]


def test_an_iqa_who_moved_to_another_role_is_marked_so(client, case):  # noqa: F811
    _carol_hands_over(case)
    roles_set(centre=case.centre, person=case.carol, changed_by=case.grace, roles={Role.ASSESSOR})
    rows = _sampling(client, case)
    assert rows["Carol Clark (no longer an IQA)"] == ("3", "1", "33", "0", "0", "1", "2", "1", "2")
    page = _get(client, case.grace, "report_sampling", case.centre).content.decode()
    assert _iqa_options(page) == ["All", "Ivan Ives", "Carol Clark (no longer an IQA)"]


def test_a_former_iqa_still_named_on_a_unit_counts_it_once(client, case):  # noqa: F811
    """Dave's unit went to Ivan and back to Carol, then her role was taken away while she is still
    named on her units (as the data may have it): each unit counts once in her row. Ivan, who holds
    none now, counts Dave's, handed over from him (as any IQA does, today's or a leaver), with no
    review of his on it."""
    for to in (case.ivan, case.carol):
        enrolment_reassign(enrolment=case.dave_hsc331, role="iqa", person=to, reason="Cover for a week", changed_by=case.grace)
    Membership.objects.filter(person=case.carol, centre=case.centre, role=Role.IQA).delete()
    Membership.objects.get_or_create(person=case.carol, centre=case.centre, role=Role.ASSESSOR)
    rows = _sampling(client, case)
    assert rows == {
        "Ivan Ives": ("1", "0", "0", "0", "0", "0", "1", "0", "1"),
        "Carol Clark (no longer an IQA)": ("3", "1", "33", "0", "0", "1", "2", "1", "2"),
    }


def test_the_staff_are_searched_once_for_each_list_of_people(client, carol_left):
    """The search of the staff for leavers (portfolio/role_holders.py) is read once for each list
    the page holds: the Assessor and IQA filters' choices and the IQAs listed. Django's select would
    count its choices before reading them, and a paginated list count its rows before reading its
    page, each a second search."""
    client.force_login(carol_left.grace)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("ops:report_sampling", args=[carol_left.centre.pk])).status_code == 200
    searches = [q["sql"] for q in queries.captured_queries
                if '"portfolio_person"' in q["sql"] and '"portfolio_deactivatedmembership"' in q["sql"]]
    assert len(searches) == 3, searches
    assert not any(sql.lstrip("( ").startswith("SELECT COUNT") for sql in searches)
