"""A name a centre administrator suggests for one of its people. A person owns their name: the
centre does not change it, it asks, and the person confirms on their own account page (or does
nothing). Kept so that the link in the notification opens the page with the name filled in, and so
that the page can say who asked, and when, for as long as it waits for an answer; and so that the
centre's page about the person can say whether it waits, or was accepted or declined, and when."""

from django.db import models


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

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}, suggested for {self.person_id}"
