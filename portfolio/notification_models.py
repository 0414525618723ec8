"""A person's notifications, and how they choose to hear of each kind. (Imported by `models`, so
these are the portfolio app's models; the people they belong to are named by the user-model setting,
not imported, as `models` imports this module.)"""

from django.conf import settings
from django.db import models

from .notification_kinds import NotificationDelivery, NotificationKind


class Notification(models.Model):
    """A message in a person's in-app inbox, also emailed at once or in the daily digest if they
    choose: evidence submitted, referred back, accepted; a unit signed off, countersigned or referred."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=NotificationKind.choices, default=NotificationKind.GENERAL)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    # The centre it is about (None: about the person themselves, such as their access ended): shown
    # only while they hold a role there, or an EQA's grant (`notifications.shown_to`).
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # How the recipient chose to hear of this kind when it was made. Notifications from before
    # people chose had all been emailed at once, hence the default.
    delivery = models.CharField(
        max_length=10, choices=NotificationDelivery.choices, default=NotificationDelivery.AT_ONCE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When a daily digest listed it: the record that keeps it out of every later digest.
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # Only the few waiting for a digest: what the daily run looks for.
            models.Index(
                fields=["recipient"],
                condition=models.Q(delivery=NotificationDelivery.DIGEST, digested_at__isnull=True),
                name="notification_digest_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    """One person's choice for one kind of notification. A kind they never chose has its default
    (`notification_preferences.DEFAULT_DELIVERY`)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=10, choices=NotificationDelivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_notification_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.delivery}"
