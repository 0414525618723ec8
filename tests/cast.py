"""The named people every test stands on, and the world they stand in.

At Riverside Training, Alice is a candidate on HSC331 and H3 25; Bob is her assessor, Carol her
IQA, Grace the centre administrator and Heidi the awarding body's EQA for the centre. Strangers to
Alice's case: Dave, another candidate at Riverside (on HSC331, assessed by Erin, sampled by Carol);
Erin, another assessor there; Ivan, another IQA there; and Frank, who administers Hillside College.

tests/conftest.py offers each of them as a fixture of the same name; the builders here are for the
places a fixture cannot reach (a browser test's transactional database, a world built again after
a restore). One table, so a name means the same person in every test.
"""

from dataclasses import dataclass

from portfolio.models import Centre, Enrolment, Person, Role
from tests.factories import CentreFactory, enrol, member

# key: (first name, last name, role, at the other centre)
CAST: dict[str, tuple[str, str, str, bool]] = {
    "alice": ("Alice", "Adams", Role.CANDIDATE, False),
    "bob": ("Bob", "Baker", Role.ASSESSOR, False),
    "carol": ("Carol", "Clark", Role.IQA, False),
    "grace": ("Grace", "Gordon", Role.ADMINISTRATOR, False),
    "heidi": ("Heidi", "Hughes", Role.EQA, False),
    "dave": ("Dave", "Davies", Role.CANDIDATE, False),
    "erin": ("Erin", "Evans", Role.ASSESSOR, False),
    "ivan": ("Ivan", "Ives", Role.IQA, False),
    "frank": ("Frank", "Fisher", Role.ADMINISTRATOR, True),
}


def riverside() -> Centre:
    return CentreFactory(name="Riverside Training", code="riverside")


def hillside() -> Centre:
    return CentreFactory(name="Hillside College", code="hillside")


def person(key: str, centre: Centre) -> Person:
    """One of the cast, with their role at `centre` (Riverside, or Hillside for Frank)."""
    first_name, last_name, role, _ = CAST[key]
    return member(centre, role, first_name=first_name, last_name=last_name, email=f"{key}@example.org")


def alices_unit(alice: Person, unit_code: str, *, bob: Person, carol: Person, centre: Centre) -> Enrolment:
    return enrol(alice, unit_code, assessor=bob, iqa=carol, centre=centre)


def daves_unit(dave: Person, *, erin: Person, carol: Person, centre: Centre) -> Enrolment:
    return enrol(dave, "HSC331", assessor=erin, iqa=carol, centre=centre)


@dataclass
class World:
    centre: Centre
    other_centre: Centre
    people: dict[str, Person]
    hsc331: Enrolment
    h3_25: Enrolment
    daves_unit: Enrolment


def build_world() -> World:
    """Everyone at once, with Alice's two units and Dave's, for tests that cannot use fixtures.

    The standards must be loaded (tests.factories.load_standards)."""
    centre, other_centre = riverside(), hillside()
    people = {key: person(key, other_centre if elsewhere else centre) for key, (*_, elsewhere) in CAST.items()}
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    return World(
        centre=centre,
        other_centre=other_centre,
        people=people,
        hsc331=alices_unit(alice, "HSC331", bob=bob, carol=carol, centre=centre),
        h3_25=alices_unit(alice, "H3 25", bob=bob, carol=carol, centre=centre),
        daves_unit=daves_unit(people["dave"], erin=people["erin"], carol=carol, centre=centre),
    )
