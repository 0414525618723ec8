"""Loads a demonstration centre: an administrator, two assessors, an IQA and three candidates with
evidence in several states (draft, submitted, referred back, accepted, with a decision recorded),
and one unit the whole way through: Fay's H3 25, every criterion and knowledge item met, signed off
by her assessor, countersigned by Fay and by the IQA, ready to export for the awarding body.
Everything is made through the product's own services, so the signatures are real.
Run it again and it changes nothing; it only prints the logins."""

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from assessments.services import decisions, iqa, judging, signoff
from portfolio import notifications, services, services_eqa, services_qualifications
from portfolio.eqa_models import MAX_GRANT_DAYS
from portfolio.models import (
    AssessmentMethod,
    CandidateIdentifiers,
    Centre,
    Enrolment,
    Membership,
    Person,
    Role,
)
from standards.demo_qualification import demo_qualification
from standards.models import SHIPPED_VERSION, Criterion, KnowledgeItem, ScopeItem, Unit

DEMO_PASSWORD = "demo-portfolio-2026"  # noqa: S105 - printed for people trying the product locally
CENTRE_CODE = "riverside-demo"

PEOPLE = [
    # email, first, last, roles
    ("grace@demo.example", "Grace", "Taylor", [Role.ADMINISTRATOR]),
    ("bob@demo.example", "Bob", "Hughes", [Role.ASSESSOR]),
    ("erin@demo.example", "Erin", "Price", [Role.ASSESSOR]),
    ("carol@demo.example", "Carol", "Singh", [Role.IQA]),
    # The EQA reads by the centre's grant (below), not by a role at the centre.
    ("hana@demo.example", "Hana", "Ellis", []),
    ("alice@demo.example", "Alice", "Morgan", [Role.CANDIDATE]),
    ("dan@demo.example", "Dan", "Okafor", [Role.CANDIDATE]),
    ("fay@demo.example", "Fay", "Jones", [Role.CANDIDATE]),
]

# The installation's site administrator (a superuser, at no centre): named as a person, since the
# home page greets them by first name ("Hello, Site" read like a mistake).
SITE_ADMINISTRATOR = ("admin@demo.example", "Sam", "Reid")

ENROLMENTS = [
    # candidate, unit, assessor
    ("alice@demo.example", "HSC331", "bob@demo.example"),
    ("alice@demo.example", "H3 25", "bob@demo.example"),
    ("dan@demo.example", "HSC331", "erin@demo.example"),
    ("fay@demo.example", "H3 25", "erin@demo.example"),
]


# Fay's evidence for H3 25 beyond the complaint she already submitted: title, method, days ago,
# account, files, criteria, knowledge items. With the assessor's records below, every criterion and
# knowledge item of the unit is covered at least once.
FAYS_EVIDENCE = [
    ("First visit to a new tenant", AssessmentMethod.REFLECTIVE_ACCOUNT, 30,
     "On my first visit to Mr D, I explained what the tenancy support service can and cannot do, asked "
     "what he hoped for from it, and told him what I expected of our work together. We agreed to meet "
     "every Tuesday morning and that he could phone the office between visits. I checked he had "
     "understood by asking him to tell me in his own words what would happen next.",
     [], ["H3 25.1", "H3 25.3", "H3 25.4", "H3 25.6", "H3 25.7"],
     ["H3 25 K(c)", "H3 25 K(d)", "H3 25 K(g)", "H3 25 K(n)"]),
    ("Urgent repair for an older tenant", AssessmentMethod.REFLECTIVE_ACCOUNT, 25,
     "Mrs K's heating failed in a cold spell. I reported it as an emergency repair the same morning, "
     "arranged a heater through the scheme's welfare fund, and stayed with her while she was upset. I "
     "told her about the complaints procedure and put her in touch with the local Age UK befriending "
     "service.",
     [], ["H3 25.2", "H3 25.8", "H3 25.12"],
     ["H3 25 K(a)", "H3 25 K(b)", "H3 25 K(k)", "H3 25 K(l)", "H3 25 K(p)"]),
    ("Support plan review notes", AssessmentMethod.PRODUCT, 7,
     "The notes of Mr D's three-month support plan review, with his goals, what he has achieved, what "
     "is still to do and the other services he now uses. Names are removed.",
     ["pdf"], ["H3 25.11", "H3 25.12"], ["H3 25 K(f)", "H3 25 K(q)", "H3 25 K(r)"]),
]

