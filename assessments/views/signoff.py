# PLACEHOLDER until written: every view answers 404.
from django.http import Http404


def sign_off(request, **kwargs):
    raise Http404


def countersign(request, **kwargs):
    raise Http404


def unlock(request, **kwargs):
    raise Http404
