"""The 民生办's admin for supervision: alerts, 督办单, the four lists (任务、责任、问题、整改),
inspections and the accountability record. Staff write through the services; leaders and auditors
read (auditors and staff see the change history); every list is exportable (Excel, CSV) and limited
to the user's region.

One module per part; importing them registers their admins, in this order (the admin's order).
"""

# isort: off
from . import alerts, orders, problems, inspections, lists  # noqa: F401
# isort: on
