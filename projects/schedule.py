"""Beat entries of projects (collected by settings.base.app_beat_schedules). No model imports here."""

BEAT_SCHEDULE: dict = {}
