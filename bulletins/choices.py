"""Choices for bulletins and their sections."""

from django.db import models


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


class SectionKind(models.TextChoices):
    INTRO = "intro", "开篇"
    PROJECT = "project", "项目进展"
    PROBLEMS = "problems", "存在问题"
    NEXT_STEPS = "next_steps", "下一步工作"
