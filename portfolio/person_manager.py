"""How people are made: by email address, with no separate user name (`models.Person`)."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import UserManager

if TYPE_CHECKING:
    from .models import Person


class PersonManager(UserManager["Person"]):
    """People sign in with their email address; there is no separate user name."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "Person":
        if not email:
            raise ValueError("A person needs an email address to sign in with.")
        person = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "Person":  # type: ignore[override]  # the email is the user name
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: Any) -> "Person":  # type: ignore[override]  # the email is the user name
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> "Person":
        return self.get(email__iexact=username)
