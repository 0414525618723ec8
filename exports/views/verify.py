"""The checking page: what `manage.py verify_export` does, for a PDF a member of staff or an EQA
uploads (docs/exports.md)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from portfolio import access as portfolio_access
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Role

from ..forms.verify import VerifyPdfForm
from ..verification import check_export
from ..verification_live import centre_roots, live_check_for

CHECKERS = (Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR, Role.EQA)


@require_http_methods(["GET", "HEAD", "POST"])
def verify_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Staff and EQAs only; for a candidate the page does not exist, like any page of a role they lack.
    if not portfolio_access.centres_where(request.user, *CHECKERS).exists():
        raise Http404
    form = VerifyPdfForm(request.POST, request.FILES) if request.method == "POST" else VerifyPdfForm()
    result = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["pdf"]
        result = check_export(upload, upload.name or "the PDF", centre_roots, live_check_for(request.user))
    return render(request, "exports/export_verify.html", {"form": form, "result": result})
