# PLACEHOLDER until written: the judging panel of the candidate's unit page renders nothing yet.
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def judging_panel(context, enrolment):
    return ""
