"""What a centre administrator may change on an enrolment as it stands, in the words each change is
refused with: the one statement of it. `services_enrolments` asks it under the row's lock before
each change; the enrolment's page asks it to offer only what may be done, and each change's page
before showing its form (a typed address of a withdrawn unit's "Change the assessor" shows why not,
and the way back, rather than a form that could only be refused).

- A withdrawn or transferred enrolment changes only by being reinstated; an active one is not.
- A signed-off unit (a standing sign-off, `locks.locked_since`) is not withdrawn or transferred: its
  record is what the centre claims; unlock it first. It keeps its target date, which shows whether
  it was completed on time.
- A signed-off unit keeps the assessor, and one countersigned by an IQA keeps the IQA, who did that
  work while they hold the role here (`work_done`: their name on the unit is the record of who did
  it, and a newcomer would seem to have done it, as a hand-over leaves it). Once they have left, it
  may be given another, who answers should it be referred back or unlocked (unlocking asks for an
  assessor here: `assessments.services.signoff.unlock_refusal`). Until an IQA countersigns it, a
  signed-off unit may be given a new IQA to sample and countersign it.
"""

import datetime

from . import case_sealing, case_seals, dates, locks, selectors, work_done
from .models import Enrolment, EnrolmentStatus, Role
from .services_centre import holds_role

# What each change is called in a refusal of it ("…is withdrawn, so its assessor cannot be changed").
_DOING = {
    "assessor": "its assessor cannot be changed", "iqa": "its IQA cannot be changed",
    "target_date": "its target date cannot be changed", "withdraw": "it cannot be withdrawn",
    "transfer": "it cannot be transferred",
}
CHANGES = (*_DOING, "reinstate")


def refusal(enrolment: Enrolment, change: str) -> str:
    """Why `change` (one of `CHANGES`) cannot be made to the enrolment as it stands, or ""."""
    return _refusal(enrolment, change, _signed(enrolment))


def refusals(enrolment: Enrolment) -> dict[str, str]:
    """Every change's refusal ("" where it may be made), for the enrolment's page: the sign-off read once."""
    signed = _signed(enrolment)
    return {change: _refusal(enrolment, change, signed) for change in CHANGES}


def _signed(enrolment: Enrolment) -> datetime.datetime | None:
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return None  # a closed unit is never signed off (it is unlocked before it is closed)
    return locks.locked_since([enrolment.pk]).get(enrolment.pk)


def _refusal(enrolment: Enrolment, change: str, signed: datetime.datetime | None) -> str:
    unit = f"{enrolment.candidate}’s {enrolment.unit.code}"
    if not case_sealing.holds(enrolment):  # a hand edit is never built on (`case_seals`)
        return (f"The people on {unit} were changed outside the portfolio ({case_seals.what_changed(enrolment).rstrip('.')}), "
                f"so nothing is changed on it here until {case_seals.who_puts_it_back()} puts it back as the portfolio made it.")
    if change == "reinstate":
        return f"{unit} is active: there is nothing to reinstate." if enrolment.status == EnrolmentStatus.ACTIVE else ""
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return (f"{unit} is {enrolment.get_status_display().lower()}, so {_DOING[change]}. "
                "Reinstate it first if the candidate is carrying on with it here.")
    if signed is None:
        return ""
    code, on = enrolment.unit.code, dates.day(signed)
    if change in ("withdraw", "transfer"):
        doing = "withdrawn" if change == "withdraw" else "transferred"
        return (f"{code} is signed off, so it is not {doing}: its signed record is what the centre "
                "claims. Unlock it first if the candidate is leaving it unfinished.")
    if change == "target_date":
        return (f"{code} was signed off on {on}, so its target date stays as it was: it shows whether the unit "
                "was completed on time. If the unit is unlocked, its target date can be changed then.")
    return _keeps_who_did_it(enrolment, change, on)


def _keeps_who_did_it(enrolment: Enrolment, role: str, signed_on: str) -> str:
    """The refusal of a new assessor (or IQA) while the one who did the work holds the role here."""
    person, code = getattr(enrolment, role), enrolment.unit.code
    if not work_done.done([enrolment.pk], role) or not holds_role(person, enrolment.centre, Role(role)):
        return ""
    done = f"signed off on {signed_on}" if role == "assessor" else "countersigned by its IQA"
    word, did = ("assessor", "signed it off") if role == "assessor" else ("IQA", "quality-assured it")
    return (f"{code} was {done}, and {person} is still an {word} here: the unit keeps them, as the record "
            f"of who {did}. It may be given another {word} only once they have left, to answer for it should "
            "it be unlocked.")


def offered(enrolment: Enrolment) -> tuple[dict[str, bool], list[str]]:
    """For the enrolment's page: which changes it offers, and why each other one is not (an outside
    trial: a closed unit's actions simply disappeared, and "Change the IQA" led to a page saying no
    other IQA may take the unit). Reinstating an active unit needs no word."""
    refused = refusals(enrolment)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        unit = f"{enrolment.candidate}’s {enrolment.unit.code}"
        why = (f"{unit} is {enrolment.get_status_display().lower()}, so its assessor, IQA and target date cannot be "
               "changed, and it cannot be withdrawn or transferred. Reinstate it first if the candidate is carrying "
               "on with it here.")
        return {change: not refused[change] for change in CHANGES}, [why]
    may = {change: not refused[change] for change in CHANGES}
    # Once each: a case changed outside the portfolio refuses every change for the one reason.
    reasons = list(dict.fromkeys(refused[change] for change in CHANGES if refused[change] and change != "reinstate"))
    for role, word in (("assessor", "assessor"), ("iqa", "IQA")):
        if may[role] and not selectors.people_for(enrolment, role).exists():
            may[role] = False
            reasons.append(_nobody(enrolment, role, word))
    return may, reasons


def _nobody(enrolment: Enrolment, role: str, word: str) -> str:
    """No one may take the unit over in this role: the change-of-assessor (or IQA) page's words."""
    who = ("not its assessor, nor anyone who assessed it" if role == "iqa" else "not its IQA")
    return (f"There is no other {word} at {enrolment.centre.name} who may take this unit over ({who}: nobody "
            f"quality-assures their own decisions), so its {word} cannot be changed. Invite someone as "
            f"{'an IQA' if role == 'iqa' else 'an assessor'}, or give someone at the centre the role from their page.")
