"""The choices an evidence item is described by: how it was gathered and where it stands."""

from django.db import models


class AssessmentMethod(models.TextChoices):
    DIRECT_OBSERVATION = "observation", "Direct observation"
    WITNESS_TESTIMONY = "witness", "Witness testimony"
    EXPERT_WITNESS = "expert_witness", "Expert witness testimony"
    PROFESSIONAL_DISCUSSION = "discussion", "Professional discussion"
    REFLECTIVE_ACCOUNT = "reflective_account", "Reflective account"
    PRODUCT = "product", "Product (work product) evidence"
    QUESTIONING = "questioning", "Questioning (oral or written)"
    PRIOR_LEARNING = "rpl", "Recognition of prior learning (RPL)"
    SIMULATION = "simulation", "Simulation"


class EvidenceState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for assessment"
    REFERRED = "referred", "Referred back"
    ACCEPTED = "accepted", "Accepted"
