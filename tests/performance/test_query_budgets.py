"""Every page reads in a fixed number of SQL queries, however many candidates, enrolments, evidence
items and decisions are behind it: an N+1 (a query per row) fails here.

Two centres are generated from one seed, a small one and one with six times the candidates and five
times the evidence each, and each page is read by the same kind of person in both. The counts must
be equal; pages that paginate may read one more query on the larger centre (the count of pages).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ops.generated_centre import CentreGenerator, CentreSize, ensure_standards
from portfolio.models import Centre, Enrolment, Evidence, EvidenceState, Membership, Person, Role
from tests.factories import member

pytestmark = pytest.mark.django_db

SMALL = CentreSize(assessors=2, candidates=4, enrolments=2, evidence=6, signed_off_percent=30)
LARGE = CentreSize(assessors=2, candidates=24, enrolments=2, evidence=30, signed_off_percent=30)
SEED = 2026


@dataclass
class Personas:
    """One of each kind of person at a generated centre, and what they look at."""

    centre: Centre
    candidate: Person
    assessor: Person
    iqa: Person
    administrator: Person
    enrolment: Enrolment  # the candidate's, signed off
    evidence: Evidence  # the candidate's, waiting for the assessor

    def __str__(self) -> str:
        return self.centre.code


def _generate(size: CentreSize, code: str) -> Personas:
    generator = CentreGenerator(size, SEED, code=code)
    generator.plan_people()
    generator.write()
    centre = generator.centre
    # The same kind of case at both sizes: a candidate with one unit signed off and evidence waiting.
    enrolment = (
        Enrolment.objects.filter(centre=centre, sign_offs__voided_at__isnull=True)
        .filter(candidate__evidence__state=EvidenceState.SUBMITTED)
        .order_by("pk")
        .first()
    )
    assert enrolment is not None, "the generated centre has no signed-off unit with evidence waiting"

    def first(role: str) -> Person:
        return Membership.objects.filter(centre=centre, role=role).order_by("person_id").first().person

    return Personas(
        centre=centre,
        candidate=enrolment.candidate,
        assessor=enrolment.assessor,
        iqa=enrolment.iqa,
        administrator=first(Role.ADMINISTRATOR),
        enrolment=enrolment,
        evidence=cast(
            Evidence,
            Evidence.objects.filter(candidate=enrolment.candidate, state=EvidenceState.SUBMITTED)
            .order_by("-number")
            .first(),
        ),  # the enrolment was chosen for its evidence waiting
    )


@pytest.fixture(scope="module")
def centres(django_db_setup, django_db_blocker) -> Iterator[tuple[Personas, Personas]]:
    """Both centres, made once for the module inside a transaction that is rolled back at its end,
    so no other test sees them; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_standards()
        yield _generate(SMALL, "small-centre"), _generate(LARGE, "large-centre")
        transaction.set_rollback(True)


def _queries(client, person: Person, url: str) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _same_count(client, centres, viewer: str, url_of, *, paginated: bool = False) -> list[int]:
    small, large = centres
    counts = [_queries(client, getattr(c, viewer), url_of(c)) for c in (small, large)]
    allowance = 1 if paginated else 0
    print(f"{viewer} {url_of(large)}: {counts[0]} and {counts[1]} queries")
    assert counts[0] <= counts[1] <= counts[0] + allowance, (
        f"{url_of(large)} took {counts[0]} queries on the small centre and {counts[1]} on the large one"
    )
    return counts


def test_the_candidates_unit_page_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "candidate", lambda c: reverse("assessments:enrolment_detail", args=[c.enrolment.pk]))


def test_the_unit_page_reads_in_fixed_queries_for_the_assessor_too(client, centres):
    _same_count(client, centres, "assessor", lambda c: reverse("assessments:enrolment_detail", args=[c.enrolment.pk]))


def test_the_evidence_mapping_page_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "candidate", lambda c: reverse("portfolio:evidence_map", args=[c.evidence.pk]))


def test_the_evidence_page_reads_in_fixed_queries_for_the_assessor_judging_it(client, centres):
    _same_count(client, centres, "assessor", lambda c: reverse("assessments:evidence_detail", args=[c.evidence.pk]))


def test_the_evidence_page_reads_in_fixed_queries_for_the_candidate(client, centres):
    _same_count(client, centres, "candidate", lambda c: reverse("assessments:evidence_detail", args=[c.evidence.pk]))


def test_the_candidates_home_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "candidate", lambda c: reverse("home"))


def test_the_assessors_home_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "assessor", lambda c: reverse("home"))


def test_the_assessors_queue_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "assessor", lambda c: reverse("assessments:queue"), paginated=True)


