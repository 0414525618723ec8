"""The visit pack's sections for the centre's quality-assurance records (issue 15 item 7), registered
after those of exports/pack_contents.py:

- "IQA sampling plans": each plan of the sample's IQAs that covers a sampled unit's time, one row
  per assessor rated (risk rating, share, stages, sample before claim), with its methods and
  locations (`iqa/sampling-plans.csv`);
- "Standardisation": the centre's standardisation meetings and their actions (`qa/standardisation.csv`);
- "Competence and CPD": the qualifications held, occupational experience and CPD of the sample's
  assessors and IQAs (`qa/competence.csv`, `qa/cpd.csv`), certificate files named, not included;
- "Witness status lists": each unit's witnesses as RF03 lists them (`units/<candidate>/<unit>-witnesses.csv`).

Every cell goes through `portfolio.spreadsheets`, so no cell runs as a formula."""

import io
from collections.abc import Iterable, Iterator

from assessments.models import (
    CpdEntry,
    HeldQualification,
    OccupationalExperience,
    SamplingPlan,
    StandardisationMeeting,
)
from assessments.quality_records import meeting_links
from assessments.witness_list import witness_status_rows
from portfolio import spreadsheets
from portfolio.models import Centre, Enrolment, Person
from portfolio.spreadsheets import spreadsheet_cell as cell

from .pack_contents import unit_path
from .pack_sections import PackFile, Sample, register

CSV = "text/csv; charset=utf-8"


def _csv(header: list[str], rows: Iterable[list[object]]) -> bytes:
    text = io.StringIO()
    writer = spreadsheets.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def _name(person: Person | None) -> str:
    return cell(person.get_full_name() or person.email) if person else ""


def sampling_plans(centre: Centre, enrolments: Sample) -> Iterator[PackFile]:
    iqas = {e.iqa_id for e in enrolments if e.iqa_id}
    plans = (
        SamplingPlan.objects.filter(centre=centre, iqa_id__in=iqas)
        .select_related("iqa").prefetch_related("ratings__assessor").order_by("iqa__last_name", "period_start")
    )
    rows: list[list[object]] = []
    for plan in plans:
        common = [_name(plan.iqa), plan.period_start.isoformat(), plan.period_end.isoformat(),
                  cell("; ".join(plan.methods)), cell("; ".join(plan.locations.split("\n")).strip())]
        for rating in plan.ratings.all():
            rows.append([*common, _name(rating.assessor), rating.get_rating_display(), rating.rated_on.isoformat(),
                         cell(rating.reason), rating.share if rating.share is not None else "",
                         rating.get_stages_display(), "yes" if rating.sample_before_claim else "no"])
        if not plan.ratings.exists():
            rows.append([*common, "", "no assessor rated yet"])
    header = ["IQA", "plan starts", "plan ends", "methods to cover", "locations to cover", "assessor",
              "risk rating", "rated on", "reason", "share (%)", "sampled at", "every unit before claim"]
    yield "iqa/sampling-plans.csv", _csv(header, rows), CSV


def standardisation(centre: Centre, enrolments: Sample) -> Iterator[PackFile]:
    meetings = (
        StandardisationMeeting.objects.filter(centre=centre)
        .prefetch_related("attendees", "actions__owner").select_related("recorded_by").order_by("held_on", "pk")
    )
    rows: list[list[object]] = []
    for meeting in meetings:
        actions = "; ".join(
            f"{a.text} ({_name(a.owner)}, by {a.due_on.isoformat()})" for a in meeting.actions.all()
        )
        rows.append([meeting.held_on.isoformat(), cell(", ".join(_name(p) for p in meeting.attendees.all())),
                     cell(meeting.looked_at), cell(_linked(meeting, enrolments.reader)), cell(meeting.outcome),
                     cell(actions), _name(meeting.recorded_by)])
    header = ["held on", "attendees", "evidence or decisions looked at", "units and evidence linked",
              "agreed outcome", "actions", "recorded by"]
    yield "qa/standardisation.csv", _csv(header, rows), CSV


def _linked(meeting: StandardisationMeeting, reader: Person | None) -> str:
    """The units and evidence linked to the meeting, in words, as the meeting's page shows them to the
    one the pack is for: those they may open named, the others counted."""
    if reader is None:
        return ""
    links = meeting_links(meeting, reader)
    named = [f"{e.unit.code} of {e.candidate.get_full_name()}" for e in links.units]
    named += [f"{item.reference} {item.title} ({item.candidate.get_full_name()})" for item in links.evidence]
    if links.hidden:
        named.append(f"and {links.hidden} linked item{'s' if links.hidden != 1 else ''} outside your scope")
    return "; ".join(named)


def _team(enrolments: Sample) -> list[int]:
    return sorted({pk for e in enrolments for pk in (e.assessor_id, e.iqa_id) if pk})


def competence(centre: Centre, enrolments: Sample) -> Iterator[PackFile]:
    team = _team(enrolments)
    rows: list[list[object]] = []
    for held in (HeldQualification.objects.filter(centre=centre, person_id__in=team)
                 .select_related("person").prefetch_related("files").order_by("person__last_name", "achieved_on")):
        files = ", ".join(f.original_name for f in held.files.all())
        rows.append([_name(held.person), "qualification", cell(held.get_kind_display()), cell(held.title),
                     cell(held.awarding_body), held.achieved_on.isoformat(), "", cell(files)])
    for job in (OccupationalExperience.objects.filter(centre=centre, person_id__in=team)
                .select_related("person").order_by("person__last_name", "started_on")):
        rows.append([_name(job.person), "occupational experience", cell(job.role), cell(job.setting), "",
                     job.started_on.isoformat(), job.ended_on.isoformat() if job.ended_on else "", ""])
    header = ["person", "record", "kind or role", "title or setting", "awarding body", "from (achieved)", "to",
              "certificate files"]
    yield "qa/competence.csv", _csv(header, rows), CSV
    entries = (CpdEntry.objects.filter(centre=centre, person_id__in=team)
               .select_related("person").order_by("person__last_name", "done_on"))
    yield "qa/cpd.csv", _csv(
        ["person", "date", "activity", "hours", "reflection"],
        ([_name(e.person), e.done_on.isoformat(), cell(e.activity), str(e.hours), cell(e.reflection)] for e in entries),
    ), CSV


def witness_lists(centre: Centre, enrolments: Sample) -> Iterator[PackFile]:
    header = ["witness", "job role", "relationship to the candidate", "expert witness", "expertise",
              "status confirmed (UTC)", "testimony"]
    for enrolment in enrolments:
        rows = witness_status_rows(Enrolment.objects.filter(pk=enrolment.pk))
        yield unit_path(enrolment, "witnesses.csv"), _csv(header, (
            [cell(r.witness.name), cell(r.witness.job_role), cell(r.witness.relationship),
             {True: "yes", False: "no", None: "not said"}[r.witness.expert], cell(r.witness.expertise),
             r.witness.status_confirmed_at.isoformat() if r.witness.status_confirmed_at else "not confirmed",
             ", ".join(e.reference for e in r.testimony)]
            for r in rows
        )), CSV


def register_quality_records() -> None:
    register("IQA sampling plans", sampling_plans)
    register("Standardisation", standardisation)
    register("Competence and CPD", competence)
    register("Witness status lists", witness_lists)
