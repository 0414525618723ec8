"""The product's URLs and the benchmark's baseline page, for the measuring process only
(`override_settings(ROOT_URLCONF="ops.benchmark.urls")` in ops/benchmark/pages.py)."""

from django.urls import path

from config.urls import urlpatterns as product

from .baseline import baseline

urlpatterns = [
    path("benchmark/baseline/", baseline, name="benchmark_baseline"),
    *product,
]
