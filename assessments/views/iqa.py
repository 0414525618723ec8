# PLACEHOLDER until written: every view answers 404.
from django.http import Http404


def sample_page(request, **kwargs):
    raise Http404


def review(request, **kwargs):
    raise Http404


def actions_done(request, **kwargs):
    raise Http404
