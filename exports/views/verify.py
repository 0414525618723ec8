"""The checking page: what `manage.py verify_export` does, for a PDF a member of staff or an EQA
uploads (docs/exports.md). Post, redirect, get: the result waits in the session for the page the
checker is sent back to, so refreshing it never uploads the file again."""

from dataclasses import asdict

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portfolio import selectors as portfolio_selectors
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Role

from ..forms.verify import VerifyPdfForm
from ..verification import ExportCheck, check_export
from ..verification_live import centre_roots, live_check_for

CHECKERS = (Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR, Role.EQA)

# The last check's result, for the page after the upload.
RESULT = "exports.verify_result"


def _shown(result: ExportCheck) -> dict:
    """What the page shows of a result, as the session can keep it (the manifests stay out)."""
    units = [
        {
            **{name: str(value) for name, value in asdict(unit).items() if isinstance(value, str)},
            **{name: [str(line) for line in getattr(unit, name)] for name in ("problems", "changes", "notes")},
            "valid": unit.valid,
        }
        for unit in result.units
    ]
    return {
        "valid": result.valid,
        "problems": [str(problem) for problem in result.problems],
        "left_out": [str(unit) for unit in result.left_out],
        "units": units,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def verify_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Staff and EQAs only; for a candidate the page does not exist, like any page of a role they lack.
    if not portfolio_selectors.roles_of(request.user) & set(CHECKERS):
        raise Http404
    form = VerifyPdfForm(request.POST, request.FILES) if request.method == "POST" else VerifyPdfForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["pdf"]
        checked = check_export(upload, upload.name or "the PDF", centre_roots, live_check_for(request.user))
        request.session[RESULT] = _shown(checked)
        return redirect("exports:verify_pdf")
    shown = request.session.pop(RESULT, None) if request.method == "GET" else None
    return render(
        request, "exports/export_verify.html", {"form": form, "result": shown}, status=400 if form.is_bound else 200
    )
