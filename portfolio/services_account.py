"""What a person changes of their own account: their name. A person owns their name; a centre
corrects only the name it typed on an invitation, and asks anyone who has accepted
(`services_people.name_suggest`), so the centre's side is the same for everyone, whether or not
they are known anywhere else."""

from django.db import transaction
from django.utils import timezone

from . import audit
from .audit import PortfolioAction
from .models import Centre, DeactivatedMembership, EqaGrant, Membership, NameSuggestion, Person
from .services_centre import Refused


def _centres_knowing(person: Person) -> list[Centre]:
    """Every centre at which the person holds or held a role or an EQA's access: each keeps its own
    record of the change in its audit trail, which names no other centre."""
    ids = set(Membership.objects.filter(person=person).values_list("centre_id", flat=True))
    ids |= set(DeactivatedMembership.objects.filter(person=person).values_list("centre_id", flat=True))
    ids |= set(EqaGrant.objects.filter(person=person).values_list("centre_id", flat=True))
    return list(Centre.objects.filter(pk__in=ids).order_by("pk"))


def waiting_name_suggestions(person: Person) -> list[NameSuggestion]:
    """The names the person's centres asked them to check that they have not answered, newest
    first; one that is their name already asks nothing."""
    waiting = NameSuggestion.objects.waiting().filter(person=person).select_related("centre", "suggested_by")
    return [s for s in waiting.order_by("-made_at", "-pk") if (s.first_name, s.last_name) != (person.first_name, person.last_name)]


def name_suggestions_answer(*, person: Person, suggestion_id: int | None = None, saved: tuple[str, str] | None = None) -> int:
    """The person has answered the suggestions waiting for them: saved a name (`saved`: each is
    accepted if it suggested that name, declined otherwise), or kept their name, to one centre's
    question (`suggestion_id`: declined). Not shown to them again. Returns how many. (A question
    the centre replaced by a newer one waits no more, and is not answered.)"""
    waiting = NameSuggestion.objects.waiting().filter(person=person)
    if suggestion_id is not None:
        waiting = waiting.filter(pk=suggestion_id)
    now = timezone.now()
    accepted = 0
    if saved is not None:
        first_name, last_name = saved
        accepted = waiting.filter(first_name=first_name, last_name=last_name).update(
            answered_at=now, answer=NameSuggestion.Answer.ACCEPTED
        )
    return accepted + waiting.update(answered_at=now, answer=NameSuggestion.Answer.DECLINED)


def own_name_change(*, person: Person, first_name: str, last_name: str) -> bool:
    """The person changes their own name; False when it was already that (nothing is recorded).
    Audited at every centre that knows them; someone at no centre (the site administrator) leaves
    no audit event, as the audit trail is a centre's."""
    first_name, last_name = first_name.strip(), last_name.strip()
    if not (first_name and last_name):
        raise Refused("Give both a first name and a last name.")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        # The name they saved is their answer to any.
        name_suggestions_answer(person=person, saved=(first_name, last_name))
        if (person.first_name, person.last_name) == (first_name, last_name):
            return False
        before = str(person)
        person.first_name, person.last_name = first_name, last_name
        person.full_clean()
        person.save(update_fields=["first_name", "last_name"])
        for centre in _centres_knowing(person):
            audit.record(
                PortfolioAction.PERSON_RENAMED, actor=person, centre=centre,
                summary=f"{before} ({person.email}) changed their name to {person}",
                before={"name": before}, after={"person": person.pk, "email": person.email, "name": str(person)},
            )
    return True
