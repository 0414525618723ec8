"""Issue 16 item 6: the four centre-wide administrator's pages that grew with the centre (bulk
exports, claims, staff competence, IQA sampling plans) read in the same number of queries at a
centre of N candidates and of 3N, show a bounded page of rows with the count of all, and the claims
CSV streams every claim.

Two centres are generated from one seed (the second with three times the candidates and the staff),
and each is given what these pages show: an IQA's sampling plan rating each assessor (one marked
"sample before claim"), qualifications and CPD for every assessor and IQA, and claims made of a
third of the units ready to claim."""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.claim_models import Claim
from assessments.claims import ready_sign_offs
from assessments.models import CpdEntry, HeldQualification
from assessments.sampling_plan import compliance, held_from_claim
from assessments.sampling_plan_models import AssessorRating, RiskRating, SamplingPlan
from assessments.sampling_plan_summary import plan_summaries
from assessments.views import claims as claim_views
from assessments.views import competence as competence_views
from assessments.views import sampling_plan as plan_views
from exports.models import BulkExport
from exports.views import bulk as export_views
from ops.generated_centre import CentreGenerator, CentreSize, ensure_standards
from portfolio.models import Centre, Enrolment, Membership, Person, Role
from tests.exports.confirming import confirmed

pytestmark = pytest.mark.django_db

SMALL = CentreSize(assessors=2, candidates=5, enrolments=2, evidence=4, signed_off_percent=60, iqas=1)
LARGE = CentreSize(assessors=6, candidates=15, enrolments=2, evidence=4, signed_off_percent=60, iqas=3)
SEED = 16


@dataclass
class GeneratedCentre:
    centre: Centre
    administrator: Person
    claims: int


def _staff(centre: Centre) -> list[Person]:
    return list(Person.objects.filter(memberships__centre=centre, memberships__role__in=[Role.ASSESSOR, Role.IQA]).distinct())


def _generate(size: CentreSize, code: str) -> GeneratedCentre:
    generator = CentreGenerator(size, SEED, code=code)
    generator.plan_people()
    generator.write()
    centre = generator.centre
    centre.claims_need_iqa = False
    centre.save()
    today, now = timezone.localdate(), timezone.now()
    administrator = Membership.objects.filter(centre=centre, role=Role.ADMINISTRATOR).order_by("person_id").first().person
    for person in _staff(centre):
        HeldQualification.objects.create(person=person, centre=centre, kind=HeldQualification.Kind.TAQA_ASSESSOR,
                                         title="TAQA Assessor Award", awarding_body="SQA", achieved_on=today, added_at=now)
        CpdEntry.objects.create(person=person, centre=centre, activity="Standardisation", done_on=today,
                                hours=Decimal("2.5"), reflection="Agreed how to read HSC331a.", added_at=now)
    for iqa in Person.objects.filter(memberships__centre=centre, memberships__role=Role.IQA):
        plan = SamplingPlan.objects.create(iqa=iqa, centre=centre, period_start=today - datetime.timedelta(days=30),
                                           period_end=today + datetime.timedelta(days=300))
        assessors = Enrolment.objects.filter(iqa=iqa, centre=centre).values_list("assessor", flat=True).distinct()
        for number, assessor in enumerate(sorted(set(assessors))):
            AssessorRating.objects.create(plan=plan, assessor_id=assessor, rating=RiskRating.EXPERIENCED, rated_on=today,
                                          sample_before_claim=number == 0)
    ready = list(ready_sign_offs(centre).select_related("enrolment"))
    for sign_off in ready[::3]:
        Claim.objects.create(centre=centre, enrolment=sign_off.enrolment, sign_off=sign_off, awarding_body="SQA",
                             reference=f"{code}-1", claimed_on=today, claimed_by=administrator)
    return GeneratedCentre(centre, administrator, claims=len(ready[::3]))


