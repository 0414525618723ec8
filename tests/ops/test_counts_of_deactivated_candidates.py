"""A deactivated candidate's units, counted alike on every page (issue 16, "run the centre"): an
outside tester found the administrator's home and the centre page counting them as active
enrolments, the assessors' caseloads leaving them out without a word, and the centre page's people
list counting withdrawn and transferred units in its "Units" column. The rule is
`portfolio/enrolment_counts.py`: a unit neither withdrawn nor transferred of a candidate deactivated
at the centre is not active, nor dropped: it is counted apart and said.

The centre, by hand (tests/assessments/unit_case.py's cast, and Lou):
- Alice (a candidate here): HSC331 with Bob, active; H3 25 with Bob, withdrawn.
- Dave (deactivated): HSC331 with Erin, neither withdrawn nor signed off.
- Lou (deactivated): HSC331 with Bob, neither withdrawn nor signed off; H3 25 with Erin, withdrawn
  before Lou was deactivated.
So 5 enrolments: 1 active, 2 of deactivated candidates, 2 withdrawn or transferred; nothing is
signed off. Bob's caseload is Alice's HSC331, and apart Lou's; Erin's is none, and apart Dave's.
A deactivated candidate's unit signed off is no one's work but still the centre's finished record:
it counts in every report (`assessments.counted.in_figures`)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import QualityReview
from portfolio.models import Enrolment, Role
from portfolio.services_enrolments import enrolment_withdraw
from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.assessments.quality_records import sign_off
from tests.assessments.unit_case import build_case, submitted_evidence
from tests.factories import PersonFactory, enrol, member
from tests.ops.test_reports import _csv, _get

pytestmark = pytest.mark.django_db


def _withdraw(case, enrolment) -> None:
    enrolment_withdraw(enrolment=enrolment, effective_date=timezone.localdate(), reason="Left the job.",
                       changed_by=case.grace)


@pytest.fixture
def case():
    case = build_case()
    _withdraw(case, case.h3_25)
    lou = member(case.centre, Role.CANDIDATE, first_name="Lou", last_name="Leaver", email="lou@example.org")
    enrol(lou, "HSC331", assessor=case.bob, iqa=case.carol, centre=case.centre)
    _withdraw(case, enrol(lou, "H3 25", assessor=case.erin, iqa=case.carol, centre=case.centre))
    for leaver in (case.dave, lou):
        membership_deactivate(centre=case.centre, person=leaver, deactivated_by=case.grace,
                              reason="Left the centre.")
    case.people["lou"] = lou
    return case


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _page(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _centre_page(client, case) -> str:
    return _page(client, case.grace, reverse("assessments:centre_detail", args=[case.centre.pk]))


def _people_rows(page: str) -> dict[str, list[str]]:
    """The people list's rows by name: each cell's words."""
    people = page[page.index('id="people-heading"'):page.index('id="enrolments-heading"')]
    table = people[people.index("<tbody>"):people.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [_words(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0].removesuffix(" No password set yet")] = cells
    return rows


def test_the_home_counts_them_apart_from_the_active_enrolments(client, case):
    home = _words(_page(client, case.grace, reverse("home")))
    # Every enrolment, in the centre page's words (an outside trial: "Active enrolment 1" counted a
    # finished unit, and the Units never said the withdrawn ones, so their figures added up to nothing).
    assert "Enrolments 5 1 active, 2 of deactivated candidates, 2 withdrawn or transferred" in home
    # The units, a line for each, add up to the same 5.
    assert ("1 in progress 0 finished: signed off, countersigned by the candidate and by the IQA "
            "2 units of deactivated candidates, not signed off: nobody works on them. Their records are kept. "
            "2 withdrawn or transferred, kept as records") in home


def test_the_homes_card_says_the_candidates_figure_leaves_the_deactivated_out(client, case):
    """An outside trial: "Candidates" fell by one as a candidate was deactivated, with no word why;
    and the enrolments' note read "2 of deactivated candidates", a word missing."""
    home = _words(_page(client, case.grace, reverse("home")))
    assert "Candidate 1 Not counted: 2 deactivated Assessors 2" in home
    # Under "Enrolments", in the centre page's words; a unit's line says "units".
    assert "Enrolments 5 1 active, 2 of deactivated candidates, 2 withdrawn or transferred" in home
    assert " of deactivated candidates" not in home.replace("units of deactivated", "").replace(
        "Enrolments 5 1 active, 2 of deactivated candidates", "")
    membership_reactivate(centre=case.centre, person=case.dave, reactivated_by=case.grace, reason="Back at the centre.")
    home = _words(_page(client, case.grace, reverse("home")))
    assert "Candidates 2 Not counted: 1 deactivated Assessors 2" in home
    assert "Enrolments 5 2 active, 1 of deactivated candidates, 2 withdrawn or transferred" in home
    assert ("1 unit of deactivated candidates, not signed off: nobody works on it. Its record is kept. "
            "2 withdrawn or transferred, kept as records") in home


