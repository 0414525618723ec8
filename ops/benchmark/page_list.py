"""What `manage.py benchmark` measures, one line per page: who opens it (the busiest person of that
kind, ops/benchmark/personas.py) and its address. Add a page by adding a line; a line whose address
is None (nothing of that kind at the generated centre) is left out of the run.

`p` is the personas: centre, candidate, enrolment (the candidate's first unit), evidence (their
latest item), waiting (evidence waiting for the assessor), assessor, iqa, administrator, showcase
(the showcase candidate's signed-off unit).

The first page is the baseline, a signed-in page with only the base layout: every other page's
median CPU time is reported as a multiple of it, measured in the same run.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

Address = Callable[[dict], str | None]


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # a key of the personas: candidate, assessor, iqa, administrator
    address: Address


def _pk(p: dict, key: str) -> int | None:
    return getattr(p.get(key), "pk", None)


def _at(name: str, key: str) -> Address:
    """The address of `name` with the pk of persona `key`, or None when there is none."""
    return lambda p: reverse(name, args=[_pk(p, key)]) if _pk(p, key) is not None else None


def _page(name: str, number: int) -> Address:
    return lambda p: reverse(name) + f"?page={number}"


BASELINE = "baseline: base layout only, signed in"

PAGES: list[Page] = [
    Page(BASELINE, "assessor", lambda p: reverse("benchmark_baseline")),
    Page("candidate: unit page", "candidate", _at("assessments:enrolment_detail", "enrolment")),
    Page("candidate: evidence mapping", "candidate", _at("portfolio:evidence_map", "evidence")),
    Page("candidate: home", "candidate", lambda p: reverse("home")),
    Page("candidate: evidence list", "candidate", lambda p: reverse("portfolio:evidence_list")),
    Page("assessor: home", "assessor", lambda p: reverse("home")),
    Page("assessor: queue", "assessor", lambda p: reverse("assessments:queue")),
    Page("assessor: queue, page 2", "assessor", _page("assessments:queue", 2)),
    Page("assessor: candidates' units", "assessor", lambda p: reverse("assessments:candidate_units")),
    Page("assessor: candidates' units, page 2", "assessor", _page("assessments:candidate_units", 2)),
    Page("assessor: evidence to judge", "assessor", _at("assessments:evidence_detail", "waiting")),
    Page("assessor: notifications", "assessor", lambda p: reverse("portfolio:notification_list")),
    Page("assessor: notifications, page 2", "assessor", _page("portfolio:notification_list", 2)),
    Page("IQA: sample", "iqa", lambda p: reverse("assessments:iqa_sample")),
    Page("IQA: sample, page 2", "iqa", _page("assessments:iqa_sample", 2)),
    Page("administrator: home", "administrator", lambda p: reverse("home")),
    Page("administrator: centre page", "administrator", _at("assessments:centre_detail", "centre")),
    Page("administrator: portfolios", "administrator", _at("assessments:centre_portfolios", "centre")),
    Page("administrator: portfolios, page 2", "administrator",
         lambda p: reverse("assessments:centre_portfolios", args=[p["centre"].pk]) + "?page=2"),
    Page("administrator: claims", "administrator", _at("assessments:claim_list", "centre")),
    Page("administrator: audit trail", "administrator", _at("ops:audit_trail", "centre")),
    Page("administrator: witnesses", "administrator", _at("assessments:centre_witnesses", "centre")),
    Page("administrator: staff competence", "administrator", _at("assessments:competence_overview", "centre")),
    Page("administrator: IQA sampling plans", "administrator", _at("assessments:sampling_plan_list", "centre")),
    Page("administrator: bulk exports", "administrator", _at("exports:export_list", "centre")),
    Page("administrator: EQA access log", "administrator", _at("portfolio:eqa_visit_list", "centre")),
    Page("administrator: people, candidates", "administrator",
         lambda p: reverse("assessments:centre_detail", args=[p["centre"].pk]) + "?role=candidate"),
    Page("administrator: centre page, people page 2", "administrator",
         lambda p: reverse("assessments:centre_detail", args=[p["centre"].pk]) + "?people_page=2"),
    Page("administrator: centre page, enrolments page 2", "administrator",
         lambda p: reverse("assessments:centre_detail", args=[p["centre"].pk]) + "?enrolments_page=2"),
    Page("administrator: a person", "administrator",
         lambda p: reverse("portfolio:person_detail", args=[p["centre"].pk, p["candidate"].pk])),
    Page("administrator: an assessor", "administrator",
         lambda p: reverse("portfolio:person_detail", args=[p["centre"].pk, p["assessor"].pk])),
    Page("administrator: an enrolment", "administrator", _at("portfolio:enrolment_manage", "enrolment")),
    Page("administrator: import candidates", "administrator", _at("portfolio:people_import", "centre")),
    Page("administrator: import preview", "administrator", lambda p: p.get("people_import")),
    Page("administrator: reports", "administrator", _at("ops:reports", "centre")),
    Page("report: progress", "administrator", _at("ops:report_progress", "centre")),
    Page("report: progress, page 2", "administrator",
         lambda p: reverse("ops:report_progress", args=[p["centre"].pk]) + "?page=2"),
    Page("report: overdue units", "administrator", _at("ops:report_overdue", "centre")),
    Page("report: caseloads", "administrator", _at("ops:report_caseload", "centre")),
    Page("report: decisions per month", "administrator", _at("ops:report_decisions", "centre")),
    Page("report: IQA sampling coverage", "administrator", _at("ops:report_sampling", "centre")),
]

# CSV downloads: time per thousand rows and the memory the download adds (flat when it streams).
DOWNLOADS: list[Page] = [
    Page("unit audit trail (CSV)", "candidate", _at("assessments:audit_export", "enrolment")),
    Page("claims (CSV)", "administrator", _at("assessments:claims_download", "centre")),
    Page("EQA access log (CSV)", "administrator", _at("portfolio:eqa_visits_download", "centre")),
    Page("report: progress (CSV)", "administrator", _at("ops:report_progress_csv", "centre")),
    Page("report: overdue units (CSV)", "administrator", _at("ops:report_overdue_csv", "centre")),
    Page("report: caseloads (CSV)", "administrator", _at("ops:report_caseload_csv", "centre")),
    Page("report: decisions per month (CSV)", "administrator", _at("ops:report_decisions_csv", "centre")),
    Page("report: IQA sampling coverage (CSV)", "administrator", _at("ops:report_sampling_csv", "centre")),
]
