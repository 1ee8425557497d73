"""Text written to a spreadsheet (Excel or CSV) never runs as a formula.

A cell starting with = + - @ (or a tab or carriage return, which some readers skip first) is read by Excel
and WPS as a formula: a project title typed as `=HYPERLINK("http://…","点击查看")` became a live link in
every exported list (CSV/formula injection). Every export writes text through `neutralise`, which puts an
apostrophe in front, the way Excel itself marks "this is text"; our ledger importers take it off again
(ledgers.cells). Exports through django-import-export use `NeutralisedResource`.
"""

from import_export import resources

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that would run as a formula is written with a leading apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class NeutralisedResource(resources.ModelResource):
    """A django-import-export resource whose exported text cells are neutralised (XLSX, CSV and the rest)."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))
