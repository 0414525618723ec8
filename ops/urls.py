"""The pages of running the centre: its reports, each a page and a CSV download, and its audit trail."""

from django.urls import path

from .audit_trail import views as audit_views
from .reports import views
from .reports.registry import REPORTS

app_name = "ops"

urlpatterns = [
    path("centres/<int:centre_id>/reports/", views.reports_index, name="reports"),
    path("centres/<int:centre_id>/audit-trail/", audit_views.audit_trail, name="audit_trail"),
    path("centres/<int:centre_id>/audit-trail/dealt-with/", audit_views.audit_trail_acknowledge, name="audit_trail_acknowledge"),
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