def test_the_assessors_candidates_units_read_in_fixed_queries(client, centres):
    _same_count(client, centres, "assessor", lambda c: reverse("assessments:candidate_units"), paginated=True)


def test_the_assessors_candidates_units_with_evidence_waiting_read_in_fixed_queries(client, centres):
    _same_count(
        client, centres, "assessor", lambda c: reverse("assessments:candidate_units") + "?show=waiting", paginated=True
    )


def test_the_iqas_sample_page_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "iqa", lambda c: reverse("assessments:iqa_sample"), paginated=True)


def test_the_iqas_sample_page_filtered_reads_in_fixed_queries(client, centres):
    _same_count(
        client, centres, "iqa", lambda c: reverse("assessments:iqa_sample") + "?state=signed-off&sample=not-sampled&q=a",
        paginated=True,
    )


def test_the_iqas_home_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "iqa", lambda c: reverse("home"))


def test_the_centre_page_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "administrator", lambda c: reverse("assessments:centre_detail", args=[c.centre.pk]),
                paginated=True)


def test_the_administrators_home_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "administrator", lambda c: reverse("home"))


@pytest.mark.parametrize("filters", ["", "?state=signed-off", "?state=claimed"])
def test_the_eqas_list_of_units_reads_in_fixed_queries(client, centres, filters):
    """The generated centres have no EQA: one is added at each, for this test only."""
    counts = [
        _queries(client, member(c.centre, Role.EQA), reverse("assessments:eqa_units") + filters) for c in centres
    ]
    print(f"eqa units{filters}: {counts[0]} and {counts[1]} queries")
    assert counts[0] <= counts[1] <= counts[0] + 1


def test_the_evidence_list_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "candidate", lambda c: reverse("portfolio:evidence_list"))


def test_the_notifications_page_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "assessor", lambda c: reverse("portfolio:notification_list"), paginated=True)


def test_the_larger_centre_really_is_larger(centres):
    """The comparison means something only if the second centre has many more rows behind each page."""
    small, large = centres
    for field in ("candidate", "assessor"):
        mine_small = Evidence.objects.filter(candidate__enrolments__in=_enrolments(small, field)).distinct().count()
        mine_large = Evidence.objects.filter(candidate__enrolments__in=_enrolments(large, field)).distinct().count()
        assert mine_large >= 4 * mine_small, field
    assert Enrolment.objects.filter(iqa=large.iqa).count() >= 5 * Enrolment.objects.filter(iqa=small.iqa).count()


def _enrolments(personas: Personas, field: str):
    return Enrolment.objects.filter(**{field: getattr(personas, field)})


# The centre's own pages (issue 16): reports, people, enrolments, the import preview. ------------


@pytest.mark.parametrize("report", ["progress", "overdue", "caseload", "decisions", "sampling"])
def test_each_report_page_reads_in_fixed_queries(client, centres, report):
    _same_count(client, centres, "administrator", lambda c: reverse(f"ops:report_{report}", args=[c.centre.pk]),
                paginated=True)


@pytest.mark.parametrize("query", ["?role=candidate", "?q=a", "?people_page=2&enrolments_page=2"])
def test_the_centres_people_and_enrolment_lists_read_in_fixed_queries(client, centres, query):
    _same_count(client, centres, "administrator",
                lambda c: reverse("assessments:centre_detail", args=[c.centre.pk]) + query, paginated=True)


@pytest.mark.parametrize("who", ["candidate", "assessor", "iqa"])
def test_a_persons_page_reads_in_fixed_queries(client, centres, who):
    _same_count(client, centres, "administrator",
                lambda c: reverse("portfolio:person_detail", args=[c.centre.pk, getattr(c, who).pk]), paginated=True)


def test_an_enrolments_page_reads_in_fixed_queries(client, centres):
    _same_count(client, centres, "administrator", lambda c: reverse("portfolio:enrolment_manage", args=[c.enrolment.pk]))


def test_the_import_preview_of_the_same_file_reads_in_fixed_queries(client, centres):
    """Five rows at each centre, two of them its own candidates: the preview costs the file, not the centre."""
    from portfolio.services_people_import import people_import_start

    def preview(c: Personas) -> str:
        here = Person.objects.filter(memberships__centre=c.centre, memberships__role=Role.CANDIDATE).order_by("pk")[:2]
        rows = [f"{p.first_name},{p.last_name},{p.email}," for p in here]
        rows += [f"New{n},Learner,new{n}.{c.centre.code}@example.org," for n in range(3)]
        text = "\n".join(["First name,Last name,Email,ULN", *rows]) + "\n"
        draft = people_import_start(centre=c.centre, uploaded_by=c.administrator, text=text, file_name="class.csv")
        return reverse("portfolio:people_import_preview", args=[c.centre.pk, draft.token])

    _same_count(client, centres, "administrator", preview)
