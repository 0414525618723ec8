# PLACEHOLDER until written: every view answers 404.
from django.http import Http404


def testimony_request_create(request, **kwargs):
    raise Http404


def testimony_give(request, **kwargs):
    raise Http404
