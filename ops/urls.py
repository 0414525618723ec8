"""The pages of running the centre: its reports, each a page and a CSV download."""

from django.urls import path

from .reports import views
from .reports.registry import REPORTS

app_name = "ops"

urlpatterns = [
    path("centres/<int:centre_id>/reports/", views.reports_index, name="reports"),
    *(
        path(f"centres/<int:centre_id>/reports/{report.slug}/", views.report_page, {"report": report.slug},
             name=report.url_name)
        for report in REPORTS
    ),
    *(
        path(f"centres/<int:centre_id>/reports/{report.slug}.csv", views.report_csv, {"report": report.slug},
             name=f"{report.url_name}_csv")
        for report in REPORTS
    ),
]
