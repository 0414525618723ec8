"""The roles a person holds at a centre (a Membership's role), kept apart from the models that use them."""

from django.db import models


class Role(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    ASSESSOR = "assessor", "Assessor"
    IQA = "iqa", "Internal quality assurer"
    ADMINISTRATOR = "administrator", "Centre administrator"
    EQA = "eqa", "External quality assurer"  # reads what a grant (EqaGrant) gives; changes nothing
