"""Workflow steps of supervision: the daily alert scan, 督办单 (issue, respond, escalate, close), problems and
their rectification, inspections. Views, admin, API and tasks all call these.

One module per part of the workflow; every public name is re-exported here, so
`from supervision import services; services.issue_order(...)` works.
"""

from .alerts import NOTIFY_BATCH, ScanResult, notify_pending_alerts, scan_alerts
from .common import notify, require_staff, require_text, require_unit_user, require_visible, unit_users
from .inspections import Finding, add_finding, record_inspection
from .orders import close_order, escalate_overdue_orders, issue_order, respond_to_order, stage_dues
from .problems import (
    add_evidence,
    plan_rectification,
    record_problem,
    reject_rectification,
    submit_rectification,
    verify_rectification,
)

__all__ = [
    "notify",
    "unit_users",
    "require_staff",
    "require_visible",
    "require_unit_user",
    "require_text",
    "NOTIFY_BATCH",
    "ScanResult",
    "scan_alerts",
    "notify_pending_alerts",
    "stage_dues",
    "issue_order",
    "respond_to_order",
    "close_order",
    "escalate_overdue_orders",
    "record_problem",
    "plan_rectification",
    "add_evidence",
    "submit_rectification",
    "verify_rectification",
    "reject_rectification",
    "Finding",
    "record_inspection",
    "add_finding",
]
