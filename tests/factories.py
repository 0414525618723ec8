"""Factories for the people and records tests need. Standards come from the real fixture."""

import datetime

import factory
from django.utils import timezone

from portfolio.models import AssessmentMethod, Centre, Enrolment, EqaGrant, Evidence, Membership, Person, Role
from standards.models import SHIPPED_VERSION, Unit


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("email",)

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password("correct horse battery")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"Training Centre {n}")
    code = factory.Sequence(lambda n: f"centre-{n}")


def member(centre: Centre, role: str, **person_fields) -> Person:
    """A person with one role at a centre. An external quality assurer holds no role there: the
    centre grants them access (EqaGrant), here accepted, its terms accepted, over every unit and
    qualification in the catalogue, from today for 90 days (`eqa_grant` for any other grant)."""
    person = PersonFactory(**person_fields)
    if role == Role.EQA:
        eqa_grant(centre, person)
    else:
        Membership.objects.get_or_create(person=person, centre=centre, role=role)
    return person


def eqa_grant(
    centre: Centre, person: Person, *, units=None, start_date: datetime.date | None = None, days: int = 90,
    terms_accepted: bool = True,
) -> EqaGrant:
    from portfolio.services_eqa import eqa_grant_give
    from standards.models import Qualification

    start = start_date or timezone.localdate()
    grant = eqa_grant_give(
        centre=centre, person=person, units=Unit.objects.all() if units is None else units, start_date=start,
        end_date=start + datetime.timedelta(days=days), awarding_body="City & Guilds", terms_accepted=terms_accepted,
    )
    if units is None:
        grant.qualifications.set(Qualification.objects.all())
    return grant


def enrol(candidate: Person, unit_code: str, *, assessor: Person, iqa: Person, centre: Centre) -> Enrolment:
    for person, role in ((candidate, Role.CANDIDATE), (assessor, Role.ASSESSOR), (iqa, Role.IQA)):
        Membership.objects.get_or_create(person=person, centre=centre, role=role)
    today = timezone.localdate()
    return Enrolment.objects.create(
        centre=centre,
        candidate=candidate,
        unit=Unit.objects.get(code=unit_code, version=SHIPPED_VERSION),
        assessor=assessor,
        iqa=iqa,
        start_date=today - datetime.timedelta(days=30),
        target_date=today + datetime.timedelta(days=180),
        registered_by=assessor,
    )


class EvidenceFactory(factory.django.DjangoModelFactory):
    """Evidence written straight to the database, for tests about reading it, not making it."""

    class Meta:
        model = Evidence

    centre = factory.SubFactory(CentreFactory)
    candidate = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Reflective account {n}")
    method = AssessmentMethod.REFLECTIVE_ACCOUNT
    activity_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    location = "Day centre"
    account = "I supported a person to plan a visit to their family."
    created_by = factory.SelfAttribute("candidate")


def put_on_case(enrolment_pk: int, **fields) -> Enrolment:
    """Other people put on an enrolment's case as the portfolio puts them: saved, and so sealed. A
    queryset's `update` would change the case outside the portfolio (`portfolio.case_seals`), and
    nobody would then be let in by it."""
    enrolment = Enrolment.objects.get(pk=enrolment_pk)
    for field, value in fields.items():
        setattr(enrolment, field, value)
    enrolment.save()
    return enrolment


def may_import(memberships) -> None:
    """The right to import units given as the site administrator gives it: saved, so each membership
    stays sealed (`portfolio.membership_seals` would take a right given by `update` away)."""
    for membership in memberships:
        membership.may_import_units = True
        membership.save(update_fields=["may_import_units"])


def load_standards() -> None:
    """The two shipped units, loaded unless they are there already.

    The suite loads them once when it makes the test database (tests/conftest.py); tests that
    empty the database (browser and race tests) load them again. Loading by natural key costs a
    few hundred queries, so skipping it when present keeps the suite quick."""
    from django.core.management import call_command

    from standards.models import Criterion

    if Criterion.objects.filter(unit__code__in=["HSC331", "H3 25"]).count() != 29:
        call_command("loaddata", "standards", verbosity=0)


def updated(rows, **columns) -> None:
    """Rows changed as the portfolio changes them (each saved, so its seal follows: `row_sealing`), for
    a test that moves time or state on; `QuerySet.update` is what a hand in the database does."""
    for row in rows:
        for column, value in columns.items():
            setattr(row, column, value)
        row.save(update_fields=list(columns))


def links_expire(requests, at) -> None:
    """Witness links' expiry moved as time passing would show it (an UPDATE in SQL is a link changed
    outside the portfolio)."""
    updated(requests, expires_at=at)
