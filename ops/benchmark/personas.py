"""Who to measure as: the people with the most behind their pages."""

import io
from typing import Any

from django.db.models import Count


def personas(sign_in: dict) -> dict:
    from portfolio.models import Centre, Enrolment, Evidence, EvidenceState, Person, Role

    centre = Centre.objects.get(pk=sign_in["centre"])
    showcase = [e for e in sign_in[Role.CANDIDATE] if e.startswith("showcase.")]
    typical = (
        Person.objects.filter(email__in=[e for e in sign_in[Role.CANDIDATE] if e not in showcase])
        .annotate(units=Count("enrolments", distinct=True), items=Count("evidence", distinct=True))
        .order_by("-units", "-items", "pk")
        .first()
    )

    def busiest(field: str) -> Person:
        row = (
            Enrolment.objects.filter(centre=centre).values(field).annotate(n=Count("pk")).order_by("-n", field).first()
        )
        return Person.objects.get(pk=row[field])

    assessor, iqa = busiest("assessor"), busiest("iqa")
    enrolment = Enrolment.objects.filter(candidate=typical).order_by("unit__code").first()
    waiting = (
        Evidence.objects.filter(state=EvidenceState.SUBMITTED, candidate__enrolments__assessor=assessor)
        .order_by("submitted_at", "pk")
        .first()
    )
    administrator = Person.objects.get(email=sign_in[Role.ADMINISTRATOR][0])
    return {
        "people_import": _people_import(centre, administrator),
        "centre": centre,
        "candidate": typical,
        "enrolment": enrolment,
        "evidence": Evidence.objects.filter(candidate=typical).order_by("-number").first(),
        "waiting": waiting,
        "assessor": assessor,
        "iqa": iqa,
        "administrator": administrator,
        "showcase": Enrolment.objects.filter(candidate__email__in=showcase).first(),
    }


IMPORT_ROWS = 100  # a class of learners: half already at the centre, half new


def _people_import(centre: Any, administrator: Any) -> str:
    """The address of the preview of a file of IMPORT_ROWS candidates uploaded by the administrator."""
    from django.urls import reverse

    from portfolio import spreadsheets
    from portfolio.models import Person, Role
    from portfolio.people_import import TEMPLATE_HEADINGS
    from portfolio.services_people_import import people_import_start

    here = Person.objects.filter(memberships__centre=centre, memberships__role=Role.CANDIDATE).order_by("pk")
    rows = [[p.first_name, p.last_name, p.email, ""] for p in here[: IMPORT_ROWS // 2]]
    rows += [[f"New{n}", "Learner", f"new.learner{n}@example.org", ""] for n in range(IMPORT_ROWS - len(rows))]
    out = io.StringIO()
    spreadsheets.writer(out).writerows([TEMPLATE_HEADINGS, *rows])
    draft = people_import_start(centre=centre, uploaded_by=administrator, text=out.getvalue(), file_name="class.csv")
    return reverse("portfolio:people_import_preview", args=[centre.pk, draft.token])
