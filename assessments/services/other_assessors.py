"""Evidence mapped to units of two assessors is judged once, by whichever of them judges it
(`portfolio.judged_by`): it then leaves both queues. Each unit's decisions stay its own assessor's
(which of its criteria and knowledge items the evidence proves, on the unit's decisions page), and
so does its scope (`scope.scope_items_to_judge`; once accepted, the other assessor records their units'
scope on the evidence page, `unit_scope`). So the assessors of the other open units it bears
on are told that it was judged, and by whom (an outside trial: it left the other assessor's queue
without a word)."""

from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse

from portfolio import dates, judged_by, locks
from portfolio.models import Enrolment, Evidence, Person
from portfolio.notifications import NotificationKind, cut_on_a_word, evidence_named, notify

from ..models import Judgement


def _their_units(evidence: Evidence, judge: Person) -> dict[Person, list[Enrolment]]:
    """The open units (active, not locked by a sign-off) the evidence is mapped to, by criteria or
    knowledge, that someone other than the judge assesses, by their assessor."""
    locked = locks.locked_units(evidence.candidate, evidence.centre_id)
    enrolments = (
        judged_by.units_it_bears_on(evidence).exclude(assessor=judge).exclude(unit_id__in=list(locked))
        .filter(case_seal_broken_at__isnull=True)
    )
    units: dict[Person, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        units[enrolment.assessor].append(enrolment)
    return units


def tell(evidence: Evidence, judgement: Judgement) -> None:
    """Tells the other assessors of the open units the judged evidence bears on what was decided,
    each about their own units."""
    judge, named = judgement.assessor, f"{evidence_named(evidence)} “{evidence.title}”"
    accepted = judgement.outcome == Judgement.Outcome.ACCEPTED
    # Their own referrals of earlier versions, which an acceptance reminds them of (read only then).
    referrals = (
        list(evidence.judgements.filter(outcome=Judgement.Outcome.REFERRED, version__lt=judgement.version))
        if accepted
        else []
    )
    for assessor, enrolments in _their_units(evidence, judge).items():
        codes = ", ".join(e.unit.code for e in enrolments)
        units = f"{codes}, {'a unit' if len(enrolments) == 1 else 'units'} you assess"
        referral = earlier_referral(referrals, judgement, assessor) if accepted else None
        subject = f"{judge} {judgement.get_outcome_display().lower()} {evidence.reference} ({codes})"
        if referral:
            # A notice holds 300 characters: the title cut short, the reminder before what is left to them.
            message = (
                f"{judge} accepted version {judgement.version} of {evidence.candidate}’s {evidence.reference} "
                f"“{cut_on_a_word(evidence.title, 40)}”. {referral_reminder(judgement, referral)} Which of {codes}’s items and "
                "scope it covers is yours to record."
            )
            subject = (
                f"{judge} accepted version {judgement.version} of {evidence.reference}, which you referred"
            )
            link = reverse("assessments:decisions", args=[enrolments[0].pk])
        elif accepted:
            message = (
                f"{judge} accepted {evidence.candidate}’s {named}, which is mapped to {units}. Which of "
                f"{codes}’s criteria and knowledge items it proves is yours to record, on the unit’s decisions page, "
                f"and which of {codes}’s scope it covers, on the evidence’s own page."
            )
            link = reverse("assessments:decisions", args=[enrolments[0].pk])
        else:
            message = (
                f"{judge} referred {named} back to {evidence.candidate} with feedback. It is mapped to "
                f"{units}: once changed and submitted again, it is back in your queue."
            )
            link = reverse("assessments:evidence_detail", args=[evidence.pk])
        notify(
            [assessor],
            message,
            subject=subject,
            centre=evidence.centre_id,
            kind=NotificationKind.EVIDENCE_JUDGED_ELSEWHERE,
            link=link,
        )


def earlier_referral(
    judgements: Iterable[Judgement], judgement: Judgement, reader: Person
) -> Judgement | None:
    """The reader's latest referral, among `judgements`, of a version earlier than the one `judgement`
    judged: what the other assessor's notice and page of an acceptance remind them of (an outside
    trial: Bob, told Erin had accepted version 2, was not reminded he had referred version 1)."""
    theirs = [
        j
        for j in judgements
        if j.assessor_id == reader.pk
        and j.outcome == Judgement.Outcome.REFERRED
        and j.version < judgement.version
    ]
    return max(theirs, key=lambda j: (j.judged_at, j.pk), default=None)


def referral_reminder(judgement: Judgement, referral: Judgement) -> str:
    """“You referred version 1 back on 3 December 2026; the acceptance of version 2, submitted since,
    stands, so it is not back in your queue.” What is true once another assessor accepted a later
    version: evidence is judged once (`judged_by`), so the reader's unit needs no judgement of it from
    them, only their decisions and scope; their referral stays in the evidence's history."""
    return (
        f"You referred version {referral.version} back on {dates.day(referral.judged_at)}; the acceptance of "
        f"version {judgement.version}, submitted since, stands, so it is not back in your queue."
    )


def still_stands(evidence: Evidence, judgement: Judgement) -> bool:
    """The judgement is where the evidence stands now: its outcome is the evidence's state and it
    judged the current version. A referral stops standing once the candidate changes the evidence or
    submits it again (an outside trial: the other assessor's page still said Erin had referred it
    back, beside the form to judge version 2)."""
    return evidence.state == judgement.outcome and evidence.version == judgement.version


def units_left_to(evidence: Evidence, judge: Person, viewer: Person) -> list[Enrolment]:
    """The open units the evidence bears on that `viewer` assesses and `judge` does not: what the
    evidence page tells them is still theirs to decide after `judge` judged it."""
    return _their_units(evidence, judge).get(viewer, [])


def deciding_the_rest(evidence: Evidence, judge: Person) -> str:
    """What the candidate's notice of an acceptance adds where the evidence bears on the open units
    of other assessors too: who decides which items of those units it proves (an outside trial: the
    notice named the judge's unit's items alone, as if they were all it would be credited with)."""
    return "".join(f" {words}" for words in others_deciding(evidence, judge))


def others_deciding(evidence: Evidence, judge: Person) -> list[str]:
    """“Priya Shah assesses H3 25 and decides which of its criteria and knowledge items E1 proves.”,
    for each assessor but the judge of the open units the evidence bears on: what the candidate's
    notice and page say after `judge` accepted it."""
    said = []
    for assessor, codes in told_of(evidence, judge):
        whose = "their" if ", " in codes else "its"
        said.append(
            f"{assessor} assesses {codes} and decides which of {whose} criteria and knowledge items "
            f"{evidence.reference} proves."
        )
    return said


def told_of(evidence: Evidence, judge: Person) -> list[tuple[Person, str]]:
    """Who `tell` tells of the judge's judgement, each with the codes of their units: what the
    judge's confirmation names."""
    return [
        (assessor, ", ".join(e.unit.code for e in units))
        for assessor, units in _their_units(evidence, judge).items()
    ]
