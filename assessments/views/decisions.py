# PLACEHOLDER until written: every view answers 404.
from django.http import Http404


def decision_page(request, **kwargs):
    raise Http404


def decision_record(request, **kwargs):
    raise Http404


def decision_withdraw(request, **kwargs):
    raise Http404
