"""Who to measure as: the people with the most behind their pages."""

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
    return {
        "centre": centre,
        "candidate": typical,
        "enrolment": enrolment,
        "evidence": Evidence.objects.filter(candidate=typical).order_by("-number").first(),
        "waiting": waiting,
        "assessor": assessor,
        "iqa": iqa,
        "administrator": Person.objects.get(email=sign_in[Role.ADMINISTRATOR][0]),
        "showcase": Enrolment.objects.filter(candidate__email__in=showcase).first(),
    }
