from django import template

from bvntd.core.calendar import local_date

register = template.Library()


@register.filter
def get(mapping, key):
    """`{{ errors|get:"phone" }}`: a dict value by a variable key."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def vnd(amount):
    """1500000 -> "1.500.000 ₫" (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " ₫"


@register.filter
def vn_date(value):
    """An aware datetime or a date as dd/mm/yyyy in Vietnam's time."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = local_date(value)
    return value.strftime("%d/%m/%Y")
