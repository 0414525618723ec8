from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "standards/unit_list.html")


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "standards/unit_detail.html")
