from django.urls import path

from .views import bulk, summary_pdf, unit_pdf, verify, visit_pack

app_name = "exports"
urlpatterns = [
    # One unit's portfolio, for everyone on the candidate's case.
    path("units/<int:pk>/portfolio.pdf", unit_pdf.unit_pdf, name="unit_pdf"),
    # A qualification's summary of achievement, once complete, for everyone on the candidate's case.
    path("qualifications/<int:pk>/summary.pdf", summary_pdf.summary_pdf, name="summary_pdf"),
    # A centre's bulk exports for the awarding body.
    path("centres/<int:centre_id>/", bulk.export_list, name="export_list"),
    path("<int:pk>/", bulk.export_detail, name="export_detail"),
    path("<int:pk>/download/", bulk.export_download, name="export_download"),
    # A centre's visit packs for its external quality assurer (docs/exports.md).
    path("centres/<int:centre_id>/visit-packs/", visit_pack.pack_list, name="pack_list"),
    path("visit-packs/<int:pk>/", visit_pack.pack_detail, name="pack_detail"),
    path("visit-packs/<int:pk>/download/", visit_pack.pack_download, name="pack_download"),
    # Checking a unit PDF's seal and manifest, for staff and EQAs (docs/exports.md).
    path("verify/", verify.verify_pdf, name="verify_pdf"),
]
