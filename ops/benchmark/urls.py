"""The product's URLs and the benchmark's baseline page, for the measuring process only: pages.py
sets ROOT_URLCONF to this module and BENCHMARK_PRODUCT_URLCONF to the product's, for its requests."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path

from .baseline import baseline

_product: str = getattr(settings, "BENCHMARK_PRODUCT_URLCONF", "")
if not _product:
    raise ImproperlyConfigured("ops.benchmark.urls serves the benchmark's measuring process only (ops/benchmark/pages.py).")

urlpatterns = [
    path("benchmark/baseline/", baseline, name="benchmark_baseline"),
    path("", include(_product)),
]