@pytest.fixture(scope="module")
def centres(django_db_setup, django_db_blocker) -> Iterator[tuple[GeneratedCentre, GeneratedCentre]]:
    """Both centres, made once for the module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_standards()
        yield _generate(SMALL, "small-centre"), _generate(LARGE, "large-centre")
        transaction.set_rollback(True)


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of three rows, so the larger centre has several pages of each list and the smaller one too."""
    for module, name in ((export_views, "UNITS_PER_PAGE"), (claim_views, "READY_PER_PAGE"),
                         (claim_views, "CLAIMED_PER_PAGE"), (competence_views, "KEEPERS_PER_PAGE"),
                         (plan_views, "PLANS_PER_PAGE")):
        monkeypatch.setattr(module, name, 3)


PAGES = {
    "bulk exports": "exports:export_list",
    "claims": "assessments:claim_list",
    "staff competence": "assessments:competence_overview",
    "IQA sampling plans": "assessments:sampling_plan_list",
    "claims CSV": "assessments:claims_download",
    "audit trail": "ops:audit_trail",
}


def _get(client, generated: GeneratedCentre, name: str, query: str = ""):
    client.force_login(generated.administrator)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name, args=[generated.centre.pk]) + query)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return len(captured), body.decode()


def test_the_larger_centre_has_three_times_of_everything_these_pages_show(centres):
    small, large = centres
    assert Enrolment.objects.filter(centre=large.centre).count() == 3 * Enrolment.objects.filter(centre=small.centre).count()
    assert len(_staff(large.centre)) >= 3 * len(_staff(small.centre))
    assert SamplingPlan.objects.filter(centre=large.centre).count() == 3 * SamplingPlan.objects.filter(centre=small.centre).count()
    assert large.claims >= 2 * small.claims > 0


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", ["", "?page=2"])
def test_each_page_reads_in_the_same_number_of_queries_at_n_and_3n_candidates(client, centres, small_pages, page, query):
    counts = [_get(client, generated, PAGES[page], query)[0] for generated in centres]
    print(f"{page}{query}: {counts[0]} and {counts[1]} queries")
    assert counts[0] == counts[1], f"{page} took {counts[0]} queries at N candidates and {counts[1]} at 3N"


@pytest.mark.parametrize("query", ["?assessor={assessor}", "?state=signed&q=a", "?signed_off_since=2020-01-01&unit={unit}"])
def test_the_bulk_export_chooser_filtered_reads_in_the_same_number_of_queries(client, centres, small_pages, query):
    counts = []
    for generated in centres:
        first = Enrolment.objects.filter(centre=generated.centre).order_by("pk").first()
        counts.append(_get(client, generated, PAGES["bulk exports"], query.format(assessor=first.assessor_id, unit=first.unit_id))[0])
    assert counts[0] == counts[1]


def _rows(page: str, table_caption: str) -> int:
    """The rows of the body of the table with this caption."""
    table = page[page.index(table_caption):]
    return table[:table.index("</tbody>")].count("<tr>") - 1  # less the heading's row


def test_the_bulk_export_page_shows_a_page_of_units_and_offers_every_matching_one(client, centres, small_pages):
    _, large = centres
    total = Enrolment.objects.filter(centre=large.centre).count()
    _, page = _get(client, large, PAGES["bulk exports"])
    assert f"{total} units</strong> at {large.centre.name}" in page
    assert f"All {total} matching units" in page
    assert page.count('name="enrolments"') == 3
    assert f"Page 1 of {-(-total // 3)}" in page


