"""The 民生办's admin for plans, projects, targets, milestones, adjustments and monthly reports: one module
per part; importing this package registers them all, in this order (the admin's and the history page's)."""

# isort: off
from . import plans, projects, targets, reports  # noqa: F401  (registration)

# isort: on
from .common import LIGHT_LABELS, REPORT_LABELS, ReadOnlyInlineMixin

__all__ = ["LIGHT_LABELS", "REPORT_LABELS", "ReadOnlyInlineMixin"]
