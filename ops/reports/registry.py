"""The centre's reports, each a page and a CSV download, listed once: the URLs, the index page and
the views all read this list."""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from assessments.caseload import Narrowed
from portfolio.models import Centre

from . import staff, units

PageBuilder = Callable[[Centre, Narrowed, Mapping[str, str]], dict]
RowReader = Callable[[Centre, Narrowed, Mapping[str, str]], Iterator[list]]


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    summary: str  # one line on the index page
    dates_mean: str  # what the dates of the filter narrow
    about_staff: bool  # the IQAs read it too (ops/access.py)
    build: PageBuilder
    header: list[str]
    rows: RowReader
    has_status: bool = False  # narrowed by a RAG status too (`RagFilterForm`)
    has_iqa: bool = False  # narrowed to an IQA too

    @property
    def url_name(self) -> str:
        return f"report_{self.slug}"


REPORTS = (
    Report(
        "progress", "Progress by candidate", "Each candidate’s units: how much is met, and whether each is on track, at risk or overdue.",
        "units whose target date falls between them", False, units.progress_page, units.PROGRESS_HEADER, units.progress_rows, has_status=True,
    ),
    Report(
        "overdue", "Overdue units", "Units past their target date and not signed off, the longest overdue first.",
        "units whose target date falls between them", False, units.overdue_page, units.OVERDUE_HEADER, units.overdue_rows,
    ),
    Report(
        "caseload", "Assessors’ caseloads and waiting times", "Each assessor’s units and candidates, and how long evidence waits for them.",
        "the evidence waiting counted, by the day it was submitted (the units are counted whatever their dates)",
        True, staff.caseload_page, staff.CASELOAD_HEADER, staff.caseload_rows,
    ),
    Report(
        "decisions", "Decisions per assessor per month", "What each assessor judged, recorded as met and signed off, month by month.",
        "the decisions counted, by the day they were recorded", True, staff.decisions_page, staff.DECISIONS_HEADER,
        staff.decisions_rows,
    ),
    Report(
        "sampling", "IQA sampling coverage", "Of the units each IQA quality-assures, how many they have sampled, and which assessors and candidates that covers.",
        "the reviews counted, by the day they were recorded", True, staff.sampling_page, staff.SAMPLING_HEADER,
        staff.sampling_rows, has_iqa=True,
    ),
)
BY_SLUG = {report.slug: report for report in REPORTS}
