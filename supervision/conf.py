"""Supervision settings, each overridable in the Django settings (defaults here, so none is required).

- SUPERVISION_ORDER_STAGE_DAYS: days after a 督办单 is issued by which each stage is due; the common
  "13710" rule: acknowledge in 1 day, feed back in 3, settle in 7, report the result in 10. An order may
  carry its own days instead.
- SUPERVISION_REPORT_DUE_DAY: a month's progress report is due by this day of the following month, for plans
  without a filing window of their own (read by projects.periods, which every due date comes from).
- SUPERVISION_ALERT_CHANNELS / SUPERVISION_ESCALATION_CHANNELS: notification channels for new alerts and
  for missed 督办 stages.
"""

from django.conf import settings

from .choices import Stage

DEFAULT_STAGE_DAYS = {Stage.ACKNOWLEDGE: 1, Stage.FEEDBACK: 3, Stage.SETTLE: 7, Stage.REPORT: 10}
# The longest a stage may be given: a 督办单 is about this year's work. Also what keeps a typed 10⁹ from
# reaching date arithmetic (timedelta overflow, a 500; issue 15).
MAX_STAGE_DAYS = 365


def stage_days() -> dict[str, int]:
    configured = getattr(settings, "SUPERVISION_ORDER_STAGE_DAYS", None) or {}
    return {str(stage): int(configured.get(str(stage), days)) for stage, days in DEFAULT_STAGE_DAYS.items()}


def alert_channels() -> tuple[str, ...]:
    return tuple(getattr(settings, "SUPERVISION_ALERT_CHANNELS", ("inapp", "email")))


def escalation_channels() -> tuple[str, ...]:
    return tuple(getattr(settings, "SUPERVISION_ESCALATION_CHANNELS", ("inapp", "email", "sms")))
