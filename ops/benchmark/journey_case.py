"""The unit the benchmark journey takes through: a candidate on HSC331 with M evidence items, all
submitted, that together cover every criterion, every knowledge item and every scope category, as
the candidate mapped them. Built through the product's own services, in the database the settings
name (the journey command's temporary one, or a browser test's)."""

import datetime
import io
from dataclasses import asdict, dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from portfolio import services
from portfolio.models import AssessmentMethod, Centre, Enrolment, Evidence, Membership, Person, Role
from standards.models import SHIPPED_VERSION, Criterion, KnowledgeItem, ScopeCategory, Unit

UNIT_CODE = "HSC331"
DOMAIN = "journey.example"


@dataclass(frozen=True)
class JourneyCase:
    """Who signs in, and the unit: what the journey needs to know, as JSON for another process."""

    password: str
    assessor: str  # email
    candidate: str
    enrolment: int
    evidence: int  # how many items wait to be judged

    def as_dict(self) -> dict:
        return asdict(self)


def _photo(number: int) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), "#eef3f6")
    ImageDraw.Draw(image).rectangle((40 + number, 40, 600, 440), outline="#1d4f6e", width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"visit-{number}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _person(centre: Centre, role: str, first: str, last: str, password: str) -> Person:
    person = Person.objects.create_user(
        email=f"{first.lower()}.{last.lower()}@{DOMAIN}", password=password, first_name=first, last_name=last
    )
    Membership.objects.create(person=person, centre=centre, role=role)
    return person


def _share(items: list, count: int) -> list[list]:
    """The items dealt out over `count` evidence items, round the table, so each has a few; with
    more evidence than items, each item goes round again, so every evidence item has one."""
    dealt = [items[start::count] for start in range(count)]
    return [found or [items[number % len(items)]] for number, found in enumerate(dealt)]


def build(evidence_count: int, password: str) -> JourneyCase:
    """A new centre with one candidate on HSC331 and `evidence_count` (at least 5, one per scope
    category) evidence items submitted and waiting for their assessor."""
    unit = Unit.objects.get_by_natural_key(UNIT_CODE, SHIPPED_VERSION)
    categories = list(ScopeCategory.objects.filter(unit=unit).prefetch_related("items").order_by("position"))
    if evidence_count < len(categories):
        raise ValueError(f"At least {len(categories)} evidence items: one per scope category of {UNIT_CODE}.")
    # The services email people as they go; nobody is reading this centre's mail.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
        centre = Centre.objects.create(name="Journey Training", code=f"journey-{Centre.objects.count() + 1}")
        assessor = _person(centre, Role.ASSESSOR, "Bea", "Assessor", password)
        candidate = _person(centre, Role.CANDIDATE, "Cal", "Candidate", password)
        iqa = _person(centre, Role.IQA, "Ida", "Quality", password)
        admin = _person(centre, Role.ADMINISTRATOR, "Ada", "Admin", password)
        today = timezone.localdate()
        enrolment = Enrolment.objects.create(
            centre=centre, candidate=candidate, unit=unit, assessor=assessor, iqa=iqa,
            start_date=today - datetime.timedelta(days=90), target_date=today + datetime.timedelta(days=90),
            registration_number="JOURNEY1", registered_by=admin,
        )
        criteria = _share(list(Criterion.objects.filter(unit=unit).order_by("position")), evidence_count)
        knowledge = _share(list(KnowledgeItem.objects.filter(unit=unit).order_by("position")), evidence_count)
        scope = _share([category.items.all()[0] for category in categories], evidence_count)
        for number in range(evidence_count):
            _submitted(candidate, centre, number, criteria[number], knowledge[number], scope[number])
    return JourneyCase(
        password=password, assessor=assessor.email, candidate=candidate.email, enrolment=enrolment.pk,
        evidence=evidence_count,
    )


def _submitted(candidate: Person, centre: Centre, number: int, criteria: list, knowledge: list, scope: list) -> Evidence:
    evidence = services.evidence_create(
        candidate=candidate, centre=centre, author=candidate, title=f"Supporting a visit, part {number + 1}",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=timezone.localdate() - datetime.timedelta(days=30 - number),
        location="Day centre",
        account=(
            "I helped Person A plan a visit from a friend: we talked about who mattered to them, what they "
            "wanted from the visit and what support they needed, and I wrote down what we agreed."
        ),
        uploads=[_photo(number)],
    )
    services.evidence_map(
        evidence=evidence, editor=candidate, criteria=criteria, knowledge_items=knowledge, scope_items=scope
    )
    return services.evidence_submit(evidence=evidence, candidate=candidate, declared=True)
