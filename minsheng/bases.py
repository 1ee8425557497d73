"""Base classes for mixins, as mypy should see them: a queryset mixin checks as a QuerySet, an admin mixin
as a ModelAdmin. At run time both are `object`, so the mixins change no method resolution order."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models

if TYPE_CHECKING:
    QuerySetMixinBase = models.QuerySet[Any]
    ModelAdminMixinBase = admin.ModelAdmin[Any]
else:
    QuerySetMixinBase = object
    ModelAdminMixinBase = object
