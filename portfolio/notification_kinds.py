"""What a notification is about, and the ways a person may choose to hear of each kind. Every call of
`notifications.notify` names its kind; the labels are what the notification settings page shows."""

from django.db import models


class NotificationKind(models.TextChoices):
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted for you to judge"
    WITNESS_TESTIMONY = "witness_testimony", "Witness testimony given"
    EVIDENCE_REFERRED = "evidence_referred", "Your evidence referred back to you"
    EVIDENCE_ACCEPTED = "evidence_accepted", "Your evidence accepted"
    EVIDENCE_RECORDED = "evidence_recorded", "Evidence your assessor recorded in your portfolio"
    EVIDENCE_JUDGED_ELSEWHERE = "evidence_judged_elsewhere", "Evidence on your units judged by another assessor"
    COMMENT = "comment", "Comments on evidence"
    COUNTERSIGN_REQUESTED = "countersign_requested", "A unit signed off and waiting for your countersignature"
    UNIT_SIGNED_OFF = "unit_signed_off", "A unit signed off by its assessor"
    UNIT_COUNTERSIGNED = "unit_countersigned", "A unit countersigned by its candidate"
    UNIT_UNLOCKED = "unit_unlocked", "A signed-off unit unlocked"
    IQA_REFERRED = "iqa_referred", "A unit referred back to you by the IQA"
    IQA_COUNTERSIGNED = "iqa_countersigned", "A unit countersigned by the IQA"
    IQA_ACTIONS_DONE = "iqa_actions_done", "The IQA’s actions marked done by the assessor"
    INTEGRITY_FAILURE = "integrity_failure", "A signed record or evidence file that fails its check"
    EQA_REPORT = "eqa_report", "A report from the external quality assurer"
    EQA_ACTION_ANSWERED = "eqa_action_answered", "The centre’s answer to an action in your report"
    EQA_ACTION_REVIEWED = "eqa_action_reviewed", "An EQA’s action closed, or left open"
    ENROLMENT_CHANGED = "enrolment_changed", "A unit’s assessor, IQA, target date or standing changed by the centre"
    MEMBERSHIP_CHANGED = "membership_changed", "Your roles, name or access at a centre changed by the centre"
    NAME_SUGGESTED = "name_suggested", "A change to your name suggested by your centre"
    INVITATION_ACCEPTED = "invitation_accepted", "Your invitation to the centre accepted"
    # Anything not (yet) given a kind of its own.
    GENERAL = "general", "Other notices"


class NotificationDelivery(models.TextChoices):
    AT_ONCE = "at_once", "Email me at once"
    DIGEST = "digest", "Daily digest email"
    IN_APP = "in_app", "In the app only"
