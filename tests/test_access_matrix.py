"""Who may do what, at every address: each named URL of the project, requested by each persona, with
each method it answers, against what the product should answer (issue 11). The list of URLs comes
from the URL resolver, so a new URL without a row here fails the suite until someone decides who
may use it.

The case is Alice's unit (HSC331) at Riverside: Alice is the candidate, Bob her assessor, Carol her
IQA, Heidi the centre's external quality assurer and Grace its administrator. The strangers work
beside them: Dave is another candidate at Riverside, with Erin as his assessor and Ivan as his IQA,
and Frank administers another centre. Every row builds its address from Alice's case.

What each persona should get:
- OK: the page or the file (200); MOVED: done, or sent on to the next page (a redirect that is not
  to the sign-in page); PASSES: a write the access let through (done and redirected, or its form
  shown again with what is wrong: 200 or 400);
- FORBIDDEN (403): someone on the case who may read it but not do this (the EQA on every action);
- NOT_FOUND (404): anyone who may not read it, so an id tells a stranger nothing; also a page of a
  role the person does not hold (the queue of someone who assesses nobody);
- SIGN_IN: a visitor who is not signed in is sent to sign in, except on the public pages.

Each test is one (URL, persona, method) on a world of its own, so a write that is allowed leaves
nothing behind for the next, and a failure names exactly who was let in or kept out where.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import (
    CompetenceFile,
    Decision,
    EqaAction,
    EqaReport,
    EqaSample,
    HeldQualification,
    QualityReview,
    StandardisationMeeting,
    TestimonyRequest,
    Witness,
    WitnessStatusRequest,
)
from assessments.services.witness import token_digest
from exports.models import BulkExport, VisitPack
from portfolio import services, services_qualifications
from portfolio.models import (
    AssessmentMethod,
    Enrolment,
    EqaGrant,
    EqaVisit,
    Evidence,
    Invitation,
    Notification,
    PeopleImport,
    Person,
    PreparedEnrolment,
    PreparedRegistration,
    QualificationRegistration,
    Role,
)
from portfolio.notifications import NotificationKind
from portfolio.services_invitations import token_digest as invitation_digest
from standards.demo_qualification import demo_qualification
from standards.models import Criterion, Unit
from tests.factories import CentreFactory, enrol, member
from tests.portfolio import hostile_files

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # every PersonFactory person's

OK, MOVED, PASSES = "200", "moved on", "passes"
FORBIDDEN, NOT_FOUND, SIGN_IN = "403", "404", "sign in"

# Everyone who may read Alice's case, and everyone who works beside it without being on it.
ON_THE_CASE = ["alice", "bob", "carol", "heidi", "grace"]
STRANGERS = ["dave", "erin", "ivan", "frank"]
SIGNED_IN = ON_THE_CASE + STRANGERS
PERSONAS = ["anonymous", *SIGNED_IN]

# URLs that are not the product's: they answer to their own rules, not to this matrix.
THIRD_PARTY_NAMESPACES = {
    "admin": "Django's admin site: staff accounts and Django's model permissions, not the portfolio's access rules",
}


# The world: Alice's case, and the people beside it.


class World:
    """Alice's case and the strangers beside it. The records an address needs are made the first
    time a row asks for them, so each test builds only what its row uses."""

    def __init__(self) -> None:
        self.centre = CentreFactory(name="Riverside Training", code="riverside")
        demo_qualification()  # there before Heidi's grant, which covers every qualification and unit
        elsewhere = CentreFactory(name="Hillside College", code="hillside")
        roles = {
            "alice": (self.centre, Role.CANDIDATE), "dave": (self.centre, Role.CANDIDATE),
            "bob": (self.centre, Role.ASSESSOR), "erin": (self.centre, Role.ASSESSOR),
            "carol": (self.centre, Role.IQA), "ivan": (self.centre, Role.IQA),
            "heidi": (self.centre, Role.EQA), "grace": (self.centre, Role.ADMINISTRATOR),
            "frank": (elsewhere, Role.ADMINISTRATOR),
        }
        self.people: dict[str, Person] = {
            name: member(centre, role, first_name=name.title(), last_name="Example", email=f"{name}@example.org")
            for name, (centre, role) in roles.items()
        }
        p = self.people
        self.unit: Enrolment = enrol(p["alice"], "HSC331", assessor=p["bob"], iqa=p["carol"], centre=self.centre)
        enrol(p["dave"], "HSC331", assessor=p["erin"], iqa=p["ivan"], centre=self.centre)

    def __getitem__(self, name: str) -> Person:
        return self.people[name]

    def _evidence(self, title: str, uploads=()) -> Evidence:
        evidence = services.evidence_create(
            candidate=self["alice"], centre=self.centre, author=self["alice"], title=title,
            method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=_last_week(), location="Day centre",
            account="I supported Person A to phone their sister and plan a visit.", uploads=list(uploads),
        )
        return services.evidence_map(
            evidence=evidence, editor=self["alice"], criteria=[self.criterion], knowledge_items=[],
            scope_items=[],
        )

    @functools.cached_property
    def criterion(self) -> Criterion:
        return Criterion.objects.get(reference="HSC331a.1")

    @functools.cached_property
    def draft(self) -> Evidence:
        """Alice's draft, with one file, mapped but not submitted: what she may still change or
        delete. A draft is hers alone (portfolio.access.shown_to): everyone else on her case finds
        it as a stranger would (404), not refused something they know exists (403)."""
        note = SimpleUploadedFile("plan.png", hostile_files.png_image(), content_type="image/png")
        return self._evidence("Planning a visit", uploads=[note])

    @functools.cached_property
    def submitted(self) -> Evidence:
        """Alice's evidence with a photo, submitted and waiting for Bob's judgement."""
        photo = SimpleUploadedFile("visit.png", hostile_files.png_image(), content_type="image/png")
        evidence = self._evidence("Supporting a family visit", uploads=[photo])
        return services.evidence_submit(evidence=evidence, candidate=self["alice"], declared=True)

    @functools.cached_property
    def decision(self) -> Decision:
        """Bob's decision that Alice meets HSC331a.1, citing her evidence."""
        decision = Decision.objects.create(
            enrolment=self.unit, criterion=self.criterion, decided_by=self["bob"], decided_at=timezone.now()
        )
        decision.evidence.set([self.submitted])
        return decision

    @functools.cached_property
    def referral(self) -> QualityReview:
        """Carol's review of the unit, referred back to Bob with actions."""
        now = timezone.now()
        return QualityReview.objects.create(
            enrolment=self.unit, iqa=self["carol"], stage=QualityReview.Stage.INTERIM,
            outcome=QualityReview.Outcome.REFERRED, sampled_at=now, reviewed_at=now,
            comments="Sound so far.", actions="Question Alice on HSC331a.2 and record it.",
        )

    @functools.cached_property
    def notification(self) -> Notification:
        return Notification.objects.create(
            recipient=self["alice"], message="E1 was referred back", link=reverse("portfolio:evidence_list")
        )

    @functools.cached_property
    def witness_token(self) -> str:
        """The secret of a link Alice sent her line manager, still waiting for her testimony."""
        token = "matrix-witness-link-" + "x" * 24
        now = timezone.now()
        request = TestimonyRequest.objects.create(
            enrolment=self.unit, witness_name="Wendy Walsh", witness_email="wendy@care.example.org",
            token_digest=token_digest(token), requested_by=self["alice"], requested_at=now,
            expires_at=now + datetime.timedelta(days=14),
        )
        request.criteria.set([self.criterion])
        return token

    @functools.cached_property
    def meeting(self) -> StandardisationMeeting:
        """Carol's record of a standardisation meeting Bob and she attended (Erin did not)."""
        meeting = StandardisationMeeting.objects.create(
            centre=self.centre, held_on=_last_week(), looked_at="Observations on HSC331a.", outcome="Agreed.",
            recorded_by=self["carol"], recorded_at=timezone.now(),
        )
        meeting.attendees.set([self["bob"], self["carol"]])
        return meeting

    @functools.cached_property
    def certificate(self) -> CompetenceFile:
        """Bob's TAQA certificate, kept with his competence record."""
        now = timezone.now()
        held = HeldQualification.objects.create(
            person=self["bob"], centre=self.centre, kind=HeldQualification.Kind.TAQA_ASSESSOR,
            title="Level 3 Certificate in Assessing Vocational Achievement", awarding_body="City & Guilds",
            achieved_on=datetime.date(2019, 6, 3), added_at=now,
        )
        kept = CompetenceFile(
            person=self["bob"], qualification=held, storage_key="matrix-certificate", original_name="cava.png",
            content_type="image/png", size=10, sha256="0" * 64, uploaded_at=now,
        )
        kept.file.save("matrix-certificate", ContentFile(hostile_files.png_image()), save=False)
        kept.save()
        return kept

    @functools.cached_property
    def earlier_witness(self) -> Witness:
        """Wendy, who gave testimony on Alice's unit before witnesses were asked for their status."""
        witness = Witness.objects.create(
            candidate=self["alice"], centre=self.unit.centre, name="Wendy Walsh", job_role="Team leader",
            relationship="Line manager", email="wendy@care.example.org",
        )
        now = timezone.now()
        request = TestimonyRequest.objects.create(
            enrolment=self.unit, witness_name="Wendy Walsh", witness_email="wendy@care.example.org",
            token_digest=token_digest("matrix-earlier-testimony"), requested_by=self["alice"], requested_at=now,
            expires_at=now + datetime.timedelta(days=14), used_at=now, witness=witness,
        )
        request.criteria.set([self.criterion])
        return witness

    @functools.cached_property
    def status_token(self) -> str:
        """The secret of the link Bob sent Wendy to confirm her witness status, still waiting."""
        token = "matrix-status-link-" + "y" * 24
        now = timezone.now()
        WitnessStatusRequest.objects.create(
            witness=self.earlier_witness, enrolment=self.unit, token_digest=token_digest(token),
            requested_by=self["bob"], requested_at=now, expires_at=now + datetime.timedelta(days=14),
        )
        return token

    @functools.cached_property
    def heidis_grant(self) -> EqaGrant:
        """Riverside's grant to Heidi: every unit, from today for 90 days, accepted with its terms."""
        return EqaGrant.objects.get(person=self["heidi"])

    @functools.cached_property
    def invitation(self) -> tuple[EqaGrant, str]:
        """Grace's invitation to another EQA, Ezra, to read HSC331: waiting, with its link's secret."""
        token = "matrix-invitation-link-" + "x" * 24
        now = timezone.now()
        invitation = Invitation.objects.create(
            centre=self.centre, name="Ezra Example", email="ezra@example.org", role=Role.EQA,
            token_digest=invitation_digest(token), invited_by=self["grace"], sent_at=now,
            expires_at=now + datetime.timedelta(days=14),
        )
        grant = EqaGrant.objects.create(
            centre=self.centre, invitation=invitation, awarding_body="SQA", start_date=timezone.localdate(),
            end_date=timezone.localdate() + datetime.timedelta(days=30), created_by=self["grace"],
        )
        grant.units.set([self.unit.unit])
        return grant, token

    @functools.cached_property
    def centre_invitation(self) -> Invitation:
        """Grace's invitation of Nina to be a candidate at Riverside: waiting for her to accept."""
        now = timezone.now()
        return Invitation.objects.create(
            centre=self.centre, name="Nina Example", email="nina@example.org", role=Role.CANDIDATE,
            token_digest=invitation_digest("matrix-centre-invitation"), invited_by=self["grace"], sent_at=now,
            expires_at=now + datetime.timedelta(days=14),
        )

    @functools.cached_property
    def prepared_enrolment(self) -> PreparedEnrolment:
        """Nina's registration on HSC331, waiting for her to accept Grace's invitation."""
        return PreparedEnrolment.objects.create(
            invitation=self.centre_invitation, unit=self.unit.unit, assessor=self["bob"], iqa=self["carol"],
            start_date=timezone.localdate(), target_date=timezone.localdate() + datetime.timedelta(days=90),
            prepared_by=self["grace"],
        )

    @functools.cached_property
    def prepared_registration(self) -> PreparedRegistration:
        """Nina's registration on the demonstration qualification, waiting for her to accept."""
        prepared = PreparedRegistration.objects.create(
            invitation=self.centre_invitation, qualification=demo_qualification(), assessor=self["bob"],
            iqa=self["carol"], start_date=timezone.localdate(),
            target_date=timezone.localdate() + datetime.timedelta(days=90), prepared_by=self["grace"],
        )
        prepared.units.set([self.unit.unit])
        return prepared

    @functools.cached_property
    def visit(self) -> EqaVisit:
        """A page Heidi opened, in Riverside's log."""
        return EqaVisit.objects.create(
            person=self["heidi"], centre=self.centre, path=reverse("assessments:enrolment_detail", args=[self.unit.pk]),
            what="Unit page", opened_at=timezone.now(),
        )

    @functools.cached_property
    def registration(self) -> QualificationRegistration:
        """Alice on the demonstration qualification (HSC331, and H3 25 chosen), registered by Grace."""
        return services_qualifications.qualification_register(
            centre=self.centre, registered_by=self["grace"], candidate=self["alice"], qualification=demo_qualification(),
            optional_units=[Unit.objects.get(code="H3 25")], assessor=self["bob"], iqa=self["carol"],
            start_date=timezone.localdate(), target_date=timezone.localdate() + datetime.timedelta(days=180),
        )

    @functools.cached_property
    def people_import(self) -> PeopleImport:
        """Grace's CSV of candidates, uploaded and waiting for her to confirm it."""
        return PeopleImport.objects.create(
            centre=self.centre, uploaded_by=self["grace"], token="matrix-people-import", file_name="class.csv",
            text="First name,Last name,Email\nNia,Nash,nia@example.org\n",
        )

    @functools.cached_property
    def people_imported(self) -> PeopleImport:
        """Grace's CSV of candidates, confirmed and done: its report."""
        return PeopleImport.objects.create(
            centre=self.centre, uploaded_by=self["grace"], token="matrix-people-imported", file_name="class.csv",
            status=PeopleImport.Status.DONE, rows_total=1, rows_done=1,
            report=[[2, "Nia", "Nash", "nia@example.org", "", "invite", "", {}]],
        )

    @functools.cached_property
    def eqa_sample(self) -> EqaSample:
        """Heidi's sample of Alice's unit for a visit."""
        sample = EqaSample.objects.create(
            eqa=self["heidi"], centre=self.centre, name="Visit 12 March 2027", planned_on=datetime.date(2027, 3, 12),
            mode="remote",
        )
        sample.enrolments.set([self.unit])
        return sample

    def _eqa_report(self, *, sent: bool) -> EqaReport:
        report = EqaReport.objects.create(
            eqa=self["heidi"], centre=self.centre, sample=self.eqa_sample, visited_on=datetime.date(2027, 3, 12),
            mode="remote", findings="Decisions on HSC331 are sound.", outcome="with_actions",
            submitted_at=timezone.now() if sent else None,
        )
        EqaAction.objects.create(report=report, number=1, text="Record standardisation.", due_on=datetime.date(2027, 4, 30))
        return report

    @functools.cached_property
    def eqa_draft(self) -> EqaReport:
        """Heidi's draft report on her sample: hers alone until she sends it."""
        return self._eqa_report(sent=False)

    @functools.cached_property
    def eqa_report(self) -> EqaReport:
        """Heidi's report on her sample, sent to Riverside: Grace and Carol (the IQA of the unit
        sampled) read and answer it."""
        return self._eqa_report(sent=True)

    @functools.cached_property
    def export(self) -> BulkExport:
        """A bulk export of Riverside, built and ready to download."""
        export = BulkExport.objects.create(
            centre=self.centre, requested_by=self["grace"], description="1 chosen unit",
            status=BulkExport.Status.DONE, units_done=1, units_total=1, finished_at=timezone.now(),
        )
        export.enrolments.set([self.unit])
        export.file.save(f"exports/riverside-{export.pk}.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
        return export

    @functools.cached_property
    def pack(self) -> VisitPack:
        """A visit pack of Alice's unit, built and ready to download."""
        pack = VisitPack.objects.create(
            centre=self.centre, requested_by=self["grace"], status=VisitPack.Status.DONE, units_done=2, units_total=2,
            finished_at=timezone.now(),
        )
        pack.enrolments.set([self.unit])
        pack.file.save(f"exports/riverside-pack-{pack.pk}.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
        return pack


def _last_week() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=7)


# The expectations.


def everyone(outcome: str) -> dict[str, str]:
    """A public address: the same for every visitor, signed in or not."""
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome: str) -> dict[str, str]:
    """Anyone signed in, about themselves (their home, their password, their notifications)."""
    return {"anonymous": SIGN_IN, **dict.fromkeys(SIGNED_IN, outcome)}


