"""Who may add to the catalogue. Placeholder until the versions branch merges (its rule replaces this)."""


def may_import_units(person: object) -> bool:
    return bool(getattr(person, "is_superuser", False))
