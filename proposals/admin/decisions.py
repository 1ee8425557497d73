"""The decision procedure's record (决策程序) in the admin, read-only."""

from django.contrib import admin

from ..models import (
    DecisionStep,
)
from .common import ReadOnlyAdmin, StepRegionFilter


@admin.register(DecisionStep)
class DecisionStepAdmin(ReadOnlyAdmin):
    list_display = [
        "candidate",
        "stage",
        "held_on",
        "outcome",
        "responsible_unit",
        "document_number",
        "recorded_by",
    ]
    list_filter = ["stage", "outcome", "candidate__year", StepRegionFilter]
    search_fields = ["candidate__title", "notes", "document_number"]
    list_select_related = ["candidate", "responsible_unit", "recorded_by"]
