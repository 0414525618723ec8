"""Bulk exports in the Django admin: read only, like every assessment record."""

from django.contrib import admin

from portfolio.admin import ReadOnlyAdmin

from .models import BulkExport, CentreSeal


@admin.register(BulkExport)
class BulkExportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "centre", "requested_by", "requested_at", "status", "units_done", "units_total"]


@admin.register(CentreSeal)
class CentreSealAdmin(ReadOnlyAdmin):
    """Who each centre's seal names and until when; never the encrypted key itself."""

    list_display = ["centre", "subject", "made_at", "valid_until", "uploaded", "retired_at"]
    fields = ["centre", "subject", "made_at", "valid_until", "uploaded", "retired_at", "root_pem", "certificate_pem"]