def test_exporting_every_unit_matching_an_assessor_takes_each_of_theirs_and_no_other(client, centres):
    _, large = centres
    assessor = Enrolment.objects.filter(centre=large.centre).order_by("pk").first().assessor
    theirs = set(Enrolment.objects.filter(centre=large.centre, assessor=assessor).values_list("pk", flat=True))
    client.force_login(large.administrator)
    listing = client.get(reverse(PAGES["bulk exports"], args=[large.centre.pk]) + f"?assessor={assessor.pk}").content.decode()
    assert f"{len(theirs)} units</strong> match: assessed by {escape(assessor.get_full_name())}" in listing
    response = confirmed(client, reverse(PAGES["bulk exports"], args=[large.centre.pk]), {
        "choice": "matching", "assessor": assessor.pk, "qualification": "", "unit": "", "state": "", "q": "",
        "signed_off_since": "",
    })
    assert response.status_code == 302
    export = BulkExport.objects.get(centre=large.centre)
    assert set(export.enrolments.values_list("pk", flat=True)) == theirs
    assert export.description == f"All {len(theirs)} units: assessed by {assessor.get_full_name()}"


# One more than before for the deactivated people it marks (one query for the page, none per row),
# and one for the units left off because their record changed since sign-off (named, not counted per row);
# and three checked on every request (`portfolio.sealed_access`): the administrator's roles, the cases
# that let her in as a candidate, assessor or IQA, and any grant that makes her an EQA.
CLAIMS_PAGE_QUERIES = 22


def test_the_claims_page_shows_a_page_of_what_is_ready_and_counts_all(client, centres, small_pages):
    _, large = centres
    ready = ready_sign_offs(large.centre).count()
    queries, page = _get(client, large, PAGES["claims"])
    # The units ready and the units held counted in one query, and whether a plan holds anything
    # asked once: a query fewer than when the page counted them apart.
    assert queries == CLAIMS_PAGE_QUERIES, queries
    held = re.findall(r"held: the IQA’s plan says sample before claim", page)
    assert held, "an assessor is marked sample before claim at the larger centre"
    shown = re.findall(r'name="items" value="unit-\d+"', page)
    assert len(shown) == 3
    assert re.search(r"(\d+) units ready", page).group(1) == str(ready - _held(large))
    assert f"{large.claims} claims made" in page


def _held(generated: GeneratedCentre) -> int:
    return ready_sign_offs(generated.centre).filter(held_from_claim()).count()


def test_the_claims_csv_streams_one_row_per_claim(client, centres):
    _, large = centres
    client.force_login(large.administrator)
    response = client.get(reverse(PAGES["claims CSV"], args=[large.centre.pk]) + "?awarding_body=SQA")
    assert isinstance(response, StreamingHttpResponse)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Awarding body" and len(rows) - 1 == large.claims
    assert {row[1] for row in rows[1:]} == {"large-centre-1"}


def test_the_competence_page_shows_a_page_of_people_and_finds_each_by_name(client, centres, small_pages):
    _, large = centres
    staff = sorted(_staff(large.centre), key=lambda p: (p.last_name, p.first_name, p.pk))
    _, page = _get(client, large, PAGES["staff competence"])
    assert f"{len(staff)} assessors and IQAs" in page and page.count("CPD hours") == 1
    assert _rows(page, "qualifications and CPD at") == 3
    last = staff[-1]
    _, found = _get(client, large, PAGES["staff competence"], f"?q={last.last_name}")
    assert last.get_full_name() in found
    _, iqas = _get(client, large, PAGES["staff competence"], "?role=iqa")
    assert "3 IQAs" in iqas


def test_the_sampling_plans_page_counts_as_each_plan_does(centres):
    """The page's figures for a page of IQAs are those of each IQA's own plan page."""
    for generated in centres:
        iqas = list(Person.objects.filter(memberships__centre=generated.centre, memberships__role=Role.IQA).order_by("pk"))
        for summary in plan_summaries(generated.centre, iqas):
            assert summary.plan is not None
            expected = compliance(summary.plan).assessors
            assert expected, "each generated IQA samples an assessor"
            assert {a.assessor.pk: (a.units, a.share, a.interim, a.summative) for a in summary.assessors} == {
                a.assessor.pk: (a.units, a.share, a.interim, a.summative) for a in expected
            }
