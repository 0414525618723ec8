# PLACEHOLDER until written: every view answers 404.
from django.http import Http404


def queue(request, **kwargs):
    raise Http404


def judge(request, **kwargs):
    raise Http404


def assessor_evidence_create(request, **kwargs):
    raise Http404