def test_the_homes_card_counts_a_deactivated_candidates_signed_off_unit_on_both_figures_so_they_add_up(client, case):
    """An outside trial: Dave deactivated with a unit signed off, the card said "Active enrolments 1,
    not counted: 2 of deactivated candidates" while its Units counted his signed-off unit. By the
    reports' rule (`counted.in_figures`) it counts on the whole card, and each note says what it leaves out."""
    _countersigned_by_carol(case)
    home = _words(_page(client, case.grace, reverse("home")))
    assert "Enrolments 5 1 active, 2 of deactivated candidates, 2 withdrawn or transferred" in home
    assert ("1 in progress 1 finished: signed off, countersigned by the candidate and by the IQA "
            "Of the signed-off units above, 1 is of deactivated candidates. Their records are kept. "
            "1 unit of deactivated candidates, not signed off: nobody works on it. Its record is kept. "
            "2 withdrawn or transferred, kept as records") in home


def test_the_site_administrators_centres_page_counts_them_apart_in_the_same_words(client, case):
    site = PersonFactory(email="site@example.org", is_superuser=True, is_staff=True)
    for url in (reverse("portfolio:site_centres"), reverse("portfolio:site_centre", args=[case.centre.pk])):
        assert "1 active enrolment (not counted: 2 of deactivated candidates, 2 withdrawn or transferred)" in _words(
            _page(client, site, url)
        )


def test_the_centre_page_counts_them_apart_and_still_lists_them(client, case):
    page = _centre_page(client, case)
    assert "5 enrolments: 1 active, 2 of deactivated candidates, 2 withdrawn or transferred" in _words(page)
    enrolments = page[page.index('id="enrolments-heading"'):]
    assert len(re.findall(r"Dave Davies</a> \(deactivated\)", enrolments)) == 1
    assert len(re.findall(r"Lou Leaver</a> \(deactivated\)", enrolments)) == 2


def test_the_people_list_counts_each_candidates_active_units_and_says_the_others(client, case):
    page = _centre_page(client, case)
    assert "<th scope=\"col\">Active units</th>" in page
    rows = _people_rows(page)
    # Name, email address, roles here, active units, actions.
    assert rows["Alice Adams"][3] == "1 Not counted: 1 withdrawn or transferred"
    assert rows["Dave Davies"][3] == "0 Not counted: 1 while deactivated"
    assert rows["Lou Leaver"][3] == "0 Not counted: 1 while deactivated, 1 withdrawn or transferred"
    # Staff hold no units as candidates: nothing to count.
    assert rows["Bob Baker"][3] == rows["Grace Gordon"][3] == ""


def test_the_caseloads_count_them_apart_in_each_assessors_row_and_say_so(client, case):
    page = _words(_get(client, case.grace, "report_caseload", case.centre).content.decode())
    assert ("Not counted here: 2 units of deactivated candidates, not signed off: shown apart in each assessor’s row; evidence they "
            "submitted waits for no one and is in no waiting figure. Their records are kept, on the centre page.") in page
    # Assessor, units not signed off, candidates, on track, at risk, overdue, of deactivated candidates.
    assert "Bob Baker 1 1 1 0 0 1 " in page
    assert "Erin Evans 0 0 0 0 0 1 " in page

    rows = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}
    apart = "units not signed off of deactivated candidates (not counted)"
    assert {name: (r["units not signed off"], r["candidates with units not signed off"], r[apart])
            for name, r in rows.items()} == {"Bob Baker": ("1", "1", "1"), "Erin Evans": ("0", "0", "1")}
    # Narrowed to one assessor, the sentence counts theirs only.
    narrowed = _words(_get(client, case.grace, "report_caseload", case.centre, f"?assessor={case.erin.pk}").content.decode())
    assert "Not counted here: 1 unit of deactivated candidates, not signed off" in narrowed


def test_reactivated_their_units_count_as_active_again_everywhere(client, case):
    for leaver in (case.dave, case.lou):
        membership_reactivate(centre=case.centre, person=leaver, reactivated_by=case.grace, reason="Back at the centre.")
    assert "Enrolments 5 3 active, 2 withdrawn or transferred" in _words(
        _page(client, case.grace, reverse("home")))
    page = _centre_page(client, case)
    assert "5 enrolments: 3 active, 2 withdrawn or transferred" in _words(page)
    assert _people_rows(page)["Lou Leaver"][3] == "1 Not counted: 1 withdrawn or transferred"
    caseload = _words(_get(client, case.grace, "report_caseload", case.centre).content.decode())
    assert "of deactivated candidates" not in caseload
    rows = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}
    assert {name: (r["units not signed off"], r["units not signed off of deactivated candidates (not counted)"])
            for name, r in rows.items()} == {"Bob Baker": ("2", "0"), "Erin Evans": ("1", "0")}


