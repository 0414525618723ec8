"""Who judges an evidence item, in the words its candidate's pages say it: "your assessor" while
one person does, by name where the item bears on the units of two assessors (holistic evidence,
`judged_by`: either judges it, and each decides the items of their own units). An outside trial
found the candidate told "your assessor" on the evidence page, in its conversation and above the
feedback of a referral, where two assessors were concerned."""

from dataclasses import dataclass

from . import access
from .models import Evidence, Person
from .name_order import person_key

YOUR_ASSESSOR = "your assessor"


def and_names(names: list[str]) -> str:
    """“Dan Hughes”, “Dan Hughes and Priya Shah”, “A, B and C”."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Judges:
    people: list[Person]  # by name

    @property
    def several(self) -> bool:
        return len(self.people) > 1

    @property
    def names(self) -> str:
        """“Dan Hughes and Priya Shah”; “your assessor” when nobody judges it here yet."""
        return and_names([str(person) for person in self.people]) if self.people else YOUR_ASSESSOR

    @property
    def who(self) -> str:
        """Whoever of them acts, as a sentence names them: “your assessor”, or “Dan Hughes or Priya Shah”."""
        if not self.several:
            return YOUR_ASSESSOR
        return ", ".join(str(p) for p in self.people[:-1]) + " or " + str(self.people[-1])

    @property
    def yours(self) -> str:
        """The other side of the candidate's conversation: “your assessor”, or “your assessors,
        Dan Hughes and Priya Shah”."""
        return f"your assessors, {self.names}" if self.several else YOUR_ASSESSOR

    @property
    def theirs(self) -> str:
        """The same, to someone reading the candidate's item: “their assessors, Dan Hughes and Priya Shah”."""
        return f"their assessors, {self.names}" if self.several else "their assessor"

    @property
    def to_write_to(self) -> str:
        """Whom the candidate's comment goes to (each is told of it): “your assessor”, or both by name."""
        return self.names if self.several else YOUR_ASSESSOR


def judges_of(evidence: Evidence) -> Judges:
    """Those whose it is to judge the item (`access.judges_of`), by name."""
    return Judges(sorted(access.judges_of(evidence), key=person_key))
