from django import template

register = template.Library()


@register.simple_tag
def lookup(table: dict, kind: str, pk: int) -> int:
    """How many evidence items cover one item, from the counts gathered for the whole page."""
    return table.get(kind, {}).get(pk, 0)


@register.simple_tag
def is_chosen(chosen: dict, kind: str, pk: int) -> bool:
    return pk in chosen.get(kind, set())


@register.filter
def get_item(table, key):
    """A value from a dict in a template, or None."""
    if not table:
        return None
    return table.get(key)
