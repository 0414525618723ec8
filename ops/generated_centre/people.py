"""Planning the centre's people, their memberships and the candidates' enrolments."""

# Made-up data from a seed, reproducible on purpose: nothing random here is a secret.

import datetime

from portfolio.models import Enrolment, Membership, Person, Role
from standards.models import Unit

from .plan import UNIT_CODES, CentrePlan
from .words import FIRST_NAMES, LAST_NAMES


class PeoplePlanner(CentrePlan):
    def plan_people(self) -> None:
        size = self.size
        plan: tuple[tuple[str, int], ...] = (
            (Role.ADMINISTRATOR, size.administrators),
            (Role.ASSESSOR, size.assessors),
            (Role.IQA, size.iqa_count),
            (Role.CANDIDATE, size.candidates),
        )
        for role, count in plan:
            self.people[role] = [self._person() for _ in range(count)]
        if size.showcase:
            self.people[Role.CANDIDATE].append(self._person(email=f"showcase.candidate@{self.email_domain}"))
        for role, people in self.people.items():
            self.memberships += [
                Membership(person=p, centre=self.centre, role=role, created_at=self.now - datetime.timedelta(days=500))
                for p in people
            ]
        assessors, iqas = self.people[Role.ASSESSOR], self.people[Role.IQA]
        units = [self.units[code].unit for code in UNIT_CODES]
        per_candidate = min(size.enrolments, len(units))
        for index, candidate in enumerate(self.people[Role.CANDIDATE]):
            showcase = size.showcase and index == len(self.people[Role.CANDIDATE]) - 1
            chosen = [self.units["HSC331"].unit] if showcase else self._units_for(units, per_candidate)
            start = self.today - datetime.timedelta(days=self.rng.randint(60, 420))
            enrolments = []
            for number, unit in enumerate(chosen):
                # Most candidates have one assessor for all their units; some have a second.
                assessor = assessors[(index + (number if self.rng.random() < 0.2 else 0)) % len(assessors)]
                iqa = iqas[assessors.index(assessor) % len(iqas)]
                enrolment = Enrolment(
                    centre=self.centre, candidate=candidate, unit=unit, assessor=assessor, iqa=iqa,
                    registration_number=f"{unit.slug.upper()}-{self.seed}-{index + 1:05d}",
                    start_date=start, target_date=start + datetime.timedelta(days=365),
                    registered_by=self.people[Role.ADMINISTRATOR][0] if size.administrators else assessor,
                    registered_at=self._at(start),
                )
                roll = self.rng.random() * 100
                if showcase or roll < size.signed_off_percent:
                    self.stages[id(enrolment)] = "signed off"
                elif roll < size.signed_off_percent + 50:
                    self.stages[id(enrolment)] = "decisions"
                else:
                    self.stages[id(enrolment)] = "early"
                enrolments.append(enrolment)
            self.enrolments[index] = enrolments

    def _units_for(self, units: list[Unit], count: int) -> list[Unit]:
        if count >= len(units):
            return list(units)
        return sorted(self.rng.sample(units, count), key=lambda unit: unit.code)

    def _person(self, email: str = "") -> Person:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        if not email:
            stem = f"{first}.{last}".lower().replace("'", "")
            email, n = f"{stem}@{self.email_domain}", 1
            while email in self._emails:
                n += 1
                email = f"{stem}{n}@{self.email_domain}"
        self._emails.add(email)
        return Person(
            email=email, first_name=first, last_name=last, password=self.password,
            date_joined=self.now - datetime.timedelta(days=500),
        )
