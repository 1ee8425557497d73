"""The codes of the bulletins app's domain errors (building, editing and publishing 简报)."""

from django.db import models


class BulletinsErrorCode(models.TextChoices):
    """Why a bulletin could not be built, changed or published."""

    ALREADY_ISSUED = "already_issued", "该期简报已印发"
    BULLETIN_ISSUED = "bulletin_issued", "简报已印发，不能修改"
    BULLETIN_NOT_ISSUED = "bulletin_not_issued", "简报尚未印发"