# The assessor's own records: title, method, days ago, account, criteria, knowledge items.
ERINS_RECORDS = [
    ("Observation: a tenancy support visit", AssessmentMethod.DIRECT_OBSERVATION, 10,
     "I observed Fay's weekly visit to Mr D. She opened by checking how his week had gone, listened "
     "without interrupting, reflected back his worries about his rent account and checked he agreed "
     "with the plan before ending. She kept to the agreed time and summarised what each of them would "
     "do before the next visit.",
     ["H3 25.3", "H3 25.4", "H3 25.8", "H3 25.10", "H3 25.11"], ["H3 25 K(e)", "H3 25 K(i)", "H3 25 K(j)"]),
    ("Questions and answers: ending support well", AssessmentMethod.QUESTIONING, 4,
     "I asked Fay how she plans the end of support with tenants. She explained how she watches for "
     "dependency, reviews the relationship with the tenant at each plan review, measures what has been "
     "achieved against the tenant's own objectives, and hands over to other services so the tenant "
     "can manage without her.",
     ["H3 25.10"], ["H3 25 K(f)", "H3 25 K(o)", "H3 25 K(q)", "H3 25 K(r)", "H3 25 K(s)"]),
]


class Command(BaseCommand):
    help = "Loads a demonstration centre with people and evidence (once), and prints the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--logins-only", action="store_true",
                            help="Only print the logins (.ci/serve prints them once the site is up).")
        parser.add_argument("--no-logins", action="store_true", help="Build the centre; do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins_only"]:
            self._print_logins()
            return
        if Unit.objects.filter(code__in=["HSC331", "H3 25"], version=SHIPPED_VERSION).count() != 2:
            self.stderr.write("Load the standards first: python manage.py loaddata standards")
            raise SystemExit(1)
        if not Centre.objects.filter(code=CENTRE_CODE).exists():
            # The services notify people as they go; the demo's made-up people are told in the app
            # only. An email queued here would be sent by the worker once it starts (and the
            # console backend would fill the terminal), so none is queued, nor left for the digest.
            with notifications.in_app_only(), transaction.atomic():
                self._build()
            self.stdout.write(self.style.SUCCESS("Demo centre created."))
        else:
            # A demo loaded before the site administrator had a person's name ("Site Admin").
            email, first, last = SITE_ADMINISTRATOR
            Person.objects.filter(email=email, first_name="Site", last_name="Admin").update(first_name=first, last_name=last)
            self.stdout.write("Demo centre already there; nothing changed.")
        if not options["no_logins"]:
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
        email, first, last = SITE_ADMINISTRATOR
        if not Person.objects.filter(email=email).exists():
            Person.objects.create_superuser(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
        today = timezone.localdate()
        for candidate, unit_code, assessor in ENROLMENTS:
            Enrolment.objects.create(
                centre=centre,
                candidate=people[candidate],
                unit=Unit.objects.get_by_natural_key(unit_code, SHIPPED_VERSION),
                assessor=people[assessor],
                iqa=people["carol@demo.example"],
                start_date=today - datetime.timedelta(days=60),
                target_date=today + datetime.timedelta(days=120),
                registration_number=f"DEMO{len(candidate)}{unit_code.replace(' ', '')}",
                registered_by=people["grace@demo.example"],
            )
        self._qualification(centre, people)
        self._evidence(centre, people)
        # Hana, the awarding body's EQA, reads every unit the centre has candidates on for 90 days;
        # she accepts the centre's data-protection terms when she first signs in.
        services_eqa.eqa_grant_give(
            centre=centre, person=people["hana@demo.example"], awarding_body="SQA",
            units=Unit.objects.filter(enrolments__centre=centre).distinct(), start_date=today,
            end_date=today + datetime.timedelta(days=MAX_GRANT_DAYS),
        )

    def _qualification(self, centre: Centre, people: dict[str, Person]) -> None:
        """Alice on the demonstration qualification (HSC331 mandatory, H3 25 chosen), with her
        identifiers: her units are already open, so registering opens none."""
        alice = people["alice@demo.example"]
        CandidateIdentifiers.objects.update_or_create(
            candidate=alice, centre=centre, defaults={"uln": "9276308686", "scn": "123456789"}
        )
        qualification = demo_qualification()
        services_qualifications.qualification_register(
            centre=centre, registered_by=people["grace@demo.example"], candidate=alice, qualification=qualification,
            optional_units=[Unit.objects.get(code="H3 25")], assessor=people["bob@demo.example"],
            iqa=people["carol@demo.example"], start_date=timezone.localdate() - datetime.timedelta(days=60),
            target_date=timezone.localdate() + datetime.timedelta(days=300), registration_number="DEMO-SQA-0001",
        )

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
                criteria=Criterion.objects.filter(reference__in=criteria, unit__enrolments__candidate=candidate),
                knowledge_items=KnowledgeItem.objects.filter(reference__in=knowledge, unit__enrolments__candidate=candidate),
                scope_items=ScopeItem.objects.filter(
                    reference__in=scope, category__unit__enrolments__candidate=candidate
                ).select_related("category"),
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
            # Bob's record of the scope: Alice's mapping (family), and the person's own language, which
            # her account shows too.
            scope_items=ScopeItem.objects.filter(
                reference__in=["HSC331 S4.1", "HSC331 S1.1"], category__unit__enrolments__candidate=alice
            ),
        )
        hsc331 = alice.enrolments.get(unit__code="HSC331")
        decisions.decision_record(
            enrolment=hsc331, assessor=bob,
            criterion=Criterion.objects.get(reference="HSC331b.3", unit=hsc331.unit), evidence=[visit],
            decided_on=timezone.localdate(),
        )
        judging.evidence_refer_back(
            evidence=dan.evidence.get(title="Lunch club outing"), assessor=erin,
            feedback="Say more about how you helped them get to know the other members, and what you would do differently.",
        )
        self._signed_off_unit(people)

    def _signed_off_unit(self, people: dict[str, Person]) -> None:
        """Fay's H3 25 from evidence to the IQA's countersignature."""
        fay, erin, carol = people["fay@demo.example"], people["erin@demo.example"], people["carol@demo.example"]
        enrolment = fay.enrolments.get(unit__code="H3 25")
        today = timezone.localdate()
        complaint = fay.evidence.get(title="Handling a complaint calmly")
        written = [complaint]
        for title, method, days_ago, account, files, criteria, knowledge in FAYS_EVIDENCE:
            evidence = services.evidence_create(
                candidate=fay, centre=enrolment.centre, author=fay, title=title, method=method,
                activity_date=today - datetime.timedelta(days=days_ago), location="Harbour Court sheltered housing",
                account=account, uploads=[_demo_file(kind, title) for kind in files],
            )
            services.evidence_map(
                evidence=evidence, editor=fay, criteria=Criterion.objects.filter(reference__in=criteria, unit=enrolment.unit),
                knowledge_items=KnowledgeItem.objects.filter(reference__in=knowledge, unit=enrolment.unit), scope_items=[],
            )
            services.evidence_submit(evidence=evidence, candidate=fay, declared=True)
            written.append(evidence)
        for evidence in written:
            judging.evidence_accept(
                evidence=evidence, assessor=erin, valid=True, authentic=True, current=True, sufficient=True,
                feedback="Valid, authentic, current and sufficient for what it is mapped to.",
            )
        for title, method, days_ago, account, criteria, knowledge in ERINS_RECORDS:
            written.append(judging.assessor_evidence_record(
                enrolment=enrolment, assessor=erin, method=method, title=title,
                activity_date=today - datetime.timedelta(days=days_ago), location="Harbour Court sheltered housing",
                account=account, criteria=Criterion.objects.filter(reference__in=criteria, unit=enrolment.unit),
                knowledge_items=KnowledgeItem.objects.filter(reference__in=knowledge, unit=enrolment.unit),
            ))
        unit = enrolment.unit
        items: list[Criterion | KnowledgeItem] = [*Criterion.objects.filter(unit=unit), *KnowledgeItem.objects.filter(unit=unit)]
        for item in items:
            if decisions.standing_decision_on(enrolment, item) is not None:
                continue  # met already by Erin's own record (an observation decides what it ticks)
            mapped = set(item.evidence.values_list("pk", flat=True))
            cited = [e for e in written if e.pk in mapped]
            decisions.decision_record(
                enrolment=enrolment, assessor=erin, evidence=cited, decided_on=today,
                criterion=item if isinstance(item, Criterion) else None,
                knowledge_item=item if isinstance(item, KnowledgeItem) else None,
            )
        signoff.unit_sign_off(enrolment=enrolment, assessor=erin, declared=True)
        signoff.unit_countersign(enrolment=enrolment, candidate=fay, declared=True)
        iqa.sample_add(iqa=carol, enrolments=[enrolment])
        iqa.review_record(
            review_or_enrolment=enrolment, iqa=carol, outcome="countersigned",
            comments="Sampled the whole unit: decisions are supported by valid, sufficient evidence from "
            "three methods, including an observation in the workplace. Feedback to Fay is clear.",
        )

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email, first, last, roles in PEOPLE:
            # An EQA holds no role at the centre: the centre grants access (issue 15).
            role_names = ", ".join(Role(r).label for r in roles) or "External quality assurer (access granted by the centre)"
            self.stdout.write(f"  {email:<22} {first} {last} — {role_names}")
        email, first, last = SITE_ADMINISTRATOR
        self.stdout.write(f"  {email:<22} {first} {last} — Site administrator (centres, who may import units; /admin/)\n")


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