def _countersigned_by_carol(case) -> None:
    """Dave's HSC331 signed off (and countersigned by Dave) before he was deactivated, and given
    Carol's final review: a finished learner's unit, as a centre deactivates them when they finish."""
    now = timezone.now()
    QualityReview.objects.create(
        enrolment=case.dave_hsc331, sign_off=sign_off(case.dave_hsc331), iqa=case.carol, stage=QualityReview.Stage.FINAL,
        outcome=QualityReview.Outcome.COUNTERSIGNED, sampled_at=now, reviewed_at=now,
    )


def test_a_deactivated_candidates_signed_off_unit_counts_in_the_caseloads_as_signed_off(client, case):
    """Still an enrolment of a deactivated candidate on the centre page (it is not withdrawn), but
    nothing for Erin to do: her "signed off", not her units not signed off, apart or not."""
    _countersigned_by_carol(case)
    page = _words(_centre_page(client, case))
    assert "5 enrolments: 1 active, 2 of deactivated candidates, 2 withdrawn or transferred" in page
    rows = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}
    assert {name: (r["units not signed off"], r["signed off"], r["units not signed off of deactivated candidates (not counted)"])
            for name, r in rows.items()} == {"Bob Baker": ("1", "0", "1"), "Erin Evans": ("0", "1", "0")}
    caseload = _words(_get(client, case.grace, "report_caseload", case.centre).content.decode())
    assert "Not counted here: 1 unit of deactivated candidates, not signed off" in caseload


def test_the_iqas_countersignature_of_a_finished_learners_unit_stays_in_the_sampling_coverage(client, case):
    """The EQA reads the sampling coverage: Carol's final review of Dave's unit stays in it after Dave
    is deactivated. Lou's HSC331, in progress, is the one left out, said on the page and, for
    Carol, in the CSV."""
    _countersigned_by_carol(case)
    carol = {r["IQA"]: r for r in _csv(_get(client, case.grace, "report_sampling_csv", case.centre))}["Carol Clark"]
    # Alice's HSC331 and Dave's; Lou's is left out.
    assert (carol["units quality-assured"], carol["signed off"], carol["signed off and reviewed"]) == ("2", "1", "1")
    assert (carol["candidates"], carol["units not signed off of deactivated candidates (not counted)"]) == ("2", "1")
    page = _words(_get(client, case.grace, "report_sampling", case.centre).content.decode())
    assert ("Not counted here: 1 unit of deactivated candidates, not signed off (their signed-off units count, with the "
            "sampling of them).") in page


def test_the_progress_report_counts_a_finished_learners_unit_signed_off_and_its_csv_marks_the_one_left_out(client, case):
    _countersigned_by_carol(case)
    page = _words(_get(client, case.grace, "report_progress", case.centre).content.decode())
    assert "Not counted here: 1 unit of deactivated candidates, not signed off (their signed-off units count)." in page
    assert "Signed off 1" in page
    rows = {(r["candidate"], r["unit"]): r for r in _csv(_get(client, case.grace, "report_progress_csv", case.centre))}
    counted = "in the report's figures"
    assert {key: (r["status"], r[counted]) for key, r in rows.items()} == {
        ("Alice Adams", "HSC331"): ("On track", "yes"),
        ("Dave Davies (deactivated)", "HSC331"): ("Signed off", "yes"),
        ("Lou Leaver (deactivated)", "HSC331"): ("On track", "no: candidate deactivated, unit not signed off"),
    }


def test_the_overdue_csv_lists_a_deactivated_candidates_overdue_unit_marked(client, case):
    past = timezone.localdate() - datetime.timedelta(days=3)
    Enrolment.objects.filter(pk__in=[case.hsc331.pk, case.dave_hsc331.pk]).update(
        start_date=past - datetime.timedelta(days=300), target_date=past)
    page = _words(_get(client, case.grace, "report_overdue", case.centre).content.decode())
    assert "Not counted here: 1 overdue unit of deactivated candidates." in page
    rows = {r["candidate"]: r["in the report's figures"] for r in _csv(_get(client, case.grace, "report_overdue_csv", case.centre))}
    assert rows == {"Alice Adams": "yes", "Dave Davies (deactivated)": "no: candidate deactivated, unit not signed off"}


def test_evidence_a_deactivated_candidate_submitted_is_in_no_waiting_figure_and_the_page_says_so(client, case):
    membership_reactivate(centre=case.centre, person=case.lou, reactivated_by=case.grace, reason="Back at the centre.")
    lous_unit = Enrolment.objects.get(candidate=case.lou, centre=case.centre, unit__code="HSC331")
    submitted_evidence(case, candidate=case.lou, enrolment=lous_unit, title="Lou's account")
    waiting = "evidence waiting"
    rows = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}
    assert rows["Bob Baker"][waiting] == "1"

    membership_deactivate(centre=case.centre, person=case.lou, deactivated_by=case.grace,
                          reason="Left the centre.")
    rows = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre))}
    assert rows["Bob Baker"][waiting] == "0"
    assert "evidence they submitted waits for no one and is in no waiting figure" in _words(
        _get(client, case.grace, "report_caseload", case.centre).content.decode())
