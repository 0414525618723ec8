# PLACEHOLDER until written: the signoff panel of the candidate's unit page renders nothing yet.
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def signoff_panel(context, enrolment):
    return ""


@register.simple_tag(takes_context=True)
def audit_trail_panel(context, enrolment):
    return ""
