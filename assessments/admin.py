from django.contrib import admin

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "criterion", "knowledge_item", "decided_by", "decided_at", "withdrawn_at"]
    list_filter = ["enrolment__unit"]
    raw_id_fields = ["enrolment", "evidence"]
