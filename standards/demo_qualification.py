"""A qualification made of the two units the product ships with, for the demo centre and the tests.

It is not a real award: the SVQ 3 it is modelled on has some twenty units. Its shape is real: a
mandatory group, an optional group with a rule, credit values and a credit total."""

from django.db import transaction

from .models import Unit
from .qualification_models import Qualification, QualificationGroup, QualificationUnit

DEMO_CODE = "DEMO 07"


@transaction.atomic
def demo_qualification() -> Qualification:
    """The demo qualification, made the first time it is asked for."""
    qualification, made = Qualification.objects.get_or_create(
        code=DEMO_CODE,
        defaults={
            "title": "SVQ 3 Social Services and Housing Support (demonstration)",
            "awarding_body": "SQA", "level": "SVQ 3", "scqf_level": 7, "credits": 14,
        },
    )
    if not made:
        return qualification
    mandatory = QualificationGroup.objects.create(
        qualification=qualification, name="Group A (mandatory)", position=1, mandatory=True
    )
    optional = QualificationGroup.objects.create(
        qualification=qualification, name="Group B (optional)", position=2, min_units=1, min_credits=5
    )
    for group, code, credit in ((mandatory, "HSC331", 9), (optional, "H3 25", 5)):
        # The newest version where a unit has several (standards' versions are ordered by code).
        unit = Unit.objects.filter(code=code).order_by("-pk").first()
        if unit is None:
            raise LookupError(f"Load the standards first: unit {code} is not in the catalogue.")
        QualificationUnit.objects.create(group=group, unit=unit, credit=credit, position=1)
    return qualification
