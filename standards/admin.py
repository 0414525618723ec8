from django.contrib import admin

from . import models


class CriterionPointInline(admin.TabularInline):
    model = models.CriterionPoint
    extra = 0


class KnowledgePointInline(admin.TabularInline):
    model = models.KnowledgePoint
    extra = 0


class KeyTermPointInline(admin.TabularInline):
    model = models.KeyTermPoint
    extra = 0


class ScopeItemInline(admin.TabularInline):
    model = models.ScopeItem
    extra = 0


class ElementInline(admin.TabularInline):
    model = models.Element
    extra = 0


class AwardingBodyCodeInline(admin.TabularInline):
    model = models.AwardingBodyCode
    extra = 0


@admin.register(models.Suite)
class SuiteAdmin(admin.ModelAdmin):
    list_display = ["code", "title"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "suite"]
    list_filter = ["suite"]
    search_fields = ["code", "title"]
    prepopulated_fields = {"slug": ["code"]}
    inlines = [AwardingBodyCodeInline, ElementInline]


@admin.register(models.AwardingBodyCode)
class AwardingBodyCodeAdmin(admin.ModelAdmin):
    list_display = ["unit", "awarding_body", "code"]


@admin.register(models.Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "unit"]
    list_filter = ["unit"]


@admin.register(models.Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["reference", "text", "unit", "element"]
    list_filter = ["unit"]
    search_fields = ["reference", "text"]
    inlines = [CriterionPointInline]


@admin.register(models.KnowledgeSection)
class KnowledgeSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "position"]
    list_filter = ["unit"]


@admin.register(models.KnowledgeItem)
class KnowledgeItemAdmin(admin.ModelAdmin):
    list_display = ["reference", "text", "section"]
    list_filter = ["unit"]
    search_fields = ["reference", "text"]
    inlines = [KnowledgePointInline]


@admin.register(models.ScopeCategory)
class ScopeCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "lead", "unit"]
    list_filter = ["unit"]
    inlines = [ScopeItemInline]


@admin.register(models.ScopeItem)
class ScopeItemAdmin(admin.ModelAdmin):
    list_display = ["reference", "text", "category"]
    search_fields = ["reference", "text"]


@admin.register(models.KeyTerm)
class KeyTermAdmin(admin.ModelAdmin):
    list_display = ["term", "definition", "unit"]
    list_filter = ["unit"]
    inlines = [KeyTermPointInline]


@admin.register(models.Footnote)
class FootnoteAdmin(admin.ModelAdmin):
    list_display = ["unit", "number", "part", "text"]


admin.site.register(models.CriterionPoint)
admin.site.register(models.KnowledgePoint)
admin.site.register(models.KeyTermPoint)


class QualificationGroupInline(admin.TabularInline):
    model = models.QualificationGroup
    extra = 0
    show_change_link = True  # a group's units are edited on the group's own page


class QualificationUnitInline(admin.TabularInline):
    model = models.QualificationUnit
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(models.Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "awarding_body", "level", "scqf_level", "credits"]
    search_fields = ["code", "title"]
    inlines = [QualificationGroupInline]


@admin.register(models.QualificationGroup)
class QualificationGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mandatory", "min_units", "min_credits"]
    list_filter = ["qualification"]
    inlines = [QualificationUnitInline]