def only(outcome: str, *who: str) -> dict[str, str]:
    """The page of a role (or of one person): everyone else finds nothing."""
    return {"anonymous": SIGN_IN, **dict.fromkeys(SIGNED_IN, NOT_FOUND), **dict.fromkeys(who, outcome)}


def read_by_the_case(outcome: str = OK) -> dict[str, str]:
    return only(outcome, *ON_THE_CASE)


# The centre's staff and its EQA: who finds Riverside's quality-assurance records at all.
CENTRE_STAFF = ["bob", "erin", "carol", "ivan", "grace", "heidi"]
# Who reads every one of them: its IQAs, its administrator and its EQA.
QA_READERS = ["carol", "ivan", "grace", "heidi"]


def centre_staff_acting(outcome: str, *who: str) -> dict[str, str]:
    """A write to the centre's records: those who make it pass, the rest of the staff and the EQA
    are refused (403), candidates and other centres find nothing (404)."""
    return {**only(FORBIDDEN, *CENTRE_STAFF), **dict.fromkeys(who, outcome)}


def acted_on_by(outcome: str, *who: str) -> dict[str, str]:
    """An action on Alice's case: those who take it pass, the others on the case may read the case
    but not do this (403), strangers find nothing (404)."""
    return {**only(FORBIDDEN, *ON_THE_CASE), **dict.fromkeys(who, outcome)}


