"""A region's yearly plan of livelihood projects, their targets, milestones and monthly progress reports.

One module per part (plans, projects, targets, reports); everything is importable from here, as before the
split (`from projects.models import Project`)."""

# ATTACHMENT_EXTENSIONS is imported from here by proposals (its attachments follow the same types).
from ..uploads import ATTACHMENT_EXTENSIONS, upload_error
from .plans import Plan, PlanQuerySet, ProjectPartQuerySet
from .projects import Adjustment, Project, ProjectQuerySet
from .reports import (
    ContributionPartQuerySet,
    ContributionValue,
    ProgressReport,
    ProgressValue,
    ReportAttachment,
    ReportContribution,
    ReportPartQuerySet,
    ReportRevision,
    attachment_path,
)
from .targets import Milestone, Target, TargetQuerySet

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "Adjustment",
    "ContributionPartQuerySet",
    "ContributionValue",
    "Milestone",
    "Plan",
    "PlanQuerySet",
    "ProgressReport",
    "ProgressValue",
    "Project",
    "ProjectPartQuerySet",
    "ProjectQuerySet",
    "ReportAttachment",
    "ReportContribution",
    "ReportPartQuerySet",
    "ReportRevision",
    "Target",
    "TargetQuerySet",
    "attachment_path",
    "upload_error",
]
