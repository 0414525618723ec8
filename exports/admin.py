"""Bulk exports in the Django admin: read only, like every assessment record."""

from django.contrib import admin

from portfolio.admin import ReadOnlyAdmin

from .models import BulkExport


@admin.register(BulkExport)
class BulkExportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "centre", "requested_by", "requested_at", "status", "units_done", "units_total"]