def _no_kwargs(world: World) -> dict:
    return {}


def _no_payload(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: Callable[[World], dict] = _no_kwargs
    get: dict[str, str] | None = None
    post: dict[str, str] | None = None
    # What a POST sends: valid where it is cheap, so an allowed write is a real one.
    payload: Callable[[World], dict] = _no_payload
    methods: dict[str, dict[str, str]] = field(init=False)

    def __post_init__(self) -> None:
        methods = {method: by for method, by in (("GET", self.get), ("POST", self.post)) if by is not None}
        assert methods, f"{self.name}: a row says what at least one method answers"
        for by in methods.values():
            assert set(by) == set(PERSONAS), f"{self.name}: every persona has an expected outcome"
        object.__setattr__(self, "methods", methods)


def unit(world: World) -> dict:
    return {"pk": world.unit.pk}


def centre(world: World) -> dict:
    return {"centre_id": world.centre.pk}


def dave(world: World) -> dict:
    return {"centre_id": world.centre.pk, "person_id": world["dave"].pk}


def draft(world: World) -> dict:
    return {"pk": world.draft.pk}


def submitted(world: World) -> dict:
    return {"pk": world.submitted.pk}


def carols_plan(world: World) -> dict:
    return {"centre_id": world.centre.pk, "iqa_id": world["carol"].pk}


def today() -> str:
    return timezone.localdate().isoformat()


ROWS = [
    # Public: open to everyone, signed in or not.
    Row("health", get=everyone(OK)),
    Row("standards:unit_list", get=everyone(OK)),
    Row("standards:unit_detail", lambda w: {"code": "hsc331"}, get=everyone(OK)),
    Row(
        "login",
        # Someone already signed in is sent on to their home page rather than shown the form again.
        get={**everyone(MOVED), "anonymous": OK},
        post=everyone(MOVED),
        payload=lambda w: {"username": "alice@example.org", "password": PASSWORD},
    ),
    Row(
        "password_reset",
        get=everyone(OK),
        post=everyone(MOVED),
        payload=lambda w: {"email": "alice@example.org"},
    ),
    Row("password_reset_done", get=everyone(OK)),
    Row(
        "password_reset_confirm",
        # A valid link moves on to the set-password form (Django keeps the token out of the address).
        lambda w: {
            "uidb64": urlsafe_base64_encode(force_bytes(w["alice"].pk)),
            "token": default_token_generator.make_token(w["alice"]),
        },
        get=everyone(MOVED),
    ),
    Row("password_reset_complete", get=everyone(OK)),
    Row(
        "assessments:testimony_give",
        # The witness has no account: the link alone opens the page, whoever is signed in.
        lambda w: {"token": w.witness_token},
        get=everyone(OK),
        post=everyone(PASSES),
        payload=lambda w: {
            "testimony": "I saw Alice help Person A phone their sister and plan a visit. She let Person A "
            "choose the day and wrote the plan down with them.",
            "seen_on": _last_week().isoformat(), "seen_at": "Riverside day centre",
            "witness_name": "Wendy Walsh", "job_role": "Team leader", "relationship": "Line manager",
            "expert": "no", "confirmed": "on",
        },
    ),
    # Everyone signed in, about themselves. The EQA changes nothing on a case, but their own
    # password and notifications are theirs.
    Row("home", get=signed_in(OK)),
    # Signing out answers POST only. A visitor who is not signed in ends on the sign-in page either way.
    Row("logout", post={**signed_in(MOVED), "anonymous": SIGN_IN}),
    Row(
        "password_change",
        get=signed_in(OK),
        post=signed_in(MOVED),
        payload=lambda w: {
            "old_password": PASSWORD, "new_password1": "a longer Passphrase 2026", "new_password2": "a longer Passphrase 2026",
        },
    ),
    Row("password_change_done", get=signed_in(OK)),
    Row("portfolio:notification_list", get=signed_in(OK)),
    Row("portfolio:notifications_mark_read", post=signed_in(MOVED)),
    # Each person's own notification settings: no id in the address, so nobody reaches another's.
    Row(
        "portfolio:notification_preferences",
        get=signed_in(OK),
        post=signed_in(MOVED),
        payload=lambda w: dict.fromkeys(NotificationKind, "digest"),
    ),
    # Each person's own account (their name): no id in the address, so nobody reaches another's.
    Row(
        "portfolio:account", get=signed_in(OK), post=signed_in(MOVED),
        payload=lambda w: {"first_name": "Sam", "last_name": "Someone"},
    ),
    # A notification is its recipient's alone: nobody else on the case reads Alice's inbox.
    Row("portfolio:notification_open", lambda w: {"pk": w.notification.pk}, get=only(MOVED, "alice")),
    # The centre administrator's pages. The EQA reads portfolios and IQA records, not the centre's
    # register of people (names, email addresses, roles): for them, as for its candidates, assessors
    # and IQAs, these pages do not exist (404, as tests/portfolio/test_centre.py has it). Bulk exports
    # are the administrator's certification work; the EQA reads a unit's PDF instead.
    Row("assessments:centre_detail", centre, get=only(OK, "grace")),
    # Every portfolio of the centre, to read: its EQA's way in, and its administrator's.
    Row("assessments:centre_portfolios", centre, get=only(OK, "grace", "heidi")),
    # External quality assurers' access is the centre administrator's to give, renew and end, and
    # the log of what they opened hers to read; for everyone else, the EQA included, these pages do
    # not exist. Nothing posted to the invitation: the form comes back asking for what is missing.
    Row("portfolio:eqa_access_list", centre, get=only(OK, "grace")),
    Row(
        "portfolio:eqa_invite",
        centre,
        get=only(OK, "grace"),
        post=only(PASSES, "grace"),
        payload=lambda w: {
            "name": "Ezra Example", "email": "ezra@example.org", "awarding_body": "SQA",
            "units": [w.unit.unit.pk], "start_date": today(),
            "end_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    ),
    Row(
        "portfolio:eqa_resend", lambda w: {"centre_id": w.centre.pk, "pk": w.invitation[0].pk}, post=only(MOVED, "grace")
    ),
    Row(
        "portfolio:eqa_renew",
        lambda w: {"centre_id": w.centre.pk, "pk": w.heidis_grant.pk},
        get=only(OK, "grace"),
        post=only(PASSES, "grace"),
        payload=lambda w: {"end_date": (timezone.localdate() + datetime.timedelta(days=60)).isoformat()},
    ),
    Row(
        "portfolio:eqa_end",
        lambda w: {"centre_id": w.centre.pk, "pk": w.heidis_grant.pk},
        get=only(OK, "grace"),
        post=only(PASSES, "grace"),
    ),
    Row("portfolio:eqa_visit_list", lambda w: {"centre_id": w.visit.centre_id}, get=only(OK, "grace")),
    Row("portfolio:eqa_visits_download", lambda w: {"centre_id": w.visit.centre_id}, get=only(OK, "grace")),
    # The invitation's emailed link opens its page for whoever holds it; what it offers depends on
    # who is signed in. Nothing posted: the form comes back (400), or the page says to sign in as Ezra.
    Row("portfolio:invitation_accept", lambda w: {"token": w.invitation[1]}, get=everyone(OK), post=everyone(PASSES)),
    # The centre's terms, on Heidi's own grant: hers alone.
    Row("portfolio:eqa_terms", lambda w: {"pk": w.heidis_grant.pk}, get=only(OK, "heidi"), post=only(MOVED, "heidi")),
    # Adding to the catalogue is the site administrator's, or a centre administrator's granted the
    # right (tests/portfolio/test_unit_import_page.py): nobody here holds it, so nobody finds the pages.
    Row("portfolio:unit_import", get=only(OK), post=only(MOVED), payload=lambda w: {"source_text": "HSC331"}),
    Row("portfolio:unit_import_preview", lambda w: {"token": "not-a-draft"}, get=only(OK), post=only(MOVED)),
    # The site administrator's catalogue page (who may import units): a superuser's alone, and none of
    # these people is one (tests/portfolio/test_import_rights.py has the site administrator's side).
    Row("portfolio:catalogue", get=only(OK), post=only(MOVED), payload=lambda w: {"granted": []}),
    Row(
        "portfolio:person_create",
        centre,
        get=only(OK, "grace"),
        post=only(PASSES, "grace"),
        payload=lambda w: {"first_name": "Nia", "last_name": "Nash", "email": "nia@example.org", "role": "candidate"},
    ),
    # Importing candidates from a CSV file: the centre's administrator alone; the preview and the
    # report are hers alone too. Nothing uploaded: the form comes back asking for the file.
    Row("portfolio:people_import", centre, get=only(OK, "grace"), post=only(PASSES, "grace"), payload=lambda w: {}),
    Row("portfolio:people_import_template", centre, get=only(OK, "grace")),
    Row(
        "portfolio:people_import_preview",
        lambda w: {"centre_id": w.centre.pk, "token": w.people_import.token},
        get=only(OK, "grace"),
        post=only(MOVED, "grace"),
    ),
    Row(
        "portfolio:people_import_report",
        lambda w: {"centre_id": w.centre.pk, "token": w.people_imported.token},
        get=only(OK, "grace"),
    ),
    # The centre's invitations to its own roles: its administrator's to send again or withdraw.
    Row(
        "portfolio:invitation_resend", lambda w: {"centre_id": w.centre.pk, "pk": w.centre_invitation.pk},
        post=only(MOVED, "grace"),
    ),
    Row(
        "portfolio:invitation_name", lambda w: {"centre_id": w.centre.pk, "pk": w.centre_invitation.pk},
        get=only(OK, "grace"), post=only(MOVED, "grace"), payload=lambda w: {"first_name": "Newt", "last_name": "Name"},
    ),
    Row(
        "portfolio:invitation_cancel", lambda w: {"centre_id": w.centre.pk, "pk": w.centre_invitation.pk},
        get=only(OK, "grace"), post=only(MOVED, "grace"),
    ),
    # Nina's registration waiting for her to accept: its administrator's to change or cancel.
    Row(
        "portfolio:prepared_manage", lambda w: {"centre_id": w.centre.pk, "pk": w.prepared_enrolment.pk},
        get=only(OK, "grace"), post=only(MOVED, "grace"),
        payload=lambda w: {
            "assessor": w["erin"].pk, "iqa": w["ivan"].pk,
            "target_date": (timezone.localdate() + datetime.timedelta(days=120)).isoformat(),
        },
    ),
    Row(
        "portfolio:prepared_cancel", lambda w: {"centre_id": w.centre.pk, "pk": w.prepared_enrolment.pk},
        post=only(MOVED, "grace"),
    ),
    Row(
        "portfolio:prepared_registration_manage",
        lambda w: {"centre_id": w.centre.pk, "pk": w.prepared_registration.pk},
        get=only(OK, "grace"), post=only(MOVED, "grace"),
        payload=lambda w: {
            "assessor": w["erin"].pk, "iqa": w["ivan"].pk,
            "target_date": (timezone.localdate() + datetime.timedelta(days=120)).isoformat(),
        },
    ),
    Row(
        "portfolio:prepared_registration_cancel",
        lambda w: {"centre_id": w.centre.pk, "pk": w.prepared_registration.pk},
        post=only(MOVED, "grace"),
    ),
    # The site administrator's (tests/portfolio/test_prepared_enrolments.py has their side): none
    # of these people is one, so nobody finds it.
    Row(
        "portfolio:centre_create", get=only(OK), post=only(MOVED),
        payload=lambda w: {
            "name": "Lakeside", "code": "lakeside", "administrator_first_name": "Lee", "administrator_last_name": "Lake",
            "administrator_email": "lee@example.org",
        },
    ),
    # The site administrator's centres pages (tests/portfolio/test_site_centres.py has their side):
    # a superuser's alone, so Grace and Frank, administrators themselves, find nothing either.
    Row("portfolio:site_centres", get=only(OK)),
    Row("portfolio:site_centre", centre, get=only(OK)),
    Row("portfolio:site_centre_rename", centre, post=only(MOVED), payload=lambda w: {"name": "Riverside Academy"}),
    Row(
        "portfolio:site_administrator_invite", centre, post=only(MOVED),
        payload=lambda w: {"first_name": "Lee", "last_name": "Lake", "email": "lee@example.org"},
    ),
    Row(
        "portfolio:site_invitation_resend", lambda w: {"centre_id": w.centre.pk, "pk": w.centre_invitation.pk},
        post=only(MOVED),
    ),
    Row(
        "portfolio:site_invitation_withdraw", lambda w: {"centre_id": w.centre.pk, "pk": w.centre_invitation.pk},
        post=only(MOVED),
    ),
    # One person at the centre (Dave, a candidate there): the administrator's page about them and
    # its actions. Another centre's administrator, and everyone else, finds nothing (404).
    Row("portfolio:person_detail", dave, get=only(OK, "grace")),
    Row("portfolio:person_roles", dave, post=only(MOVED, "grace"), payload=lambda w: {"roles": ["candidate", "assessor"]}),
    Row("portfolio:person_name", dave, post=only(MOVED, "grace"), payload=lambda w: {"first_name": "Dai", "last_name": "Davies"}),
    Row(
        "portfolio:person_deactivate", dave, get=only(OK, "grace"), post=only(MOVED, "grace"),
        payload=lambda w: {"reason": "Dave has finished his course."},
    ),
    # Dave is not deactivated: the page says so (400).
    Row("portfolio:person_reactivate", dave, post=only(PASSES, "grace")),
    # Dave is not deactivated, so there is no reason of his to correct: the page says so (400).
    Row(
        "portfolio:person_deactivation_reason", dave, post=only(PASSES, "grace"),
        payload=lambda w: {"reason": "Dave has finished his course."},
    ),
    Row("portfolio:person_lock_out_clear", dave, post=only(MOVED, "grace")),
    # Handing over all of Bob's units (Alice's HSC331) as assessor to Erin: Riverside's administrator's.
    Row(
        "portfolio:person_handover", lambda w: {"centre_id": w.centre.pk, "person_id": w["bob"].pk},
        get=only(OK, "grace"), post=only(MOVED, "grace"),
        payload=lambda w: {"role": "assessor", "assessor-person": w["erin"].pk, "assessor-reason": "Bob has left."},
    ),
    Row(
        "portfolio:enrolment_create",
        centre,
        get=only(OK, "grace"),
        post=only(PASSES, "grace"),
        payload=lambda w: {
            "candidate": w["dave"].pk, "unit": Unit.objects.get(code="H3 25").pk, "assessor": w["bob"].pk,
            "iqa": w["carol"].pk,
            "start_date": today(), "target_date": (timezone.localdate() + datetime.timedelta(days=180)).isoformat(),
        },
    ),
    # Registering a candidate on a qualification, a candidate's identifiers and the certification
    # claims are the administrator's work, as registering on a unit is.
    Row(
        "portfolio:qualification_register",
        lambda w: {"centre_id": w.centre.pk, "qualification_id": demo_qualification().pk},
        get=only(OK, "grace"),
        post=only(PASSES, "grace"),
        payload=lambda w: {
            "candidate": w["dave"].pk, "optional_units": [Unit.objects.get(code="H3 25").pk], "assessor": w["erin"].pk,
            "iqa": w["ivan"].pk, "start_date": today(),
            "target_date": (timezone.localdate() + datetime.timedelta(days=180)).isoformat(),
        },
    ),
    Row(
        "portfolio:candidate_identifiers",
        lambda w: {"centre_id": w.centre.pk, "candidate_id": w["alice"].pk},
        get=only(OK, "grace"),
        post=only(PASSES, "grace"),
        payload=lambda w: {"uln": "9276308686", "scn": "123456789"},
    ),
    # Nothing chosen: the form comes back saying what to choose.
    Row("assessments:claim_list", centre, get=only(OK, "grace"), post=only(PASSES, "grace")),
    Row("assessments:claims_mark_all", centre, get=only(OK, "grace"), post=only(PASSES, "grace")),
    Row("assessments:claims_download", centre, get=only(OK, "grace")),
    # Alice's qualification, read by everyone on her case; its summary of achievement is there once
    # it is complete, and until then each of them is sent back to the qualification's page.
    Row("assessments:registration_detail", lambda w: {"pk": w.registration.pk}, get=read_by_the_case()),
    Row("exports:summary_pdf", lambda w: {"pk": w.registration.pk}, get=read_by_the_case(MOVED)),
    Row(
        "exports:export_list",
        centre,
        get=only(OK, "grace"),
        # Nothing chosen: the administrator is told to choose (building a ZIP is not what this checks).
        post=only(PASSES, "grace"),
        payload=lambda w: {"choice": "chosen"},
    ),
    Row("exports:export_detail", lambda w: {"pk": w.export.pk}, get=only(OK, "grace")),
    Row("exports:export_download", lambda w: {"pk": w.export.pk}, get=only(OK, "grace")),
    # The visit pack: the centre's administrator and its EQA build packs; nobody else finds them.
    # Nothing ticked: the form comes back asking for a unit. This pack is the administrator's: an
    # EQA's packs are their own, so Heidi, who may read its every unit, does not find it either.
    Row("exports:pack_list", centre, get=only(OK, "grace", "heidi"), post=only(PASSES, "grace", "heidi")),
    Row("exports:pack_detail", lambda w: {"pk": w.pack.pk}, get=only(OK, "grace")),
    Row("exports:pack_download", lambda w: {"pk": w.pack.pk}, get=only(OK, "grace")),
    # Checking a PDF's seal: every member of staff and every EQA, whatever their centre (the live
    # comparison is limited to their own cases); candidates have no such page. Nothing uploaded:
    # the form comes back asking for the PDF.
    Row(
        "exports:verify_pdf",
        get=only(OK, *(p for p in SIGNED_IN if p not in ("alice", "dave"))),
        post=only(PASSES, *(p for p in SIGNED_IN if p not in ("alice", "dave"))),
        payload=lambda w: {},
    ),
    # The candidate's own evidence pages: each candidate has their own list and form (Dave his).
    Row("portfolio:evidence_list", get=only(OK, "alice", "dave")),
    Row(
        "portfolio:evidence_create",
        get=only(OK, "alice", "dave"),
        post=only(PASSES, "alice", "dave"),
        payload=lambda w: {
            "title": "Helping at the coffee morning", "method": AssessmentMethod.REFLECTIVE_ACCOUNT,
            "activity_date": _last_week().isoformat(), "location": "Day centre", "account": "What I did.",
        },
    ),
    # Alice's evidence: read by everyone on her case, changed by her alone.
    Row("assessments:evidence_detail", submitted, get=read_by_the_case()),
    Row("portfolio:evidence_file", lambda w: {"pk": w.submitted.files.get().pk}, get=read_by_the_case()),
    Row("portfolio:evidence_file_view", lambda w: {"pk": w.submitted.files.get().pk}, get=read_by_the_case()),
    Row("portfolio:evidence_file_preview", lambda w: {"pk": w.submitted.files.get().pk}, get=read_by_the_case()),
    # The conversation about it: read with the evidence by everyone on the case, written by Alice
    # and her assessor; the IQA, the administrator and the EQA read it only.
    Row(
        "assessments:evidence_comment",
        submitted,
        post=acted_on_by(PASSES, "alice", "bob"),
        payload=lambda w: {"text": "Is the date of the visit right? I thought it was the Tuesday."},
    ),
    # The scope of her unit that evidence covers, once the assessor of another unit has accepted it:
    # recorded by the unit's assessor alone (here her evidence is only submitted, so Bob is told why
    # nothing is recorded); the others on the case read it, strangers find nothing.
    Row(
        "assessments:evidence_scope",
        lambda w: {"pk": w.submitted.pk, "enrolment": w.unit.pk},
        post=acted_on_by(PASSES, "bob"),
        payload=lambda w: {f"scope-{w.unit.pk}-scope_items": []},
    ),
    # Her draft: hers alone until she submits it; to anyone else, on her case or not, it is not there.
    Row(
        "portfolio:evidence_edit",
        draft,
        get=only(OK, "alice"),
        post=only(PASSES, "alice"),
        payload=lambda w: {
            "title": "Planning a visit with Person A", "method": AssessmentMethod.REFLECTIVE_ACCOUNT,
            "activity_date": _last_week().isoformat(), "location": "Day centre", "account": "What I did, in full.",
        },
    ),
    Row(
        "portfolio:evidence_map",
        draft,
        get=only(OK, "alice"),
        post=only(PASSES, "alice"),
        payload=lambda w: {"criteria": [w.criterion.pk]},
    ),
    Row(
        "portfolio:evidence_submit",
        draft,
        get=only(OK, "alice"),
        post=only(PASSES, "alice"),
        payload=lambda w: {"declared": "on"},
    ),
    Row("portfolio:evidence_delete", draft, get=only(OK, "alice"), post=only(PASSES, "alice")),
    # Alice's unit, as everyone on the case reads it.
    Row("assessments:enrolment_detail", unit, get=read_by_the_case()),
    Row("assessments:decisions", unit, get=read_by_the_case()),
    Row("assessments:audit_export", unit, get=read_by_the_case()),
    Row("exports:unit_pdf", unit, get=read_by_the_case()),
    # The assessor's work. The queue and the list of units are each assessor's own (Erin's hers).
    Row("assessments:queue", get=only(OK, "bob", "erin")),
    Row("assessments:candidate_units", get=only(OK, "bob", "erin")),
    Row(
        "assessments:judge",
        submitted,
        post=acted_on_by(PASSES, "bob"),
        payload=lambda w: {
            "valid": "on", "authentic": "on", "current": "on", "sufficient": "on", "decision": "accept",
            "feedback": "Clear and in your own words.",
        },
    ),
    Row(
        "assessments:assessor_evidence_create",
        unit,
        get=acted_on_by(OK, "bob"),
        post=acted_on_by(PASSES, "bob"),
        payload=lambda w: {
            "method": AssessmentMethod.DIRECT_OBSERVATION, "title": "Observation", "activity_date": _last_week().isoformat(),
            "location": "Day centre", "account": "What I saw.", "criteria": [w.criterion.pk],
        },
    ),
    Row(
        "assessments:decision_record",
        unit,
        post=acted_on_by(PASSES, "bob"),
        payload=lambda w: {
            f"cite-criterion-{w.criterion.pk}": [w.submitted.pk], f"seen-criterion-{w.criterion.pk}": "",
            "decided_on": today(),
        },
    ),
    Row(
        "assessments:decision_withdraw",
        lambda w: {"pk": w.decision.pk},
        get=acted_on_by(OK, "bob"),
        post=acted_on_by(PASSES, "bob"),
        payload=lambda w: {"reason": "The evidence cited does not show HSC331a.1."},
    ),
    # Signing: the assessor signs off, the candidate countersigns, the assessor or the IQA unlocks.
    # Nothing is signed off in this world: the allowed POSTs are refused by the service, with the
    # reason shown (400), which is past the access check; that is all these rows ask of them.
    Row(
        "assessments:sign_off",
        unit,
        get=acted_on_by(OK, "bob"),
        post=acted_on_by(PASSES, "bob"),
        payload=lambda w: {"declared": "on"},
    ),
    Row(
        "assessments:countersign",
        unit,
        get=acted_on_by(OK, "alice"),
        post=acted_on_by(PASSES, "alice"),
        payload=lambda w: {"declared": "on"},
    ),
    Row(
        "assessments:unlock",
        unit,
        get=acted_on_by(OK, "bob", "carol"),
        post=acted_on_by(PASSES, "bob", "carol"),
        payload=lambda w: {"reason": "A witness statement was withdrawn."},
    ),
    # Moving Alice to another version of HSC331: the centre administrator alone; everyone else on
    # the case reads the unit but does not (403). The catalogue holds one version here, so the page
    # says so and a POST is refused with the form's reason (400), past the access check.
    Row(
        "assessments:move_version",
        unit,
        get=acted_on_by(OK, "grace"),
        post=acted_on_by(PASSES, "grace"),
        payload=lambda w: {"confirmed": "on"},
    ),
    # What the centre changes on Alice's enrolment (issue 16 item 2): its administrator alone; the
    # others on the case read the unit but not these pages (403); another centre's administrator and
    # everyone else find nothing (404). Reinstating an active enrolment is refused by the service (400).
    Row("portfolio:enrolment_manage", unit, get=acted_on_by(OK, "grace")),
    Row(
        "portfolio:enrolment_assessor", unit, get=acted_on_by(OK, "grace"), post=acted_on_by(PASSES, "grace"),
        payload=lambda w: {"person": w["erin"].pk, "reason": "Bob has left the centre."},
    ),
    Row(
        "portfolio:enrolment_iqa", unit, get=acted_on_by(OK, "grace"), post=acted_on_by(PASSES, "grace"),
        payload=lambda w: {"person": w["ivan"].pk, "reason": "Carol is on leave."},
    ),
    Row(
        "portfolio:enrolment_target_date", unit, get=acted_on_by(OK, "grace"), post=acted_on_by(PASSES, "grace"),
        payload=lambda w: {
            "target_date": (timezone.localdate() + datetime.timedelta(days=400)).isoformat(), "reason": "Off sick.",
        },
    ),
    Row(
        "portfolio:enrolment_withdraw", unit, get=acted_on_by(OK, "grace"), post=acted_on_by(PASSES, "grace"),
        payload=lambda w: {"effective_date": today(), "reason": "Left her job in care."},
    ),
    Row(
        "portfolio:enrolment_transfer", unit, get=acted_on_by(OK, "grace"), post=acted_on_by(PASSES, "grace"),
        payload=lambda w: {"to_centre": "Hillside College", "effective_date": today(), "reason": "Moved house."},
    ),
    Row(
        "portfolio:enrolment_reinstate", unit, get=acted_on_by(OK, "grace"), post=acted_on_by(PASSES, "grace"),
        payload=lambda w: {"reason": "Back at work."},
    ),
    Row(
        # Reading the signed files now: the assessor, the IQA or the administrator asks; the candidate
        # and the EQA read the last check's result but do not ask (403). Nothing is signed off here,
        # so an allowed request is refused by the service and sent back to the unit page, saying why.
        "assessments:check_files",
        unit,
        post=acted_on_by(PASSES, "bob", "carol", "grace"),
    ),
    Row(
        "assessments:testimony_request",
        # The candidate and the assessor gather evidence; the IQA, the administrator and the EQA
        # read the case but do not, so they are refused (403) rather than told the unit is not there.
        unit,
        get=acted_on_by(OK, "alice", "bob"),
        post=acted_on_by(PASSES, "alice", "bob"),
        payload=lambda w: {
            "witness_name": "Wendy Walsh", "witness_email": "wendy@care.example.org", "criteria": [w.criterion.pk],
        },
    ),
    # Internal quality assurance. The sample page is each IQA's own (Ivan's his; the unit he posts
    # is not his, so his form refuses it: 400, past the access check). The EQA reads the IQA's
    # records on the unit page, and has no sample of their own.
    Row(
        "assessments:iqa_sample",
        get=only(OK, "carol", "ivan"),
        post=only(PASSES, "carol", "ivan"),
        payload=lambda w: {"enrolments": [w.unit.pk]},
    ),
    Row(
        "assessments:iqa_review",
        unit,
        get=acted_on_by(OK, "carol"),
        post=acted_on_by(PASSES, "carol"),
        payload=lambda w: {"outcome": "referred", "comments": "Sound so far.", "actions": "Question Alice on HSC331a.2."},
    ),
    Row(
        "assessments:iqa_actions_done",
        # The referral is Carol's to Bob; Bob answers it.
        lambda w: {"pk": w.referral.pk},
        get=acted_on_by(OK, "bob"),
        post=acted_on_by(PASSES, "bob"),
        payload=lambda w: {"note": "Questioned Alice on HSC331a.2; the record is E3."},
    ),
    # The IQAs' sampling plans at Riverside: read by its administrator and its EQA (as they read IQA
    # records); Carol's own is hers to read and the only one she changes. Ivan, another IQA there,
    # does not read hers; the assessor she rates does not either.
    Row("assessments:sampling_plan_list", centre, get=only(OK, "grace", "heidi")),
    Row("assessments:sampling_plan", carols_plan, get=only(OK, "carol", "grace", "heidi")),
    Row(
        "assessments:sampling_plan_edit",
        carols_plan,
        get={**only(FORBIDDEN, "grace", "heidi"), "carol": OK},
        post={**only(FORBIDDEN, "grace", "heidi"), "carol": PASSES},
        payload=lambda w: {
            "period_start": today(), "share_new": "100", "share_in_development": "50", "share_experienced": "20",
            "share_under_support": "100", f"rating_{w['bob'].pk}": "new", f"rated_on_{w['bob'].pk}": today(),
            f"reason_{w['bob'].pk}": "New to assessing", f"stages_{w['bob'].pk}": "both",
        },
    ),
    # The external quality assurer's own work: their list of units, their samples and reports, theirs
    # alone to write. A sample is the EQA's working record: nobody else finds it (the centre sees the
    # "EQA sampled" mark on each unit instead). A draft report is the EQA's alone; once sent, the
    # centre's administrator and the IQA of the units sampled (Carol; not Ivan) read it and answer
    # its actions, and the EQA closes them. Nobody else finds any of it.
    Row("assessments:eqa_units", get=only(OK, "heidi")),
    Row(
        "assessments:eqa_sample_create",
        get=only(OK, "heidi"),
        post=only(PASSES, "heidi"),
        payload=lambda w: {"name": "Visit 19 March 2027", "planned_on": "2027-03-19", "mode": "on_site", "enrolments": [w.unit.pk]},
    ),
    Row("assessments:eqa_sample_detail", lambda w: {"pk": w.eqa_sample.pk}, get=only(OK, "heidi")),
    Row(
        "assessments:eqa_sample_edit",
        lambda w: {"pk": w.eqa_sample.pk},
        get=only(OK, "heidi"),
        post=only(PASSES, "heidi"),
        payload=lambda w: {"name": "Remote visit", "planned_on": "2027-03-19", "mode": "remote", "enrolments": [w.unit.pk]},
    ),
    Row("assessments:eqa_sample_delete", lambda w: {"pk": w.eqa_sample.pk}, get=only(OK, "heidi"), post=only(MOVED, "heidi")),
    Row(
        "assessments:eqa_report_create",
        centre,
        get=only(OK, "heidi"),
        post=only(PASSES, "heidi"),
        payload=lambda w: {
            "visited_on": "2027-03-12", "mode": "remote", "findings": "Sound.", "outcome": "satisfactory", "sample": "",
            "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0",
        },
    ),
    Row("assessments:eqa_report_detail", lambda w: {"pk": w.eqa_report.pk}, get=only(OK, "heidi", "grace", "carol")),
    Row(
        "assessments:eqa_report_edit",
        lambda w: {"pk": w.eqa_draft.pk},
        get=only(OK, "heidi"),
        post=only(PASSES, "heidi"),
        payload=lambda w: {
            "visited_on": "2027-03-12", "mode": "remote", "findings": "Sound, mostly.", "outcome": "satisfactory", "sample": "",
            "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0",
        },
    ),
    Row("assessments:eqa_report_submit", lambda w: {"pk": w.eqa_draft.pk}, post=only(MOVED, "heidi")),
    Row(
        "assessments:eqa_action_answer",
        lambda w: {"pk": w.eqa_report.actions.get().pk},
        get={**only(OK, "grace", "carol"), "heidi": FORBIDDEN},
        post={**only(PASSES, "grace", "carol"), "heidi": FORBIDDEN},
        payload=lambda w: {"response": "Minuted in the QA folder.", "progress": "done", "on": today()},
    ),
    Row(
        "assessments:eqa_action_review",
        lambda w: {"pk": w.eqa_report.actions.get().pk},
        get={**only(OK, "heidi"), "grace": FORBIDDEN, "carol": FORBIDDEN},
        post={**only(PASSES, "heidi"), "grace": FORBIDDEN, "carol": FORBIDDEN},
        payload=lambda w: {"review": "closed", "note": ""},
    ),
    # The witness status list (RF03). Asking a witness who testified before to confirm: the assessor
    # or the administrator; the others on the case read the list only (403).
    Row(
        "assessments:witness_status_ask",
        lambda w: {"pk": w.unit.pk, "witness_id": w.earlier_witness.pk},
        post=acted_on_by(MOVED, "bob", "grace"),
    ),
    # The witness's link to confirm: like the testimony link, it alone opens the page.
    Row(
        "assessments:witness_status_confirm",
        lambda w: {"token": w.status_token},
        get=everyone(OK),
        post=everyone(PASSES),
        payload=lambda w: {
            "witness_name": "Wendy Walsh", "job_role": "Team leader", "relationship": "Line manager",
            "expert": "yes", "expertise": "Registered manager, twelve years in day services", "confirmed": "on",
        },
    ),
    # The centre's witness status list: its IQAs, administrator and EQA (each sees the units they
    # may open); assessors read it on their units.
    Row("assessments:centre_witnesses", centre, get=only(OK, *QA_READERS)),
    # Standardisation: the list for all the centre's staff (assessors see the meetings they
    # attended); recorded by an IQA or the administrator; a meeting read by those who read every
    # record and by those who attended it (Bob, not Erin).
    Row("assessments:standardisation_list", centre, get=only(OK, *CENTRE_STAFF)),
    Row(
        "assessments:standardisation_create",
        centre,
        get=centre_staff_acting(OK, "carol", "ivan", "grace"),
        post=centre_staff_acting(PASSES, "carol", "ivan", "grace"),
        payload=lambda w: {
            "held_on": today(), "attendees": [w["bob"].pk, w["carol"].pk], "looked_at": "Observations on HSC331a.",
            "outcome": "Agreed what an observation must record.",
        },
    ),
    Row("assessments:standardisation_detail", lambda w: {"pk": w.meeting.pk}, get=only(OK, *QA_READERS, "bob")),
    # Competence and CPD: each assessor and IQA keeps their own (the administrator and the EQA
    # read but keep none: 403); the overview and anyone's record are for those who read every record.
    Row("assessments:competence_overview", centre, get=only(OK, *QA_READERS)),
    Row(
        "assessments:competence_person",
        lambda w: {"centre_id": w.centre.pk, "person_id": w["bob"].pk},
        get=only(OK, *QA_READERS, "bob"),
    ),
    Row("assessments:competence_file", lambda w: {"pk": w.certificate.pk}, get=only(OK, *QA_READERS, "bob")),
    Row(
        "assessments:held_qualification_add",
        centre,
        get=centre_staff_acting(OK, "bob", "erin", "carol", "ivan"),
        post=centre_staff_acting(PASSES, "bob", "erin", "carol", "ivan"),
        payload=lambda w: {
            "kind": "taqa_assessor", "title": "Level 3 Certificate in Assessing Vocational Achievement",
            "awarding_body": "City & Guilds", "achieved_on": "2019-06-03",
        },
    ),
    Row(
        "assessments:experience_add",
        centre,
        get=centre_staff_acting(OK, "bob", "erin", "carol", "ivan"),
        post=centre_staff_acting(PASSES, "bob", "erin", "carol", "ivan"),
        payload=lambda w: {"role": "Senior care worker", "setting": "Riverside Care Home", "started_on": "2012-04-01"},
    ),
    Row(
        "assessments:cpd_add",
        centre,
        get=centre_staff_acting(OK, "bob", "erin", "carol", "ivan"),
        post=centre_staff_acting(PASSES, "bob", "erin", "carol", "ivan"),
        payload=lambda w: {
            "activity": "Safeguarding update", "done_on": today(), "hours": "3.5",
            "reflection": "What I will look for in observations now.",
        },
    ),
    # The centre's reports (ops/access.py): the administrator reads all five; the IQAs, who watch
    # over the assessors' decisions, read the three about the staff; the two that list candidates by
    # name are the administrator's. Frank, administrator of another centre, finds none (404).
    Row("ops:reports", centre, get=only(OK, "carol", "ivan", "grace")),
    Row("ops:report_progress", centre, get=only(OK, "grace")),
    Row("ops:report_progress_csv", centre, get=only(OK, "grace")),
    Row("ops:report_overdue", centre, get=only(OK, "grace")),
    Row("ops:report_overdue_csv", centre, get=only(OK, "grace")),
    Row("ops:report_caseload", centre, get=only(OK, "carol", "ivan", "grace")),
    Row("ops:report_caseload_csv", centre, get=only(OK, "carol", "ivan", "grace")),
    Row("ops:report_decisions", centre, get=only(OK, "carol", "ivan", "grace")),
    Row("ops:report_decisions_csv", centre, get=only(OK, "carol", "ivan", "grace")),
    Row("ops:report_sampling", centre, get=only(OK, "carol", "ivan", "grace")),
    Row("ops:report_sampling_csv", centre, get=only(OK, "carol", "ivan", "grace")),
    # The centre's audit trail (ops/audit_trail): how the centre was run, its administrator's alone.
    Row("ops:audit_trail", centre, get=only(OK, "grace")),
    # Recording what the centre did about its trail found changed: its administrator's alone (with
    # nothing found, she is told there is nothing to record, and nothing is).
    Row("ops:audit_trail_acknowledge", centre, post=only(MOVED, "grace"),
        payload=lambda w: {"note": "Compared with the backup of 1 December."}),
]

ROWS_BY_NAME = {row.name: row for row in ROWS}

# The addresses of Alice's draft that ROWS asks of her submitted evidence: a draft is hers alone, so
# for everyone else, her assessor, IQA, administrator and EQA included, it is not there (404).
DRAFT_ROWS = [
    Row("assessments:evidence_detail", draft, get=only(OK, "alice")),
    Row("portfolio:evidence_file", lambda w: {"pk": w.draft.files.get().pk}, get=only(OK, "alice")),
    Row("portfolio:evidence_file_view", lambda w: {"pk": w.draft.files.get().pk}, get=only(OK, "alice")),
    Row("portfolio:evidence_file_preview", lambda w: {"pk": w.draft.files.get().pk}, get=only(OK, "alice")),
    Row(
        "assessments:judge",
        draft,
        # Alice may read her draft, so she is refused judging it (403); to the others it is not there.
        post={**only(NOT_FOUND), "alice": FORBIDDEN},
        payload=lambda w: {
            "valid": "on", "authentic": "on", "current": "on", "sufficient": "on", "decision": "accept",
        },
    ),
    # A draft has no conversation: nobody else could read it. Alice is refused (403); to the others
    # it is not there.
    Row(
        "assessments:evidence_comment",
        draft,
        post={**only(NOT_FOUND), "alice": FORBIDDEN},
        payload=lambda w: {"text": "A note to myself."},
    ),
    # Heidi's draft report is hers alone, as Alice's draft evidence is: to the centre it is not there.
    Row("assessments:eqa_report_detail", lambda w: {"pk": w.eqa_draft.pk}, get=only(OK, "heidi")),
    # And a sent report is fixed: Heidi is sent back to it, told so; the centre reads it but never
    # changes it (403).
    Row(
        "assessments:eqa_report_edit",
        lambda w: {"pk": w.eqa_report.pk},
        get={**only(MOVED, "heidi"), "grace": FORBIDDEN, "carol": FORBIDDEN},
    ),
]


# Every named URL has a row.


def _project_urls(patterns, namespace: str = "") -> tuple[set[str], list[str]]:
    """The names of the project's URL patterns ("namespace:name"), and the routes of any without
    a name (which no row could cover), leaving out the third-party namespaces."""
    names, unnamed = set(), []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in THIRD_PARTY_NAMESPACES:
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found, nameless = _project_urls(entry.url_patterns, prefix)
            names |= found
            unnamed += [f"{entry.pattern}{route}" for route in nameless]
        elif getattr(entry.callback, "moved_to", None):
            # An old address: a public redirect to its page's new one (test_moved_addresses.py),
            # which the page's own row covers.
            continue
        elif entry.name:
            names.add(namespace + entry.name)
        else:
            unnamed.append(str(entry.pattern))
    return names, unnamed


def test_every_named_url_has_a_row_and_every_row_a_url():
    names, unnamed = _project_urls(get_resolver().url_patterns)

    assert not unnamed, f"URL patterns without a name, so without a row in the access matrix: {unnamed}"
    assert sorted(names - set(ROWS_BY_NAME)) == [], "URLs without a row in the access matrix"
    assert sorted(set(ROWS_BY_NAME) - names) == [], "rows of the access matrix for URLs that no longer exist"
    assert len(ROWS_BY_NAME) == len(ROWS), "a URL has two rows"


def test_every_third_party_namespace_left_out_is_still_there():
    """So the list of what is skipped cannot outlive what it skips."""
    namespaces = {entry.namespace for entry in get_resolver().url_patterns if isinstance(entry, URLResolver)}

    assert set(THIRD_PARTY_NAMESPACES) <= namespaces


# The matrix.


CASES = [
    pytest.param(row, method, persona, id=f"{kind}{row.name}-{method}-{persona}")
    for kind, rows in (("", ROWS), ("draft-", DRAFT_ROWS))
    for row in rows
    for method, by in row.methods.items()
    for persona in PERSONAS
]

# The records a refused request must leave as they were: everything the project's own apps keep
# but the standards, which are reference data no page writes.
_WATCHED = [
    model for model in apps.get_models(include_auto_created=True)
    if Path(apps.get_app_config(model._meta.app_label).path).parent == Path(settings.BASE_DIR)
    and model._meta.app_label != "standards"
]


def _records() -> dict[str, list[dict]]:
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in _WATCHED}


def _asks_to_sign_in(response, url: str) -> bool:
    """Sent to the sign-in page, to come back here afterwards."""
    location = urlsplit(response.get("Location", ""))
    return (
        response.status_code == 302
        and location.path == reverse("login")
        and parse_qs(location.query).get("next") == [url]
    )


def _met(expected: str, response, url: str) -> bool:
    status = response.status_code
    if expected == SIGN_IN:
        # Signing out, a visitor who was not signed in ends on the sign-in page with nowhere to return.
        location = urlsplit(response.get("Location", ""))
        return _asks_to_sign_in(response, url) or (
            url == reverse("logout") and status == 302 and location.path == reverse("login")
        )
    if expected == MOVED:
        return status in (302, 303) and not _asks_to_sign_in(response, url)
    if expected == PASSES:
        return status in (200, 204, 302, 303, 400) and not _asks_to_sign_in(response, url)
    return status == int(expected)


def _outcome_of(response) -> str:
    location = f" to {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{location}"


@pytest.mark.parametrize(("row", "method", "persona"), CASES)
def test_access(client, row, method, persona):
    world = World()
    # Signed in first: signing in changes what a password-reset link is made from.
    if persona != "anonymous":
        client.force_login(world[persona])
    url = reverse(row.name, kwargs=row.kwargs(world))
    payload = row.payload(world) if method == "POST" else None
    expected = row.methods[method][persona]
    refused = expected in (FORBIDDEN, NOT_FOUND, SIGN_IN)
    before = _records() if refused else None

    response = client.post(url, payload) if method == "POST" else client.get(url)

    assert _met(expected, response, url), (
        f"{row.name} {method} as {persona}: expected {expected}, got {_outcome_of(response)}"
    )
    if refused:
        assert _records() == before, f"{row.name} {method} as {persona} was refused but changed records"


# Heidi without her grant: out of its dates, or with a grant of another unit. Every address of
# Alice's case, read or written, is then not there for her (404), as for a stranger; what every
# signed-in person may open (their home, their password, a public page) is as before.


def _outside_the_grant(row: Row, method: str) -> str:
    by = row.methods[method]
    if len({by[p] for p in SIGNED_IN}) == 1:
        return by["heidi"]  # the same for everyone signed in: not about Alice's case
    return NOT_FOUND


def _expired(world: World) -> None:
    today = timezone.localdate()
    grant = world.heidis_grant  # run out as the portfolio keeps it (a hand edit would be a changed grant)
    grant.start_date, grant.end_date = today - datetime.timedelta(days=90), today - datetime.timedelta(days=1)
    grant.save(update_fields=["start_date", "end_date"])


def _another_unit(world: World) -> None:
    world.heidis_grant.units.set([Unit.objects.get(code="H3 25")])
    world.heidis_grant.qualifications.clear()


# What a grant of another unit at Riverside still opens: the centre's list (of what it covers),
# the PDF checker every EQA has, her own grant's terms, her own work at the centre (her list of
# units, a new sample or report), and the centre's quality-assurance records, which are the centre's
# and its staff's, not a candidate's (sampling plans, standardisation, competence and CPD; the
# witness list shows only units she may open). Each as the matrix has it for her.
_STILL_OPEN_WITH_ANOTHER_UNIT = {
    "assessments:centre_portfolios", "exports:verify_pdf", "portfolio:eqa_terms",
    "assessments:eqa_units", "assessments:eqa_sample_create", "assessments:eqa_report_create",
    "assessments:sampling_plan_list", "assessments:sampling_plan", "assessments:sampling_plan_edit",
    "assessments:standardisation_list", "assessments:standardisation_create", "assessments:standardisation_detail",
    "assessments:competence_overview", "assessments:competence_person", "assessments:competence_file",
    "assessments:held_qualification_add", "assessments:experience_add", "assessments:cpd_add",
    "assessments:centre_witnesses", "exports:pack_list",
}
# Her own records stay hers when her access ends or narrows: the samples she made and the reports
# she wrote (a report is often finished after the visit). Each as the matrix has it for her.
_HER_OWN_RECORDS = {
    "assessments:eqa_sample_detail", "assessments:eqa_sample_edit", "assessments:eqa_sample_delete",
    "assessments:eqa_report_detail", "assessments:eqa_report_edit", "assessments:eqa_report_submit",
    "assessments:eqa_action_answer", "assessments:eqa_action_review",
}

OUTSIDE_CASES = [
    pytest.param(row, method, how, id=f"{how}-{row.name}-{method}")
    for row in ROWS
    for method in row.methods
    for how in ("expired", "another_unit")
    if row.name not in _HER_OWN_RECORDS
    and not (how == "another_unit" and row.name in _STILL_OPEN_WITH_ANOTHER_UNIT)
]


@pytest.mark.parametrize(("row", "method", "how"), OUTSIDE_CASES)
def test_an_eqa_outside_their_grant_finds_nothing_of_the_case(client, row, method, how):
    world = World()
    {"expired": _expired, "another_unit": _another_unit}[how](world)
    client.force_login(world["heidi"])
    url = reverse(row.name, kwargs=row.kwargs(world))
    payload = row.payload(world) if method == "POST" else None
    expected = _outside_the_grant(row, method)
    refused = expected in (FORBIDDEN, NOT_FOUND, SIGN_IN)
    before = _records() if refused else None

    response = client.post(url, payload) if method == "POST" else client.get(url)

    assert _met(expected, response, url), f"{row.name} {method} ({how}): expected {expected}, got {_outcome_of(response)}"
    if refused:
        assert _records() == before, f"{row.name} {method} ({how}) was refused but changed records"
