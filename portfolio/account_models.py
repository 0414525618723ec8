"""A name a centre administrator suggests for one of its people. A person owns their name: the
centre does not change it, it asks, and the person confirms on their own account page (or does
nothing). Kept so that the link in the notification opens the page with the name filled in, and so
that the page can say who asked, and when, for as long as it waits for an answer; and so that the
centre's page about the person can say whether it waits, or was accepted or declined, and when.

A centre has one question waiting for a person at a time: asking again, for another name, replaces
the one waiting (`services_people.name_suggest`), which is kept, marked replaced by the newer."""

from typing import Self

from django.db import models


class NameSuggestionQuerySet(models.QuerySet):
    def waiting(self) -> Self:
        """Neither answered by the person nor replaced by the centre's newer question. (One that
        is their name already asks them nothing: the callers compare it with the name they hold.)"""
        return self.filter(answered_at=None, replaced_by=None)


class NameSuggestion(models.Model):
    class Answer(models.TextChoices):
        # Saved the suggested name as theirs.
        ACCEPTED = "accepted", "accepted"
        # Chose to keep their name, or saved a name other than the one suggested.
        DECLINED = "declined", "declined"

    person = models.ForeignKey("portfolio.Person", on_delete=models.CASCADE, related_name="name_suggestions")
    centre = models.ForeignKey("portfolio.Centre", on_delete=models.CASCADE, related_name="+")
    suggested_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    made_at = models.DateTimeField(auto_now_add=True)
    # When the person saved a name on their account page, the suggested one or another, or chose to
    # keep theirs: the suggestion no longer waits for them.
    answered_at = models.DateTimeField(null=True, blank=True)
    # What they answered, recorded when they did, so the centre's page about them can say it
    # (their name today may have changed again since).
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    # The centre's newer question that replaced this one while it waited: the administrator asked
    # again, for another name (a slip in the first, most often). It no longer waits for the person
    # and was never answered; the centre's page says it was replaced, when, and by which name. Both
    # are the person's history at the centre, and go only with them (a person or centre deleted).
    replaced_by = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replaced"
    )

    objects = NameSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}, suggested for {self.person_id}"
