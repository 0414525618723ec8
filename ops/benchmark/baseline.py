"""The yardstick every page is measured against: a signed-in page with the base layout and nothing
else (navigation, notification count, messages, the security headers and every middleware), served
only by the benchmark's own URLs (`ops.benchmark.urls`), never by the product's.

Machines differ by two times and more from run to run; a page's median CPU time as a multiple of
this page's, measured in the same process a moment apart, hardly does."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def baseline(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/benchmark_baseline.html")
