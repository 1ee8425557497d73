"""Workflow steps of collection, shortlisting, the decision procedure and the year rollover.

The admin, the API, the public pages (voting/, publicity/participation/) and the `rollover` command all call
these functions; none re-implements a rule. One module per part of the workflow; every public name is
re-exported here, so `from proposals import services; services.submit_proposal(...)` works.
"""

from .collection import (
    PROPOSAL_FIELDS,
    accept_proposal,
    decline_proposal,
    merge_proposals,
    shortlist_proposals,
    submit_proposal,
)
from .common import add_attachment, attachment_kind
from .decisions import PROJECT_FIELDS, next_stage, record_candidate_adjustment, record_decision_step
from .tracing import TraceEvent, trace
from .year_rollover import COPIED_FIELDS, RolloverResult, next_code, rollover, set_carry_over

__all__ = [
    "attachment_kind",
    "add_attachment",
    "PROPOSAL_FIELDS",
    "submit_proposal",
    "accept_proposal",
    "decline_proposal",
    "merge_proposals",
    "shortlist_proposals",
    "next_stage",
    "PROJECT_FIELDS",
    "record_decision_step",
    "record_candidate_adjustment",
    "TraceEvent",
    "trace",
    "set_carry_over",
    "RolloverResult",
    "COPIED_FIELDS",
    "next_code",
    "rollover",
]
