"""Loads a demonstration centre: an administrator, two assessors, an IQA and three candidates with
evidence in several states (draft, submitted, referred back, accepted, with a decision recorded).
Run it again and it changes nothing; it only prints the logins."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from assessments.services import decisions, judging
from portfolio import services
from portfolio.models import AssessmentMethod, Centre, Enrolment, Membership, Person, Role
from standards.models import Criterion, KnowledgeItem, ScopeItem, Unit

DEMO_PASSWORD = "demo-portfolio-2026"  # noqa: S105 - printed for people trying the product locally
CENTRE_CODE = "riverside-demo"

PEOPLE = [
    # email, first, last, roles
    ("grace@demo.example", "Grace", "Taylor", [Role.ADMINISTRATOR]),
    ("bob@demo.example", "Bob", "Hughes", [Role.ASSESSOR]),
    ("erin@demo.example", "Erin", "Price", [Role.ASSESSOR]),
    ("carol@demo.example", "Carol", "Singh", [Role.IQA]),
    ("alice@demo.example", "Alice", "Morgan", [Role.CANDIDATE]),
    ("dan@demo.example", "Dan", "Okafor", [Role.CANDIDATE]),
    ("fay@demo.example", "Fay", "Jones", [Role.CANDIDATE]),
]

ENROLMENTS = [
    # candidate, unit, assessor
    ("alice@demo.example", "HSC331", "bob@demo.example"),
    ("alice@demo.example", "H3 25", "bob@demo.example"),
    ("dan@demo.example", "HSC331", "erin@demo.example"),
    ("fay@demo.example", "H3 25", "erin@demo.example"),
]


class Command(BaseCommand):
    help = "Loads a demonstration centre with people and evidence (once), and prints the logins."

    def handle(self, *args, **options):
        if Unit.objects.filter(code__in=["HSC331", "H3 25"]).count() != 2:
            self.stderr.write("Load the standards first: python manage.py loaddata standards")
            raise SystemExit(1)
        if not Centre.objects.filter(code=CENTRE_CODE).exists():
            with transaction.atomic():
                self._build()
            self.stdout.write(self.style.SUCCESS("Demo centre created."))
        else:
            self.stdout.write("Demo centre already there; nothing changed.")
        self._print_logins()

    def _build(self) -> None:
        centre = Centre.objects.create(name="Riverside Care Training (demo)", code=CENTRE_CODE)
        people = {}
        for email, first, last, roles in PEOPLE:
            person = Person.objects.filter(email=email).first() or Person.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
            )
            for role in roles:
                Membership.objects.get_or_create(person=person, centre=centre, role=role)
            people[email] = person
        if not Person.objects.filter(email="admin@demo.example").exists():
            Person.objects.create_superuser(
                email="admin@demo.example", password=DEMO_PASSWORD, first_name="Site", last_name="Admin"
            )
        today = timezone.localdate()
        for candidate, unit_code, assessor in ENROLMENTS:
            Enrolment.objects.create(
                centre=centre,
                candidate=people[candidate],
                unit=Unit.objects.get(code=unit_code),
                assessor=people[assessor],
                iqa=people["carol@demo.example"],
                start_date=today - datetime.timedelta(days=60),
                target_date=today + datetime.timedelta(days=120),
                registration_number=f"DEMO{len(candidate)}{unit_code.replace(' ', '')}",
                registered_by=people["grace@demo.example"],
            )
        self._evidence(centre, people)

    def _evidence(self, centre: Centre, people: dict[str, Person]) -> None:
        today = timezone.localdate()
        alice, dan, fay = people["alice@demo.example"], people["dan@demo.example"], people["fay@demo.example"]
        items = [
            (alice, "Supporting a family visit", AssessmentMethod.REFLECTIVE_ACCOUNT, 12,
             "I helped Person A plan a visit from their sister. We talked about what they wanted from the "
             "visit and about the home's visiting arrangements, and I made sure the lounge was free so they "
             "could talk in private.",
             [], ["HSC331b.1", "HSC331b.3", "HSC331b.5"], ["HSC331 K1", "HSC331 K6"], ["HSC331 S4.1"], True),
            (alice, "Social network map", AssessmentMethod.PRODUCT, 5,
             "A map Person B and I drew of the people and groups that matter to them, and the care plan "
             "notes I wrote after our conversation.",
             ["photo", "pdf"], ["HSC331a.1", "HSC331a.3", "HSC331c.1"], ["HSC331 K8"], ["HSC331 S1.4"], False),
            (alice, "Agreeing contact with a tenant", AssessmentMethod.REFLECTIVE_ACCOUNT, 20,
             "I explained my role and agreed with the tenant how often I would visit and how they could "
             "contact me between visits.",
             [], ["H3 25.1", "H3 25.6", "H3 25.7"], ["H3 25 K(c)"], [], True),
            (dan, "Lunch club outing", AssessmentMethod.REFLECTIVE_ACCOUNT, 9,
             "I supported two people to join a lunch club at the community centre and helped them get to "
             "know the other members.",
             [], ["HSC331b.6", "HSC331c.1"], ["HSC331 K14"], [], True),
            (dan, "Notes on ending a relationship", AssessmentMethod.REFLECTIVE_ACCOUNT, 2,
             "Draft notes about supporting Person C when a friendship ended.",
             [], ["HSC331c.7"], [], [], False),
            (fay, "Handling a complaint calmly", AssessmentMethod.REFLECTIVE_ACCOUNT, 15,
             "A tenant was angry about a repair delay. I listened, reflected back what they said and agreed "
             "what I would do and when.",
             ["pdf"], ["H3 25.5", "H3 25.9"], ["H3 25 K(h)", "H3 25 K(m)"], [], True),
        ]
        for candidate, title, method, days_ago, account, files, criteria, knowledge, scope, submit in items:
            evidence = services.evidence_create(
                candidate=candidate, centre=centre, author=candidate, title=title, method=method,
                activity_date=today - datetime.timedelta(days=days_ago), location="Demo setting",
                account=account, uploads=[_demo_file(kind, title) for kind in files],
            )
            services.evidence_map(
                evidence=evidence, editor=candidate,
                criteria=Criterion.objects.filter(reference__in=criteria),
                knowledge_items=KnowledgeItem.objects.filter(reference__in=knowledge),
                scope_items=ScopeItem.objects.filter(reference__in=scope).select_related("category"),
            )
            if submit:
                services.evidence_submit(evidence=evidence, candidate=candidate, declared=True)
        self._judgements(people)

    def _judgements(self, people: dict[str, Person]) -> None:
        """The assessors' side: one item accepted with a decision on it, one referred back."""
        alice, dan = people["alice@demo.example"], people["dan@demo.example"]
        bob, erin = people["bob@demo.example"], people["erin@demo.example"]
        visit = alice.evidence.get(title="Supporting a family visit")
        judging.evidence_accept(
            evidence=visit, assessor=bob, valid=True, authentic=True, current=True, sufficient=True,
            feedback="A clear account of respecting privacy during visits.",
        )
        decisions.decision_record(
            enrolment=alice.enrolments.get(unit__code="HSC331"), assessor=bob,
            criterion=Criterion.objects.get(reference="HSC331b.3"), evidence=[visit],
            decided_on=timezone.localdate(),
        )
        judging.evidence_refer_back(
            evidence=dan.evidence.get(title="Lunch club outing"), assessor=erin,
            feedback="Say more about how you helped them get to know the other members, and what you would do differently.",
        )

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email, first, last, roles in PEOPLE:
            role_names = ", ".join(Role(r).label for r in roles)
            self.stdout.write(f"  {email:<22} {first} {last} — {role_names}")
        self.stdout.write(f"  {'admin@demo.example':<22} Django admin (/admin/)\n")


def _demo_file(kind: str, title: str) -> SimpleUploadedFile:
    """Small real files, made here so the repository holds no binary demo data."""
    if kind == "photo":
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (800, 600), "#f4efe6")
        draw = ImageDraw.Draw(image)
        draw.ellipse((330, 230, 470, 370), outline="#1d4f6e", width=6)
        for x, y in ((120, 100), (640, 110), (110, 470), (650, 480), (400, 60)):
            draw.line((400, 300, x + 40, y + 30), fill="#7a8a99", width=3)
            draw.rectangle((x, y, x + 80, y + 60), outline="#b35c1e", width=4)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        return SimpleUploadedFile("network-map.jpg", buffer.getvalue(), content_type="image/jpeg")
    from weasyprint import HTML

    pdf = HTML(string=f"<h1>{escape(title)}</h1><p>Notes written for the demonstration centre. "
                      "No real person is described.</p>").write_pdf()
    return SimpleUploadedFile("notes.pdf", pdf, content_type="application/pdf")
